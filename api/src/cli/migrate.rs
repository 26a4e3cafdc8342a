//! `chronik migrate`: applies the pending migrations and exits.

use super::database::connect;

pub async fn run(database: &str) -> anyhow::Result<()> {
    let db = connect(database).await?;
    let migrated = db.migrate().await?;
    tracing::info!(applied = migrated.applied, "database is up to date");
    db.close().await?;
    Ok(())
}
