//! Maps service errors to GraphQL errors with `extensions.code`, one place for the whole API.
//! Internal errors are logged with the request's ID and reach the client only as INTERNAL.

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute};
use async_graphql::{Response, ServerError};

use crate::error::ServiceError;

/// The request's ID (from the `x-request-id` header), carried in the GraphQL context.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodesExtension)
    }
}

struct ErrorCodesExtension;

#[async_trait::async_trait]
impl Extension for ErrorCodesExtension {
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        let request_id = ctx.data_opt::<RequestId>().map(|id| id.0.clone()).unwrap_or_default();
        for error in &mut response.errors {
            map_error(error, &request_id);
        }
        response
    }
}

fn map_error(error: &mut ServerError, request_id: &str) {
    let Some(source) = error.source::<ServiceError>() else {
        return;
    };
    let (code, field, message) = match source {
        ServiceError::Validation { field, message } => {
            ("VALIDATION", Some(field.clone()), format!("{field}: {message}"))
        }
        ServiceError::NotFound { .. } => ("NOT_FOUND", None, source.to_string()),
        ServiceError::Conflict(message) => ("CONFLICT", None, message.clone()),
        ServiceError::Unauthenticated => ("UNAUTHENTICATED", None, source.to_string()),
        ServiceError::Forbidden => ("FORBIDDEN", None, source.to_string()),
        ServiceError::Unavailable(message) => {
            tracing::error!(request_id, message, "a write was refused");
            ("UNAVAILABLE", None, message.clone())
        }
        ServiceError::Database(detail) => {
            tracing::error!(request_id, error = %detail, "internal error");
            ("INTERNAL", None, format!("internal error; quote request ID {request_id} when reporting it"))
        }
    };
    error.message = message;
    let extensions = error.extensions.get_or_insert_with(Default::default);
    extensions.set("code", code);
    if let Some(field) = field {
        extensions.set("field", field);
    }
    if !request_id.is_empty() {
        extensions.set("requestId", request_id);
    }
}
