//! Copy-on-write history (issue 15): an import writes each event's version without a snapshot
//! (the event's rows are its snapshot while it is current) and one audit row for the file. Every
//! write that replaces such a version must keep it first: each event-changing mutation, run on
//! the imported example affair, must leave the version it replaced reading exactly as it read
//! before, and name it as the `before` of its audit row.

mod common;

use chronik_api::ids::{NodeKind, encode};
use chronik_api::service::as_of;
use common::{Backend, TestDb, data, run};
use entity::{account, citation, event, event_link, participation};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use uuid::Uuid;

/// An event's current version.
async fn version(test: &TestDb, id: Uuid) -> Option<i32> {
    event::Entity::find_by_id(id).one(test.db.reader()).await.expect("read").map(|row| row.version)
}

/// An event at a version, as the history reads it.
async fn snapshot(test: &TestDb, id: Uuid, version: i32) -> Value {
    let read = as_of::event_version(&test.db, id, version).await.expect("read").expect("a revision");
    serde_json::to_value(read).expect("json")
}

/// The `before` of the latest audit row of an event.
async fn audited_before(test: &TestDb, id: Uuid) -> Option<Value> {
    entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::EntityId.eq(id))
        .order_by_desc(entity::audit_log::Column::Id)
        .one(test.db.reader())
        .await
        .expect("read")
        .expect("an audit row")
        .before
}

/// Runs `query` as a change of `events`; checks that each one's version before it still reads as
/// it did, and is its audit row's `before`.
async fn change(test: &TestDb, events: &[Uuid], query: &str, variables: Value) {
    let mut before = Vec::new();
    for &id in events {
        let current = version(test, id).await.expect("a live event");
        before.push((id, current, snapshot(test, id, current).await));
    }
    data(run(&test.schema(), query, variables).await);
    let mut changed = 0;
    for (id, at, was) in before {
        let now = version(test, id).await;
        if now.is_some() {
            assert_eq!(snapshot(test, id, at).await, was, "{query}: version {at} of {id} reads as it did");
        }
        // An event the write left as it was (a retraction of a source its standing does not
        // rest on) has no new version, and no audit row of this write.
        if now != Some(at) {
            changed += 1;
            assert_eq!(audited_before(test, id).await, Some(was), "{query}: the audit row's before of {id}");
        }
    }
    assert!(changed > 0, "{query}: no event changed");
}

