//! What a GraphQL request must pass before it runs: a valid token when it brings one (or when
//! reading needs one), a document within the limits on aliases, fields (its fragments expanded
//! too) and directives, and the rate limit on mutations (each mutation field a unit) per token
//! and per client address.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType, Selection, SelectionSet,
};
use async_graphql::{Positioned, Request};
use axum::http::StatusCode;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::auth::{Principal, ReadAccess, Role, tokens};
use crate::config::RequestLimits;
use crate::db::Database;
use crate::graphql::errors::ErrorCode;

use super::fragments;
use super::refusal::Refusal;

/// Who the request comes from, by its `Authorization` value (a header over HTTP, the
/// `connection_init` payload's entry over WebSocket): None when it brings no token. A token that
/// is malformed, unknown or revoked is refused outright, rather than silently treated as anonymous.
pub async fn authenticate(
    db: &Database,
    authorization: Option<&str>,
    read_access: ReadAccess,
) -> Result<Option<Principal>, Refusal> {
    let principal = match authorization {
        None => None,
        Some(value) => Some(principal_for(db, value).await?),
    };
    if principal.is_none() && read_access == ReadAccess::Token {
        return Err(Refusal::unauthenticated("this Chronik needs a token to read: send Authorization: Bearer <token>"));
    }
    Ok(principal)
}

/// The principal for an `Authorization` header value (`Bearer <token>`).
async fn principal_for(db: &Database, authorization: &str) -> Result<Principal, Refusal> {
    let Some(secret) = authorization.strip_prefix("Bearer ").map(str::trim) else {
        return Err(Refusal::unauthenticated("the Authorization header must be: Bearer <token>"));
    };
    match tokens::verify(db, secret).await {
        Ok(Some(principal)) => Ok(principal),
        Ok(None) => Err(Refusal::unauthenticated("unknown or revoked token")),
        Err(error) => {
            tracing::error!(%error, "cannot check a token");
            Err(Refusal::unavailable("cannot check the token now"))
        }
    }
}

/// Counts of what a document asks for, before any fragment is expanded.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub aliases: usize,
    pub fields: usize,
    pub directives: usize,
}

fn walk(set: &Positioned<SelectionSet>, shape: &mut Shape) {
    for item in &set.node.items {
        match &item.node {
            Selection::Field(field) => {
                shape.fields += 1;
                shape.aliases += usize::from(field.node.alias.is_some());
                shape.directives += field.node.directives.len();
                walk(&field.node.selection_set, shape);
            }
            Selection::FragmentSpread(spread) => shape.directives += spread.node.directives.len(),
            Selection::InlineFragment(inline) => {
                shape.directives += inline.node.directives.len();
                walk(&inline.node.selection_set, shape);
            }
        }
    }
}

/// What a parsed document asks for.
pub fn shape(document: &ExecutableDocument) -> Shape {
    let mut shape = Shape::default();
    for (_, operation) in document.operations.iter() {
        shape.directives += operation.node.directives.len();
        walk(&operation.node.selection_set, &mut shape);
    }
    for fragment in document.fragments.values() {
        shape.directives += fragment.node.directives.len();
        walk(&fragment.node.selection_set, &mut shape);
    }
    shape
}

/// The operation a request would run, if its document has it.
fn selected<'a>(
    operation_name: Option<&str>,
    document: &'a ExecutableDocument,
) -> Option<&'a Positioned<OperationDefinition>> {
    match (&document.operations, operation_name) {
        (DocumentOperations::Single(operation), _) => Some(operation),
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name),
        (DocumentOperations::Multiple(operations), None) => {
            // Several operations and no name: the request fails later unless there is just one.
            let mut all = operations.values();
            let first = all.next()?;
            all.next().is_none().then_some(first)
        }
    }
}

/// What admission learnt of a document that parses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    /// The type of the operation it runs (None: it names none that it has; execution says so).
    pub operation: Option<OperationType>,
    /// The mutation fields it runs (aliases and fragments counted), each a unit of the rate limit.
    pub mutations: usize,
}

