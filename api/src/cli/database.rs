//! The database as the commands open it: with the default options (not the server's), and
//! migrated first, except by `migrate`, which reports what it applied.

use anyhow::Context as _;

use crate::db::{Database, DatabaseOptions};

pub async fn connect(database: &str) -> anyhow::Result<Database> {
    Database::connect(database, DatabaseOptions::default())
        .await
        .with_context(|| format!("cannot open the database {database}"))
}

/// Opens the database and brings it up to date.
pub async fn open(database: &str) -> anyhow::Result<Database> {
    let db = connect(database).await?;
    db.migrate().await.context("cannot migrate the database")?;
    Ok(db)
}
