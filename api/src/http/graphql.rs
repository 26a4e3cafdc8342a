//! GraphQL over HTTP, following the GraphQL-over-HTTP spec: POST `application/json`, GET for
//! queries only, and the response media type negotiated from `Accept`.

use std::net::SocketAddr;
use std::time::Duration;

use async_graphql::http::parse_query_string;
use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, BatchResponse};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::AppState;
use super::admission::{self, Refusal};
use crate::db::Editor;
use crate::graphql::errors::RequestId;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// The media type to answer with, from the `Accept` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaType {
    GraphqlResponse,
    Json,
}

impl MediaType {
    fn as_str(self) -> &'static str {
        match self {
            MediaType::GraphqlResponse => GRAPHQL_RESPONSE,
            MediaType::Json => JSON,
        }
    }
}

/// Picks `application/graphql-response+json` when the client accepts it, `application/json`
/// when it accepts that (or anything, or sends no `Accept`); `None` when it accepts neither.
fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|value| value.to_str().ok()) else {
        return Some(MediaType::Json);
    };
    let mut json = false;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let refused = parts.any(|param| {
            let param = param.trim().replace(' ', "");
            param == "q=0" || param == "q=0.0" || param == "q=0.00" || param == "q=0.000"
        });
        if refused {
            continue;
        }
        match media.as_str() {
            GRAPHQL_RESPONSE => return Some(MediaType::GraphqlResponse),
            JSON | "application/*" | "*/*" => json = true,
            _ => {}
        }
    }
    json.then_some(MediaType::Json)
}

fn error_response(status: StatusCode, media: MediaType, message: &str) -> Response {
    let body = json!({ "errors": [{ "message": message }] });
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(media.as_str()));
    response
}

fn request_id(headers: &HeaderMap) -> RequestId {
    RequestId(headers.get("x-request-id").and_then(|value| value.to_str().ok()).unwrap_or_default().to_owned())
}

/// Refuses a request before it runs.
fn refuse(refusal: Refusal, media: MediaType, request_id: &RequestId) -> Response {
    let body = json!({ "errors": [{ "message": refusal.message,
        "extensions": { "code": refusal.code, "requestId": request_id.0 } }] });
    let mut response = (refusal.status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(media.as_str()));
    if refusal.status == StatusCode::TOO_MANY_REQUESTS {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    }
    response
}

/// GET: queries only, from the URL's query string.
pub async fn get(
    State(state): State<AppState>,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(media) = negotiate(&headers) else {
        return StatusCode::NOT_ACCEPTABLE.into_response();
    };
    let request = match parse_query_string(query.as_deref().unwrap_or_default()) {
        Ok(request) => request,
        Err(error) => {
            return error_response(StatusCode::BAD_REQUEST, media, &format!("invalid GraphQL request: {error}"));
        }
    };
    let client = connection.map(|Extension(ConnectInfo(address))| address);
    run(&state, BatchRequest::Single(request), &headers, media, client, true).await
}

/// POST: a JSON body with one operation, or a batch (a JSON array) of a few.
pub async fn post(
    State(state): State<AppState>,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(media) = negotiate(&headers) else {
        return StatusCode::NOT_ACCEPTABLE.into_response();
    };
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if essence != JSON {
        // Only JSON: form and text/plain posts are what a cross-site form can send without a preflight.
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            "send GraphQL requests as POST with Content-Type: application/json",
        );
    }
    let batch: BatchRequest = match serde_json::from_slice(&body) {
        Ok(batch) => batch,
        Err(error) => {
            return error_response(StatusCode::BAD_REQUEST, media, &format!("invalid GraphQL request: {error}"));
        }
    };
    let client = connection.map(|Extension(ConnectInfo(address))| address);
    run(&state, batch, &headers, media, client, false).await
}