async fn every_change_of_an_imported_event_keeps_the_version_it_replaces(backend: Backend) {
    let test = TestDb::with_example_on(backend).await;
    let reader = test.db.reader();
    let events: Vec<event::Model> =
        event::Entity::find().order_by_asc(event::Column::StartEarliest).all(reader).await.expect("events");
    let citations = citation::Entity::find().order_by_asc(citation::Column::Id).all(reader).await.expect("citations");
    let accounts = account::Entity::find().order_by_asc(account::Column::Id).all(reader).await.expect("accounts");
    let links = event_link::Entity::find().all(reader).await.expect("links");
    let participations = participation::Entity::find().all(reader).await.expect("participations");
    assert!(events.len() >= 12 && !citations.is_empty() && accounts.len() >= 3 && !links.is_empty());
    // Each step on an event no step before it changed, so each replaces an imported version.
    let mut fresh: Vec<Uuid> = events.iter().map(|e| e.id).collect();
    let mut take = |wanted: &dyn Fn(Uuid) -> bool| {
        let at = fresh.iter().position(|id| wanted(*id)).expect("an event not changed yet");
        fresh.remove(at)
    };
    let node = |kind, id| encode(kind, id);

    let linked = take(&|id| links.iter().any(|l| l.from_event_id == id));
    // Linked during the import: its first version was kept then, its second is current.
    assert_eq!(version(&test, linked).await, Some(2));
    let link = links.iter().find(|l| l.from_event_id == linked).expect("a link");
    change(
        &test,
        &[linked],
        "mutation($id: ID!) { unlinkEvents(input: { id: $id }) { deletedId } }",
        json!({ "id": node(NodeKind::EventLink, link.id) }),
    )
    .await;
    let reverted = take(&|id| links.iter().any(|l| l.from_event_id == id));
    change(
        &test,
        &[reverted],
        "mutation($id: ID!) { restoreEventVersion(input: { id: $id, version: 2, toVersion: 1 }) { event { id } } }",
        json!({ "id": node(NodeKind::Event, reverted) }),
    )
    .await;

    let updated = take(&|_| true);
    let version_now = version(&test, updated).await.expect("live");
    change(&test, &[updated],
        "mutation($id: ID!, $v: Int!) { updateEvent(input: { id: $id, version: $v, title: \"Retitled\" }) { event { id } } }",
        json!({ "id": node(NodeKind::Event, updated), "v": version_now })).await;

    let from = take(&|_| true);
    let to = events.iter().map(|e| e.id).find(|id| *id != from).expect("another event");
    change(&test, &[from],
        "mutation($from: ID!, $to: ID!) { linkEvents(input: { sourceId: $from, targetId: $to, kind: \"follows\" }) { link { id } } }",
        json!({ "from": node(NodeKind::Event, from), "to": node(NodeKind::Event, to) })).await;

    let cited = take(&|id| citations.iter().any(|c| c.event_id == id));
    let removed = citations.iter().find(|c| c.event_id == cited).expect("a citation");
    change(
        &test,
        &[cited],
        "mutation($id: ID!) { removeCitation(input: { id: $id }) { event { id } } }",
        json!({ "id": node(NodeKind::Citation, removed.id) }),
    )
    .await;

    let citing = take(&|_| true);
    change(&test, &[citing],
        "mutation($id: ID!, $source: ID!) { addCitation(input: { eventId: $id, sourceId: $source, quote: \"Quoted\" }) { event { id } } }",
        json!({ "id": node(NodeKind::Event, citing), "source": node(NodeKind::Source, citations[0].source_id) })).await;

    let told = take(&|_| true);
    change(&test, &[told],
        "mutation($id: ID!, $source: ID!) { addAccount(input: { eventId: $id, aspect: WHEN, date: \"2024\", citation: { sourceId: $source } }) { account { id } } }",
        json!({ "id": node(NodeKind::Event, told), "source": node(NodeKind::Source, citations[0].source_id) })).await;

    let accounted = take(&|id| accounts.iter().any(|a| a.event_id == id));
    let chosen = accounts.iter().find(|a| a.event_id == accounted).expect("an account");
    change(
        &test,
        &[accounted],
        "mutation($id: ID!) { removeAccount(input: { id: $id }) { deletedId } }",
        json!({ "id": node(NodeKind::Account, chosen.id) }),
    )
    .await;

    let reported = take(&|_| true);
    change(
        &test,
        &[reported],
        "mutation($id: ID!) { setFirstReported(input: { eventId: $id, date: \"2024-03-01\" }) { event { id } } }",
        json!({ "id": node(NodeKind::Event, reported) }),
    )
    .await;

    let deleted = take(&|_| true);
    change(
        &test,
        &[deleted],
        "mutation($id: ID!) { deleteEvent(input: { id: $id }) { deletedId } }",
        json!({ "id": node(NodeKind::Event, deleted) }),
    )
    .await;

    // Its revisions go with it: the audit row alone says what it was.
    let purged = take(&|_| true);
    change(
        &test,
        &[purged],
        "mutation($id: ID!) { purgeEvent(input: { id: $id }) { purgedId } }",
        json!({ "id": node(NodeKind::Event, purged) }),
    )
    .await;

    // Many events at once: every event of the merged actor.
    let actor = participations
        .iter()
        .map(|p| p.actor_id)
        .find(|actor| participations.iter().filter(|p| p.actor_id == *actor).all(|p| fresh.contains(&p.event_id)));
    let actor = actor.expect("an actor whose events are unchanged");
    let target = participations.iter().map(|p| p.actor_id).find(|a| *a != actor).expect("another actor");
    let mut of_actor: Vec<Uuid> = participations.iter().filter(|p| p.actor_id == actor).map(|p| p.event_id).collect();
    of_actor.sort_unstable();
    of_actor.dedup();
    change(&test, &of_actor,
        "mutation($into: ID!, $from: ID!) { mergeActors(input: { targetId: $into, sourceIds: [$from] }) { actor { id } } }",
        json!({ "into": node(NodeKind::Actor, target), "from": node(NodeKind::Actor, actor) })).await;

    // A retraction changes every event citing the source.
    let source = citations.iter().rev().map(|c| c.source_id).next().expect("a source");
    let mut citing_source: Vec<Uuid> = citation::Entity::find()
        .filter(citation::Column::SourceId.eq(source))
        .all(reader)
        .await
        .expect("citations")
        .iter()
        .map(|c| c.event_id)
        .collect();
    citing_source.sort_unstable();
    citing_source.dedup();
    change(
        &test,
        &citing_source,
        "mutation($id: ID!) { recordSourceChange(input: { sourceId: $id, kind: RETRACTED }) { source { id } } }",
        json!({ "id": node(NodeKind::Source, source) }),
    )
    .await;
}

