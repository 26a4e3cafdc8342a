//! `/graphql/ws`: subscriptions over WebSocket (graphql-transport-ws). A token, when needed or
//! given, travels in the `connection_init` payload as `{"Authorization": "Bearer …"}`.

use async_graphql::Data;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::{State, WebSocketUpgrade};
use axum::response::Response;

use super::AppState;
use super::admission;
use crate::auth::ReadAccess;

pub async fn upgrade(State(state): State<AppState>, protocol: GraphQLProtocol, upgrade: WebSocketUpgrade) -> Response {
    upgrade.protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS).on_upgrade(move |stream| {
        let schema = state.schema.clone();
        GraphQLWebSocket::new(stream, schema, protocol)
            .on_connection_init(move |payload| async move {
                let authorization = payload.get("Authorization").and_then(|value| value.as_str()).map(str::to_owned);
                let mut data = Data::default();
                match authorization {
                    Some(value) => {
                        let principal = admission::principal_for(&state.db, &value)
                            .await
                            .map_err(|refusal| async_graphql::Error::new(refusal.message))?;
                        data.insert(principal);
                    }
                    None if state.settings.read_access == ReadAccess::Token => {
                        return Err(async_graphql::Error::new("this Chronik needs a token to read"));
                    }
                    None => {}
                }
                Ok(data)
            })
            .serve()
    })
}
