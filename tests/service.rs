//! The service layer on a SQLite file built by the real migrations: writes, reads and the
//! SQLite set-up a server needs.

mod common;

use common::Backend;

use chronik_api::ServiceError;
use chronik_api::service::actors::{self, NewActor};
use chronik_api::service::event_parts::{NewCitation, NewParticipant};
use chronik_api::service::event_query::{self, Direction, EventFilter};
use chronik_api::service::events::{self, EventChanges, NewEvent};
use chronik_api::service::page::PageRequest;
use chronik_api::service::sources::{self, NewSource};
use common::TestDb;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

fn new_event(title: &str, start: &str) -> NewEvent {
    NewEvent { title: title.into(), kind: "meeting".into(), start: start.into(), ..Default::default() }
}

async fn pragma(test: &TestDb, name: &str) -> String {
    let row = test
        .db
        .reader()
        .query_one_raw(Statement::from_string(test.db.backend(), format!("PRAGMA {name}")))
        .await
        .expect("pragma")
        .expect("a row");
    row.try_get_by_index::<String>(0).or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string())).expect("value")
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_is_set_up_for_a_server() {
    let test = TestDb::new().await;
    assert_eq!(pragma(&test, "journal_mode").await, "wal");
    assert_eq!(pragma(&test, "foreign_keys").await, "1");
    assert!(pragma(&test, "busy_timeout").await.parse::<i64>().expect("number") >= 5_000);
    // FULL: an acknowledged write survives a power cut, not just a crash of the process.
    assert_eq!(pragma(&test, "synchronous").await, "2");
    assert_eq!(pragma(&test, "page_size").await, "16384");
    // The readers' caches are most of the server's memory under load; the writer's is larger.
    assert_eq!(pragma(&test, "cache_size").await, "-4096");
    assert_eq!(writer_pragma(&test, "cache_size").await, -8192);
}

/// A numeric setting of the writer's connection.
async fn writer_pragma(test: &TestDb, name: &str) -> i64 {
    let writer = test.db.writer().expect("the writer");
    let row = writer
        .query_one_raw(Statement::from_string(test.db.backend(), format!("PRAGMA {name}")))
        .await
        .expect("pragma")
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("value")
}

fn new_actor(name: &str) -> NewActor {
    NewActor { name: name.into(), kind: "person".into(), aliases: Vec::new(), description: None }
}

/// A commit's pages reach the database file shortly after it, copied from the write-ahead log by
/// the checkpointer beside the writer, long before the log's size would have the writer do it in
/// a commit of its own (128 MiB). Read with `immutable=1`, SQLite reads the file alone, not the log.
#[tokio::test(flavor = "multi_thread")]
async fn commits_are_checkpointed_beside_the_writer() {
    let test = TestDb::new().await;
    assert_eq!(writer_pragma(&test, "wal_autocheckpoint").await, 8192);
    let file_alone = format!("sqlite://{}?immutable=true&mode=ro", test.url);
    // The actors named so in the file alone; None while it cannot be read yet (the migrations
    // themselves may still be in the log only, or the checkpointer may be writing the very pages
    // read: `immutable` promises SQLite that no one does, so it may then find them torn).
    let in_file = || async {
        let connection = sea_orm::Database::connect(&file_alone).await.ok()?;
        let count = connection
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Sqlite,
                "SELECT COUNT(*) FROM actor WHERE name = 'Checkpointed'",
            ))
            .await
            .ok()
            .flatten()
            .and_then(|row| row.try_get_by_index::<i64>(0).ok());
        connection.close().await.expect("close");
        count
    };
    assert_ne!(in_file().await, Some(1));
    actors::create(&test.db, new_actor("Checkpointed")).await.expect("create");
    let mut seen = None;
    for _ in 0..50 {
        seen = in_file().await;
        if seen == Some(1) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(seen, Some(1), "the actor's row is in the database file, not only in the log");
}

