//! The pages served by the binary itself: the timeline at `/`, GraphiQL at `/graphiql` and their
//! assets at `/assets/…`, all built by `frontend/` (Vite) and embedded at compile time, so the
//! binary needs no Node and the pages load nothing from any other host.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

use super::map::TileUrl;
use super::state::AppState;

/// `frontend/dist`, embedded in debug builds too (`debug-embed`), so tests run from any directory.
#[derive(RustEmbed)]
#[folder = "../frontend/dist/"]
struct Dist;

/// Pages: scripts, styles, fonts, workers and API calls only from this server; inline styles are
/// allowed (GraphiQL's editor sets them). WebSocket URLs are named by scheme: older browsers do not
/// let `'self'` cover `ws:` to the same host. `{tiles}`: the map's tile server, when one is named.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data: blob:{tiles}; font-src 'self' data:; connect-src 'self' ws: wss:; worker-src 'self' blob:; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The policy of the pages: images from the map's tile server too, when `--map-tiles` names one.
fn content_security_policy(tiles: Option<&TileUrl>) -> String {
    let extra = tiles.map(|t| format!(" {}", t.origin())).unwrap_or_default();
    CONTENT_SECURITY_POLICY.replace("{tiles}", &extra)
}

/// Hashed asset names never change content, so browsers may keep them for a year.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Pages and unhashed files are revalidated (cheaply, by ETag) on every load.
const REVALIDATE: &str = "no-cache";

pub async fn index(State(state): State<AppState>, headers: HeaderMap) -> Response {
    serve("index.html", &headers, state.settings.map.map_tiles.as_ref())
}

pub async fn graphiql(State(state): State<AppState>, headers: HeaderMap) -> Response {
    serve("graphiql.html", &headers, state.settings.map.map_tiles.as_ref())
}

pub async fn asset(Path(path): Path<String>, headers: HeaderMap) -> Response {
    serve(&format!("assets/{path}"), &headers, None)
}

fn serve(path: &str, request: &HeaderMap, tiles: Option<&TileUrl>) -> Response {
    let Some(file) = Dist::get(path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{}\"", hex(&file.metadata.sha256_hash()));
    let cache = if is_hashed(path) { IMMUTABLE } else { REVALIDATE };
    let mut headers = HeaderMap::new();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    let matches = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag || tag.trim() == "*"));
    if matches {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    let kind = content_type(path);
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if kind.starts_with("text/html") {
        // TileUrl::parse lets only visible ASCII through; were anything else to reach here, the
        // page would still get the policy, without the tiles.
        let policy = HeaderValue::from_str(&content_security_policy(tiles))
            .or_else(|_| HeaderValue::from_str(&content_security_policy(None)));
        if let Ok(policy) = policy {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    }
    (StatusCode::OK, headers, file.data.into_owned()).into_response()
}

/// Vite names built files `name-HASH.ext` with an 8-character hash of their content.
fn is_hashed(path: &str) -> bool {
    let Some(name) = path.strip_prefix("assets/") else {
        return false;
    };
    let stem = name.split('.').next().unwrap_or_default();
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    })
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("ttf") => "font/ttf",
        Some("wasm") => "application/wasm",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_pages_and_their_assets_are_embedded() {
        let index = Dist::get("index.html").expect("index.html embedded");
        let html = String::from_utf8_lossy(&index.data);
        assert!(html.contains("Chronik"));
        assert!(Dist::get("graphiql.html").is_some(), "graphiql.html embedded");
        let assets: Vec<_> = Dist::iter().filter(|p| p.starts_with("assets/")).collect();
        assert!(!assets.is_empty());
        // Every asset a page names is embedded.
        for page in ["index.html", "graphiql.html"] {
            let file = Dist::get(page).expect("page");
            let text = String::from_utf8_lossy(&file.data).into_owned();
            for part in text.split("\"/assets/").skip(1) {
                let name = part.split('"').next().expect("name");
                assert!(Dist::get(&format!("assets/{name}")).is_some(), "{page} names missing assets/{name}");
            }
        }
    }

    #[test]
    fn the_policy_names_no_other_host_unless_tiles_are_configured() {
        let policy = content_security_policy(None);
        assert!(policy.contains("img-src 'self' data: blob:;"), "{policy}");
        assert!(!policy.contains("http"), "{policy}");
        let tiles = TileUrl::parse("https://{s}.tile.example.org/{z}/{x}/{y}.png").expect("a tile URL");
        let policy = content_security_policy(Some(&tiles));
        assert!(policy.contains("img-src 'self' data: blob: https://*.tile.example.org;"), "{policy}");
        assert!(policy.contains("connect-src 'self' ws: wss:;"), "{policy}");
    }

    #[test]
    fn hashed_names_and_content_types() {
        assert!(is_hashed("assets/index-COfWfy1Z.js"));
        assert!(is_hashed("assets/monaco-editor-Bf3fPnGV.css"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("assets/logo.svg"));
        assert_eq!(content_type("assets/a-12345678.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("assets/codicon-DCmgc-ay.ttf"), "font/ttf");
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/x.unknown"), "application/octet-stream");
    }
}
