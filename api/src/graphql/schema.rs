//! The schema as the transports and the tests run it: every response's errors coded
//! (`errors.rs`) and a refusal over the depth or complexity limit explained (`limits.rs`), around
//! an async-graphql schema that has no extension, so that its fields resolve without one.

use std::sync::Arc;

use async_graphql::{BatchRequest, BatchResponse, Request, Response, Schema};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;

use super::errors::{RequestId, map_errors};
use super::limits::{self, DocumentLimits, Measure, Replay};
use super::mutation::MutationRoot;
use super::query::QueryRoot;
use super::subscription::SubscriptionRoot;
use crate::config::RequestLimits;
use crate::db::Database;

type Inner = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// The API's schema. Cloning it is cheap: both schemas are shared.
#[derive(Clone)]
pub struct AppSchema {
    running: Inner,
    /// Validates a refused document again to say which limit it is over, and by how much.
    probe: Inner,
}

/// Builds the schema with the database in its context and the limits of `limits`.
pub fn build_schema(db: Database, limits: &RequestLimits) -> AppSchema {
    let document = DocumentLimits { max_depth: limits.max_depth, max_complexity: limits.max_complexity };
    let build = || {
        let builder = Schema::build(QueryRoot::default(), MutationRoot::default(), SubscriptionRoot)
            .limit_directives(limits.max_directives);
        if limits.introspection {
            builder
        } else {
            // Suggestions ("did you mean …") would leak the schema that introspection hides.
            builder.disable_introspection().disable_suggestions()
        }
    };
    AppSchema {
        running: build().data(db).limit_depth(document.max_depth).limit_complexity(document.max_complexity).finish(),
        // No database: it could not run a resolver even if its extension let a document through.
        probe: build().extension(Measure(document)).finish(),
    }
}

impl AppSchema {
    /// Runs one request.
    pub async fn execute(&self, request: impl Into<Request>) -> Response {
        let request = request.into();
        let (request_id, replay) = (RequestId::of(&request), Replay::of(&request));
        let response = self.running.execute(request).await;
        self.finish(response, &request_id, &replay).await
    }

    /// Runs the requests of a batch one after the other, as async-graphql does.
    pub async fn execute_batch(&self, batch: BatchRequest) -> BatchResponse {
        match batch {
            BatchRequest::Single(request) => BatchResponse::Single(self.execute(request).await),
            BatchRequest::Batch(requests) => {
                let mut responses = Vec::with_capacity(requests.len());
                for request in requests {
                    responses.push(self.execute(request).await);
                }
                BatchResponse::Batch(responses)
            }
        }
    }

    /// Runs a subscription (or any operation) as a stream of responses.
    pub fn execute_stream(&self, request: impl Into<Request>) -> BoxStream<'static, Response> {
        let request = request.into();
        let context = Arc::new((self.clone(), RequestId::of(&request), Replay::of(&request)));
        self.running
            .execute_stream(request)
            .then(move |response| {
                let context = context.clone();
                async move {
                    let (schema, request_id, replay) = &*context;
                    schema.finish(response, request_id, replay).await
                }
            })
            .boxed()
    }

    async fn finish(&self, mut response: Response, request_id: &RequestId, replay: &Replay) -> Response {
        if limits::over_limit(&response) {
            response = Response::from_errors(limits::explain(&self.probe, replay, request_id).await);
        }
        map_errors(&mut response, &request_id.0);
        response
    }
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(QueryRoot::default(), MutationRoot::default(), SubscriptionRoot).finish().sdl()
}