/// SQLite's writes queued behind a running one share its commit, each in a savepoint: one that
/// fails takes back only its own rows, and every write is acknowledged only once committed.
#[tokio::test(flavor = "multi_thread")]
async fn sqlite_writes_that_queue_share_one_commit_and_fail_alone() {
    let test = TestDb::new().await;
    let db = test.db.clone();
    let before = db.commit_counts().expect("SQLite commits in groups");
    let first = db.begin_write().await.expect("the writer");
    // Two more writes queue for the writer while the first holds it.
    let failing = {
        let db = db.clone();
        tokio::spawn(async move {
            let txn = db.begin_write().await.expect("the writer");
            actors::create_in(&txn, new_actor("Written, then undone")).await.expect("write");
            drop(txn);
        })
    };
    let second = {
        let db = db.clone();
        tokio::spawn(async move {
            let txn = db.begin_write().await.expect("the writer");
            actors::create_in(&txn, new_actor("Second")).await.expect("write");
            txn.commit().await.expect("commit")
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    actors::create_in(&first, new_actor("First")).await.expect("write");
    first.commit().await.expect("commit");
    failing.await.expect("task");
    second.await.expect("task");

    let after = db.commit_counts().expect("counts");
    assert_eq!(after.writes - before.writes, 2, "two writes were acknowledged");
    assert_eq!(after.commits - before.commits, 1, "in one commit");
    let names: Vec<String> = actors::list(&db, None, &PageRequest::first(10))
        .await
        .expect("list")
        .items
        .into_iter()
        .map(|actor| actor.name)
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&"First".to_owned()) && names.contains(&"Second".to_owned()), "{names:?}");
}

async fn migrations_run_down_and_up_again(backend: Backend) {
    let test = TestDb::on(backend).await;
    let applied = Migrator::get_applied_migrations(test.db.reader()).await.expect("applied").len();
    assert_eq!(applied, Migrator::migrations().len());
    Migrator::down(test.db.reader(), None).await.expect("down");
    assert!(Migrator::get_applied_migrations(test.db.reader()).await.expect("applied").is_empty());
    let migrated = test.db.migrate().await.expect("up again");
    assert!(migrated.created);
    events::create(&test.db, new_event("after a rebuild", "2024")).await.expect("the schema works");
}

async fn concurrent_writers_all_land(backend: Backend) {
    let test = TestDb::on(backend).await;
    let mut tasks = Vec::new();
    for n in 0..60 {
        let db = test.db.clone();
        tasks.push(tokio::spawn(async move {
            let actor = actors::create(
                &db,
                NewActor { name: format!("actor {n}"), kind: "person".into(), ..Default::default() },
            )
            .await?;
            let mut event = new_event(&format!("event {n}"), "2024-02");
            event.participants = vec![NewParticipant { actor_id: actor.id, role: "participant".into(), note: None }];
            events::create(&db, event).await
        }));
    }
    for task in tasks {
        task.await.expect("task").expect("every write succeeds, none is 'database is locked'");
    }
    assert_eq!(test.count("event").await, 60);
    assert_eq!(test.count("actor").await, 60);
    assert_eq!(test.count("participation").await, 60);
}

async fn concurrent_updates_of_one_version_let_exactly_one_win(backend: Backend) {
    let test = TestDb::on(backend).await;
    let event = events::create(&test.db, new_event("contested", "2024")).await.expect("create");
    let mut tasks = Vec::new();
    for n in 0..10 {
        let db = test.db.clone();
        let changes = EventChanges { title: Some(format!("edit {n}")), ..Default::default() };
        tasks.push(tokio::spawn(async move { events::update(&db, event.id, 1, changes).await }));
    }
    let mut won = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(row) => {
                won += 1;
                assert_eq!(row.version, 2);
            }
            Err(ServiceError::Conflict(_)) => {}
            Err(other) => panic!("unexpected error {other:?}"),
        }
    }
    assert_eq!(won, 1);
}

