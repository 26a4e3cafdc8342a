//! The timeline window query: 100 events overlapping a 30-day window, with participants, their
//! actors and citations with their sources, as a client asks for them. Three variants: the window's
//! first page (where events with long spans, a decade or a year, come first, as the timeline orders
//! them), the page at the window's start (a cursor at its first instant: the events of those
//! days), the first page with each event's accounts and whether it is disputed (issue 11), and the
//! first page as the browser's timeline asks for it (its own fields, under `nodes`). Every HTTP
//! response is compared, event by event, with the rows read with raw SQL.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::sqlx::SqlitePool;
use serde_json::{Value, json};
use std::future::Future;

use crate::raw::{self, Row};
use crate::server::Server;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Window,
    AtCursor,
    WithAccounts,
    Browser,
}

impl Variant {
    pub fn name(self) -> &'static str {
        match self {
            Variant::Window => "window, first page",
            Variant::AtCursor => "window, page at its start",
            Variant::WithAccounts => "window, first page, with accounts",
            Variant::Browser => "window, first page, the browser's own query",
        }
    }

    pub fn cursor(self) -> bool {
        match self {
            Variant::AtCursor => true,
            Variant::Window | Variant::WithAccounts | Variant::Browser => false,
        }
    }

    fn query(self) -> &'static str {
        match self {
            Variant::Window | Variant::AtCursor => QUERY,
            Variant::WithAccounts => ACCOUNTS_QUERY,
            Variant::Browser => BROWSER_QUERY,
        }
    }
}

const QUERY: &str = "query($from: String!, $to: String!, $after: String) {
  events(first: 100, after: $after, filter: { from: $from, to: $to }) {
    edges { node { id title start { value precision }
      participants { role actor { name } }
      citations { quote source { title } } } } } }";

const ACCOUNTS_QUERY: &str = "query($from: String!, $to: String!, $after: String) {
  events(first: 100, after: $after, filter: { from: $from, to: $to }) {
    edges { node { id title start { value precision } disputed
      participants { role actor { name } }
      citations { quote source { title } }
      accounts(first: 20) { aspect status preferred date { value } citation { quote source { title } } } } } } }";

/// `loadEvents` of `frontend/src/api.ts` (its `EVENT_FIELDS`, `DATE` and `EVIDENCE_FIELDS` written
/// out), with pages of 100 events instead of the page's 500, so that it answers the rows the other
/// variants answer. Keep it as the page asks.
const BROWSER_QUERY: &str = "query($from: String!, $to: String!, $after: String) {
  events(first: 100, after: $after, filter: { from: $from, to: $to }) { pageInfo { hasNextPage } nodes {
    id title kind confidence tags version
    start { value precision earliest latest approximate uncertain description }
    end { value precision earliest latest approximate uncertain description }
    participants { role actor { id name kind } }
    links { id kind note target { id title } }
    place { name latitude longitude }
    disputed support firstReported { value precision earliest latest approximate uncertain description }
    whenAccounts: accounts(aspect: WHEN, first: 8) { id status preferred stance
      date { value earliest latest } end { value earliest latest } } } } }";

/// The most WHEN accounts of an event the browser's query asks for.
const DRAWN_ACCOUNTS: usize = 8;

pub struct Window {
    pub from: i64,
    pub to: i64,
    from_text: String,
    to_text: String,
    expected: [Vec<Row>; 2],
}

impl Window {
    /// The rows `variant` must answer (the first page's include accounts when they were read).
    pub fn expected(&self, variant: Variant) -> &[Row] {
        &self.expected[usize::from(variant.cursor())]
    }
}

/// Where the expected rows are read with raw SQL: the SQLite file, or PostgreSQL in its mode.
pub trait Expected {
    /// The first 100 live events overlapping [from, to] after `cursor` (start_earliest, at
    /// precision 0 and the nil ID) in the timeline's order, with their accounts when `accounts`.
    fn rows(
        &self,
        from: i64,
        to: i64,
        cursor: Option<i64>,
        accounts: bool,
    ) -> impl Future<Output = anyhow::Result<Vec<Row>>>;
}

impl Expected for SqlitePool {
    async fn rows(&self, from: i64, to: i64, cursor: Option<i64>, accounts: bool) -> anyhow::Result<Vec<Row>> {
        raw::window(self, from, to, cursor, accounts).await
    }
}

pub struct Windows {
    windows: Vec<Window>,
    /// Whether the first pages' rows were read with their accounts (not in the PostgreSQL mode).
    accounts: bool,
}

