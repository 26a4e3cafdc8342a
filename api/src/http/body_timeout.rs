//! The deadline for a request's whole body: a client that sends it slowly (a byte a second) is
//! answered 408 and its connection closed when the deadline passes. (tower-http's
//! `RequestBodyTimeoutLayer` bounds the wait for each chunk, which a trickle of bytes never
//! trips; this bounds the whole read.) The body is read here, within the size limit too, so the
//! handlers get it whole.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

use super::media;
use super::refusal::{Refusal, request_id};
use crate::graphql::errors::ErrorCode;

/// How long a body may take, and how large it may be.
#[derive(Debug, Clone, Copy)]
pub struct BodyBounds {
    pub timeout: Duration,
    pub limit: usize,
}

/// Reads the request's body within the deadline and the limit, then hands the request on.
pub async fn read_within(State(bounds): State<BodyBounds>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let refuse = |refusal: Refusal| refusal.respond(media::for_refusal(&parts.headers), &request_id(&parts.headers));
    match tokio::time::timeout(bounds.timeout, axum::body::to_bytes(body, bounds.limit)).await {
        Ok(Ok(bytes)) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Ok(Err(error)) => {
            let too_large =
                std::error::Error::source(&error).is_some_and(|source| source.is::<http_body_util::LengthLimitError>());
            if too_large {
                refuse(Refusal::payload_too_large(bounds.limit))
            } else {
                refuse(Refusal::bad_request(format!("cannot read the request body: {error}")))
            }
        }
        Err(_) => refuse(Refusal::new(
            StatusCode::REQUEST_TIMEOUT,
            ErrorCode::Timeout,
            format!("the request body took longer than {} s to arrive", bounds.timeout.as_secs()),
        )),
    }
}
