//! `GET /stories/{id}/timelinejs`: a story as a TimelineJS3 file to download (one slide per step,
//! the step's text on it), with the same read access as `/graphql`. A story has at most
//! `service::stories::MAX_STEPS` steps, so the body is built whole, not streamed.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

use super::admission;
use super::media;
use super::refusal::{Refusal, request_id};
use super::state::AppState;
use crate::error::ServiceError;
use crate::exchange::{self, ExportError};
use crate::graphql::errors::ErrorCode;
use crate::ids::{self, NodeKind};
use crate::service::stories;

pub async fn timelinejs(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let request = request_id(&headers);
    let refusal_media = media::for_refusal(&headers);
    match build(&state, &headers, &id).await {
        Ok(response) => response,
        Err(refusal) => refusal.respond(refusal_media, &request),
    }
}

async fn build(state: &AppState, headers: &HeaderMap, id: &str) -> Result<Response, Refusal> {
    let authorization = headers.get(header::AUTHORIZATION).map(|value| value.to_str().unwrap_or_default());
    admission::authenticate(&state.db, authorization, state.settings.read_access).await?;
    let id = ids::decode(NodeKind::Story, id, "id").map_err(refusal)?;
    let row = stories::get(&state.db, id)
        .await
        .map_err(refusal)?
        .ok_or_else(|| Refusal::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, "no story has this ID"))?;
    let timeline = exchange::story_timeline(&state.db, &row).await.map_err(|error| match error {
        ExportError::Service(error) => refusal(error),
        ExportError::Io(error) => {
            tracing::error!(%error, "cannot write a story's TimelineJS file");
            Refusal::internal()
        }
    })?;
    let body = serde_json::to_vec_pretty(&timeline).map_err(|error| {
        tracing::error!(%error, "cannot write a story's TimelineJS file");
        Refusal::internal()
    })?;
    let mut response = Response::new(axum::body::Body::from(body));
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers
        .insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"chronik-story.json\""));
    Ok(response)
}

fn refusal(error: ServiceError) -> Refusal {
    match error {
        ServiceError::Validation { field, message } => Refusal::validation(field, message),
        other => {
            tracing::error!(error = %other, "cannot read a story");
            Refusal::internal()
        }
    }
}
