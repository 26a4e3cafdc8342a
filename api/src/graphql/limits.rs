//! The document limits the schema checks, refused with code LIMIT as the other limits are:
//! depth and complexity, checked here once a document has validated (async-graphql measures
//! both as it validates), with a message that names the measure and the limit; and the two that
//! async-graphql checks as it parses (nesting past its recursion depth, directives on one field
//! past the limit), whose errors are recoded.

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{ServerError, ServerResult, ValidationResult, Variables};

use super::errors::{ErrorCode, RequestId, coded};

/// How async-graphql's parse-time limit errors begin (tests/http.rs proves the first, so an
/// async-graphql that words it otherwise is noticed).
const PARSE_LIMITS: [&str; 2] = ["The recursion depth of the query", "The number of directives on the field"];

/// Deepest nesting and highest complexity a document may have.
#[derive(Debug, Clone, Copy)]
pub struct DocumentLimits {
    pub max_depth: usize,
    pub max_complexity: usize,
}

impl ExtensionFactory for DocumentLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

fn request_id(ctx: &ExtensionContext<'_>) -> RequestId {
    ctx.data_opt::<RequestId>().cloned().unwrap_or_default()
}

#[async_trait::async_trait]
impl Extension for DocumentLimits {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables).await.map_err(|error| {
            if PARSE_LIMITS.iter().any(|start| error.message.starts_with(start)) {
                ServerError { extensions: coded(ErrorCode::Limit, "", &request_id(ctx)).extensions, ..error }
            } else {
                error
            }
        })
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        let over = |what: &str, value: usize, limit: usize| {
            let message = format!("the document's {what} is {value}; the limit is {limit}");
            vec![coded(ErrorCode::Limit, message, &request_id(ctx))]
        };
        if result.depth > self.max_depth {
            return Err(over("depth", result.depth, self.max_depth));
        }
        if result.complexity > self.max_complexity {
            return Err(over("complexity", result.complexity, self.max_complexity));
        }
        Ok(result)
    }
}
