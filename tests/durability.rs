//! SQLite's group commit under failure: COMMIT, SAVEPOINT and RELEASE made to fail the ways SQLite
//! and a full disk make them fail. A write acknowledged is in the database after a restart; a
//! write refused is not; and the writer recovers for the next write.

mod common;

use std::sync::Arc;
use std::time::Duration;

use chronik_api::Database;
use chronik_api::db::{DatabaseOptions, Fault, Faults, Footprint};
use chronik_api::service::actors::{self, NewActor};
use chronik_api::service::events::{self, NewEvent};
use common::{Backend, TestDb};
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};

fn new_actor(name: &str) -> NewActor {
    NewActor { name: name.into(), kind: "person".into(), aliases: Vec::new(), description: None }
}

fn new_event(title: &str) -> NewEvent {
    NewEvent { title: title.into(), kind: "meeting".into(), start: "2024-03".into(), ..Default::default() }
}

/// Three writes that share one group: the first holds the writer while the other two queue
/// behind it (the second before the third). The fault is armed once the first has made its
/// savepoint, so the first SAVEPOINT it meets is the second write's, and so is the first RELEASE
/// (of the first write's savepoint, sent with the second's SAVEPOINT); the first write to end is
/// the first. Returns whether each was acknowledged.
async fn three_queued_writes(db: &Database, faults: &Faults, fault: Fault, skip: u32) -> [bool; 3] {
    let first = db.begin_write().await.expect("the writer");
    actors::create_in(&first, new_actor("w1")).await.expect("write w1");
    let queued = |name: &'static str| {
        let db = db.clone();
        tokio::spawn(async move {
            let txn = db.begin_write().await?;
            actors::create_in(&txn, new_actor(name)).await?;
            txn.commit().await?;
            Ok::<_, chronik_api::ServiceError>(())
        })
    };
    let second = queued("w2");
    tokio::time::sleep(Duration::from_millis(50)).await;
    let third = queued("w3");
    tokio::time::sleep(Duration::from_millis(50)).await;
    faults.arm_after(fault, skip, 1);
    let first = first.commit().await.is_ok();
    let second = second.await.expect("task").is_ok();
    let third = third.await.expect("task").is_ok();
    assert_eq!(faults.pending(fault), 0, "{fault:?} happened");
    [first, second, third]
}

/// The one column `sql` reads, by a new connection to the file (as after a restart).
async fn read_after_restart(test: &TestDb, sql: &str) -> Vec<String> {
    let db = Database::connect(&test.url, DatabaseOptions::default()).await.expect("reopen");
    let rows = db.reader().query_all_raw(Statement::from_string(db.backend(), sql)).await.expect("read");
    rows.iter().map(|row| row.try_get_by_index::<String>(0).expect("a text")).collect()
}

/// The actors' names after a restart.
async fn names_after_restart(test: &TestDb) -> Vec<String> {
    read_after_restart(test, "SELECT name FROM actor ORDER BY name").await
}

/// The events' titles after a restart.
async fn titles_after_restart(test: &TestDb) -> Vec<String> {
    read_after_restart(test, "SELECT title FROM event ORDER BY title").await
}