async fn ranges_overlap_and_order_by_earliest_then_precision(backend: Backend) {
    let test = TestDb::on(backend).await;
    let db = &test.db;
    let mut range = new_event("a range through March", "2024-02-25");
    range.end = Some("2024-03-10".into());
    let range = events::create(db, range).await.expect("range");
    let day = events::create(db, new_event("1 March", "2024-03-01")).await.expect("day");
    let month = events::create(db, new_event("March", "2024-03")).await.expect("month");
    let april = events::create(db, new_event("April", "2024-04")).await.expect("april");

    let filter = EventFilter { from: Some("2024-03-05".into()), to: Some("2024-03-06".into()), ..Default::default() };
    let page = event_query::list(db, &filter.check().expect("filter"), &PageRequest::first(50), Direction::Ascending)
        .await
        .expect("list");
    let titles: Vec<&str> = page.items.iter().map(|e| e.title.as_str()).collect();
    // The range (started in February) and the month overlap 5–6 March; the day and April do not.
    assert_eq!(titles, vec![range.title.as_str(), month.title.as_str()]);

    let all = event_query::list(
        db,
        &EventFilter::default().check().expect("filter"),
        &PageRequest::first(50),
        Direction::Ascending,
    )
    .await
    .expect("list");
    let order: Vec<_> = all.items.iter().map(|e| e.id).collect();
    // March and 1 March start at the same instant: the coarser comes first.
    assert_eq!(order, vec![range.id, month.id, day.id, april.id]);
}

/// Every page of `filter` in `direction`, walked with cursors (backwards from the end when
/// `backward`), as IDs in the list's order; and the total count.
async fn walk(
    db: &chronik_api::Database,
    filter: &event_query::CheckedFilter,
    direction: Direction,
    backward: bool,
) -> Vec<uuid::Uuid> {
    let mut pages: Vec<Vec<uuid::Uuid>> = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let request = if backward {
            PageRequest::new(None, None, Some(37), cursor.clone())
        } else {
            PageRequest::new(Some(37), cursor.clone(), None, None)
        }
        .expect("request");
        let page = event_query::list(db, filter, &request, direction).await.expect("page");
        let more = if backward { page.has_previous } else { page.has_next };
        let edge = if backward { page.items.first() } else { page.items.last() };
        cursor = edge.map(event_query::cursor);
        pages.push(page.items.iter().map(|e| e.id).collect());
        if !more {
            break;
        }
    }
    if backward {
        pages.reverse();
    }
    pages.concat()
}

