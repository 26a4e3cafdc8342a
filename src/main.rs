//! The `chronik` binary: parses the command line and hands over to the library's commands.

use chronik_api::cli;
use chronik_api::config::Cli;
use clap::Parser;

/// jemalloc rather than glibc's malloc: measured on a 1,000,000-event import, 10–18% less CPU
/// and 2–5% less peak memory (glibc keeps freed memory in per-thread arenas); mimalloc held
/// 19% more (BENCHMARKS.md, "The allocator").
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let cores = std::thread::available_parallelism().unwrap_or(std::num::NonZeroUsize::MIN);
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(cli.workers(cores)).enable_all().build()?;
    runtime.block_on(async {
        cli::init_tracing();
        cli::run(cli).await
    })
}