fn day_text(seconds: i64) -> String {
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = seconds.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn cursor(from: i64) -> String {
    URL_SAFE_NO_PAD.encode(json!([from, 0, "00000000-0000-0000-0000-000000000000"]).to_string())
}

impl Windows {
    /// `count` windows of 30 days between 2001 and mid-2025, drawn from `seed`, with their rows
    /// (the first page's with accounts when `accounts`).
    pub async fn new(pool: &impl Expected, seed: u64, count: usize, accounts: bool) -> anyhow::Result<Self> {
        let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let first_day = 978_307_200 / 86_400; // 2001-01-01
        let days = (1_748_736_000 - 978_307_200) / 86_400; // to 2025-06-01
        let mut windows = Vec::with_capacity(count);
        let mut tries = 0;
        // Windows with at least 100 events both ways (all of them, on a dataset of 1,000,000).
        while windows.len() < count && tries < count * 20 {
            tries += 1;
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let day = first_day + ((state >> 33) % days as u64) as i64;
            let from = day * 86_400;
            let to = from + 30 * 86_400 - 1;
            // The first page with its accounts (a superset of the first page's rows), and the page
            // at the window's start.
            let expected = [pool.rows(from, to, None, accounts).await?, pool.rows(from, to, Some(from), false).await?];
            if expected.iter().any(|rows| rows.len() < 100) {
                continue;
            }
            windows.push(Window { from, to, from_text: day_text(from), to_text: day_text(to), expected });
        }
        anyhow::ensure!(!windows.is_empty(), "no 30-day window holds 100 events: generate more");
        Ok(Self { windows, accounts })
    }

    pub fn len(&self) -> usize {
        self.windows.len()
    }

    pub fn pick(&self, i: usize) -> &Window {
        &self.windows[i % self.windows.len()]
    }

    /// One window query over HTTP, its body checked against the expected rows.
    pub async fn http(&self, server: &Server, variant: Variant, i: usize) -> anyhow::Result<()> {
        let window = self.pick(i);
        let after = variant.cursor().then(|| cursor(window.from));
        let data = server
            .graphql(variant.query(), json!({ "from": window.from_text, "to": window.to_text, "after": after }))
            .await?;
        let expected = &window.expected[usize::from(variant.cursor())];
        check(&data, expected, variant, self.accounts)
    }

    /// The same rows with raw SQL.
    pub async fn sql(&self, pool: &SqlitePool, variant: Variant, i: usize) -> anyhow::Result<()> {
        let window = self.pick(i);
        let cursor = variant.cursor().then_some(window.from);
        let rows = raw::window(pool, window.from, window.to, cursor, variant == Variant::WithAccounts).await?;
        let expected = &window.expected[usize::from(variant.cursor())];
        anyhow::ensure!(
            rows.len() == expected.len(),
            "raw SQL returned {} rows, expected {}",
            rows.len(),
            expected.len()
        );
        Ok(())
    }
}

/// The response must hold exactly the expected events, in order, each with its participants'
/// roles and actor names, and, but for the browser's query (which does not ask for them), its
/// citations' quotes and source titles. With accounts, also whether it is disputed and its
/// accounts (aspect, status, preference, date, quote, source); the browser's query: whether it is
/// disputed and, when the rows were read with their accounts, its first WHEN accounts' status,
/// preference and date.
pub fn check(data: &Value, expected: &[Row], variant: Variant, read_accounts: bool) -> anyhow::Result<()> {
    let events = &data["events"];
    let nodes: Vec<&Value> = match (events["edges"].as_array(), events["nodes"].as_array()) {
        (Some(edges), None) => edges.iter().map(|edge| &edge["node"]).collect(),
        (None, Some(nodes)) => nodes.iter().collect(),
        _ => anyhow::bail!("no edges or nodes: {data}"),
    };
    anyhow::ensure!(nodes.len() == expected.len(), "{} events, expected {}", nodes.len(), expected.len());
    anyhow::ensure!(expected.len() == 100, "a window with fewer than 100 events");
    for (node, row) in nodes.into_iter().zip(expected) {
        anyhow::ensure!(node["title"] == row.title.as_str(), "title {} != {}", node["title"], row.title);
        anyhow::ensure!(node["id"].is_string() && node["start"]["precision"].is_string(), "incomplete node {node}");
        let participants: Vec<(String, String)> = node["participants"]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|p| {
                        (
                            p["role"].as_str().unwrap_or("").to_owned(),
                            p["actor"]["name"].as_str().unwrap_or("").to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        anyhow::ensure!(participants == row.participants, "participants of {} differ", row.title);
        match variant {
            Variant::Window | Variant::AtCursor => check_citations(node, row)?,
            Variant::WithAccounts => {
                check_citations(node, row)?;
                anyhow::ensure!(node["disputed"] == row.disputed, "disputed of {} differs", row.title);
                let got: Vec<raw::Account> =
                    node["accounts"].as_array().map(|list| list.iter().map(account).collect()).unwrap_or_default();
                anyhow::ensure!(got == row.accounts, "accounts of {} differ: {got:?} != {:?}", row.title, row.accounts);
            }
            Variant::Browser => {
                anyhow::ensure!(node["disputed"] == row.disputed, "disputed of {} differs", row.title);
                anyhow::ensure!(node["links"].is_array() && node["tags"].is_array(), "incomplete node {node}");
                if read_accounts {
                    let drawn = |a: &raw::Account| (a.1.clone(), a.2, a.3.clone());
                    let want: Vec<_> =
                        row.accounts.iter().filter(|a| a.0 == "WHEN").take(DRAWN_ACCOUNTS).map(drawn).collect();
                    let got: Vec<_> = node["whenAccounts"]
                        .as_array()
                        .map(|list| list.iter().map(|a| drawn(&account(a))).collect())
                        .unwrap_or_default();
                    anyhow::ensure!(got == want, "WHEN accounts of {} differ: {got:?} != {want:?}", row.title);
                }
            }
        }
    }
    Ok(())
}

fn check_citations(node: &Value, row: &Row) -> anyhow::Result<()> {
    let citations: Vec<(Option<String>, String)> = node["citations"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|c| {
                    (c["quote"].as_str().map(str::to_owned), c["source"]["title"].as_str().unwrap_or("").to_owned())
                })
                .collect()
        })
        .unwrap_or_default();
    anyhow::ensure!(citations == row.citations, "citations of {} differ", row.title);
    Ok(())
}

fn account(a: &Value) -> raw::Account {
    let text = |v: &Value| v.as_str().map(str::to_owned);
    (
        text(&a["aspect"]).unwrap_or_default(),
        text(&a["status"]).unwrap_or_default(),
        a["preferred"].as_bool().unwrap_or(false),
        text(&a["date"]["value"]),
        text(&a["citation"]["quote"]),
        text(&a["citation"]["source"]["title"]).unwrap_or_default(),
    )
}

/// `timelineHistogram` over the whole range, `runs` times one after the other; every answer must
/// count all `events`.
pub async fn histogram(server: &Server, events: u64, runs: usize) -> anyhow::Result<crate::load::Stats> {
    let mut latencies = Vec::with_capacity(runs);
    let started = std::time::Instant::now();
    for _ in 0..runs {
        let sent = std::time::Instant::now();
        let data = server.graphql("{ timelineHistogram(buckets: 100) { start end count } }", json!({})).await?;
        latencies.push(sent.elapsed());
        let buckets = data["timelineHistogram"].as_array().ok_or_else(|| anyhow::anyhow!("no buckets"))?;
        let total: u64 = buckets.iter().filter_map(|b| b["count"].as_u64()).sum();
        anyhow::ensure!(
            buckets.len() == 100 && total == events,
            "{} buckets counting {total} of {events} events",
            buckets.len()
        );
    }
    Ok(crate::load::Stats::of(latencies, started.elapsed()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of the template literal `const NAME = ` opens in `source` (quoted or backquoted).
    fn literal<'a>(source: &'a str, name: &str) -> &'a str {
        let start = source.find(&format!("const {name} = ")).unwrap_or_else(|| panic!("{name} not found"));
        let rest = &source[start + name.len() + 9..];
        let quote = rest.chars().next().expect("a literal");
        let body = &rest[1..];
        &body[..body.find(quote).expect("a closed literal")]
    }

    fn words(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The browser's query here asks for what `frontend/src/api.ts` asks for, so that the harness
    /// measures the page's own query and not an old copy of it.
    #[test]
    fn the_browsers_query_is_the_pages_own() {
        let api = include_str!("../../frontend/src/api.ts");
        let date = literal(api, "DATE");
        let after = &api[api.find("const DRAWN_ACCOUNTS = ").expect("DRAWN_ACCOUNTS") + 23..];
        let drawn = &after[..after.find(';').expect("a statement")];
        assert_eq!(drawn, DRAWN_ACCOUNTS.to_string());
        let evidence = literal(api, "EVIDENCE_FIELDS").replace("${DATE}", date).replace("${DRAWN_ACCOUNTS}", drawn);
        let fields = literal(api, "EVENT_FIELDS").replace("${DATE}", date).replace("${EVIDENCE_FIELDS}", &evidence);
        assert!(words(BROWSER_QUERY).contains(&words(&fields)), "{}\nis not in\n{}", words(&fields), BROWSER_QUERY);
    }
}