/// Checks a request's document against the limits; says what it runs when it parses (a document
/// that does not parse is left to the executor, which explains the syntax error). The document
/// parsed here stays with the request, and the executor runs it without parsing it again.
pub fn check_document(request: &mut Request, limits: &RequestLimits) -> Result<Option<Checked>, Refusal> {
    // Named before the document borrows the request.
    let operation_name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        return Ok(None);
    };
    let shape = shape(document);
    let over = |what: &str, count: usize, limit: usize| {
        Refusal::limit(format!("the document has {count} {what}; the limit is {limit}"))
    };
    if shape.aliases > limits.max_aliases {
        return Err(over("aliases", shape.aliases, limits.max_aliases));
    }
    if shape.fields > limits.max_fields {
        return Err(over("fields", shape.fields, limits.max_fields));
    }
    if shape.directives > limits.max_directives {
        return Err(over("directives", shape.directives, limits.max_directives));
    }
    // Validation expands every fragment spread; a chain of doubling fragments would have it
    // visit millions of copies before any limit is checked, so the expanded size is refused here.
    let expanded = fragments::expanded_fields(document);
    if expanded > limits.max_expanded_fields {
        return Err(over("fields once its fragments are expanded", expanded, limits.max_expanded_fields));
    }
    let operation = selected(operation_name.as_deref(), document);
    let mutations = match operation {
        Some(operation) if operation.node.ty == OperationType::Mutation => fragments::root_fields(document, operation),
        Some(_) | None => 0,
    };
    Ok(Some(Checked { operation: operation.map(|operation| operation.node.ty), mutations }))
}

/// The rate limit on mutations: each mutation field a request runs takes a unit from the bucket
/// of its token and from the bucket of its client address.
pub struct MutationLimiter {
    limiter: DefaultKeyedRateLimiter<String>,
    per_minute: u32,
}

impl MutationLimiter {
    pub fn new(per_minute: u32) -> Arc<Self> {
        let per_minute = per_minute.max(1);
        let quota = Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN));
        Arc::new(Self { limiter: RateLimiter::keyed(quota), per_minute })
    }

    /// Takes `mutations` units from the buckets of this request, all or none of the request:
    /// refused when a bucket holds fewer, before anything runs.
    pub fn admit(
        &self,
        principal: Option<&Principal>,
        client: Option<SocketAddr>,
        mutations: usize,
    ) -> Result<(), Refusal> {
        // Forget idle buckets now and then, so the map does not grow with every address ever seen.
        if self.limiter.len() > 10_000 {
            self.limiter.retain_recent();
        }
        if mutations == 0 {
            return Ok(());
        }
        let too_many = || {
            Refusal::new(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                format!("the request runs {mutations} mutations; at most {} may run per minute", self.per_minute),
            )
        };
        let units = u32::try_from(mutations).ok().and_then(NonZeroU32::new).ok_or_else(too_many)?;
        for key in buckets(principal, client) {
            match self.limiter.check_key_n(&key, units) {
                Ok(Ok(())) => {}
                Ok(Err(_)) => return Err(Refusal::rate_limited()),
                Err(_) => return Err(too_many()),
            }
        }
        Ok(())
    }
}

/// The buckets a request's mutations are taken from. A token that may write (editor, admin) uses
/// its own and its address's. A request that may not (no token, a reader's) will be refused by
/// the mutations' guards; its attempts take from a bucket of their own per address, so that they
/// cannot empty the bucket an editor behind the same address (an office, a NAT) writes from.
fn buckets(principal: Option<&Principal>, client: Option<SocketAddr>) -> Vec<String> {
    let address = client.map(|client| address_key(client.ip()));
    match principal {
        Some(principal) if principal.role >= Role::Editor => {
            let mut keys = vec![format!("token:{}", principal.name)];
            keys.extend(address.map(|address| format!("address:{address}")));
            keys
        }
        Some(_) | None => address.map(|address| format!("refused:{address}")).into_iter().collect(),
    }
}

/// IPv6 clients are limited per /64, the block one subscriber usually holds.
pub(super) fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let segments = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", segments[0], segments[1], segments[2], segments[3])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_aliases_fields_and_directives_in_fragments_too() {
        let document = async_graphql::parser::parse_query(
            "query { a: events { edges { cursor } } ...F @skip(if: false) } fragment F on Query { b: actors { totalCount } }",
        )
        .unwrap();
        assert_eq!(shape(&document), Shape { aliases: 2, fields: 5, directives: 1 });
    }

    #[test]
    fn finds_the_operation_type() {
        let check = |query: &str, name: Option<&str>| {
            let mut request = Request::new(query);
            if let Some(name) = name {
                request = request.operation_name(name);
            }
            let document = async_graphql::parser::parse_query(&request.query).unwrap();
            selected(request.operation_name.as_deref(), &document).map(|operation| operation.node.ty)
        };
        assert_eq!(check("mutation { x }", None), Some(OperationType::Mutation));
        assert_eq!(check("query a { x } mutation b { y }", Some("b")), Some(OperationType::Mutation));
        assert_eq!(check("{ x }", None), Some(OperationType::Query));
    }
}
