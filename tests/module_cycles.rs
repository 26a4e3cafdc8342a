//! No two modules of `api/src` import each other (issue 14): a rule has one home, and the layers
//! stay layers. Outside `graphql::types`, whose object types mirror the graph (an event has
//! sources, a source has events), a module that needs another's helpers while that one needs
//! its own is a sign the helpers want a module of their own.
//!
//! Every `crate::…` and `super::…` path of each file counts, in `use` trees and in code and
//! attributes alike (a clap `value_parser = crate::…` is an import too); doc comments do not.
//! A module and its own ancestors or descendants are one family and are not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// Module path, e.g. `["service", "events"]`; the crate root is empty.
type ModulePath = Vec<String>;

/// Where mutual imports are expected: the GraphQL object types follow the graph's edges.
const MIRRORS_THE_GRAPH: &[&str] = &["graphql", "types"];

#[test]
fn no_two_modules_of_the_api_import_each_other() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("api/src");
    let graph = import_graph(&root);
    assert!(graph.len() > 50, "expected the api's modules under {}, found {}", root.display(), graph.len());
    let mutual = mutual_pairs(&graph);
    assert!(
        mutual.is_empty(),
        "these modules import each other (move what both need into a module of their own):\n{}",
        mutual.iter().map(|(a, b)| format!("  {} <-> {}", a.join("::"), b.join("::"))).collect::<Vec<_>>().join("\n")
    );
}

/// The checker itself: it finds a pair made through a `use` group, through a path in code, and
/// through an attribute, and leaves doc links, parents and `graphql::types` alone.
#[test]
fn the_checker_finds_each_kind_of_import() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let files: &[(&str, &str)] = &[
        ("lib.rs", "mod a; mod b; mod c; mod d; mod graphql;"),
        ("a.rs", "use crate::{b::{self, Thing as Other}, c};\n/// See [`crate::d`].\nfn f() {}"),
        ("b.rs", "fn f() { let _ = crate::a::helper(); }"),
        ("c.rs", "#[derive(Args)] struct S { #[arg(value_parser = crate::a::parse)] x: u8 }"),
        ("d.rs", "fn f() {}"),
        ("graphql/mod.rs", "mod types;"),
        ("graphql/types/mod.rs", "mod event; mod source; use super::super::a;"),
        ("graphql/types/event.rs", "use super::source::Source;"),
        ("graphql/types/source.rs", "use super::event::Event;"),
    ];
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create a folder");
        std::fs::write(path, text).expect("write a file");
    }
    let mutual = mutual_pairs(&import_graph(dir.path()));
    let named: Vec<String> = mutual.iter().map(|(a, b)| format!("{}<->{}", a.join("::"), b.join("::"))).collect();
    assert_eq!(named, ["a<->b", "a<->c"]);
}

/// Each file's module and the modules it names.
fn import_graph(root: &Path) -> BTreeMap<ModulePath, BTreeSet<ModulePath>> {
    let files = rust_files(root);
    let modules: BTreeSet<ModulePath> = files.iter().map(|file| module_of(root, file)).collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        let module = module_of(root, file);
        let text = std::fs::read_to_string(file).expect("read a source file");
        let tokens: TokenStream = text.parse().unwrap_or_else(|e| panic!("{} does not tokenize: {e}", file.display()));
        let mut named = Vec::new();
        walk(tokens, &Scope { module: module.clone() }, &mut named);
        let targets = named
            .into_iter()
            .filter_map(|path| innermost_module(&modules, &path))
            .filter(|target| !target.starts_with(&module) && !module.starts_with(target))
            .collect();
        graph.insert(module, targets);
    }
    graph
}