/// Windows of a day to decades over generated data (every precision, ranges, centuries) and
/// events lasting from a second to millennia: each window's pages, both ways and in both
/// orders, and its count, are exactly the overlapping live events, as a scan of all of them
/// finds them.
async fn overlap_queries_find_exactly_what_a_scan_finds(backend: Backend) {
    use chronik_api::generate::{self, Spec};
    let test = TestDb::on(backend).await;
    let db = &test.db;
    generate::into_database(db, Spec { events: 2_500, actors: 100, sources: 20, seed: 8 }, &|_| {})
        .await
        .expect("generate");
    for (title, start, end) in [
        ("an instant", "2012-06-01T12:00:00Z", None),
        ("a millennium", "1000", Some("1999")),
        ("ten thousand years", "0000", Some("9999")),
        ("a long range", "1995-03", Some("2031")),
    ] {
        let mut event = new_event(title, start);
        event.end = end.map(str::to_owned);
        events::create(db, event).await.expect(title);
    }
    let deleted = events::create(db, new_event("deleted", "2012")).await.expect("deleted");
    events::delete(db, deleted.id, None).await.expect("delete");

    use entity::event;
    use sea_orm::EntityTrait;
    let mut all = event::Entity::find().all(db.reader()).await.expect("all events");
    all.retain(|e| e.deleted_at.is_none());
    all.sort_by_key(|e| (e.start_earliest, e.start_precision, e.id));
    let windows = [
        ("2012-06-01", "2012-06-01"),
        ("2012-06", "2012-07"),
        ("2003-01-15", "2003-02-14"),
        ("2019", "2019"),
        ("2001", "2010"),
        ("1990", "2040"),
        ("1500", "1500"),
        ("2024-02-29T10:00Z", "2024-02-29T10:00Z"),
    ];
    for (from, to) in windows {
        let filter = EventFilter { from: Some(from.into()), to: Some(to.into()), ..Default::default() };
        let checked = filter.check().expect("filter");
        let (low, high) = (checked.from().expect("from"), checked.to().expect("to"));
        let expected: Vec<uuid::Uuid> =
            all.iter().filter(|e| e.start_earliest <= high && e.span_latest >= low).map(|e| e.id).collect();
        assert!(!expected.is_empty(), "{from}..{to} overlaps something");
        assert_eq!(walk(db, &checked, Direction::Ascending, false).await, expected, "{from}..{to}, forwards");
        assert_eq!(walk(db, &checked, Direction::Ascending, true).await, expected, "{from}..{to}, backwards");
        let mut descending = expected.clone();
        descending.reverse();
        assert_eq!(walk(db, &checked, Direction::Descending, false).await, descending, "{from}..{to}, descending");
        let count = event_query::count(db, &checked).await.expect("count");
        assert_eq!(count, expected.len() as u64, "{from}..{to}, count");
    }
    // Only a start of the period: everything still running then or later.
    let checked = EventFilter { from: Some("2025-06".into()), ..Default::default() }.check().expect("filter");
    let low = checked.from().expect("from");
    let expected: Vec<uuid::Uuid> = all.iter().filter(|e| e.span_latest >= low).map(|e| e.id).collect();
    assert_eq!(walk(db, &checked, Direction::Ascending, false).await, expected, "from 2025-06");
}

/// The histogram a scan of every live event gives: slot `(start - from) / width` of the events
/// overlapping [from, to], those that began earlier in the first.
fn expected_histogram(events: &[entity::event::Model], from: i64, to: i64, buckets: i64) -> Vec<(i64, u64)> {
    let width = ((to - from + 1 + buckets - 1) / buckets).max(1);
    let mut counts = vec![0_u64; buckets as usize];
    for event in events.iter().filter(|e| e.deleted_at.is_none() && e.start_earliest <= to && e.span_latest >= from) {
        counts[((event.start_earliest - from) / width).clamp(0, buckets - 1) as usize] += 1;
    }
    (0..buckets)
        .filter(|slot| from + slot * width <= to)
        .map(|slot| (from + slot * width, counts[slot as usize]))
        .collect()
}

