//! Access control: API tokens with roles, who a request is, and the guards that enforce roles.

pub mod guard;
pub mod tokens;

use std::str::FromStr;

/// What a token may do. Ordered: an admin may do what an editor may, an editor what a reader may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Reader,
    Editor,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.trim().to_ascii_lowercase().as_str() {
            "reader" => Ok(Role::Reader),
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            other => Err(format!("{other:?} is not a role: use reader, editor or admin")),
        }
    }
}

/// Who a request comes from: the token it presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub name: String,
    pub role: Role,
}

/// Whether reading needs a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ReadAccess {
    /// Anyone may read (the default: a timeline is usually published).
    #[default]
    Public,
    /// Reading needs a token of any role.
    Token,
}
