//! The parameters of a GraphQL-over-HTTP POST body: `query` (required), `operationName`,
//! `variables` and `extensions` (each may be missing or null). A body without a `query`, or with
//! a parameter of the wrong type, is not a GraphQL request: the handler refuses it with 400.
//! (async-graphql's own `Request` takes a missing `query` for an empty document.) A GET's query
//! string carries the same parameters, with `variables` and `extensions` as JSON text.

use async_graphql::{BatchRequest, Extensions, Request, Variables};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Params {
    query: String,
    #[serde(default)]
    operation_name: Option<String>,
    #[serde(default)]
    variables: Variables,
    #[serde(default)]
    extensions: Extensions,
}

impl From<Params> for Request {
    fn from(params: Params) -> Self {
        let query = super::surrogates::pair_escapes(&params.query).into_owned();
        let mut request = Request::new(query).variables(params.variables);
        request.operation_name = params.operation_name;
        request.extensions = params.extensions;
        request
    }
}

/// A POST body: one request (a JSON object) or a batch of them (a non-empty JSON array).
pub fn parse(body: &[u8]) -> Result<BatchRequest, String> {
    let batch = body.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'[');
    if !batch {
        let params: Params = serde_json::from_slice(body).map_err(|error| error.to_string())?;
        return Ok(BatchRequest::Single(params.into()));
    }
    let batch: Vec<Params> = serde_json::from_slice(body).map_err(|error| error.to_string())?;
    if batch.is_empty() {
        return Err("a batch holds at least one operation".to_owned());
    }
    Ok(BatchRequest::Batch(batch.into_iter().map(Request::from).collect()))
}

/// A GET's query string: `query` (required), `operationName`, `variables` and `extensions`
/// (JSON text), each at most once.
pub fn parse_get(query_string: &str) -> Result<Request, String> {
    let (mut query, mut operation_name, mut variables, mut extensions) = (None, None, None, None);
    for (name, value) in url::form_urlencoded::parse(query_string.as_bytes()) {
        let slot = match name.as_ref() {
            "query" => &mut query,
            "operationName" => &mut operation_name,
            "variables" => &mut variables,
            "extensions" => &mut extensions,
            _ => continue,
        };
        if slot.replace(value.into_owned()).is_some() {
            return Err(format!("the parameter {name} is given twice"));
        }
    }
    let Some(query) = query else {
        return Err("the query string has no query parameter".to_owned());
    };
    let json = |name: &str, text: Option<String>| -> Result<Option<serde_json::Value>, String> {
        text.filter(|text| !text.is_empty())
            .map(|text| serde_json::from_str(&text).map_err(|error| format!("{name} is not JSON: {error}")))
            .transpose()
    };
    let params = Params {
        query,
        operation_name: operation_name.filter(|name| !name.is_empty()),
        variables: match json("variables", variables)? {
            Some(value) => serde_json::from_value(value).map_err(|error| format!("variables: {error}"))?,
            None => Variables::default(),
        },
        extensions: match json("extensions", extensions)? {
            Some(value) => serde_json::from_value(value).map_err(|error| format!("extensions: {error}"))?,
            None => Extensions::default(),
        },
    };
    Ok(params.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_get_takes_the_specs_parameter_names() {
        let request = parse_get("query=query%20A%20%7B%20x%20%7D&operationName=A&variables=%7B%22a%22%3A1%7D").unwrap();
        assert_eq!(request.operation_name.as_deref(), Some("A"));
        assert_eq!(request.variables.get("a"), Some(&async_graphql::Value::from(1)));
        assert!(parse_get("operationName=A").is_err());
        assert!(parse_get("query=x&query=y").is_err());
        assert!(parse_get("query=x&variables=%7B").is_err());
        assert!(parse_get("query=x&variables=&operationName=").is_ok());
    }

    #[test]
    fn takes_the_parameters_and_refuses_a_body_without_a_query() {
        let BatchRequest::Single(request) = parse(
            br#"{"query":"query Q($a: Int) { x }","operationName":"Q","variables":{"a":1},"extensions":{"e":true}}"#,
        )
        .unwrap() else {
            panic!("a single request");
        };
        assert_eq!(request.operation_name.as_deref(), Some("Q"));
        assert_eq!(request.variables.get("a"), Some(&async_graphql::Value::from(1)));
        assert!(request.extensions.contains_key("e"));
        assert!(parse(br#"{"query":"{ x }","operationName":null,"variables":null,"extensions":null}"#).is_ok());
        assert!(
            matches!(parse(br#" [{"query":"{ x }"},{"query":"{ y }"}]"#), Ok(BatchRequest::Batch(b)) if b.len() == 2)
        );

        assert!(parse(br#"{"qeury":"{ x }"}"#).unwrap_err().contains("missing field `query`"));
        assert!(parse(br#"{"query":"{ x }","variables":"a=1"}"#).is_err());
        assert!(parse(br#"{"query":"{ x }","extensions":[1]}"#).is_err());
        assert!(parse(br#"{"query":1}"#).is_err());
        assert!(parse(b"[]").is_err());
        assert!(parse(b"").is_err());
    }
}