/// Runs the three writes with `fault` armed after `skip` occurrences; checks that exactly the
/// writes expected were acknowledged, that they and only they are stored after the database is
/// closed and opened again, and that the writer takes a new write afterwards.
async fn check(fault: Fault, skip: u32, expected: [bool; 3]) {
    let faults = Arc::new(Faults::default());
    let test = TestDb::with_faults(Backend::Sqlite, Some(faults.clone())).await;
    let acknowledged = three_queued_writes(&test.db, &faults, fault, skip).await;
    assert_eq!(acknowledged, expected, "{fault:?}: which writes were acknowledged");
    let counts = test.db.commit_counts().expect("SQLite");
    assert!(counts.abandoned >= 1, "{fault:?}: the broken transaction was abandoned: {counts:?}");

    let after = actors::create(&test.db, new_actor("w4")).await;
    assert!(after.is_ok(), "{fault:?}: the writer recovers: {after:?}");
    test.db.clone().close().await.expect("close");

    let mut stored: Vec<String> =
        ["w1", "w2", "w3"].iter().zip(expected).filter(|(_, ok)| *ok).map(|(name, _)| name.to_string()).collect();
    stored.push("w4".into());
    assert_eq!(names_after_restart(&test).await, stored, "{fault:?}: what is stored is what was acknowledged");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_commit_that_sqlite_rolls_back_refuses_every_write_of_the_group() {
    check(Fault::CommitRolledBack, 0, [false, false, false]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_commit_that_fails_and_leaves_the_transaction_open_refuses_every_write_of_the_group() {
    check(Fault::CommitLeftOpen, 0, [false, false, false]).await;
}

/// SQLITE_FULL may roll the whole transaction back as a write ends (here the second): the writes
/// ended before it are lost with it and must be refused, not acknowledged.
#[tokio::test(flavor = "multi_thread")]
async fn a_transaction_rolled_back_before_a_release_refuses_the_writes_it_held() {
    check(Fault::RollbackBeforeRelease, 1, [false, false, true]).await;
}

/// After SQLite rolled the transaction back, a SAVEPOINT succeeds by starting a new one: the
/// group must notice (SQLite's rollback hook) instead of committing the new one alone.
#[tokio::test(flavor = "multi_thread")]
async fn a_transaction_rolled_back_before_a_savepoint_is_noticed() {
    check(Fault::RollbackBeforeSavepoint, 0, [false, false, true]).await;
}

/// A RELEASE that fails (the first write's, sent with the second's SAVEPOINT) leaves the first
/// write's rows in the shared transaction, beside whatever the second would write: it is
/// abandoned, both writes are refused, and the third runs in a transaction of its own.
#[tokio::test(flavor = "multi_thread")]
async fn a_failed_release_abandons_the_shared_transaction() {
    check(Fault::ReleaseFails, 0, [false, false, true]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_savepoint_abandons_the_shared_transaction() {
    check(Fault::SavepointFails, 0, [false, false, true]).await;
}

/// What the writers of [`repeated_faults`] write.
#[derive(Clone, Copy, Debug)]
enum Writes {
    /// Actors, each a write of its own that reads in the write.
    Actors,
    /// Events (createEvent), built whole before the writer and sent to it together.
    Events,
}

/// Each of the faults, twice, under 24 writers that do not wait for each other: every write
/// acknowledged is stored after a restart, every write refused is not.
async fn repeated_faults(writes: Writes) {
    let faults = Arc::new(Faults::default());
    let test = TestDb::with_faults(Backend::Sqlite, Some(faults.clone())).await;
    let all = [
        Fault::CommitRolledBack,
        Fault::CommitLeftOpen,
        Fault::RollbackBeforeRelease,
        Fault::RollbackBeforeSavepoint,
        Fault::ReleaseFails,
        Fault::SavepointFails,
    ];
    for (round, fault) in all.iter().enumerate() {
        faults.arm_after(*fault, 3, 2);
        let writers: Vec<_> = (0..24)
            .map(|i| {
                let db = test.db.clone();
                let name = format!("r{round}-{i:02}");
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis((i % 6) * 3)).await;
                    let written = match writes {
                        Writes::Actors => actors::create(&db, new_actor(&name)).await.map(drop),
                        Writes::Events => events::create(&db, new_event(&name)).await.map(drop),
                    };
                    (written.is_ok(), name)
                })
            })
            .collect();
        let mut acknowledged = Vec::new();
        let mut refused = 0;
        for writer in writers {
            let (ok, name) = writer.await.expect("task");
            if ok {
                acknowledged.push(name);
            } else {
                refused += 1;
            }
        }
        assert!(refused > 0 || faults.pending(*fault) > 0, "{fault:?}: a fault that happened refused writes");
        let stored = match writes {
            Writes::Actors => names_after_restart(&test).await,
            Writes::Events => titles_after_restart(&test).await,
        };
        let stored: Vec<String> = stored.into_iter().filter(|name| name.starts_with(&format!("r{round}-"))).collect();
        acknowledged.sort();
        assert_eq!(stored, acknowledged, "{fault:?} under {writes:?}: stored = acknowledged");
        faults.arm(*fault, 0);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn under_concurrent_writers_and_repeated_faults_nothing_acknowledged_is_lost() {
    repeated_faults(Writes::Actors).await;
}

/// The same with createEvent, whose writes queued together go to the writer in one text.
#[tokio::test(flavor = "multi_thread")]
async fn under_concurrent_creates_and_repeated_faults_nothing_acknowledged_is_lost() {
    repeated_faults(Writes::Events).await;
}

/// `temp_store` on the connection a write runs in: 2 is MEMORY, 0 the default (files).
async fn temp_store(txn: &chronik_api::db::WriteTransaction) -> i64 {
    let row = txn
        .query_one_raw(Statement::from_string(txn.get_database_backend(), "PRAGMA temp_store"))
        .await
        .expect("pragma")
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("temp_store")
}

/// Small writes (createEvent's) share a transaction whose savepoints journal in memory; one of
/// them rolled back leaves the others whole; a write of unbounded footprint queued behind them
/// does not join it (its journal could grow without bound) but commits in a transaction of its
/// own, journalled in files.
#[tokio::test(flavor = "multi_thread")]
async fn small_writes_journal_in_memory_and_an_unbounded_write_waits_for_a_transaction_of_its_own() {
    let test = TestDb::on(Backend::Sqlite).await;
    let db = &test.db;
    let before = db.commit_counts().expect("SQLite");
    let first = db.begin_write_of(Footprint::Small).await.expect("the writer");
    assert_eq!(temp_store(&first).await, 2, "a small write journals in memory");
    actors::create_in(&first, new_actor("small-1")).await.expect("write small-1");
    let queued = |name: &'static str, footprint: Footprint, keep: bool| {
        let db = db.clone();
        tokio::spawn(async move {
            let txn = db.begin_write_of(footprint).await?;
            let store = temp_store(&txn).await;
            actors::create_in(&txn, new_actor(name)).await?;
            if keep {
                txn.commit().await?;
            } else {
                txn.rollback().await?;
            }
            Ok::<_, chronik_api::ServiceError>(store)
        })
    };
    let undone = queued("small-undone", Footprint::Small, false);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let second = queued("small-2", Footprint::Small, true);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let unbounded = queued("unbounded", Footprint::Unbounded, true);
    tokio::time::sleep(Duration::from_millis(50)).await;
    first.commit().await.expect("small-1 committed");
    assert_eq!(undone.await.expect("task").expect("rolled back"), 2);
    assert_eq!(second.await.expect("task").expect("small-2 committed"), 2);
    assert_eq!(unbounded.await.expect("task").expect("unbounded committed"), 0, "files for an unbounded write");
    let after = db.commit_counts().expect("SQLite");
    assert_eq!(after.writes - before.writes, 3, "three writes acknowledged: {before:?} {after:?}");
    assert_eq!(after.commits - before.commits, 2, "the small ones together, the unbounded one alone");
    test.db.clone().close().await.expect("close");
    assert_eq!(names_after_restart(&test).await, ["small-1", "small-2", "unbounded"]);
}

/// The writer connection also runs bookkeeping outside the group (a token's last use), and a
/// failed statement there is reported by SQLite's rollback hook like a lost transaction. A write
/// that queued for the connection meanwhile is not refused for it: only rollbacks of its own
/// transaction count. (In CI, a token's update that failed while an import held the lock made
/// the next createEvent fail.)
#[tokio::test(flavor = "multi_thread")]
async fn a_rollback_outside_the_group_does_not_refuse_the_write_queued_behind_it() {
    let test = TestDb::on(Backend::Sqlite).await;
    let db = &test.db;
    // Bookkeeping on the writer's only connection, rolled back.
    let writer = db.writer().expect("the writer connection");
    let bookkeeping = writer.begin().await.expect("a transaction outside the group");
    bookkeeping.execute_unprepared("UPDATE access_token SET last_used_at = NULL").await.expect("an update");
    let queued = {
        let db = db.clone();
        tokio::spawn(async move { actors::create(&db, new_actor("queued")).await })
    };
    // The write takes the group and waits for the connection.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!queued.is_finished(), "the write waits for the connection");
    bookkeeping.rollback().await.expect("the bookkeeping is rolled back");
    queued.await.expect("the task").expect("the queued write is saved");
    assert_eq!(names_after_restart(&test).await, ["queued"]);
}