/// Histograms over generated data after every kind of write (imported, created, re-dated,
/// deleted, restored, purged, imported again, before 1970 too) are what a scan counts: for
/// periods whose slices cut days at odd seconds, the whole timeline, and a filter by kind.
async fn histograms_count_what_a_scan_counts_after_every_kind_of_write(backend: Backend) {
    use chronik_api::exchange::{Format, import_bytes};
    use chronik_api::generate::{Spec, write_jsonl};
    use chronik_api::service::histogram;
    use entity::event;
    use sea_orm::EntityTrait;
    let test = TestDb::on(backend).await;
    let db = &test.db;
    let mut file = Vec::new();
    write_jsonl(Spec { events: 2_000, actors: 60, sources: 10, seed: 4 }, &mut file).expect("generate");
    import_bytes(db, Format::JsonLines, file.clone()).await.expect("import");
    let mut made = Vec::new();
    for start in ["1969-12-31T23:00:00Z", "1960", "2015-03-03T10:16:59Z", "2015-03-03T10:17:00Z", "2019-07"] {
        made.push(events::create(db, new_event(start, start)).await.expect(start));
    }
    let redated = EventChanges { start: Some("2011-11-11".into()), ..Default::default() };
    events::update(db, made[4].id, made[4].version, redated).await.expect("re-date");
    events::delete(db, made[1].id, None).await.expect("delete");
    events::delete(db, made[2].id, None).await.expect("delete");
    events::restore(db, made[2].id).await.expect("restore");
    events::purge(db, made[3].id).await.expect("purge");
    // Importing the same file again updates every event it holds (their dates stay).
    import_bytes(db, Format::JsonLines, file).await.expect("import again");

    let all = event::Entity::find().all(db.reader()).await.expect("all events");
    /// From, to, buckets, kinds.
    type Case<'a> = (Option<&'a str>, Option<&'a str>, i32, &'a [&'a str]);
    let cases: [Case; 10] = [
        (None, None, 100, &[]),
        (Some("2012"), None, 20, &[]),
        (Some("2012"), None, 20, &["meeting"]),
        (None, Some("2013"), 20, &["meeting"]),
        (Some("2010"), Some("2012"), 7, &[]),
        (Some("2015-03-03T10:17:00Z"), Some("2016-01-01"), 13, &[]),
        (Some("1960"), Some("1970-01-02"), 5, &[]),
        (Some("2000"), Some("2025"), 1_000, &[]),
        (Some("2011-11-11"), Some("2011-11-11"), 1, &[]),
        (Some("2005"), Some("2020"), 30, &["meeting"]),
    ];
    for (from, to, buckets, kinds) in cases {
        let filter = EventFilter {
            from: from.map(str::to_owned),
            to: to.map(str::to_owned),
            kinds: kinds.iter().map(|k| (*k).to_owned()).collect(),
            ..Default::default()
        };
        let checked = filter.check().expect("filter");
        let matching: Vec<event::Model> =
            all.iter().filter(|e| kinds.is_empty() || kinds.contains(&e.kind.as_str())).cloned().collect();
        // An open side of the period runs to the first or last instant of the events that match.
        let live: Vec<&event::Model> = matching
            .iter()
            .filter(|e| e.deleted_at.is_none())
            .filter(|e| checked.from().is_none_or(|from| e.span_latest >= from))
            .filter(|e| checked.to().is_none_or(|to| e.start_earliest <= to))
            .collect();
        let low = checked.from().unwrap_or_else(|| live.iter().map(|e| e.start_earliest).min().expect("events"));
        let high = checked.to().unwrap_or_else(|| live.iter().map(|e| e.span_latest).max().expect("events"));
        let expected = expected_histogram(&matching, low, high, i64::from(buckets));
        let found: Vec<(i64, u64)> = histogram::histogram(db, &checked, buckets)
            .await
            .expect("histogram")
            .iter()
            .map(|b| (b.start.timestamp(), b.count))
            .collect();
        assert_eq!(found, expected, "{from:?}..{to:?} in {buckets} buckets, kinds {kinds:?}");
        assert!(found.iter().map(|(_, n)| n).sum::<u64>() > 0, "{from:?}..{to:?} counts something");
    }
}

async fn an_end_before_the_start_is_refused_and_nothing_is_written(backend: Backend) {
    let test = TestDb::on(backend).await;
    let mut event = new_event("backwards", "2024-03");
    event.end = Some("2024-02".into());
    let error = events::create(&test.db, event).await.expect_err("refused");
    assert!(matches!(error, ServiceError::Validation { ref field, .. } if field == "end"), "{error:?}");
    assert_eq!(test.count("event").await, 0);
    assert_eq!(test.count("search_document").await, 0);
}

async fn a_parent_cannot_close_a_loop(backend: Backend) {
    let test = TestDb::on(backend).await;
    let affair = events::create(&test.db, new_event("affair", "2024")).await.expect("affair");
    let mut child = new_event("child", "2024-02");
    child.parent_id = Some(affair.id);
    let child = events::create(&test.db, child).await.expect("child");
    let changes = EventChanges { parent_id: Some(Some(child.id)), ..Default::default() };
    let error = events::update(&test.db, affair.id, affair.version, changes).await.expect_err("a loop");
    assert!(matches!(error, ServiceError::Validation { ref field, .. } if field == "parentId"), "{error:?}");
}

/// Waits until `done` holds, at most 10 s; `what` names it should it not.
async fn until(what: &str, done: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !done() {
        assert!(std::time::Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

/// Waits until a statement reading `table` has run (the test's statement log shows it).
async fn until_read(test: &TestDb, table: &str) {
    let from = format!(r#"FROM "{table}""#);
    until(&format!("a read of {table}"), || test.log.lock().expect("log").iter().any(|sql| sql.contains(&from))).await;
}

/// createEvent reads which cited sources exist before it takes the writer. A source removed after
/// that read and before the write: the write's foreign key stops it, nothing is written, and the
/// error names the citation as when the source was gone before the request.
async fn a_source_removed_while_an_event_waits_for_the_writer_is_named(backend: Backend) {
    let test = TestDb::on(backend).await;
    let source =
        sources::create(&test.db, NewSource { title: "Gone soon".into(), ..Default::default() }).await.expect("source");
    // Another write holds the writer and removes the source (not yet committed).
    let holder = test.db.begin_write().await.expect("the writer");
    let remove = match test.db.backend() {
        DatabaseBackend::Postgres => "DELETE FROM source WHERE id = $1",
        _ => "DELETE FROM source WHERE id = ?",
    };
    holder
        .execute_raw(Statement::from_sql_and_values(test.db.backend(), remove, [source.id.into()]))
        .await
        .expect("remove the source");
    test.take_statements();
    let mut input = new_event("Cites what goes", "2024-03");
    input.citations =
        vec![NewCitation { source_id: source.id, quote: Some("a quote".into()), supports: None, actor_id: None }];
    let db = test.db.clone();
    let create = tokio::spawn(async move { events::create(&db, input).await });
    // Until the create has read that the source exists (the holder's removal is not committed).
    until_read(&test, "source").await;
    holder.commit().await.expect("commit the removal");
    let error = create.await.expect("task").expect_err("refused");
    assert!(
        matches!(error, ServiceError::Validation { ref field, .. } if field == "citations[0].sourceId"),
        "{error:?}"
    );
    assert_eq!(test.count("event").await, 0, "nothing written");
    assert_eq!(test.count("citation").await, 0);
}

/// On SQLite, createEvent reads its participants' actors before it takes the writer (their names
/// go into the event's search document), and the write names each actor at the version read.
/// `change` is run on an actor by another write holding the writer after that read, and
/// committed while the create waits; returns the create's outcome.
async fn create_while_the_actor_changes(
    test: &TestDb,
    change: &str,
) -> (Result<entity::event::Model, ServiceError>, uuid::Uuid) {
    let actor = actors::create(
        &test.db,
        NewActor { name: "Oldname".into(), kind: "person".into(), aliases: vec!["Oldalias".into()], description: None },
    )
    .await
    .expect("actor");
    let holder = test.db.begin_write().await.expect("the writer");
    holder
        .execute_raw(Statement::from_sql_and_values(test.db.backend(), change, [actor.id.into()]))
        .await
        .expect("change the actor");
    test.take_statements();
    let mut input = new_event("Meeting in Berlin", "2024-03");
    input.participants = vec![NewParticipant { actor_id: actor.id, role: "speaker".into(), note: None }];
    let db = test.db.clone();
    let create = tokio::spawn(async move { events::create(&db, input).await });
    until_read(test, "actor").await;
    holder.commit().await.expect("commit the change");
    (create.await.expect("task"), actor.id)
}

/// The titles of the events a full-text search finds.
async fn found(test: &TestDb, words: &str) -> Vec<String> {
    let filter = EventFilter { search: Some(words.into()), ..Default::default() };
    let page =
        event_query::list(&test.db, &filter.check().expect("filter"), &PageRequest::first(10), Direction::Ascending)
            .await
            .expect("search");
    page.items.into_iter().map(|event| event.title).collect()
}

/// An actor renamed in between: the event is written all the same, and its search document
/// names the actor as it is now, not as it was when first read.
#[tokio::test(flavor = "multi_thread")]
async fn an_actor_renamed_while_an_event_waits_for_the_writer_is_indexed_by_its_new_name() {
    let test = TestDb::new().await;
    let rename = "UPDATE actor SET name = 'Newname', aliases = '[\"Newalias\"]', version = version + 1 WHERE id = ?";
    let (created, actor) = create_while_the_actor_changes(&test, rename).await;
    let created = created.expect("created");
    assert_eq!(found(&test, "Newname").await, ["Meeting in Berlin"]);
    assert_eq!(found(&test, "Newalias").await, ["Meeting in Berlin"]);
    assert!(found(&test, "Oldname").await.is_empty(), "the old name is not in the event's document");
    assert!(found(&test, "Oldalias").await.is_empty(), "nor the old alias");
    let participants = chronik_api::service::event_parts::participating_actors(test.db.reader(), created.id)
        .await
        .expect("participants");
    assert_eq!(participants.into_iter().collect::<Vec<_>>(), [actor]);
}

/// An actor removed in between: nothing is written, and the error names the participant as when
/// the actor was gone before the request.
#[tokio::test(flavor = "multi_thread")]
async fn an_actor_removed_while_an_event_waits_for_the_writer_is_named() {
    let test = TestDb::new().await;
    let (created, _) = create_while_the_actor_changes(&test, "DELETE FROM actor WHERE id = ?").await;
    let error = created.expect_err("refused");
    assert!(
        matches!(error, ServiceError::Validation { ref field, .. } if field == "participants[0].actorId"),
        "{error:?}"
    );
    assert_eq!(test.count("event").await, 0, "nothing written");
    assert_eq!(test.count("participation").await, 0);
}

/// createEvents that queue while the writer is busy go to it together, in one text. One among
/// them whose actor was removed after it was read fails that text: the others are then written
/// alone and stored, and it alone is refused, naming its participant.
#[tokio::test(flavor = "multi_thread")]
async fn events_created_while_the_writer_is_busy_are_written_together_and_fail_alone() {
    let test = TestDb::new().await;
    let kept = actors::create(&test.db, new_actor("Kept")).await.expect("actor");
    let gone = actors::create(&test.db, new_actor("Gone")).await.expect("actor");
    let holder = test.db.begin_write().await.expect("the writer");
    holder
        .execute_raw(Statement::from_sql_and_values(
            test.db.backend(),
            "DELETE FROM actor WHERE id = ?",
            [gone.id.into()],
        ))
        .await
        .expect("remove the actor");
    test.take_statements();
    let creates: Vec<_> = [("One", kept.id), ("Two", kept.id), ("Refused", gone.id), ("Three", kept.id)]
        .into_iter()
        .map(|(title, actor_id)| {
            let db = test.db.clone();
            let mut input = new_event(title, "2024-03");
            input.participants = vec![NewParticipant { actor_id, role: "speaker".into(), note: None }];
            tokio::spawn(async move { events::create(&db, input).await })
        })
        .collect();
    until("the four creates wait for the writer", || test.db.queued_whole_writes() == 4).await;
    holder.commit().await.expect("commit the removal");
    let mut outcomes = Vec::new();
    for create in creates {
        outcomes.push(create.await.expect("task"));
    }

    let texts = test.take_statements();
    assert!(
        texts.iter().any(|sql| sql.matches(r#"INSERT INTO "event""#).count() == 4),
        "the four went to the writer in one text: {texts:#?}"
    );
    for (index, outcome) in outcomes.iter().enumerate() {
        match index {
            2 => assert!(
                matches!(outcome, Err(ServiceError::Validation { field, .. }) if field == "participants[0].actorId"),
                "{outcome:?}"
            ),
            _ => assert!(outcome.is_ok(), "{outcome:?}"),
        }
    }
    let mut titles = found(&test, "Kept").await;
    titles.sort();
    assert_eq!(titles, ["One", "Three", "Two"], "the others are stored, and indexed");
    assert_eq!(test.count("event").await, 3);
    assert_eq!(test.count("participation").await, 3);
    assert_eq!(test.count("event_revision").await, 3, "each has its history");
}

/// The timeline's page reads event rows by column position (`service::event_row`): every column
/// holding a value of its own, the row reads the same as sea-orm reads it by name, so a field
/// read from another column's place would show.
async fn an_event_row_reads_the_same_by_position_as_by_name(backend: Backend) {
    use chronik_api::service::event_row;
    use chrono::{TimeZone, Utc};
    use entity::event;
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel};

    let test = TestDb::on(backend).await;
    let parent = events::create(&test.db, new_event("Parent", "2024")).await.expect("parent");
    let created = events::create(&test.db, new_event("Child", "2024-03")).await.expect("child");
    let at = |day| Utc.with_ymd_and_hms(2024, 3, day, 1, 2, 3).single().expect("a date");
    let every_column = event::Model {
        id: created.id,
        parent_id: Some(parent.id),
        title: "title".into(),
        summary: Some("summary".into()),
        kind: "meeting".into(),
        start_value: "2024-03".into(),
        start_precision: 3,
        start_earliest: 1_709_251_200,
        start_latest: 1_711_929_599,
        end_value: Some("2024-04".into()),
        end_precision: Some(4),
        end_earliest: Some(1_711_929_600),
        end_latest: Some(1_714_521_599),
        span_latest: 1_714_521_599,
        time_zone: Some("Europe/Berlin".into()),
        place_name: Some("Berlin".into()),
        place_latitude: Some(52.52),
        place_longitude: Some(13.405),
        confidence: "confirmed".into(),
        created_at: at(1),
        updated_at: at(2),
        deleted_at: Some(at(3)),
        version: 7,
        external_id: Some("external".into()),
        first_reported_value: Some("2024-05".into()),
        first_reported_precision: Some(5),
        first_reported_earliest: Some(1_714_521_600),
        first_reported_latest: Some(1_717_199_999),
        first_reported_set: true,
        disputed_aspects: Some("when".into()),
        support: "weakened".into(),
    };
    let writer = test.db.writer().expect("the writer");
    every_column.clone().into_active_model().reset_all().update(&writer).await.expect("every column set");
    let by_name = event::Entity::find_by_id(created.id).one(test.db.reader()).await.expect("read").expect("a row");
    assert_eq!(by_name, every_column, "the row holds what was written");
    let backend = test.db.backend();
    let placeholder = if backend == DatabaseBackend::Postgres { "$1" } else { "?" };
    let sql = format!(r#"{} WHERE "event"."id" = {placeholder}"#, event_row::columns(backend));
    let select = Statement::from_sql_and_values(backend, sql, [created.id.into()]);
    let rows = test.db.reader().query_all_raw(select).await.expect("select");
    assert_eq!(rows.len(), 1);
    assert_eq!(event_row::from_position(&rows[0]).expect("read by position"), by_name);
}

on_both_backends!(
    an_event_row_reads_the_same_by_position_as_by_name,
    migrations_run_down_and_up_again,
    concurrent_writers_all_land,
    concurrent_updates_of_one_version_let_exactly_one_win,
    ranges_overlap_and_order_by_earliest_then_precision,
    overlap_queries_find_exactly_what_a_scan_finds,
    histograms_count_what_a_scan_counts_after_every_kind_of_write,
    an_end_before_the_start_is_refused_and_nothing_is_written,
    a_parent_cannot_close_a_loop,
    a_source_removed_while_an_event_waits_for_the_writer_is_named,
);
