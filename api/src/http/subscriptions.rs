//! `/graphql/ws`: subscriptions over WebSocket, in graphql-transport-ws (or the older
//! subscriptions-transport-ws, subprotocol `graphql-ws`). A token, when needed or given, travels
//! in the `connection_init` payload as `{"Authorization": "Bearer …"}` and is admitted as over
//! HTTP. async-graphql speaks the protocol; every operation it is asked to run goes through
//! [`Admitting`] first, the WebSocket's side of the one admission path: the same document limits
//! as HTTP, mutations refused (they are sent with POST, where the rate limit and the audit trail
//! see them), the caps on open subscriptions, and the sharing of one execution among the
//! subscribers of the same operation (`fanout.rs`).
//!
//! This module closes a graphql-transport-ws connection with the codes that protocol names: 4403
//! for a refused `connection_init` or a token revoked while the connection is open (4500 when the
//! token cannot be checked), 4408 when `connection_init` does not come in time, 4400 for a
//! message it cannot read, 4401 for a `subscribe` before the acknowledgement. Errors in `next`
//! messages carry `extensions.code` (graphql/errors.rs); over the older protocol a refusal is a
//! `connection_error` whose payload carries it too.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, WebSocket as Protocol, WebSocketProtocols, WsMessage};
use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Executor, Request, Response as GraphqlResponse, Value};
use axum::Extension;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use axum::extract::{ConnectInfo, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use futures_util::stream::{self, BoxStream};
use futures_util::{SinkExt, StreamExt, future};
use serde_json::json;
use tokio::sync::watch;

use super::admission;
use super::fanout::Key;
use super::media;
use super::refusal::{Refusal, request_id};
use super::revocation::Revoked;
use super::state::AppState;
use crate::auth::Principal;
use crate::db::Editor;
use crate::graphql::errors::{ErrorCode, RequestId};

/// graphql-transport-ws close codes (its PROTOCOL.md, and graphql-ws's for 4500).
mod close {
    pub const BAD_REQUEST: u16 = 4400;
    pub const UNAUTHORIZED: u16 = 4401;
    pub const FORBIDDEN: u16 = 4403;
    pub const CONNECTION_INITIALISATION_TIMEOUT: u16 = 4408;
    pub const INTERNAL_SERVER_ERROR: u16 = 4500;
}

pub async fn upgrade(
    State(state): State<AppState>,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let id = request_id(&headers);
    let refuse = |refusal: Refusal| refusal.respond(media::for_refusal(&headers), &id);
    let upgrade = match upgrade {
        Ok(upgrade) => upgrade,
        Err(rejection) => {
            return refuse(Refusal::new(rejection.status(), ErrorCode::BadRequest, rejection.body_text()));
        }
    };
    let Some(protocol) = protocol(&headers) else {
        return refuse(Refusal::bad_request("name the subprotocol: Sec-WebSocket-Protocol: graphql-transport-ws"));
    };
    let address = connection.map(|Extension(ConnectInfo(address))| address.ip());
    let connection = Arc::new(Connection { request_id: id, address, principal: OnceLock::new() });
    upgrade.protocols(ALL_WEBSOCKET_PROTOCOLS).on_upgrade(move |socket| serve(state, protocol, connection, socket))
}

/// Any other method on `/graphql/ws`.
pub async fn other_method(headers: HeaderMap) -> Response {
    Refusal::method_not_allowed("GET", "open the WebSocket with GET")
        .respond(media::for_refusal(&headers), &request_id(&headers))
}

/// The first subprotocol the client names that async-graphql speaks.
fn protocol(headers: &HeaderMap) -> Option<WebSocketProtocols> {
    let names = headers.get(header::SEC_WEBSOCKET_PROTOCOL)?.to_str().ok()?;
    names.split(',').find_map(|name| name.trim().parse().ok())
}

/// One WebSocket connection: who opened it and from where.
struct Connection {
    request_id: RequestId,
    address: Option<IpAddr>,
    /// Set when `connection_init` is accepted: the token's principal, or None for no token.
    principal: OnceLock<Option<Principal>>,
}

async fn serve(state: AppState, protocol: WebSocketProtocols, connection: Arc<Connection>, socket: WebSocket) {
    let (mut sink, stream) = socket.split();
    let input = stream.take_while(|message| future::ready(message.is_ok())).filter_map(|message| {
        future::ready(match message {
            Ok(message @ (Message::Text(_) | Message::Binary(_))) => Some(message.into_data()),
            Ok(Message::Ping(_) | Message::Pong(_) | Message::Close(_)) | Err(_) => None,
        })
    });
    let limits = state.settings.connections;
    let mut revoked = state.revocations.subscribe();
    let request_id = connection.request_id.clone();
    // Errors of every operation on this connection quote the ID of the request that opened it.
    let mut connection_data = Data::default();
    connection_data.insert(request_id.clone());
    let refused = Arc::new(OnceLock::new());
    let executor = Admitting { state: state.clone(), connection: connection.clone() };
    let messages = Protocol::new(executor, input, protocol).connection_data(connection_data).on_connection_init({
        let refused = refused.clone();
        let connection = connection.clone();
        move |payload| async move {
            let authorization = payload.get("Authorization").and_then(|value| value.as_str());
            match admission::authenticate(&state.db, authorization, state.settings.read_access).await {
                Ok(principal) => {
                    let _ = connection.principal.set(principal);
                    // The executor puts the principal into each request it admits.
                    Ok(Data::default())
                }
                Err(refusal) => {
                    let error = async_graphql::Error::new(refusal.message());
                    let _ = refused.set(refusal);
                    Err(error)
                }
            }
        }
    });
    futures_util::pin_mut!(messages);
    let init_deadline = tokio::time::sleep(Duration::from_secs(limits.ws_init_timeout));
    futures_util::pin_mut!(init_deadline);
    // Pings draw a pong from a live client, which keeps a quiet subscription under the idle timeout.
    let every = Duration::from_secs(limits.idle_timeout.max(2) / 2);
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    loop {
        let outgoing = tokio::select! {
            message = messages.next() => match message {
                Some(message) => frame(message, protocol, refused.get(), &request_id),
                None => break,
            },
            () = &mut init_deadline, if connection.principal.get().is_none() => {
                close_frame(close::CONNECTION_INITIALISATION_TIMEOUT, "Connection initialisation timeout".into())
            }
            () = revocation(&mut revoked, &connection) => {
                close_frame(close::FORBIDDEN, "the token of this connection was revoked".into())
            }
            _ = ping.tick() => Message::Ping(Default::default()),
        };
        let closing = matches!(outgoing, Message::Close(_));
        if sink.send(outgoing).await.is_err() || closing {
            break;
        }
    }
}

/// Completes when the token the connection was opened with is revoked (never for no token).
async fn revocation(revoked: &mut watch::Receiver<Revoked>, connection: &Connection) {
    loop {
        if let Some(Some(principal)) = connection.principal.get()
            && revoked.borrow_and_update().contains(&principal.name)
        {
            return;
        }
        if revoked.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// What runs the operations of one connection, once they are admitted.
#[derive(Clone)]
struct Admitting {
    state: AppState,
    connection: Arc<Connection>,
}

impl Admitting {
    /// The principal once the connection is acknowledged (async-graphql runs nothing before).
    fn principal(&self) -> Option<&Principal> {
        self.connection.principal.get().and_then(Option::as_ref)
    }

    /// The request with what its resolvers read: the request ID, the principal, and the
    /// database as this principal (the audit trail's `by` and `request_id`).
    fn with_context(&self, request: Request) -> Request {
        let principal = self.principal().cloned();
        let editor = Editor {
            name: principal.as_ref().map(|p| p.name.clone()),
            request_id: Some(self.connection.request_id.0.clone()),
        };
        let request = request.data(self.connection.request_id.clone()).data(self.state.db.acting_as(editor));
        match principal {
            Some(principal) => request.data(principal),
            None => request,
        }
    }

    /// A stream of one response: the refusal, as an error with its code.
    fn refused(&self, refusal: &Refusal) -> BoxStream<'static, GraphqlResponse> {
        let response = GraphqlResponse::from_errors(vec![refusal.error(&self.connection.request_id)]);
        stream::once(future::ready(response)).boxed()
    }

    fn admit(&self, mut request: Request) -> BoxStream<'static, GraphqlResponse> {
        let operation = match admission::check_document(&mut request, &self.state.settings.limits) {
            Ok(checked) => checked.and_then(|checked| checked.operation),
            Err(refusal) => return self.refused(&refusal),
        };
        match operation {
            // Refused rather than run here: over POST a mutation meets the rate limit and the
            // audit trail; one path for writes is simpler to keep safe than two.
            Some(OperationType::Mutation) => self.refused(&Refusal::new(
                StatusCode::METHOD_NOT_ALLOWED,
                ErrorCode::MethodNotAllowed,
                "mutations are not taken over WebSocket: send them with POST to /graphql",
            )),
            Some(OperationType::Query) => {
                let (schema, request) = (self.state.schema.clone(), self.with_context(request));
                let seconds = self.state.settings.limits.request_timeout;
                let refusal = Refusal::timeout(seconds).error(&self.connection.request_id);
                let (limit, id) = (self.state.settings.limits.max_response_bytes, self.connection.request_id.clone());
                let room = self.state.queries.clone();
                stream::once(async move {
                    // Its place among the queries that run at once, waited for within its time.
                    let answer = tokio::time::timeout(Duration::from_secs(seconds), async {
                        let _place = room.enter().await;
                        bounded(schema.execute(request).await, limit, &id)
                    });
                    match answer.await {
                        Ok(response) => response,
                        Err(_) => GraphqlResponse::from_errors(vec![refusal]),
                    }
                })
                .boxed()
            }
            // A document that does not parse runs alone, for the executor to explain its error.
            None => self.state.schema.execute_stream(self.with_context(request)).boxed(),
            Some(OperationType::Subscription) => {
                let place = match self.state.fanout.reserve(self.connection.address) {
                    Ok(place) => place,
                    Err(refusal) => return self.refused(&refusal),
                };
                let key = Key::new(&request, self.principal().map(|principal| principal.role));
                let (schema, request) = (self.state.schema.clone(), self.with_context(request));
                let (limit, first) =
                    (self.state.settings.limits.max_response_bytes, self.connection.request_id.clone());
                // Measured once for every subscriber it is shared with.
                let shared = self.state.fanout.join(key, move || {
                    schema.execute_stream(request).map(move |response| bounded(response, limit, &first)).boxed()
                });
                let id = self.connection.request_id.clone();
                shared
                    .map(move |response| {
                        // Holds the place under the caps for as long as the subscription is open.
                        let _open = &place;
                        for_subscriber(&response, &id)
                    })
                    .boxed()
            }
        }
    }
}

/// A shared response as one subscriber gets it: its errors quote this subscriber's request ID.
/// The response, or a `LIMIT` error in its place when it would be larger than `limit` bytes:
/// the second fence, as over HTTP (the complexity limit is the first).
fn bounded(response: GraphqlResponse, limit: usize, id: &RequestId) -> GraphqlResponse {
    match super::graphql::within(&response, limit) {
        Ok(Some(_)) => response,
        Ok(None) => GraphqlResponse::from_errors(vec![
            Refusal::limit(format!(
                "the response would be larger than {limit} bytes; ask for fewer fields or smaller pages"
            ))
            .error(id),
        ]),
        Err(error) => {
            tracing::error!(%error, "could not serialise a GraphQL response");
            GraphqlResponse::from_errors(vec![Refusal::internal().error(id)])
        }
    }
}

fn for_subscriber(shared: &GraphqlResponse, id: &RequestId) -> GraphqlResponse {
    let mut response = GraphqlResponse::new(shared.data.clone());
    response.extensions = shared.extensions.clone();
    response.errors = shared.errors.clone();
    for error in &mut response.errors {
        if let Some(extensions) = error.extensions.as_mut()
            && extensions.get("requestId").is_some()
        {
            extensions.set("requestId", Value::String(id.0.clone()));
        }
    }
    response
}

impl Executor for Admitting {
    async fn execute(&self, request: Request) -> GraphqlResponse {
        self.admit(request).next().await.unwrap_or_default()
    }

    fn execute_stream(&self, request: Request, _session: Option<Arc<Data>>) -> BoxStream<'static, GraphqlResponse> {
        self.admit(request)
    }
}

