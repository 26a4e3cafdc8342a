//! `chronik generate`: a synthetic dataset, into the database (with a progress bar by records)
//! or, with `--out`, as a JSON Lines file for `chronik import`.

use std::fs::File;
use std::time::Instant;

use anyhow::{Context as _, bail};

use super::database::open;
use super::progress::bar;
use crate::config::GenerateArgs;
use crate::exchange::Format;
use crate::generate::{self, Spec};

pub async fn run(database: &str, args: GenerateArgs) -> anyhow::Result<()> {
    let spec = Spec { events: args.events, actors: args.actors, sources: args.sources, seed: args.seed };
    let started = Instant::now();
    if let Some(path) = &args.out {
        let write: fn(Spec, File) -> std::io::Result<u64> = match args.format.unwrap_or(Format::JsonLines) {
            Format::JsonLines => generate::write_jsonl,
            Format::Gdelt => generate::write_gdelt,
            other @ (Format::Json
            | Format::Csv
            | Format::TimelineJs
            | Format::ICalendar
            | Format::GraphMl
            | Format::FollowTheMoney
            | Format::Acled
            | Format::Gexf) => bail!("generate writes jsonl or gdelt, not {other}"),
        };
        let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        let records = write(spec, file)?;
        eprintln!("wrote {records} records to {} in {:.1} s", path.display(), started.elapsed().as_secs_f64());
        return Ok(());
    }
    let db = open(database).await?;
    let total = spec.actors + spec.sources + spec.events + spec.events / 20;
    let progress = bar(Some(total), "{spinner} generating [{bar:40}] {pos}/{len} records ({per_sec}, {eta} left)");
    let result = generate::into_database(&db, spec, &|done| progress.set_position(done)).await;
    progress.finish_and_clear();
    let summary = result?;
    eprintln!(
        "generated {} events, {} actors, {} sources, {} links in {:.1} s",
        summary.events_created,
        summary.actors_created,
        summary.sources_created,
        summary.links,
        started.elapsed().as_secs_f64()
    );
    db.close().await?;
    Ok(())
}
