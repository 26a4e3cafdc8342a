//! `chronik token create|list|revoke`: the secret of a new token is printed once, alone on the
//! last line of stdout, and stored only as a hash.

use super::database::open;
use crate::auth::tokens;
use crate::config::TokenCommand;

pub async fn run(database: &str, command: TokenCommand) -> anyhow::Result<()> {
    let db = open(database).await?;
    let result = match command {
        TokenCommand::Create { name, role } => tokens::create(&db, &name, role).await.map(|created| {
            println!(
                "Created the {} token {:?}. It is shown only now; keep it safe:",
                created.token.role, created.token.name
            );
            println!("{}", created.secret);
        }),
        TokenCommand::List => tokens::list(&db).await.map(|list| {
            println!("{:<24} {:<8} {:<16} {:<26} STATUS", "NAME", "ROLE", "PREFIX", "CREATED");
            for token in list {
                let status =
                    token.revoked_at.map_or_else(|| "active".to_owned(), |at| format!("revoked {}", at.to_rfc3339()));
                println!(
                    "{:<24} {:<8} {:<16} {:<26} {status}",
                    token.name,
                    token.role,
                    token.prefix,
                    token.created_at.to_rfc3339()
                );
            }
        }),
        TokenCommand::Revoke { name } => tokens::revoke(&db, &name).await.map(|token| {
            println!("Revoked the token {:?}.", token.name);
        }),
    };
    db.close().await?;
    result.map_err(|error| anyhow::anyhow!("{error}"))
}
