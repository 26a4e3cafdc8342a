//! An actor's rules: a name, a kind from [`ACTOR_KINDS`], aliases (as tags are: trimmed, each
//! once) and a description.

use super::{MAX_TEXT, MAX_TITLE, closed_term, optional_text, required_text, tags};
use crate::error::ServiceResult;
use crate::service::vocabulary::ACTOR_KINDS;

/// An actor's fields, checked.
#[derive(Debug, Clone)]
pub struct ActorFields {
    pub name: String,
    pub kind: String,
    pub aliases: Vec<String>,
    pub description: Option<String>,
}

/// Checks all of an actor's fields (a new actor, or one a file gives whole).
pub fn fields(name: &str, kind: &str, aliases: &[String], description: Option<&str>) -> ServiceResult<ActorFields> {
    Ok(ActorFields {
        name: self::name(name)?,
        kind: self::kind(kind)?,
        aliases: self::aliases(aliases)?,
        description: self::description(description)?,
    })
}

pub fn name(value: &str) -> ServiceResult<String> {
    required_text("name", value, MAX_TITLE)
}

pub fn kind(value: &str) -> ServiceResult<String> {
    closed_term("kind", value, ACTOR_KINDS)
}

pub fn aliases(values: &[String]) -> ServiceResult<Vec<String>> {
    tags("aliases", values)
}

pub fn description(value: Option<&str>) -> ServiceResult<Option<String>> {
    optional_text("description", value, MAX_TEXT)
}
