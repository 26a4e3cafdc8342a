//! The suggested vocabularies, for forms and clients.

use async_graphql::{Object, SimpleObject};

use crate::service::vocabulary;

/// The suggested terms; event kinds, roles and link kinds also accept terms of your own.
#[derive(SimpleObject)]
pub struct Vocabulary {
    pub event_kinds: Vec<&'static str>,
    pub actor_kinds: Vec<&'static str>,
    pub roles: Vec<&'static str>,
    pub link_kinds: Vec<&'static str>,
    pub confidence: Vec<&'static str>,
    pub citation_supports: Vec<&'static str>,
}

#[derive(Default)]
pub struct VocabularyQuery;

#[Object]
impl VocabularyQuery {
    async fn vocabulary(&self) -> Vocabulary {
        Vocabulary {
            event_kinds: vocabulary::EVENT_KINDS.to_vec(),
            actor_kinds: vocabulary::ACTOR_KINDS.to_vec(),
            roles: vocabulary::ROLES.to_vec(),
            link_kinds: vocabulary::LINK_KINDS.to_vec(),
            confidence: vocabulary::CONFIDENCE.to_vec(),
            citation_supports: vocabulary::CITATION_SUPPORTS.to_vec(),
        }
    }
}
