//! The client's `X-Request-Id`, screened: kept when it is a short token (at most 64 letters,
//! digits and `-_.:`, what tracing systems send), since it ties our log to theirs; any other is
//! replaced by one of ours and logged beside it, so that neither the log nor the audit trail
//! stores what a client made up.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

const X_REQUEST_ID: &str = "x-request-id";

/// The longest request ID a client may choose.
pub const MAX_LEN: usize = 64;

fn acceptable(value: &HeaderValue) -> bool {
    let bytes = value.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_LEN
        && bytes.iter().all(|byte| byte.is_ascii_alphanumeric() || b"-_.:".contains(byte))
}

/// Replaces a client's request ID that is not a short token by a new UUID, logging both.
pub async fn screen(mut request: Request, next: Next) -> Response {
    let refused: Vec<String> = request
        .headers()
        .get_all(X_REQUEST_ID)
        .iter()
        .filter(|value| !acceptable(value))
        .map(|value| String::from_utf8_lossy(value.as_bytes()).chars().take(200).collect())
        .collect();
    let several = request.headers().get_all(X_REQUEST_ID).iter().count() > 1;
    if !refused.is_empty() || several {
        let ours = uuid::Uuid::now_v7().to_string();
        tracing::info!(request_id = %ours, client_request_id = ?refused, "replaced the client's X-Request-Id");
        request.headers_mut().remove(X_REQUEST_ID);
        if let Ok(value) = HeaderValue::from_str(&ours) {
            request.headers_mut().insert(X_REQUEST_ID, value);
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_tokens_only() {
        assert!(acceptable(&HeaderValue::from_static("trace-me-42")));
        assert!(acceptable(&HeaderValue::from_static("0af7651916cd43dd8448eb211c80319c:b7ad6b71")));
        assert!(!acceptable(&HeaderValue::from_static("")));
        assert!(!acceptable(&HeaderValue::from_static("a b")));
        assert!(!acceptable(&HeaderValue::from_static("<script>")));
        assert!(!acceptable(&HeaderValue::from_str(&"a".repeat(MAX_LEN + 1)).unwrap()));
    }
}
