//! What the handlers share: the schema, the database, the settings and the rate limiter.

use std::sync::Arc;

use crate::auth::ReadAccess;
use crate::config::{DEFAULT_BODY_LIMIT, DEFAULT_READ_ACCESS, RequestLimits, ServeArgs};
use crate::db::Database;
use crate::graphql::{AppSchema, build_schema};

use super::admission::MutationLimiter;

/// How the server treats requests.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Largest request body, in bytes.
    pub body_limit: usize,
    pub read_access: ReadAccess,
    pub limits: RequestLimits,
}

impl Default for Settings {
    /// The command line's defaults, whatever the environment holds.
    fn default() -> Self {
        Self { body_limit: DEFAULT_BODY_LIMIT, read_access: DEFAULT_READ_ACCESS, limits: RequestLimits::DEFAULT }
    }
}

impl From<&ServeArgs> for Settings {
    fn from(args: &ServeArgs) -> Self {
        Self { body_limit: args.body_limit, read_access: args.read_access, limits: args.limits }
    }
}

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub schema: AppSchema,
    pub db: Database,
    pub settings: Settings,
    pub limiter: Arc<MutationLimiter>,
}

impl AppState {
    pub fn new(db: Database, settings: Settings) -> Self {
        Self {
            schema: build_schema(db.clone(), &settings.limits),
            db,
            limiter: MutationLimiter::new(settings.limits.mutations_per_minute),
            settings,
        }
    }
}
