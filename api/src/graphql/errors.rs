//! Every error a client gets carries `extensions.code` from one enum, [`ErrorCode`], whether it
//! comes from a resolver, from a document that does not parse or validate, or from the HTTP and
//! WebSocket transports refusing a request before it runs. Service errors are mapped here, one
//! place for the whole API, on every response the schema answers (`schema.rs`); internal errors
//! are logged with the request's ID and reach the client only as INTERNAL.

use std::any::TypeId;

use async_graphql::{Request, Response, ServerError, Value};

use crate::error::ServiceError;

/// How async-graphql words the refusals of its own depth and complexity limits (`limits.rs`
/// explains them).
pub(crate) const OVER_LIMIT: [&str; 2] = ["Query is nested too deep.", "Query is too complex."];

/// How async-graphql's parse-time limit errors begin (tests/http.rs proves the first, so an
/// async-graphql that words it otherwise is noticed).
const PARSE_LIMITS: [&str; 2] = ["The recursion depth of the query", "The number of directives on the field"];

/// The request's ID (from the `x-request-id` header), carried in the GraphQL context.
#[derive(Debug, Clone, Default)]
pub struct RequestId(pub String);

impl RequestId {
    /// The ID the transport put in a request's data; empty when none did (the tests' runner).
    pub fn of(request: &Request) -> Self {
        request
            .data
            .get(&TypeId::of::<RequestId>())
            .and_then(|id| id.downcast_ref::<RequestId>())
            .cloned()
            .unwrap_or_default()
    }
}

/// What went wrong, as `extensions.code` tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// An input value is wrong; `extensions.field` names it.
    Validation,
    NotFound,
    /// The write would overwrite someone else's change or break a rule of the data.
    Conflict,
    /// A token is needed, or the one sent is unknown or revoked.
    Unauthenticated,
    /// The token's role may not do this.
    Forbidden,
    /// A write could not be saved (the server's disk is full, or its commit failed): nothing of
    /// it is stored; it may be tried again later.
    Unavailable,
    /// Chronik failed; the log has the detail under the request ID.
    Internal,
    /// The request is not one that can run: not JSON, no query, a document that does not parse
    /// or validate, variables of the wrong type.
    BadRequest,
    /// The request asks for more than a limit allows: operations in a batch, depth, complexity,
    /// aliases, fields, directives.
    Limit,
    /// A mutation or subscription sent with GET, or a method the endpoint does not answer.
    MethodNotAllowed,
    /// The client accepts neither `application/graphql-response+json` nor `application/json`.
    NotAcceptable,
    /// The body is larger than the server takes.
    PayloadTooLarge,
    /// A POST whose body is not `application/json`.
    UnsupportedMediaType,
    /// Too many mutations from this token or address in a short time.
    RateLimited,
    /// The request ran longer than the server allows and was abandoned.
    Timeout,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Validation => "VALIDATION",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::Unavailable => "UNAVAILABLE",
            ErrorCode::Internal => "INTERNAL",
            ErrorCode::BadRequest => "BAD_REQUEST",
            ErrorCode::Limit => "LIMIT",
            ErrorCode::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            ErrorCode::NotAcceptable => "NOT_ACCEPTABLE",
            ErrorCode::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            ErrorCode::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::Timeout => "TIMEOUT",
        }
    }
}

/// Sets an error's code, and the request ID when there is one.
fn stamp(error: &mut ServerError, code: ErrorCode, request_id: &str) {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    extensions.set("code", code.as_str());
    if !request_id.is_empty() {
        extensions.set("requestId", request_id);
    }
}

/// A new error with this code and message: what the transports answer when they refuse a request.
pub fn coded(code: ErrorCode, message: impl Into<String>, request_id: &RequestId) -> ServerError {
    let mut error = ServerError::new(message, None);
    stamp(&mut error, code, &request_id.0);
    error
}

/// The code an error carries, if it is one of ours.
fn code_of(error: &ServerError) -> Option<&Value> {
    error.extensions.as_ref().and_then(|extensions| extensions.get("code"))
}

/// Whether a response is a request error (the GraphQL spec's term): nothing ran, because its
/// document did not parse or validate, its variables did not coerce or a limit refused it, so it
/// has no `data` at all. Only these two codes can stop a request inside the schema; the
/// transports' own refusals never reach it.
pub fn is_request_error(response: &Response) -> bool {
    let before_running = [Value::from(ErrorCode::BadRequest.as_str()), Value::from(ErrorCode::Limit.as_str())];
    response.data == Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|error| code_of(error).is_some_and(|code| before_running.contains(code)))
}

/// Gives an error its code. Errors from a service carry theirs; an error without one was raised
/// by GraphQL itself before or while reading the request: one of its limits (LIMIT), or else
/// syntax, validation, an unknown operation, a variable of the wrong type, so it is the client's
/// request that is bad.
fn map_error(error: &mut ServerError, request_id: &str) {
    let Some(source) = error.source::<ServiceError>() else {
        if code_of(error).is_none() {
            let message = error.message.as_str();
            let limit = OVER_LIMIT.contains(&message) || PARSE_LIMITS.iter().any(|start| message.starts_with(start));
            stamp(error, if limit { ErrorCode::Limit } else { ErrorCode::BadRequest }, request_id);
        }
        return;
    };
    let (code, field, message) = match source {
        ServiceError::Validation { field, message } => {
            (ErrorCode::Validation, Some(field.clone()), format!("{field}: {message}"))
        }
        ServiceError::NotFound { .. } => (ErrorCode::NotFound, None, source.to_string()),
        ServiceError::Conflict(message) => (ErrorCode::Conflict, None, message.clone()),
        ServiceError::Unauthenticated => (ErrorCode::Unauthenticated, None, source.to_string()),
        ServiceError::Forbidden => (ErrorCode::Forbidden, None, source.to_string()),
        ServiceError::Unavailable(message) => {
            tracing::error!(request_id, message, "a write was refused");
            (ErrorCode::Unavailable, None, message.clone())
        }
        ServiceError::Database(detail) => {
            tracing::error!(request_id, error = %detail, "internal error");
            (ErrorCode::Internal, None, format!("internal error; quote request ID {request_id} when reporting it"))
        }
    };
    error.message = message;
    stamp(error, code, request_id);
    if let Some(field) = field {
        error.extensions.get_or_insert_with(Default::default).set("field", field);
    }
}

/// Codes every error of a response (a request's, or one of a subscription's stream).
pub(crate) fn map_errors(response: &mut Response, request_id: &str) {
    for error in &mut response.errors {
        map_error(error, request_id);
    }
}
