//! `chronik import FILE`: one transaction for the whole file, with a progress bar by bytes read.

use std::fs::File;
use std::time::Instant;

use anyhow::{Context as _, bail};

use super::database::open;
use super::progress::{bar, rate};
use crate::config::ImportArgs;
use crate::exchange::{self, Format};

pub async fn run(database: &str, args: ImportArgs) -> anyhow::Result<()> {
    let format = match args.format.or_else(|| Format::from_path(&args.file)) {
        Some(format) => format,
        None => bail!("cannot tell the format of {} from its name; give --format", args.file.display()),
    };
    let file = File::open(&args.file).with_context(|| format!("cannot open {}", args.file.display()))?;
    let length = file.metadata().map(|m| m.len()).ok();
    let db = open(database).await?;
    let progress = bar(length, "{spinner} importing [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)");
    let started = Instant::now();
    let input = progress.wrap_read(file);
    let result = match args.cache_mib {
        Some(mib) => exchange::import_cached(&db, format, input, i64::from(mib) * 1024).await,
        None => exchange::import_sized(&db, format, input, length).await,
    };
    progress.finish_and_clear();
    let summary = match result {
        Ok(summary) => summary,
        Err(error) => {
            db.close().await.ok();
            bail!("{}: nothing was imported: {error}", args.file.display());
        }
    };
    let elapsed = started.elapsed();
    let events = summary.events_created + summary.events_updated;
    eprintln!(
        "imported {}: {} events ({} new, {} updated), {} actors ({} new), {} sources ({} new), {} links in {:.1} s ({:.0} events/s)",
        args.file.display(),
        events,
        summary.events_created,
        summary.events_updated,
        summary.actors_created + summary.actors_updated,
        summary.actors_created,
        summary.sources_created + summary.sources_updated,
        summary.sources_created,
        summary.links,
        elapsed.as_secs_f64(),
        rate(events, elapsed),
    );
    db.close().await?;
    Ok(())
}