/// Admits a request (token, batch size, document limits, method, rate limit), then runs it.
async fn run(
    state: &AppState,
    batch: BatchRequest,
    headers: &HeaderMap,
    media: MediaType,
    client: Option<SocketAddr>,
    over_get: bool,
) -> Response {
    let id = request_id(headers);
    let principal = match admission::authenticate(&state.db, headers, state.settings.read_access).await {
        Ok(principal) => principal,
        Err(refusal) => return refuse(refusal, media, &id),
    };
    let limits = &state.settings.limits;
    if let BatchRequest::Batch(requests) = &batch
        && requests.len() > limits.max_batch
    {
        return error_response(
            StatusCode::BAD_REQUEST,
            media,
            &format!("a batch may hold at most {} operations; this one holds {}", limits.max_batch, requests.len()),
        );
    }
    let mut mutates = false;
    for request in batch.iter() {
        match admission::check_document(request, limits) {
            Ok(Some(OperationType::Mutation | OperationType::Subscription)) if over_get => {
                let mut response = error_response(
                    StatusCode::METHOD_NOT_ALLOWED,
                    media,
                    "mutations and subscriptions must be sent with POST, not GET",
                );
                response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("POST"));
                return response;
            }
            Ok(Some(OperationType::Mutation)) => mutates = true,
            Ok(Some(OperationType::Query | OperationType::Subscription) | None) => {}
            Err(refusal) => return refuse(refusal, media, &id),
        }
    }
    if mutates && let Err(refusal) = state.limiter.admit(principal.as_ref(), client) {
        return refuse(refusal, media, &id);
    }
    // The request's own handle on the database names who writes, for the audit trail.
    let editor = Editor { name: principal.as_ref().map(|p| p.name.clone()), request_id: Some(id.0.clone()) };
    let db = state.db.acting_as(editor);
    let with_context = |request: async_graphql::Request| {
        let request = request.data(id.clone()).data(db.clone());
        match &principal {
            Some(principal) => request.data(principal.clone()),
            None => request,
        }
    };
    let batch = match batch {
        BatchRequest::Single(request) => BatchRequest::Single(with_context(request)),
        BatchRequest::Batch(requests) => BatchRequest::Batch(requests.into_iter().map(with_context).collect()),
    };
    let timeout = Duration::from_secs(limits.request_timeout);
    match tokio::time::timeout(timeout, state.schema.execute_batch(batch)).await {
        Ok(response) => respond(response, media),
        Err(_) => refuse(
            Refusal {
                status: StatusCode::SERVICE_UNAVAILABLE,
                code: "TIMEOUT",
                message: format!("the request took longer than {} s and was abandoned", limits.request_timeout),
            },
            media,
            &id,
        ),
    }
}

fn respond(response: BatchResponse, media: MediaType) -> Response {
    // With application/graphql-response+json, a request that could not run at all (parse or
    // validation error: no `data`) is a 400; with application/json it is always a 200.
    let status = match (&response, media) {
        (BatchResponse::Single(single), MediaType::GraphqlResponse)
            if single.data == async_graphql::Value::Null && single.is_err() =>
        {
            StatusCode::BAD_REQUEST
        }
        _ => StatusCode::OK,
    };
    match serde_json::to_vec(&response) {
        Ok(body) => {
            let mut response = (status, body).into_response();
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(media.as_str()));
            response
        }
        Err(error) => {
            tracing::error!(%error, "could not serialise a GraphQL response");
            error_response(StatusCode::INTERNAL_SERVER_ERROR, media, "internal error")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn negotiates_the_response_media_type() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(MediaType::Json));
        assert_eq!(
            negotiate(&accept("application/graphql-response+json, application/json;q=0.9")),
            Some(MediaType::GraphqlResponse)
        );
        assert_eq!(negotiate(&accept("application/json")), Some(MediaType::Json));
        assert_eq!(negotiate(&accept("*/*")), Some(MediaType::Json));
        assert_eq!(negotiate(&accept("text/html")), None);
        assert_eq!(
            negotiate(&accept("application/graphql-response+json;q=0, application/json")),
            Some(MediaType::Json)
        );
    }
}
