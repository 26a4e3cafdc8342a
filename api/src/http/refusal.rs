//! A request refused before it runs, and the one shape every refusal answers with, whatever the
//! status: `{"errors":[{"message":…,"extensions":{"code":…,"requestId":…}}]}`, the body of a
//! GraphQL request error, with a code from [`ErrorCode`].

use async_graphql::ServerError;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::media::MediaType;
use crate::graphql::errors::{ErrorCode, RequestId, coded};

/// Why a request is refused, with the status it gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    status: StatusCode,
    code: ErrorCode,
    message: String,
    /// The methods to name in `Allow`, for a 405.
    allow: Option<&'static str>,
    /// The input that is wrong, for a validation refusal (`extensions.field`).
    field: Option<String>,
}

impl Refusal {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into(), allow: None, field: None }
    }

    /// 400: an input value is wrong; `field` names it.
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        let field = field.into();
        let message = format!("{field}: {}", message.into());
        Self { field: Some(field), ..Self::new(StatusCode::BAD_REQUEST, ErrorCode::Validation, message) }
    }

    /// 400: the request is not one that can run.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message)
    }

    /// 400: the request asks for more than a limit allows.
    pub fn limit(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::Limit, message)
    }

    /// 401: no token where one is needed, or one that is malformed, unknown or revoked.
    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated, message)
    }

    /// 405, naming the methods that are allowed.
    pub fn method_not_allowed(allow: &'static str, message: impl Into<String>) -> Self {
        Self { allow: Some(allow), ..Self::new(StatusCode::METHOD_NOT_ALLOWED, ErrorCode::MethodNotAllowed, message) }
    }

    /// 406: the client accepts neither JSON media type.
    pub fn not_acceptable() -> Self {
        Self::new(
            StatusCode::NOT_ACCEPTABLE,
            ErrorCode::NotAcceptable,
            "accept application/graphql-response+json or application/json",
        )
    }

    /// 413: a body over the limit, in bytes.
    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            format!("the request body is larger than {limit} bytes"),
        )
    }

    /// 415: only JSON, since form and text/plain posts are what a cross-site form can send
    /// without a preflight.
    pub fn unsupported_media_type() -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "send GraphQL requests as POST with Content-Type: application/json",
        )
    }

    /// 429, with `Retry-After`.
    pub fn rate_limited() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            "too many changes in a short time; wait a moment and try again",
        )
    }

    /// 503: the request ran past the timeout, in seconds.
    pub fn timeout(seconds: u64) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Timeout,
            format!("the request took longer than {seconds} s and was abandoned"),
        )
    }

    /// 503: something the request needs cannot be had now (the cause is logged).
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Internal, message)
    }

    /// 500: Chronik failed (the cause is logged).
    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal, "internal error")
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// The refusal as a GraphQL error.
    pub fn error(&self, request_id: &RequestId) -> ServerError {
        let mut error = coded(self.code, self.message.clone(), request_id);
        if let Some(field) = &self.field {
            error.extensions.get_or_insert_with(Default::default).set("field", field.clone());
        }
        error
    }

    /// The refusal as an HTTP response in `media`.
    pub fn respond(self, media: MediaType, request_id: &RequestId) -> Response {
        let body = Errors { errors: &[self.error(request_id)] }.to_json();
        let mut response = json_response(self.status, media, body);
        if let Some(allow) = self.allow {
            response.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allow));
        }
        if self.code == ErrorCode::RateLimited {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        }
        response
    }
}

/// The body of a request error: errors and no `data`.
#[derive(Serialize)]
pub struct Errors<'a> {
    pub errors: &'a [ServerError],
}

impl Errors<'_> {
    pub fn to_json(&self) -> Vec<u8> {
        // Plain strings and maps: serialising them cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// A JSON body with its status and media type.
pub fn json_response(status: StatusCode, media: MediaType, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(media.as_str()));
    response
}

/// The request's ID, as the request-ID layer set it (or the client sent it).
pub fn request_id(headers: &HeaderMap) -> RequestId {
    RequestId(headers.get("x-request-id").and_then(|value| value.to_str().ok()).unwrap_or_default().to_owned())
}