/// A message of async-graphql's as it goes out: a refused `connection_init` is told with the
/// refusal's code, and graphql-transport-ws closes with the protocol's codes.
fn frame(message: WsMessage, protocol: WebSocketProtocols, refused: Option<&Refusal>, id: &RequestId) -> Message {
    match (message, protocol, refused) {
        // After a refusal the only text async-graphql sends is the connection_error.
        (WsMessage::Text(_), WebSocketProtocols::SubscriptionsTransportWS, Some(refusal)) => {
            Message::text(json!({ "type": "connection_error", "payload": refusal.error(id) }).to_string())
        }
        (WsMessage::Text(text), _, _) => Message::text(text),
        (WsMessage::Close(code, reason), WebSocketProtocols::SubscriptionsTransportWS, _) => close_frame(code, reason),
        (WsMessage::Close(_, reason), WebSocketProtocols::GraphQLWS, Some(refusal)) => {
            close_frame(refused_close_code(refusal.code()), reason)
        }
        (WsMessage::Close(code, reason), WebSocketProtocols::GraphQLWS, None) => {
            let code = match code {
                // async-graphql's "protocol error" for a message it cannot parse.
                1002 => close::BAD_REQUEST,
                // async-graphql's "internal error" for a subscribe before connection_ack.
                1011 => close::UNAUTHORIZED,
                other => other,
            };
            close_frame(code, reason)
        }
    }
}

fn close_frame(code: u16, reason: String) -> Message {
    Message::Close(Some(CloseFrame { code, reason: reason.into() }))
}

/// How graphql-transport-ws closes a connection whose `connection_init` was refused.
fn refused_close_code(code: ErrorCode) -> u16 {
    match code {
        ErrorCode::Unauthenticated | ErrorCode::Forbidden => close::FORBIDDEN,
        ErrorCode::Internal | ErrorCode::Unavailable | ErrorCode::Timeout => close::INTERNAL_SERVER_ERROR,
        ErrorCode::Validation
        | ErrorCode::NotFound
        | ErrorCode::Conflict
        | ErrorCode::BadRequest
        | ErrorCode::Limit
        | ErrorCode::MethodNotAllowed
        | ErrorCode::NotAcceptable
        | ErrorCode::PayloadTooLarge
        | ErrorCode::UnsupportedMediaType
        | ErrorCode::RateLimited => close::BAD_REQUEST,
    }
}
