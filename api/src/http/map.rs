//! The page's map settings: `GET /map/config` tells the page whether a tile server was named
//! (`--map-tiles`); without one (the default) the page draws the world basemap bundled into it and
//! loads nothing from any other host. A named tile server's origin is let into the page's
//! `img-src` (page.rs), and nothing else is.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::state::AppState;

/// A raster tile URL template (`{z}`, `{x}`, `{y}`), checked at start-up, with the origin the
/// page's Content-Security-Policy lets its images come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TileUrl {
    url: String,
    origin: String,
}

impl TileUrl {
    /// Reads `--map-tiles`: an http(s) URL naming `{z}`, `{x}` and `{y}`, whose host may begin
    /// with `{s}.`; visible ASCII only (a header's value), and nothing that could end a
    /// directive of the policy (`;`, `,`, quotes, spaces).
    pub fn parse(text: &str) -> Result<TileUrl, String> {
        let url = text.trim();
        let Some((scheme, rest)) = url.split_once("://") else {
            return Err("map tiles: an http:// or https:// URL is needed".into());
        };
        if scheme != "https" && scheme != "http" {
            return Err(format!("map tiles: the scheme must be http or https, not {scheme}"));
        }
        if let Some(bad) = url.chars().find(|c| !c.is_ascii_graphic() || ";,'\"<>\\`".contains(*c)) {
            return Err(format!("map tiles: the URL may not hold {bad:?}"));
        }
        for part in ["{z}", "{x}", "{y}"] {
            if !url.contains(part) {
                return Err(format!(
                    "map tiles: the URL must name {part} (e.g. https://tiles.example.org/{{z}}/{{x}}/{{y}}.png)"
                ));
            }
        }
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let (wildcard, named) = match host.strip_prefix("{s}.") {
            Some(named) => (true, named),
            None => (false, host),
        };
        if named.is_empty() || named.contains(['{', '}', '@']) {
            return Err(format!("map tiles: the host must be a plain name ({{s}}. may begin it), not {host:?}"));
        }
        let origin = if wildcard { format!("{scheme}://*.{named}") } else { format!("{scheme}://{named}") };
        Ok(TileUrl { url: url.to_owned(), origin })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// What the Content-Security-Policy names: `https://tiles.example.org`, `https://*.tile.example.org`.
    pub fn origin(&self) -> &str {
        &self.origin
    }
}

#[derive(Serialize)]
struct Tiles<'a> {
    url: &'a str,
    attribution: Option<&'a str>,
}

#[derive(Serialize)]
struct MapConfig<'a> {
    /// Null: the bundled basemap.
    tiles: Option<Tiles<'a>>,
}

/// `GET /map/config`: `{"tiles": null}` unless the server was started with `--map-tiles`.
pub async fn config(State(state): State<AppState>) -> Response {
    let map = &state.settings.map;
    let tiles =
        map.map_tiles.as_ref().map(|tiles| Tiles { url: tiles.url(), attribution: map.map_attribution.as_deref() });
    let mut response = Json(MapConfig { tiles }).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_urls_and_their_origins() {
        let plain = TileUrl::parse("https://tiles.example.org/{z}/{x}/{y}.png").expect("a plain URL");
        assert_eq!(plain.origin(), "https://tiles.example.org");
        assert_eq!(plain.url(), "https://tiles.example.org/{z}/{x}/{y}.png");
        let port = TileUrl::parse(" http://127.0.0.1:9000/t/{z}/{x}/{y}.png?key=1 ").expect("with a port");
        assert_eq!(port.origin(), "http://127.0.0.1:9000");
        let subdomains = TileUrl::parse("https://{s}.tile.example.org/{z}/{x}/{y}.png").expect("subdomains");
        assert_eq!(subdomains.origin(), "https://*.tile.example.org");
    }

    #[test]
    fn tile_urls_that_could_not_work_or_could_widen_the_policy_are_refused() {
        for (text, says) in [
            ("tiles.example.org/{z}/{x}/{y}.png", "http:// or https://"),
            ("ftp://tiles.example.org/{z}/{x}/{y}.png", "scheme"),
            ("https://tiles.example.org/{z}/{x}.png", "{y}"),
            ("https://tiles.example.org; script-src *;/{z}/{x}/{y}", "may not hold"),
            ("https://a.org/{z}/{x}/{y}.png,https://b.org", "may not hold"),
            ("https://tiles.{s}.example.org/{z}/{x}/{y}.png", "plain name"),
            ("https:///{z}/{x}/{y}.png", "plain name"),
            ("https://user@tiles.example.org/{z}/{x}/{y}.png", "plain name"),
            ("https://tîles.example.org/{z}/{x}/{y}.png", "may not hold"),
        ] {
            let error = TileUrl::parse(text).expect_err(text);
            assert!(error.starts_with("map tiles:") && error.contains(says), "{text}: {error}");
        }
    }
}
