//! The committed `schema.graphql` is the schema the code builds; run with `UPDATE_SCHEMA=1` to rewrite it.

use std::path::Path;

#[test]
fn committed_schema_matches_the_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.graphql");
    let built = chronik_api::graphql::sdl();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &built).expect("write schema.graphql");
    }
    let committed = std::fs::read_to_string(&path).expect("schema.graphql is committed at the repository root");
    assert!(
        committed == built,
        "schema.graphql differs from the schema the code builds; if the change is intended, run `UPDATE_SCHEMA=1 cargo test --test schema` and commit the file"
    );
}
