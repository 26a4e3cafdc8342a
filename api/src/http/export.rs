//! `GET /export?format=…`: what a timeline filter shows, as a file to download, in any export
//! format, with the same read access as `/graphql`. The body is streamed as the export writes it
//! (a page of a thousand rows at a time, the next read only when the client has taken all but
//! two), so memory stays bounded whatever the database holds; a few
//! exports run at once, each for a bounded time, and one that fails midway cuts the stream off
//! instead of ending it as if it were whole.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use tokio::sync::{OwnedSemaphorePermit, mpsc};
use tokio_stream::wrappers::ReceiverStream;

use super::admission;
use super::media;
use super::refusal::{Refusal, request_id};
use super::state::{AppState, CONCURRENT_EXPORTS};
use crate::error::ServiceError;
use crate::exchange::{self, ExportFilter, Format, Pace};

/// The longest an export may run; past it the stream is cut off.
const EXPORT_TIME: Duration = Duration::from_secs(600);
/// Pages written and not yet sent: the export waits for the client beyond that.
const PAGES_IN_FLIGHT: usize = 2;

pub async fn export(State(state): State<AppState>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    let id = request_id(&headers);
    let refusal_media = media::for_refusal(&headers);
    match start(&state, &headers, query.as_deref().unwrap_or_default()).await {
        Ok(response) => response,
        Err(refusal) => refusal.respond(refusal_media, &id),
    }
}

async fn start(state: &AppState, headers: &HeaderMap, query: &str) -> Result<Response, Refusal> {
    // A header that is not ASCII is no token: refused as malformed, not ignored.
    let authorization = headers.get(header::AUTHORIZATION).map(|value| value.to_str().unwrap_or_default());
    admission::authenticate(&state.db, authorization, state.settings.read_access).await?;
    let (format, filter) = parse(query)?;
    // Checked before the first byte goes out, so a wrong filter is a 400 naming its field.
    filter.check(&state.db).await.map_err(refusal)?;
    let permit = Arc::clone(&state.exports).try_acquire_owned().map_err(|_| {
        Refusal::unavailable(format!("{CONCURRENT_EXPORTS} exports are running; try again when one has finished"))
    })?;
    let body = stream(state.db.clone(), format, filter, permit);
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(format)));
    let disposition = format!("attachment; filename=\"chronik-export.{}\"", extension(format));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// The bytes an export has written and not yet handed to the body.
#[derive(Clone, Default)]
struct Written(Arc<Mutex<Vec<u8>>>);

impl Write for Written {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("export buffer poisoned"))?.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// After each page: what it wrote goes to the body, waiting while the body's queue is full
/// (the client reads slowly), and failing once the body is gone (the client left).
struct ToBody {
    written: Written,
    body: mpsc::Sender<std::io::Result<Bytes>>,
}

impl Pace for ToBody {
    async fn page_written(&mut self) -> std::io::Result<()> {
        let bytes =
            std::mem::take(&mut *self.written.0.lock().map_err(|_| std::io::Error::other("export buffer poisoned"))?);
        if bytes.is_empty() {
            return Ok(());
        }
        self.body.send(Ok(Bytes::from(bytes))).await.map_err(|_| std::io::Error::other("the client has gone"))
    }
}

/// The export runs on a blocking thread (its format writers are synchronous and not `Send`), a
/// page at a time, each page's bytes sent to the body before the next is read. When the export
/// fails or overruns its time, the body ends with an error, which cuts the connection off: the
/// client sees an incomplete download, never a short file that looks whole.
fn stream(db: crate::db::Database, format: Format, filter: ExportFilter, permit: OwnedSemaphorePermit) -> Body {
    let (sender, receiver) = mpsc::channel::<std::io::Result<Bytes>>(PAGES_IN_FLIGHT);
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let written = Written::default();
        let mut pace = ToBody { written: written.clone(), body: sender.clone() };
        let export = exchange::export_paced(&db, format, &filter, written, &mut pace);
        let outcome = match runtime.block_on(tokio::time::timeout(EXPORT_TIME, export)) {
            Ok(Ok(summary)) => {
                tracing::info!(events = summary.events, %format, "export over HTTP");
                return;
            }
            Ok(Err(error)) => {
                tracing::warn!(%error, "export over HTTP stopped");
                error.to_string()
            }
            Err(_) => {
                tracing::warn!(seconds = EXPORT_TIME.as_secs(), "export over HTTP ran out of time");
                "the export ran out of time".to_owned()
            }
        };
        // The client may have gone; then nobody reads this.
        let _ = sender.blocking_send(Err(std::io::Error::other(outcome)));
    });
    Body::from_stream(ReceiverStream::new(receiver))
}

