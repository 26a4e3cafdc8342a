//! Throughput of the extraction: `cargo run --release -p chronik-extract --example bench --
//! FILE [WORDS] [RUNS]` takes the first WORDS words of FILE (default 1,000), extracts them RUNS
//! times (default 500) against a fixed publication date and prints the mean and the fastest
//! time per article. A benchmark, not a test: the numbers go to BENCHMARKS.md.

use std::time::{Duration, Instant};

use chronik_extract::{Options, extract};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: bench FILE [WORDS] [RUNS]")?;
    let words: usize = args.next().map_or(Ok(1000), |w| w.parse())?;
    let runs: u32 = args.next().map_or(Ok(500), |r| r.parse())?;
    let full = std::fs::read_to_string(&path)?;
    // The first WORDS words, with the text's own spacing and line breaks.
    let mut seen = 0;
    let mut end = full.len();
    let mut in_word = false;
    for (i, c) in full.char_indices() {
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            in_word = true;
            seen += 1;
            if seen > words {
                end = i;
                break;
            }
        }
    }
    let text = &full[..end];
    let options = Options::new(chrono::NaiveDate::from_ymd_opt(2024, 3, 2).ok_or("date")?);
    let warm = extract(text, &options);
    let mut best = Duration::MAX;
    let started = Instant::now();
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(extract(std::hint::black_box(text), &options));
        best = best.min(t.elapsed());
    }
    let mean = started.elapsed() / runs;
    println!(
        "{} words ({} characters): {} dates, {} candidates; mean {:.3} ms, fastest {:.3} ms per article over {runs} runs",
        seen.min(words),
        text.chars().count(),
        warm.dates.len(),
        warm.events.len(),
        mean.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e3
    );
    Ok(())
}
