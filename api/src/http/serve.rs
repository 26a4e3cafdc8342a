//! Serving the router over TCP: HTTP/1.1 connections bounded in time (a deadline for a request's
//! headers, which also ends a connection idle between requests, and an idle timeout on the socket
//! itself, WebSockets included) and in number (a cap on open connections, past which a little room
//! is kept for `/healthz`, so a health check still answers when the server is full).

use std::convert::Infallible;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::Response;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio_io_timeout::TimeoutStream;
use tower::ServiceExt;

use super::media;
use super::refusal::{Refusal, request_id};
use super::state::AppState;
use crate::config::ConnectionLimits;
use crate::graphql::errors::ErrorCode;

/// Connections let in past the cap to answer `/healthz` (anything else gets a 503).
pub const HEALTH_ROOM: usize = 16;

/// How long a connection past the cap has to send its request's headers: a health check sends
/// them at once, and the room is free again soon after a flood of idle sockets takes it.
const HEALTH_HEADER_TIMEOUT: Duration = Duration::from_millis(500);

/// How long a graceful shutdown waits for requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Serves the application on `listener` until `shutdown` completes, then lets the requests in
/// flight finish (for up to 30 s).
pub async fn serve(listener: TcpListener, state: AppState, shutdown: impl Future<Output = ()>) -> io::Result<()> {
    let limits = state.settings.connections;
    let router = super::app(state);
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let health_room = Arc::new(Semaphore::new(HEALTH_ROOM));
    // Told to every connection when the server stops; each holds a receiver of `running`
    // until it ends, so the server knows when they all have.
    let (stopping, stop) = watch::channel(());
    let (running, ended) = watch::channel(());
    let mut http = hyper::server::conn::http1::Builder::new();
    // hyper starts this deadline whenever it waits for a request's head: on a new connection and
    // between the requests of a kept-alive one.
    http.timer(TokioTimer::new()).header_read_timeout(Duration::from_secs(limits.header_timeout.max(1)));
    let mut health_http = http.clone();
    health_http.header_read_timeout(HEALTH_HEADER_TIMEOUT);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (socket, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Usually out of file descriptors: wait for some to close rather than spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let (place, full) = match open.clone().try_acquire_owned() {
            Ok(place) => (place, false),
            Err(_) => match health_room.clone().try_acquire_owned() {
                Ok(place) => (place, true),
                Err(_) => {
                    tracing::debug!(%peer, "too many open connections: closed at once");
                    continue;
                }
            },
        };
        let io = TokioIo::new(Held::new(socket, place, &limits));
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            // The client's address feeds the rate limit and the caps on subscriptions.
            request.extensions_mut().insert(ConnectInfo(peer));
            let router = router.clone();
            async move {
                if full && request.uri().path() != "/healthz" {
                    return Ok::<_, Infallible>(too_many_connections(&request));
                }
                router.oneshot(request.map(Body::new)).await
            }
        });
        let builder = if full { &health_http } else { &http };
        let connection = builder.serve_connection(io, service).with_upgrades();
        let (mut stop, ended) = (stop.clone(), ended.clone());
        tokio::spawn(async move {
            let mut connection = std::pin::pin!(connection);
            let result = tokio::select! {
                result = connection.as_mut() => result,
                _ = stop.changed() => {
                    // Ends the connection after the request in flight (at once when idle).
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(error) = result {
                tracing::debug!(%error, %peer, "a connection ended with an error");
            }
            drop(ended);
        });
    }
    drop(listener);
    drop(ended);
    let _ = stopping.send(());
    if tokio::time::timeout(SHUTDOWN_GRACE, running.closed()).await.is_err() {
        tracing::warn!("requests still running after {} s; stopping anyway", SHUTDOWN_GRACE.as_secs());
    }
    Ok(())
}

/// The answer to anything but `/healthz` on a connection past the cap; the connection closes after.
fn too_many_connections<B>(request: &Request<B>) -> Response {
    let headers = request.headers();
    let mut response = Refusal::new(
        StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Unavailable,
        "too many open connections; try again later",
    )
    .respond(media::for_refusal(headers), &request_id(headers));
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// A connection's socket, closed when it goes without reading or writing a byte for the idle
/// timeout, and holding its place under the cap: the place is given back when the socket is
/// dropped, which for a WebSocket is when it closes, not when HTTP hands it over.
struct Held {
    socket: Pin<Box<TimeoutStream<TcpStream>>>,
    _place: OwnedSemaphorePermit,
}

impl Held {
    fn new(socket: TcpStream, place: OwnedSemaphorePermit, limits: &ConnectionLimits) -> Self {
        // Small writes (WebSocket messages) go out at once.
        let _ = socket.set_nodelay(true);
        let mut socket = TimeoutStream::new(socket);
        let idle = Some(Duration::from_secs(limits.idle_timeout.max(1)));
        socket.set_read_timeout(idle);
        socket.set_write_timeout(idle);
        Self { socket: Box::pin(socket), _place: place }
    }
}

impl AsyncRead for Held {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        self.socket.as_mut().poll_read(cx, buf)
    }
}

impl AsyncWrite for Held {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.socket.as_mut().poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.socket.as_mut().poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.socket.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.socket.as_mut().poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.socket.as_mut().poll_shutdown(cx)
    }
}
