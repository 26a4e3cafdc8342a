//! SQLite's full-text index merges its segments 16 at a time (`m20261207_000015_search_merge_width`):
//! the setting is FTS5's own, kept in the index's config table, and migrating down gives back
//! FTS5's default; documents written under either are found.

mod common;

use common::TestDb;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Statement};

/// FTS5's `automerge` as the index has it stored (its default, 4, is not stored).
async fn automerge(test: &TestDb) -> i64 {
    let sql = "SELECT v FROM search_fts_config WHERE k = 'automerge'";
    let row = test.db.reader().query_one_raw(Statement::from_string(test.db.backend(), sql)).await.expect("config");
    row.map_or(4, |row| row.try_get_by_index::<i64>(0).expect("v"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_search_index_merges_sixteen_segments_at_a_time_and_migrates_back_to_four() {
    let test = TestDb::new().await;
    assert_eq!(automerge(&test).await, 16);
    let writer = test.db.writer().expect("writer");
    Migrator::down(&writer, Some(1)).await.expect("down");
    assert_eq!(automerge(&test).await, 4, "FTS5's default again");
    Migrator::up(&writer, None).await.expect("up");
    assert_eq!(automerge(&test).await, 16);
}
