//! The document limits, refused with code LIMIT as the other limits are. The schema that runs
//! requests checks depth and complexity with async-graphql's own limits, which refuse a document
//! with a message that gives neither the measure nor the limit; such a refusal is explained by
//! validating the document again with a probe: a second schema of the same types whose only
//! extension reads the measures and refuses every document, so that nothing runs through it.
//!
//! The probe exists so that the running schema has no extension: async-graphql sends every
//! field of every response through its extensions' resolve chain when a schema has any, even
//! an extension that only looks at validation (BENCHMARKS.md, issue 15: the browser's timeline
//! page a fifth to a quarter cheaper without it).

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation};
use async_graphql::{
    ObjectType, Request, Response, Schema, ServerError, SubscriptionType, ValidationResult, Value, Variables,
};

use super::errors::{ErrorCode, OVER_LIMIT, RequestId, coded};

/// Deepest nesting and highest complexity a document may have.
#[derive(Debug, Clone, Copy)]
pub struct DocumentLimits {
    pub max_depth: usize,
    pub max_complexity: usize,
}

/// Whether a response is async-graphql's refusal of a document over the depth or complexity limit.
pub(crate) fn over_limit(response: &Response) -> bool {
    response.data == Value::Null && response.errors.iter().any(|error| OVER_LIMIT.contains(&error.message.as_str()))
}

/// What the probe needs of a request to validate it again: the running schema takes the request.
#[derive(Debug, Clone)]
pub(crate) struct Replay {
    query: String,
    operation_name: Option<String>,
    variables: Variables,
}

impl Replay {
    pub(crate) fn of(request: &Request) -> Self {
        Self {
            query: request.query.clone(),
            operation_name: request.operation_name.clone(),
            variables: request.variables.clone(),
        }
    }
}

/// The errors that explain why a document was refused over a limit: the measure that is over
/// its limit (depth before complexity), or the document's other validation errors, which
/// async-graphql's own limits hide behind theirs.
pub(crate) async fn explain<Q, M, S>(
    probe: &Schema<Q, M, S>,
    replay: &Replay,
    request_id: &RequestId,
) -> Vec<ServerError>
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    let mut request = Request::new(replay.query.clone()).variables(replay.variables.clone()).data(request_id.clone());
    if let Some(name) = &replay.operation_name {
        request = request.operation_name(name.clone());
    }
    let errors = probe.execute(request).await.errors;
    if errors.is_empty() {
        // The probe refuses every document; an empty answer would mean it ran one.
        tracing::error!(request_id = request_id.0, "the limits' probe answered without refusing");
        return vec![coded(ErrorCode::Internal, "internal error", request_id)];
    }
    errors
}

/// The probe's one extension: refuses every document, with the measure over its limit when
/// there is one.
pub(crate) struct Measure(pub DocumentLimits);

impl ExtensionFactory for Measure {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Measure(self.0))
    }
}

#[async_trait::async_trait]
impl Extension for Measure {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        let request_id = ctx.data_opt::<RequestId>().cloned().unwrap_or_default();
        let over = |what: &str, value: usize, limit: usize| {
            let message = format!("the document's {what} is {value}; the limit is {limit}");
            vec![coded(ErrorCode::Limit, message, &request_id)]
        };
        let DocumentLimits { max_depth, max_complexity } = self.0;
        if result.depth > max_depth {
            return Err(over("depth", result.depth, max_depth));
        }
        if result.complexity > max_complexity {
            return Err(over("complexity", result.complexity, max_complexity));
        }
        // Refused by the running schema and within both limits here: the two disagree.
        Err(vec![coded(
            ErrorCode::Limit,
            format!("the document is over the depth ({max_depth}) or complexity ({max_complexity}) limit"),
            &request_id,
        )])
    }
}
