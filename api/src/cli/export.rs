//! `chronik export --format FORMAT [filters]`: to stdout, or to the file `--output` names.

use std::fs::File;
use std::io::{BufWriter, Write};

use anyhow::Context as _;

use super::database::open;
use crate::config::ExportArgs;
use crate::exchange::{self, ExportFilter};

pub async fn run(database: &str, args: ExportArgs) -> anyhow::Result<()> {
    let db = open(database).await?;
    let filter = ExportFilter {
        from: args.from,
        to: args.to,
        kinds: args.kinds,
        tags: args.tags,
        actors: args.actors,
        ..ExportFilter::default()
    };
    let out: Box<dyn Write + Send> = match &args.output {
        Some(path) => Box::new(File::create(path).with_context(|| format!("cannot create {}", path.display()))?),
        None => Box::new(std::io::stdout()),
    };
    let summary = exchange::export(&db, args.format, &filter, BufWriter::with_capacity(1 << 20, out)).await?;
    eprintln!(
        "exported {} events, {} actors, {} sources, {} links as {}",
        summary.events, summary.actors, summary.sources, summary.links, args.format
    );
    db.close().await?;
    Ok(())
}
