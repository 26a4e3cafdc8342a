//! `extractFromText`: the dates and candidate events of an article's text, for an editor to
//! review before anything is kept. A query, not a mutation: it writes nothing, so anyone who may
//! read may call it (with `--read-access token`, a reader's token); its cost is bounded by the
//! length of the text (`service::extraction::MAX_TEXT`), and it runs on a blocking thread.

use async_graphql::{Context, ID, InputObject, Object, Result};

use crate::db::Database;
use crate::graphql::types::extraction::Extraction;
use crate::ids::{self, NodeKind};
use crate::service::extraction::{self, ExtractRequest};

/// An article to read.
#[derive(InputObject)]
pub struct ExtractFromTextInput {
    /// The article's text, at most 100,000 characters.
    pub text: String,
    /// The publication date the relative dates are resolved against: a date (`2024-03-02`) or
    /// an RFC 3339 instant (its date taken in `timeZone`). Without it, the source's date.
    pub published: Option<String>,
    /// The IANA time zone of the article (`Europe/Berlin`): a publication instant's date and the
    /// extracted dates' instants are read in it.
    pub time_zone: Option<String>,
    /// The source the article is, if it is stored already.
    pub source_id: Option<ID>,
}

#[derive(Default)]
pub struct ExtractQuery;

#[Object]
impl ExtractQuery {
    /// The dates of an article's text, resolved against its publication date ("last month" in an
    /// article of 2 March 2024 is `2024-02`), and the events it proposes: one per sentence that
    /// reports something happening, with a title, a kind, a date, the actors it names (known
    /// ones matched by name and aliases), the sentence as the quote and a confidence; those of
    /// a scraped page's trailer are marked. Nothing is stored: accept a candidate with
    /// `createEvent`. Bad input fails with VALIDATION naming `input.text`, `input.published`,
    /// `input.timeZone` or `input.sourceId`.
    async fn extract_from_text(&self, ctx: &Context<'_>, input: ExtractFromTextInput) -> Result<Extraction> {
        let db = ctx.data::<Database>()?;
        let source_id = input.source_id.map(|id| ids::decode(NodeKind::Source, &id, "input.sourceId")).transpose()?;
        let request =
            ExtractRequest { text: input.text, published: input.published, time_zone: input.time_zone, source_id };
        let extracted = extraction::run(db, request).await?;
        Ok(Extraction::new(db, extracted))
    }
}
