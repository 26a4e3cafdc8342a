//! Schema migrations of Chronik, run on every start. A migration, once released, is never edited.

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_core_tables;
mod m20261125_000002_search_index;
mod m20261125_000003_external_ids;
mod m20261125_000004_access_tokens;
mod m20261125_000005_audit_and_revisions;
mod m20261201_000006_span_class;
mod m20261201_000007_event_days;
mod m20261201_000008_revision_snapshots_in_audit;
mod m20261202_000009_revision_timeline_order;
mod m20261206_000010_open_dates;
mod m20261206_000011_evidence;
mod m20261206_000012_notes;
mod m20261206_000013_views_and_stories;
mod m20261206_000014_contentless_search;
mod m20261207_000015_search_merge_width;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_core_tables::Migration),
            Box::new(m20261125_000002_search_index::Migration),
            Box::new(m20261125_000003_external_ids::Migration),
            Box::new(m20261125_000004_access_tokens::Migration),
            Box::new(m20261125_000005_audit_and_revisions::Migration),
            Box::new(m20261201_000006_span_class::Migration),
            Box::new(m20261201_000007_event_days::Migration),
            Box::new(m20261201_000008_revision_snapshots_in_audit::Migration),
            Box::new(m20261202_000009_revision_timeline_order::Migration),
            Box::new(m20261206_000010_open_dates::Migration),
            Box::new(m20261206_000011_evidence::Migration),
            Box::new(m20261206_000012_notes::Migration),
            Box::new(m20261206_000013_views_and_stories::Migration),
            Box::new(m20261206_000014_contentless_search::Migration),
            Box::new(m20261207_000015_search_merge_width::Migration),
        ]
    }
}
