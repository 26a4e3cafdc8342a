//! Load: `concurrency` workers each send requests one after the other for a fixed time; every
//! request's latency is kept for percentiles.

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::Context as _;

/// What one load phase measured.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    pub requests: usize,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

impl Stats {
    pub fn of(mut latencies: Vec<Duration>, elapsed: Duration) -> Self {
        latencies.sort_unstable();
        let at = |q: f64| {
            let index = ((latencies.len() as f64 * q).ceil() as usize).saturating_sub(1);
            latencies.get(index).map_or(0.0, |d| d.as_secs_f64() * 1_000.0)
        };
        Self {
            requests: latencies.len(),
            per_second: latencies.len() as f64 / elapsed.as_secs_f64().max(1e-9),
            p50_ms: at(0.50),
            p99_ms: at(0.99),
        }
    }
}

/// Runs `request(i)` (i counts up per worker, offset by worker) from `concurrency` workers for
/// `duration`; any failed request (error or wrong body) fails the phase.
pub async fn run<'a, F, Fut>(concurrency: usize, duration: Duration, request: F) -> anyhow::Result<Stats>
where
    F: Fn(usize) -> Fut + Sync + 'a,
    Fut: Future<Output = anyhow::Result<()>> + 'a,
{
    let started = Instant::now();
    let deadline = started + duration;
    let worker = |id: usize| {
        let request = &request;
        async move {
            let mut latencies = Vec::new();
            let mut i = id * 7_919;
            while Instant::now() < deadline {
                let sent = Instant::now();
                request(i).await.with_context(|| format!("request {i}"))?;
                latencies.push(sent.elapsed());
                i += 1;
            }
            Ok::<_, anyhow::Error>(latencies)
        }
    };
    let results = futures_join((0..concurrency).map(worker).collect()).await;
    let elapsed = started.elapsed();
    let mut all = Vec::new();
    for result in results {
        all.extend(result?);
    }
    Ok(Stats::of(all, elapsed))
}

/// Awaits futures concurrently on this task (they share the runtime's threads with the I/O).
async fn futures_join<T, Fut: Future<Output = T>>(futures: Vec<Fut>) -> Vec<T> {
    let mut pinned: Vec<std::pin::Pin<Box<Fut>>> = futures.into_iter().map(Box::pin).collect();
    let mut done: Vec<Option<T>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, slot) in pinned.iter_mut().zip(done.iter_mut()) {
            if slot.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => *slot = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending { std::task::Poll::Pending } else { std::task::Poll::Ready(()) }
    })
    .await;
    done.into_iter().flatten().collect()
}
