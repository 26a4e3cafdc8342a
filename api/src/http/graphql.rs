//! GraphQL over HTTP, following the GraphQL-over-HTTP spec: POST `application/json`, GET for
//! queries only, and the response media type negotiated from `Accept`. A request error (a
//! document that does not parse or validate) has no `data` and, in
//! `application/graphql-response+json`, the status 400; refusals are answered by [`Refusal`].

use std::net::SocketAddr;
use std::time::Duration;

use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, BatchResponse, Response as GraphqlResponse};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde::Serialize;
use tokio::time::Instant;

use super::media::{self, JSON, MediaType};
use super::refusal::{Errors, Refusal, json_response, request_id};
use super::state::AppState;
use super::{admission, params};
use crate::db::Editor;
use crate::graphql::errors::{RequestId, is_request_error};

/// GET: queries only, from the URL's query string.
pub async fn get(
    State(state): State<AppState>,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let id = request_id(&headers);
    let answer = async {
        let media = media::negotiate(&headers).ok_or_else(Refusal::not_acceptable)?;
        let request = params::parse_get(query.as_deref().unwrap_or_default())
            .map_err(|error| Refusal::bad_request(format!("invalid GraphQL request: {error}")))?;
        let client = connection.map(|Extension(ConnectInfo(address))| address);
        Admitted { state: &state, headers: &headers, id: &id, media, client, over_get: true }
            .run(BatchRequest::Single(request))
            .await
    };
    answer.await.unwrap_or_else(|refusal| refusal.respond(media::for_refusal(&headers), &id))
}

/// POST: a JSON body with one operation, or a batch (a JSON array) of a few.
pub async fn post(
    State(state): State<AppState>,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let id = request_id(&headers);
    let answer = async {
        let media = media::negotiate(&headers).ok_or_else(Refusal::not_acceptable)?;
        let content_type = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or_default();
        let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        if essence != JSON {
            return Err(Refusal::unsupported_media_type());
        }
        let body = body.map_err(|rejection| match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => Refusal::payload_too_large(state.settings.body_limit),
            _ => Refusal::bad_request(format!("cannot read the request body: {}", rejection.body_text())),
        })?;
        let batch =
            params::parse(&body).map_err(|error| Refusal::bad_request(format!("invalid GraphQL request: {error}")))?;
        let client = connection.map(|Extension(ConnectInfo(address))| address);
        Admitted { state: &state, headers: &headers, id: &id, media, client, over_get: false }.run(batch).await
    };
    answer.await.unwrap_or_else(|refusal| refusal.respond(media::for_refusal(&headers), &id))
}

/// Any other method on `/graphql`.
pub async fn other_method(headers: HeaderMap) -> Response {
    Refusal::method_not_allowed("GET, POST", "send GraphQL requests with POST (or GET for queries)")
        .respond(media::for_refusal(&headers), &request_id(&headers))
}

/// A request on its way in, with what it is answered in.
struct Admitted<'a> {
    state: &'a AppState,
    headers: &'a HeaderMap,
    id: &'a RequestId,
    media: MediaType,
    client: Option<SocketAddr>,
    over_get: bool,
}