/// The import's one audit row names the file by its size and SHA-256, and what it wrote.
async fn an_import_is_one_audit_row_naming_its_file(backend: Backend) {
    use chronik_api::exchange::{Format, import::import_bytes};
    let test = TestDb::on(backend).await;
    let bytes = chronik_api::seed::EXAMPLE.as_bytes().to_vec();
    let size = bytes.len();
    let summary = import_bytes(&test.db, Format::Json, bytes).await.expect("import");
    let imports = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Entity.eq("import"))
        .all(test.db.reader())
        .await
        .expect("audit");
    assert_eq!(imports.len(), 1);
    let file = imports[0].after.clone().expect("what the file was");
    assert_eq!(file["format"], "json");
    assert_eq!(file["bytes"], size);
    // Its SHA-256 is 64 hexadecimal digits (the digest itself is checked against sha256sum in
    // the unit test of `exchange::digest`); importing the same bytes again names the same hash.
    let hash = file["sha256"].as_str().expect("a hash").to_owned();
    assert!(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()), "{hash}");
    import_bytes(&test.db, Format::Json, chronik_api::seed::EXAMPLE.as_bytes().to_vec()).await.expect("again");
    let again = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Entity.eq("import"))
        .order_by_desc(entity::audit_log::Column::Id)
        .one(test.db.reader())
        .await
        .expect("audit")
        .expect("a second row");
    assert_eq!(again.after.expect("file")["sha256"], hash.as_str());
    assert_eq!(file["summary"]["events_created"], summary.events_created);
    assert_eq!(test.count("audit_log WHERE entity = 'event'").await, 0, "no audit row per event");
}

/// A write that replaced an imported version without keeping it would lose it for good: the
/// history refuses to record it, and the write is undone.
async fn a_write_that_skips_keeping_is_refused(backend: Backend) {
    use chronik_api::service::history::{self, Known, Operation, Touched, Versions};
    use sea_orm::sea_query::Expr;
    let test = TestDb::with_example_on(backend).await;
    let row = event::Entity::find().one(test.db.reader()).await.expect("read").expect("an event");
    let txn = test.db.begin_write().await.expect("begin");
    // The change of a write that did not call `keep` first.
    event::Entity::update_many()
        .col_expr(event::Column::Title, Expr::value("Overwritten"))
        .col_expr(event::Column::Version, Expr::value(row.version + 1))
        .filter(event::Column::Id.eq(row.id))
        .exec(&*txn)
        .await
        .expect("update");
    let recorded = history::record_known(
        &txn,
        None,
        &[Touched::event(row.id, Operation::Update)],
        Known::default(),
        Versions::Audited,
    )
    .await;
    let error = recorded.expect_err("refused").to_string();
    assert!(error.contains("without its snapshot having been kept"), "{error}");
}

on_both_backends!(
    every_change_of_an_imported_event_keeps_the_version_it_replaces,
    an_import_is_one_audit_row_naming_its_file,
    a_write_that_skips_keeping_is_refused,
);
