//! `chronik serve`: open and migrate the database, load the example affair into a new one, serve
//! HTTP until SIGINT or SIGTERM, then close the database cleanly. (The other commands are in `cli/`.)

use anyhow::Context as _;
use tokio::net::TcpListener;

use crate::config::ServeArgs;
use crate::db::{Database, DatabaseOptions};
use crate::http::{self, AppState, Settings};
use crate::seed;

/// Opens and migrates the database, loading the example affair when it was created just now.
pub async fn prepare(database: &str, args: &ServeArgs) -> anyhow::Result<Database> {
    let db =
        Database::connect(database, DatabaseOptions { readers: args.sqlite_readers, ..DatabaseOptions::default() })
            .await
            .with_context(|| format!("cannot open the database {database}"))?;
    let migrated = db.migrate().await.context("cannot migrate the database")?;
    if migrated.applied > 0 {
        tracing::info!(applied = migrated.applied, "migrated the database");
    }
    if migrated.created && !args.no_example {
        let loaded = seed::load_example(&db).await.context("cannot load the example affair")?;
        tracing::info!(
            "loaded the example affair (the Taurus leak: {} events, {} actors, {} sources, {} links); start with --no-example or CHRONIK_NO_EXAMPLE=1 to skip it",
            loaded.events_created,
            loaded.actors_created,
            loaded.sources_created,
            loaded.links
        );
    }
    Ok(db)
}

/// The application state for a database.
pub fn state(db: Database, args: &ServeArgs) -> AppState {
    AppState::new(db, Settings::from(args))
}

/// `chronik serve`.
pub async fn serve(database: &str, args: ServeArgs) -> anyhow::Result<()> {
    let db = prepare(database, &args).await?;
    let listener = TcpListener::bind(args.listen).await.with_context(|| format!("cannot listen on {}", args.listen))?;
    let address = listener.local_addr()?;
    tracing::info!("Chronik is listening on http://{address} (GraphQL at http://{address}/graphql)");
    http::serve(listener, state(db.clone(), &args), shutdown_signal()).await?;
    tracing::info!("shutting down");
    db.close().await?;
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
