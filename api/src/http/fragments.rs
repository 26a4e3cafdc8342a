//! How many fields a document selects once its fragments are expanded, counted without expanding
//! them: each fragment's expanded size is worked out once and reused wherever it is spread, so a
//! chain of fragments that each spread the next twice costs a few additions here, where
//! async-graphql's validation would visit every one of its 2^n copies.

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, OperationDefinition, Selection, SelectionSet};
use async_graphql::{Name, Positioned};

/// The expanded size of each fragment, worked out once.
struct Sizes<'a> {
    document: &'a ExecutableDocument,
    known: HashMap<&'a Name, usize>,
    /// Fragments being sized, to stop at a cycle (refused later by validation, which names it).
    open: Vec<&'a Name>,
    /// Whether the fields under a field count too, or only the fields of the top level.
    deep: bool,
}

impl<'a> Sizes<'a> {
    fn set(&mut self, set: &'a Positioned<SelectionSet>) -> usize {
        set.node.items.iter().fold(0usize, |total, item| {
            let size = match &item.node {
                Selection::Field(field) if self.deep => self.set(&field.node.selection_set).saturating_add(1),
                Selection::Field(_) => 1,
                Selection::InlineFragment(inline) => self.set(&inline.node.selection_set),
                Selection::FragmentSpread(spread) => self.fragment(&spread.node.fragment_name.node),
            };
            total.saturating_add(size)
        })
    }

    fn fragment(&mut self, name: &'a Name) -> usize {
        if let Some(size) = self.known.get(name) {
            return *size;
        }
        // An unknown fragment or a cycle counts nothing here; validation refuses both.
        let Some(fragment) = self.document.fragments.get(name) else {
            return 0;
        };
        if self.open.contains(&name) {
            return 0;
        }
        self.open.push(name);
        let size = self.set(&fragment.node.selection_set);
        self.open.pop();
        self.known.insert(name, size);
        size
    }
}

/// The fields every operation of the document selects, each fragment spread counted as many
/// times as it is spread (saturating, so a doubling chain of any length gives a number).
pub fn expanded_fields(document: &ExecutableDocument) -> usize {
    let mut sizes = Sizes { document, known: HashMap::new(), open: Vec::new(), deep: true };
    document
        .operations
        .iter()
        .fold(0usize, |total, (_, operation)| total.saturating_add(sizes.set(&operation.node.selection_set)))
}

/// The fields at the top of an operation, fragments there looked into and counted with their
/// multiplicity: for a mutation, how many mutations it runs.
pub fn root_fields<'a>(document: &'a ExecutableDocument, operation: &'a Positioned<OperationDefinition>) -> usize {
    let mut sizes = Sizes { document, known: HashMap::new(), open: Vec::new(), deep: false };
    sizes.set(&operation.node.selection_set)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(query: &str) -> usize {
        expanded_fields(&async_graphql::parser::parse_query(query).unwrap())
    }

    #[test]
    fn counts_each_spread_with_its_multiplicity() {
        assert_eq!(expanded("{ a b { c } }"), 3);
        assert_eq!(expanded("{ ...F ...F } fragment F on Query { a b }"), 4);
        assert_eq!(expanded("{ ... on Query { a ...F } } fragment F on Query { b }"), 2);
    }

    #[test]
    fn a_doubling_chain_is_counted_without_being_expanded() {
        let mut query = String::from("{ ...F0 } fragment F26 on Query { __typename }");
        for level in 0..26 {
            query.push_str(&format!(" fragment F{level} on Query {{ ...F{next} ...F{next} }}", next = level + 1));
        }
        assert_eq!(expanded(&query), 1 << 26);
        let mut long = String::from("{ ...F0 } fragment F200 on Query { __typename }");
        for level in 0..200 {
            long.push_str(&format!(" fragment F{level} on Query {{ ...F{next} ...F{next} }}", next = level + 1));
        }
        assert_eq!(expanded(&long), usize::MAX);
    }

    #[test]
    fn root_fields_count_the_mutations_an_operation_runs() {
        let document = async_graphql::parser::parse_query(
            "mutation { a: x { y z } b: x { y } ...F ... on M { c: x { y } } } fragment F on M { d: x { y } e: x { y } }",
        )
        .unwrap();
        let (_, operation) = document.operations.iter().next().unwrap();
        assert_eq!(root_fields(&document, operation), 5);
    }

    #[test]
    fn cycles_and_unknown_fragments_count_nothing() {
        assert_eq!(expanded("{ ...A } fragment A on Query { a ...B } fragment B on Query { b ...A }"), 2);
        assert_eq!(expanded("{ a ...Missing }"), 1);
    }
}