fn mutual_pairs(graph: &BTreeMap<ModulePath, BTreeSet<ModulePath>>) -> Vec<(ModulePath, ModulePath)> {
    let mirror: ModulePath = MIRRORS_THE_GRAPH.iter().map(|s| s.to_string()).collect();
    let mut pairs = Vec::new();
    for (a, targets) in graph {
        for b in targets {
            let both_mirror = a.starts_with(&mirror) && b.starts_with(&mirror);
            if a < b && !both_mirror && graph.get(b).is_some_and(|back| back.contains(a)) {
                pairs.push((a.clone(), b.clone()));
            }
        }
    }
    pairs
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read a source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn module_of(root: &Path, file: &Path) -> ModulePath {
    let relative = file.strip_prefix(root).expect("a file under the root").with_extension("");
    let mut path: ModulePath = relative.iter().map(|part| part.to_string_lossy().into_owned()).collect();
    if matches!(path.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        path.pop();
    }
    path
}

/// The longest prefix of `path` that is a file's module.
fn innermost_module(modules: &BTreeSet<ModulePath>, path: &[String]) -> Option<ModulePath> {
    (1..=path.len()).rev().map(|n| path[..n].to_vec()).find(|prefix| modules.contains(prefix))
}

/// The module a path is written in: what `self` means, and `super` its parent.
struct Scope {
    module: ModulePath,
}

impl Scope {
    fn parent(&self) -> ModulePath {
        let mut parent = self.module.clone();
        parent.pop();
        parent
    }

    fn inline(&self, name: String) -> Scope {
        let mut module = self.module.clone();
        module.push(name);
        Scope { module }
    }
}

/// Collects every absolute path the tokens name: `use` trees, then `crate::…` and `super::…`
/// anywhere else, inline `mod x { … }` blocks with their own `super`.
fn walk(tokens: TokenStream, scope: &Scope, named: &mut Vec<ModulePath>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            // `use` starts an import unless it is a bound's `use<…>` (precise capturing).
            TokenTree::Ident(ident) if ident == "use" && !tokens.get(i + 1).is_some_and(|t| is_punct(t, '<')) => {
                let end = (i..tokens.len()).find(|&j| is_punct(&tokens[j], ';')).unwrap_or(tokens.len());
                use_tree(&tokens[i + 1..end], None, scope, named);
                i = end + 1;
            }
            TokenTree::Ident(ident) if ident == "mod" => {
                if let (Some(TokenTree::Ident(name)), Some(TokenTree::Group(body))) =
                    (tokens.get(i + 1), tokens.get(i + 2))
                    && body.delimiter() == Delimiter::Brace
                {
                    walk(body.stream(), &scope.inline(name.to_string()), named);
                    i += 3;
                } else {
                    i += 1;
                }
            }
            TokenTree::Ident(ident) if (ident == "crate" || ident == "super") && is_path_separator(&tokens, i + 1) => {
                let (segments, next) = path_at(&tokens, i);
                if let Some(path) = absolute(&segments, scope) {
                    named.push(path);
                }
                i = next;
            }
            TokenTree::Group(group) => {
                walk(group.stream(), scope, named);
                i += 1;
            }
            TokenTree::Ident(_) | TokenTree::Punct(_) | TokenTree::Literal(_) => i += 1,
        }
    }
}

/// One `use` tree: `a::b::{c, d::e as f, *}`. `prefix` is None at the top, where only paths
/// from `crate`, `super` or `self` are the crate's own.
fn use_tree(tokens: &[TokenTree], prefix: Option<&ModulePath>, scope: &Scope, named: &mut Vec<ModulePath>) {
    for tree in split_commas(tokens) {
        let (segments, next) = path_at(tree, 0);
        let path = match prefix {
            Some(prefix) => {
                Some(prefix.iter().cloned().chain(segments.iter().filter(|s| *s != "self").cloned()).collect())
            }
            None => absolute(&segments, scope),
        };
        let Some(path) = path else { continue };
        match tree.get(next) {
            Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                use_tree(&inner, Some(&path), scope, named);
            }
            Some(_) | None => named.push(path),
        }
    }
}

/// `crate::a::b` → `[a, b]`; `super::super::x` climbs twice; other roots are other crates.
fn absolute(segments: &[String], scope: &Scope) -> Option<ModulePath> {
    let (first, rest) = segments.split_first()?;
    let mut base = match first.as_str() {
        "crate" => Vec::new(),
        "self" => scope.module.clone(),
        "super" => scope.parent(),
        _ => return None,
    };
    let mut rest = rest.iter().peekable();
    while rest.next_if(|s| *s == "super").is_some() {
        base.pop();
    }
    base.extend(rest.cloned());
    Some(base)
}

/// The identifiers of the path starting at `start`, and the index after its last one.
fn path_at(tokens: &[TokenTree], start: usize) -> (Vec<String>, usize) {
    let mut segments = Vec::new();
    let mut i = start;
    while let Some(TokenTree::Ident(ident)) = tokens.get(i) {
        segments.push(ident.to_string());
        if is_path_separator(tokens, i + 1) {
            i += 3;
        } else {
            i += 1;
            break;
        }
    }
    (segments, i)
}

fn is_path_separator(tokens: &[TokenTree], i: usize) -> bool {
    matches!((tokens.get(i), tokens.get(i + 1)), (Some(a), Some(b)) if is_punct(a, ':') && is_punct(b, ':'))
}

fn is_punct(token: &TokenTree, c: char) -> bool {
    matches!(token, TokenTree::Punct(p) if p.as_char() == c)
}

fn split_commas(tokens: &[TokenTree]) -> Vec<&[TokenTree]> {
    tokens.split(|t| is_punct(t, ',')).filter(|tree| !tree.is_empty()).collect()
}
