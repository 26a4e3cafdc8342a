//! The limit on request bodies, in two places: a body that announces its size
//! (`Content-Length`) is refused here before any of it is read; one that does not (chunked) is
//! cut off by the extractor's limit (`DefaultBodyLimit`) as it arrives, and the handler refuses
//! it the same way. Both answer 413 with a GraphQL-shaped body.

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

use super::media;
use super::refusal::{Refusal, request_id};

/// Refuses a request whose `Content-Length` is over `limit` bytes.
pub async fn refuse_announced(State(limit): State<usize>, request: Request, next: Next) -> Response {
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    match announced {
        Some(length) if length > limit as u64 => Refusal::payload_too_large(limit)
            .respond(media::for_refusal(request.headers()), &request_id(request.headers())),
        Some(_) | None => next.run(request).await,
    }
}
