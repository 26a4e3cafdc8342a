//! GraphQL over HTTP, following the GraphQL-over-HTTP spec: POST `application/json`, GET for
//! queries only, and the response media type negotiated from `Accept`.

use async_graphql::http::parse_query_string;
use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{BatchRequest, BatchResponse, Request};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::AppState;
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

/// The type of the operation a request would run, if its document parses.
fn operation_type(request: &Request) -> Option<OperationType> {
    let document = async_graphql::parser::parse_query(&request.query).ok()?;
    match (&document.operations, request.operation_name.as_deref()) {
        (DocumentOperations::Single(operation), _) => Some(operation.node.ty),
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name).map(|op| op.node.ty),
        (DocumentOperations::Multiple(operations), None) => {
            // Several operations and no name: the request fails later unless there is just one.
            let mut types = operations.values().map(|op| op.node.ty);
            let first = types.next()?;
            types.next().is_none().then_some(first)
        }
    }
}

/// GET: queries only, from the URL's query string.
pub async fn get(State(state): State<AppState>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    let Some(media) = negotiate(&headers) else {
        return StatusCode::NOT_ACCEPTABLE.into_response();
    };
    let request = match parse_query_string(query.as_deref().unwrap_or_default()) {
        Ok(request) => request,
        Err(error) => {
            return error_response(StatusCode::BAD_REQUEST, media, &format!("invalid GraphQL request: {error}"));
        }
    };
    if matches!(operation_type(&request), Some(OperationType::Mutation | OperationType::Subscription)) {
        let mut response = error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            media,
            "mutations and subscriptions must be sent with POST, not GET",
        );
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    execute(&state, BatchRequest::Single(request), &headers, media).await
}

/// POST: a JSON body with one operation, or a batch (a JSON array) of a few.
pub async fn post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
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
    if let BatchRequest::Batch(requests) = &batch
        && requests.len() > state.limits.batch
    {
        return error_response(
            StatusCode::BAD_REQUEST,
            media,
            &format!("a batch may hold at most {} operations; this one holds {}", state.limits.batch, requests.len()),
        );
    }
    execute(&state, batch, &headers, media).await
}

async fn execute(state: &AppState, batch: BatchRequest, headers: &HeaderMap, media: MediaType) -> Response {
    let id = request_id(headers);
    let response = match batch {
        BatchRequest::Single(request) => BatchResponse::Single(state.schema.execute(request.data(id)).await),
        BatchRequest::Batch(requests) => {
            let requests = requests.into_iter().map(|request| request.data(id.clone())).collect();
            state.schema.execute_batch(BatchRequest::Batch(requests)).await
        }
    };
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

    #[test]
    fn finds_the_operation_type() {
        let request = Request::new("mutation { x }");
        assert_eq!(operation_type(&request), Some(OperationType::Mutation));
        let request = Request::new("query a { x } mutation b { y }").operation_name("b");
        assert_eq!(operation_type(&request), Some(OperationType::Mutation));
        let request = Request::new("{ x }");
        assert_eq!(operation_type(&request), Some(OperationType::Query));
    }
}
