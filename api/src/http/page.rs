//! `/`: the page served by the binary itself (a placeholder until the timeline page lands).

use axum::response::Html;

const INDEX: &str = include_str!("../../../frontend/index.html");

pub async fn index() -> Html<&'static str> {
    Html(INDEX)
}