impl Admitted<'_> {
    /// Admits the request (token, batch size, document limits, method, rate limit), then runs it.
    async fn run(self, mut batch: BatchRequest) -> Result<Response, Refusal> {
        let state = self.state;
        // A header that is not ASCII is no token: refused as malformed, not ignored.
        let authorization = self.headers.get(header::AUTHORIZATION).map(|value| value.to_str().unwrap_or_default());
        let principal = admission::authenticate(&state.db, authorization, state.settings.read_access).await?;
        let limits = &state.settings.limits;
        if let BatchRequest::Batch(requests) = &batch
            && requests.len() > limits.max_batch
        {
            return Err(Refusal::limit(format!(
                "a batch may hold at most {} operations; this one holds {}",
                limits.max_batch,
                requests.len()
            )));
        }
        let mut mutations = 0usize;
        let mut writes = false;
        for request in batch.iter_mut() {
            let Some(checked) = admission::check_document(request, limits)? else { continue };
            match checked.operation {
                Some(OperationType::Mutation | OperationType::Subscription) if self.over_get => {
                    return Err(Refusal::method_not_allowed(
                        "POST",
                        "mutations and subscriptions must be sent with POST, not GET",
                    ));
                }
                Some(OperationType::Mutation) => writes = true,
                Some(OperationType::Query | OperationType::Subscription) | None => {}
            }
            mutations = mutations.saturating_add(checked.mutations);
        }
        // Every mutation of the batch is charged before any runs: refused whole, or run whole.
        state.limiter.admit(principal.as_ref(), self.client, mutations)?;
        // The request's own handle on the database names who writes, for the audit trail.
        let editor = Editor { name: principal.as_ref().map(|p| p.name.clone()), request_id: Some(self.id.0.clone()) };
        let db = state.db.acting_as(editor);
        let with_context = |request: async_graphql::Request| {
            let request = request.data(self.id.clone()).data(db.clone());
            match &principal {
                Some(principal) => request.data(principal.clone()),
                None => request,
            }
        };
        let batch = match batch {
            BatchRequest::Single(request) => BatchRequest::Single(with_context(request)),
            BatchRequest::Batch(requests) => BatchRequest::Batch(requests.into_iter().map(with_context).collect()),
        };
        let deadline = Instant::now() + Duration::from_secs(limits.request_timeout);
        // A read waits for its place among the queries that run at once, and keeps it until
        // its answer is written; a batch that writes does not wait behind reads.
        let _place = if writes {
            None
        } else {
            match tokio::time::timeout_at(deadline, state.queries.enter()).await {
                Ok(place) => place,
                Err(_) => return Err(Refusal::timeout(limits.request_timeout)),
            }
        };
        // Parsing and validation run inside `execute_batch` without yielding: on a task of its
        // own, the timeout below still fires while they run, and aborting the task drops the
        // execution at its next await.
        let schema = state.schema.clone();
        let mut execution = tokio::spawn(async move { schema.execute_batch(batch).await });
        match tokio::time::timeout_at(deadline, &mut execution).await {
            Ok(Ok(response)) => respond(&response, self.media, self.id, limits.max_response_bytes),
            Ok(Err(error)) => {
                tracing::error!(%error, "a GraphQL execution panicked or was cancelled");
                Err(Refusal::internal())
            }
            Err(_) => {
                execution.abort();
                Err(Refusal::timeout(limits.request_timeout))
            }
        }
    }
}

/// One response as the body carries it: a request error without `data`, as the GraphQL spec
/// says; any other as the schema returned it.
#[derive(Serialize)]
#[serde(untagged)]
enum Body<'a> {
    Refused(Errors<'a>),
    Ran(&'a GraphqlResponse),
}

impl<'a> From<&'a GraphqlResponse> for Body<'a> {
    fn from(response: &'a GraphqlResponse) -> Self {
        if is_request_error(response) {
            Body::Refused(Errors { errors: &response.errors })
        } else {
            Body::Ran(response)
        }
    }
}

/// A body being written that refuses to grow past its limit.
struct Capped {
    bytes: Vec<u8>,
    limit: usize,
}

/// What a response's buffer starts with: a timeline page of 100 events is some tens of KiB,
/// which a buffer grown from empty reaches after a dozen copies.
const FIRST_BUFFER: usize = 32 * 1024;

impl std::io::Write for Capped {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len().saturating_add(buf.len()) > self.limit {
            return Err(std::io::Error::other("the response is over the limit"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Serialises `body`; None when it would be larger than `limit` bytes.
pub(super) fn within<T: Serialize>(body: &T, limit: usize) -> Result<Option<Vec<u8>>, serde_json::Error> {
    let mut capped = Capped { bytes: Vec::with_capacity(FIRST_BUFFER.min(limit)), limit };
    match serde_json::to_writer(&mut capped, body) {
        Ok(()) => Ok(Some(capped.bytes)),
        Err(error) if error.is_io() => Ok(None),
        Err(error) => Err(error),
    }
}

fn respond(response: &BatchResponse, media: MediaType, id: &RequestId, limit: usize) -> Result<Response, Refusal> {
    let (status, body) = match response {
        // With application/graphql-response+json a request error is a 400; with
        // application/json everything the schema answers is a 200.
        BatchResponse::Single(single) => {
            let status = match (is_request_error(single), media) {
                (true, MediaType::GraphqlResponse) => StatusCode::BAD_REQUEST,
                (true, MediaType::Json) | (false, _) => StatusCode::OK,
            };
            (status, within(&Body::from(single), limit))
        }
        BatchResponse::Batch(responses) => {
            (StatusCode::OK, within(&responses.iter().map(Body::from).collect::<Vec<_>>(), limit))
        }
    };
    match body {
        Ok(Some(body)) => Ok(json_response(status, media, body)),
        Ok(None) => Err(Refusal::limit(format!(
            "the response would be larger than {limit} bytes; ask for fewer fields or smaller pages"
        ))),
        Err(error) => {
            tracing::error!(%error, "could not serialise a GraphQL response");
            Ok(Refusal::internal().respond(media, id))
        }
    }
}
