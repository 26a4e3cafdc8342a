//! `createEvent` over HTTP: one event per mutation (so one write transaction each), with a
//! participant and a citation, from `concurrency` clients; every answer must carry the new event.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::load::Stats;
use crate::server::Server;

const MUTATION: &str =
    "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id version start { precision } } } }";

pub async fn create_events(server: &Server, total: usize, concurrency: usize) -> anyhow::Result<Stats> {
    let data =
        server.graphql("{ actors(first: 20) { nodes { id } } sources(first: 5) { nodes { id } } }", json!({})).await?;
    let ids = |list: &serde_json::Value| -> Vec<String> {
        list["nodes"]
            .as_array()
            .map(|n| n.iter().filter_map(|x| x["id"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    };
    let (actors, sources) = (ids(&data["actors"]), ids(&data["sources"]));
    anyhow::ensure!(!actors.is_empty() && !sources.is_empty(), "no actors or sources to refer to");
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    let worker = || async {
        let mut latencies: Vec<Duration> = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= total {
                break;
            }
            let input = json!({
                "title": format!("Benchmark event {i}"),
                "start": format!("2025-11-{:02}", 1 + i % 28),
                "kind": "statement",
                "tags": ["benchmark"],
                "participants": [{ "actorId": actors[i % actors.len()], "role": "speaker" }],
                "citations": [{ "sourceId": sources[i % sources.len()], "quote": "A benchmark quote." }],
            });
            let sent = Instant::now();
            let data = server.mutate(MUTATION, json!({ "input": input })).await?;
            latencies.push(sent.elapsed());
            let event = &data["createEvent"]["event"];
            anyhow::ensure!(event["id"].is_string() && event["version"] == 1, "unexpected answer {data}");
            anyhow::ensure!(event["start"]["precision"] == "DAY", "unexpected precision {data}");
        }
        Ok::<_, anyhow::Error>(latencies)
    };
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        workers.push(worker());
    }
    let results = futures_join(workers).await;
    let elapsed = started.elapsed();
    let mut all = Vec::new();
    for result in results {
        all.extend(result?);
    }
    Ok(Stats::of(all, elapsed))
}

async fn futures_join<T, F: std::future::Future<Output = T>>(futures: Vec<F>) -> Vec<T> {
    let mut pinned: Vec<std::pin::Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
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
