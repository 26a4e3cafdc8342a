//! What the handlers share: the schema, the database, the settings and the rate limiter.

use std::sync::Arc;
use std::time::Duration;

use crate::auth::ReadAccess;
use crate::config::{ConnectionLimits, DEFAULT_BODY_LIMIT, DEFAULT_READ_ACCESS, MapArgs, RequestLimits, ServeArgs};
use crate::db::Database;
use crate::graphql::{AppSchema, build_schema};

use super::admission::MutationLimiter;
use super::fanout::Fanout;
use super::query_room::QueryRoom;
use super::revocation::Revocations;

/// Exports running at once; more are refused (503) until one ends.
pub const CONCURRENT_EXPORTS: usize = 2;

/// How the server treats requests.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Largest request body, in bytes.
    pub body_limit: usize,
    pub read_access: ReadAccess,
    pub limits: RequestLimits,
    pub connections: ConnectionLimits,
    /// The page's map: the bundled basemap unless a tile server is named.
    pub map: MapArgs,
}

impl Default for Settings {
    /// The command line's defaults, whatever the environment holds.
    fn default() -> Self {
        Self {
            body_limit: DEFAULT_BODY_LIMIT,
            read_access: DEFAULT_READ_ACCESS,
            limits: RequestLimits::DEFAULT,
            connections: ConnectionLimits::DEFAULT,
            map: MapArgs::default(),
        }
    }
}

impl From<&ServeArgs> for Settings {
    fn from(args: &ServeArgs) -> Self {
        Self {
            body_limit: args.body_limit,
            read_access: args.read_access,
            limits: args.limits,
            connections: args.connections,
            map: args.map.clone(),
        }
    }
}

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub schema: AppSchema,
    pub db: Database,
    pub settings: Settings,
    pub limiter: Arc<MutationLimiter>,
    /// The open subscriptions, their caps and their shared executions.
    pub fanout: Arc<Fanout>,
    pub revocations: Revocations,
    /// The `/export` downloads that may run at once.
    pub exports: Arc<tokio::sync::Semaphore>,
    /// The queries that may execute at once.
    pub queries: QueryRoom,
}

impl AppState {
    pub fn new(db: Database, settings: Settings) -> Self {
        Self {
            schema: build_schema(db.clone(), &settings.limits),
            limiter: MutationLimiter::new(settings.limits.mutations_per_minute),
            fanout: Fanout::new(
                settings.connections.max_subscriptions,
                settings.connections.max_subscriptions_per_address,
            ),
            revocations: Revocations::start(db.clone(), Duration::from_secs(settings.connections.token_recheck.max(1))),
            exports: Arc::new(tokio::sync::Semaphore::new(CONCURRENT_EXPORTS)),
            queries: QueryRoom::new(settings.limits.concurrent_queries),
            db,
            settings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Run by `defaults_ignore_the_environment`, in a process whose environment sets limits.
    #[test]
    #[ignore = "run by defaults_ignore_the_environment, with CHRONIK_* variables set"]
    fn defaults_in_a_configured_environment() {
        assert_eq!(std::env::var("CHRONIK_MAX_BATCH").as_deref(), Ok("1"), "run by defaults_ignore_the_environment");
        assert_eq!(RequestLimits::default().max_batch, 10);
        assert_eq!(RequestLimits::default(), RequestLimits::DEFAULT);
        let settings = Settings::default();
        assert_eq!(settings.body_limit, 1024 * 1024);
        assert_eq!(settings.read_access, ReadAccess::Public);
        assert_eq!(settings.limits, RequestLimits::DEFAULT);
        assert_eq!(settings.map, MapArgs::default(), "no tile server unless the command line names one");
    }

    /// The settings tests build servers with are the same whatever the environment of whoever
    /// runs them: the environment is the command line's business alone.
    #[test]
    fn defaults_ignore_the_environment() {
        let test = "http::state::tests::defaults_in_a_configured_environment";
        let output = std::process::Command::new(std::env::current_exe().expect("the test binary"))
            .args(["--exact", test, "--ignored", "--test-threads=1"])
            .env("CHRONIK_MAX_BATCH", "1")
            .env("CHRONIK_BODY_LIMIT", "5")
            .env("CHRONIK_READ_ACCESS", "token")
            .env("CHRONIK_MAP_TILES", "https://tiles.example.org/{z}/{x}/{y}.png")
            .output()
            .expect("run the test binary");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && stdout.contains("1 passed"),
            "{stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
