//! Running an import: the reader parses on a blocking thread while the writer writes, the two
//! joined by a bounded channel; ONE transaction, committed only when the whole file is in.

use std::io::{Cursor, Read};

use tokio::sync::mpsc;

use super::digest::Digesting;
use super::empty;
use super::error::ImportError;
use super::format::Format;
use super::read::{self, Stopped};
use super::record::Positioned;
use super::write::Writer;
use crate::db::Database;

pub use super::write::Summary as ImportSummary;

/// Records parsed ahead of the writer at most: the reader waits beyond that.
const AHEAD: usize = 4_096;

/// SQLite's page cache for the writer during an import, in KiB (`PRAGMA cache_size` takes it
/// negative), at most. SQLite's default 2 MiB made a large import spill and re-read pages of the
/// indexes it grows at random (measured: over a quarter of its time in pwrite/pread); a cache of
/// twice the file's size, up to this bound, keeps the import's memory at a constant instead.
const IMPORT_CACHE_KIB: i64 = 131_072;
const DEFAULT_CACHE_KIB: i64 = crate::db::SQLITE_CACHE_KIB;

fn cache_for(size: Option<u64>) -> i64 {
    size.map_or(IMPORT_CACHE_KIB, |bytes| i64::try_from(bytes / 512).unwrap_or(i64::MAX))
        .clamp(DEFAULT_CACHE_KIB, IMPORT_CACHE_KIB)
}

async fn cache_size(txn: &sea_orm::DatabaseTransaction, kib: i64) -> Result<(), sea_orm::DbErr> {
    use sea_orm::ConnectionTrait;
    if txn.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
        return Ok(());
    }
    txn.execute_unprepared(&format!("PRAGMA cache_size = -{kib}")).await.map(|_| ())
}

/// Imports a file: all of it in one transaction, or nothing (the error names the record at fault).
pub async fn import<R>(db: &Database, format: Format, input: R) -> Result<ImportSummary, ImportError>
where
    R: Read + Send + 'static,
{
    import_sized(db, format, input, None).await
}

/// [`import`] of an input of `size` bytes, when known (it sizes the writer's page cache).
pub async fn import_sized<R>(
    db: &Database,
    format: Format,
    input: R,
    size: Option<u64>,
) -> Result<ImportSummary, ImportError>
where
    R: Read + Send + 'static,
{
    import_cached(db, format, input, cache_for(size)).await
}

/// [`import`] with a SQLite page cache of `cache_kib` KiB for the writer (at least the default
/// 8 MiB every connection has); PostgreSQL has no such setting.
pub async fn import_cached<R>(
    db: &Database,
    format: Format,
    input: R,
    cache_kib: i64,
) -> Result<ImportSummary, ImportError>
where
    R: Read + Send + 'static,
{
    if !format.importable() {
        return Err(ImportError::invalid(
            None,
            "format",
            format!("Chronik cannot import {format}; it only exports it"),
        ));
    }
    let (sender, mut receiver) = mpsc::channel::<Positioned>(AHEAD);
    let reader = tokio::task::spawn_blocking(move || {
        let mut input = Digesting::new(input);
        read::read(format, &mut input, &mut |at, record| sender.blocking_send((at, record)).map_err(|_| Stopped))?;
        input.finish().map_err(ImportError::Io)
    });
    let txn = db.begin_write().await?;
    cache_size(&txn, cache_kib.max(DEFAULT_CACHE_KIB)).await?;
    let deferred = empty::defer(&txn).await?;
    let written = async {
        let mut writer = Writer::new(&txn, db.editor());
        while let Some((at, record)) = receiver.recv().await {
            writer.push(at, record).await?;
        }
        Ok::<_, ImportError>(writer)
    }
    .await;
    // The channel is closed (the reader is done) or the writer failed: stop the reader either way.
    drop(receiver);
    let read = reader.await.map_err(|error| ImportError::Io(std::io::Error::other(error)))?;
    let finished = match (written, read) {
        (Err(error), _) | (Ok(_), Err(error)) => Err(error),
        (Ok(writer), Ok(file)) => {
            let origin =
                [("format", format.to_string().into()), ("bytes", file.bytes.into()), ("sha256", file.sha256.into())];
            match (writer.finish(origin).await, deferred) {
                (Ok(finished), Some(deferred)) => {
                    deferred.build(&txn).await.map(|()| finished).map_err(ImportError::from)
                }
                (finished, _) => finished,
            }
        }
    };
    // The writer's connection goes back to the pool: give it its usual cache again.
    cache_size(&txn, DEFAULT_CACHE_KIB).await?;
    match finished {
        Ok((summary, changes)) => {
            crate::service::write::commit_recorded(db, txn, &changes).await.map_err(ImportError::unplaced)?;
            refresh_statistics(db, &summary).await;
            Ok(summary)
        }
        Err(error) => {
            txn.rollback().await?;
            Err(error)
        }
    }
}

/// Rows an import writes before PostgreSQL's statistics are refreshed at its end.
pub const ANALYZE_AFTER: usize = 1_000;

/// After a large import into PostgreSQL, the planner's statistics of the tables it filled: until
/// autovacuum gets to them (minutes, or longer), the window query is planned on guesses, at 40–50
/// ms of PostgreSQL a page on 200,000 imported events against 12 (BENCHMARKS.md, issue 15's
/// peer). The import is committed already: a failure here is logged, not returned. SQLite keeps
/// no statistics unless asked, and its statements are written for the plans it makes without.
async fn refresh_statistics(db: &Database, summary: &ImportSummary) {
    use sea_orm::ConnectionTrait;
    if db.backend() != sea_orm::DatabaseBackend::Postgres || summary.rows() < ANALYZE_AFTER {
        return;
    }
    let analyzed = match db.writer() {
        Ok(connection) => connection.execute_unprepared("ANALYZE").await.map(|_| ()),
        Err(error) => Err(error),
    };
    if let Err(error) = analyzed {
        tracing::warn!(%error, "the import is committed, but PostgreSQL's statistics were not refreshed (autovacuum will)");
    }
}

/// Imports a file held in memory (the GraphQL mutation's small files).
pub async fn import_bytes(db: &Database, format: Format, bytes: Vec<u8>) -> Result<ImportSummary, ImportError> {
    let size = u64::try_from(bytes.len()).ok();
    import_sized(db, format, Cursor::new(bytes), size).await
}
