//! `/graphql/ws`: subscriptions over WebSocket, in graphql-transport-ws (or the older
//! subscriptions-transport-ws, subprotocol `graphql-ws`). A token, when needed or given, travels
//! in the `connection_init` payload as `{"Authorization": "Bearer …"}` and is admitted as over
//! HTTP. async-graphql speaks the protocol; this module closes a graphql-transport-ws connection
//! with the codes that protocol names: 4403 for a refused `connection_init` (4500 when the token
//! cannot be checked), 4400 for a message it cannot read, 4401 for a `subscribe` before the
//! acknowledgement. Errors in `next` messages carry `extensions.code` (graphql/errors.rs); over
//! the older protocol a refusal is a `connection_error` whose payload carries it too.

use std::sync::{Arc, OnceLock};

use async_graphql::Data;
use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, WebSocket as Protocol, WebSocketProtocols, WsMessage};
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use axum::extract::{State, WebSocketUpgrade};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use futures_util::{SinkExt, StreamExt, future};
use serde_json::json;

use super::admission;
use super::media;
use super::refusal::{Refusal, request_id};
use super::state::AppState;
use crate::graphql::errors::{ErrorCode, RequestId};

/// graphql-transport-ws close codes (its PROTOCOL.md, and graphql-ws's for 4500).
mod close {
    pub const BAD_REQUEST: u16 = 4400;
    pub const UNAUTHORIZED: u16 = 4401;
    pub const FORBIDDEN: u16 = 4403;
    pub const INTERNAL_SERVER_ERROR: u16 = 4500;
}

pub async fn upgrade(
    State(state): State<AppState>,
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
    upgrade.protocols(ALL_WEBSOCKET_PROTOCOLS).on_upgrade(move |socket| serve(state, protocol, id, socket))
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

async fn serve(state: AppState, protocol: WebSocketProtocols, request_id: RequestId, socket: WebSocket) {
    let (mut sink, stream) = socket.split();
    let input = stream.take_while(|message| future::ready(message.is_ok())).filter_map(|message| {
        future::ready(match message {
            Ok(message @ (Message::Text(_) | Message::Binary(_))) => Some(message.into_data()),
            Ok(Message::Ping(_) | Message::Pong(_) | Message::Close(_)) | Err(_) => None,
        })
    });
    // Errors of every operation on this connection quote the ID of the request that opened it.
    let mut connection = Data::default();
    connection.insert(request_id.clone());
    let refused = Arc::new(OnceLock::new());
    let messages =
        Protocol::new(state.schema.clone(), input, protocol).connection_data(connection).on_connection_init({
            let refused = refused.clone();
            move |payload| async move {
                let authorization = payload.get("Authorization").and_then(|value| value.as_str());
                match admission::authenticate(&state.db, authorization, state.settings.read_access).await {
                    Ok(principal) => {
                        let mut data = Data::default();
                        if let Some(principal) = principal {
                            data.insert(principal);
                        }
                        Ok(data)
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
    while let Some(message) = messages.next().await {
        if sink.send(frame(message, protocol, refused.get(), &request_id)).await.is_err() {
            break;
        }
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
