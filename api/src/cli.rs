//! The command-line tools beside the server: `chronik import`, `export` and `generate`. Progress
//! bars go to stderr and only when it is a terminal; results go to stdout (or the named file).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::config::{ExportArgs, GenerateArgs, ImportArgs};
use crate::db::{Database, DatabaseOptions};
use crate::exchange::{self, ExportFilter, Format};
use crate::generate::{self, Spec};

async fn open(database: &str) -> anyhow::Result<Database> {
    let db = Database::connect(database, DatabaseOptions::default())
        .await
        .with_context(|| format!("cannot open the database {database}"))?;
    db.migrate().await.context("cannot migrate the database")?;
    Ok(db)
}

/// A bar on stderr; indicatif hides it when stderr is not a terminal.
fn bar(length: Option<u64>, template: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(length, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

fn rate(count: usize, elapsed: Duration) -> f64 {
    count as f64 / elapsed.as_secs_f64().max(1e-9)
}

/// `chronik import FILE`.
pub async fn import(database: &str, args: ImportArgs) -> anyhow::Result<()> {
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

/// `chronik export --format FORMAT [filters]`.
pub async fn export(database: &str, args: ExportArgs) -> anyhow::Result<()> {
    let db = open(database).await?;
    let filter = ExportFilter { from: args.from, to: args.to, kinds: args.kinds, tags: args.tags, actors: args.actors };
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

/// `chronik generate`.
pub async fn generate(database: &str, args: GenerateArgs) -> anyhow::Result<()> {
    let spec = Spec { events: args.events, actors: args.actors, sources: args.sources, seed: args.seed };
    let started = Instant::now();
    if let Some(path) = &args.out {
        let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        let records = generate::write_jsonl(spec, file)?;
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