fn refusal(error: ServiceError) -> Refusal {
    match error {
        ServiceError::Validation { field, message } => Refusal::validation(field, message),
        other => {
            tracing::error!(error = %other, "cannot check an export's filter");
            Refusal::internal()
        }
    }
}

/// The format and the filter from the query string: `format` (required), `from`, `to`, `q`,
/// `kinds`, `tags`, `actors`, `sources`, `support` (comma-separated lists, as the page's link
/// writes them) and `disputed` (`true` or `false`). Unknown keys are refused, naming them.
fn parse(query: &str) -> Result<(Format, ExportFilter), Refusal> {
    let mut format = None;
    let mut filter = ExportFilter::default();
    let list = |value: &str| value.split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect();
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        let text = || (!value.trim().is_empty()).then(|| value.trim().to_owned());
        match key.as_ref() {
            "format" => {
                let names = || {
                    let names: Vec<&str> = Format::ALL.iter().filter(|f| f.exportable()).map(|f| f.name()).collect();
                    names.join(", ")
                };
                let parsed = value
                    .parse::<Format>()
                    .map_err(|_| Refusal::validation("format", format!("{value:?} is not one of {}", names())))?;
                if !parsed.exportable() {
                    return Err(Refusal::validation(
                        "format",
                        format!("Chronik only imports {parsed}; it exports {}", names()),
                    ));
                }
                format = Some(parsed);
            }
            "from" => filter.from = text(),
            "to" => filter.to = text(),
            "q" => filter.search = text(),
            "kinds" => filter.kinds = list(&value),
            "tags" => filter.tags = list(&value),
            "actors" => filter.actors = list(&value),
            "sources" => filter.sources = list(&value),
            "support" => filter.support = list(&value).into_iter().map(|s: String| s.to_lowercase()).collect(),
            "disputed" => {
                filter.disputed = match value.as_ref() {
                    "" => None,
                    "true" => Some(true),
                    "false" => Some(false),
                    other => {
                        return Err(Refusal::validation("disputed", format!("must be true or false, not {other:?}")));
                    }
                }
            }
            other => {
                return Err(Refusal::validation(
                    other.to_owned(),
                    "not a filter of /export (format, from, to, q, kinds, tags, actors, sources, support, disputed)",
                ));
            }
        }
    }
    let format =
        format.ok_or_else(|| Refusal::validation("format", "missing: csv, ics, timelinejs, graphml, json, …"))?;
    Ok((format, filter))
}

fn content_type(format: Format) -> &'static str {
    match format {
        Format::Json | Format::TimelineJs => "application/json",
        Format::JsonLines | Format::FollowTheMoney => "application/x-ndjson",
        // ACLED and GDELT are refused before this (import only); they are CSV files.
        Format::Csv | Format::Acled | Format::Gdelt => "text/csv; charset=utf-8",
        Format::Gexf => "application/gexf+xml",
        Format::ICalendar => "text/calendar; charset=utf-8",
        Format::GraphMl => "application/graphml+xml",
    }
}

fn extension(format: Format) -> &'static str {
    match format {
        Format::Json => "json",
        Format::TimelineJs => "timeline.json",
        Format::JsonLines => "jsonl",
        Format::FollowTheMoney => "ftm.jsonl",
        Format::Csv | Format::Acled | Format::Gdelt => "csv",
        Format::Gexf => "gexf",
        Format::ICalendar => "ics",
        Format::GraphMl => "graphml",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_string_is_the_pages_filter() {
        let (format, filter) =
            parse("format=csv&from=2024-02&to=2024-03&kinds=meeting,leak&tags=&q=Taurus&disputed=true").expect("parse");
        assert_eq!(format, Format::Csv);
        assert_eq!(filter.from.as_deref(), Some("2024-02"));
        assert_eq!(filter.to.as_deref(), Some("2024-03"));
        assert_eq!(filter.kinds, ["meeting", "leak"]);
        assert!(filter.tags.is_empty());
        assert_eq!(filter.search.as_deref(), Some("Taurus"));
        assert_eq!(filter.disputed, Some(true));
    }

    #[test]
    fn a_wrong_key_or_format_is_named() {
        let unknown = parse("format=csv&colour=red").expect_err("unknown key");
        assert!(unknown.message().starts_with("colour:"), "{}", unknown.message());
        let format = parse("format=pdf").expect_err("unknown format");
        assert!(format.message().starts_with("format:"), "{}", format.message());
        let import_only = parse("format=gdelt").expect_err("an import-only format");
        assert!(import_only.message().contains("only imports"), "{}", import_only.message());
        let missing = parse("from=2024").expect_err("no format");
        assert!(missing.message().starts_with("format:"), "{}", missing.message());
        let disputed = parse("format=csv&disputed=maybe").expect_err("bad boolean");
        assert!(disputed.message().starts_with("disputed:"), "{}", disputed.message());
    }
}
