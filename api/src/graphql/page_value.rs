//! The timeline's page built as one value from its selection set (issue 15). A page of 100
//! events with their participants and citations is some 3,000 fields, and async-graphql resolves
//! each through a future of its own (boxed, in a set of futures, through the extensions' chain):
//! most of the server's CPU per page. When everything a query selects under `events` is a plain
//! field of the few types a page shows (see [`Plan::of`]), the relations selected are read in one
//! statement (`service::page_relations`) and the value built here, field by field in the
//! selection's order, the rows' text moved into it; anything else (another field, an argument, a
//! directive, a key or a field selected twice, an unreadable row) leaves the page to
//! async-graphql's own resolution. Either way the answer is the same.

use std::borrow::Cow;
use std::sync::Mutex;

use async_graphql::connection::{Edge, EmptyFields};
use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::resolver_utils::enum_value;
use async_graphql::{
    ContextSelectionSet, Name, OutputType, Positioned, ScalarType, SelectionField, ServerResult, Value,
};
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::connection::Paged;
use super::types::{Actor, Citation, DatePrecision, Event, FuzzyDate, Participation, Source};
use crate::error::ServiceError;
use crate::ids::{self, NodeKind};
use crate::service::dates::DateView;
use crate::service::event_row::{Shown, ShownEvent};
use crate::service::page::Page;
use crate::service::page_relations::{self, PageRelations, SourceColumns, Wanted};

/// What `events` answers: a value built here, or the connection for async-graphql to resolve.
/// Both are the schema's `EventConnection`.
pub enum EventsPage {
    Built(Mutex<Option<Value>>),
    Resolved(Paged<Event>),
}

impl OutputType for EventsPage {
    fn type_name() -> Cow<'static, str> {
        Paged::<Event>::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        Paged::<Event>::create_type_info(registry)
    }

    async fn resolve(&self, ctx: &ContextSelectionSet<'_>, field: &Positioned<Field>) -> ServerResult<Value> {
        match self {
            // A field is resolved once: the value is handed over, not copied.
            EventsPage::Built(value) => Ok(value.lock().ok().and_then(|mut value| value.take()).unwrap_or(Value::Null)),
            EventsPage::Resolved(connection) => connection.resolve(ctx, field).await,
        }
    }
}

/// The fields of a type selected, by their response keys, in the selection's order.
type Fields<F> = Vec<(Name, F)>;

enum ConnectionField {
    Typename,
    Edges(Fields<EdgeField>),
    /// Relay's shortcut for `edges { node }`.
    Nodes(Fields<EventField>),
    PageInfo(Fields<PageInfoField>),
}

enum EdgeField {
    Typename,
    Cursor,
    Node(Fields<EventField>),
}

enum PageInfoField {
    Typename,
    HasPreviousPage,
    HasNextPage,
    StartCursor,
    EndCursor,
}

enum EventField {
    Typename,
    Id,
    Title,
    Summary,
    Kind,
    Confidence,
    TimeZone,
    Version,
    Start(Fields<DateField>),
    End(Fields<DateField>),
    Participants(Fields<ParticipationField>),
    Citations(Fields<CitationField>),
}

enum DateField {
    Typename,
    Value,
    Precision,
    Earliest,
    Latest,
}

enum ParticipationField {
    Typename,
    Id,
    Role,
    Note,
    Actor(Fields<ActorField>),
}

enum ActorField {
    Typename,
    Id,
    Name,
    Kind,
    Description,
}

enum CitationField {
    Typename,
    Id,
    Quote,
    Supports,
    Source(Fields<SourceField>),
}

enum SourceField {
    Typename,
    Id,
    Title,
    Url,
    Publisher,
    Author,
}

/// The fields of `field`'s selection, each picked by `pick`; None when one is not a plain field
/// `pick` knows (an argument, a directive, a key selected twice, a field selected twice under
/// two keys, or a field it does not take). Each field is then valued once, so the page's value
/// takes its rows' text instead of copying it.
fn fields<F>(field: &SelectionField<'_>, pick: impl Fn(&SelectionField<'_>) -> Option<F>) -> Option<Fields<F>> {
    let mut picked: Fields<F> = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for selected in field.selection_set() {
        let plain = selected.arguments().ok()?.is_empty() && selected.directives().ok()?.is_empty();
        let key = selected.alias().unwrap_or_else(|| selected.name());
        if !plain || picked.iter().any(|(name, _)| name.as_str() == key) || names.contains(&selected.name()) {
            return None;
        }
        names.push(selected.name());
        picked.push((Name::new(key), pick(&selected)?));
    }
    Some(picked)
}

fn date(field: &SelectionField<'_>) -> Option<Fields<DateField>> {
    fields(field, |f| match f.name() {
        "__typename" => Some(DateField::Typename),
        "value" => Some(DateField::Value),
        "precision" => Some(DateField::Precision),
        "earliest" => Some(DateField::Earliest),
        "latest" => Some(DateField::Latest),
        _ => None,
    })
}

fn event_field(field: &SelectionField<'_>) -> Option<EventField> {
    Some(match field.name() {
        "__typename" => EventField::Typename,
        "id" => EventField::Id,
        "title" => EventField::Title,
        "summary" => EventField::Summary,
        "kind" => EventField::Kind,
        "confidence" => EventField::Confidence,
        "timeZone" => EventField::TimeZone,
        "version" => EventField::Version,
        "start" => EventField::Start(date(field)?),
        "end" => EventField::End(date(field)?),
        "participants" => EventField::Participants(fields(field, |f| {
            Some(match f.name() {
                "__typename" => ParticipationField::Typename,
                "id" => ParticipationField::Id,
                "role" => ParticipationField::Role,
                "note" => ParticipationField::Note,
                "actor" => ParticipationField::Actor(fields(f, |f| match f.name() {
                    "__typename" => Some(ActorField::Typename),
                    "id" => Some(ActorField::Id),
                    "name" => Some(ActorField::Name),
                    "kind" => Some(ActorField::Kind),
                    "description" => Some(ActorField::Description),
                    _ => None,
                })?),
                _ => return None,
            })
        })?),
        "citations" => EventField::Citations(fields(field, |f| {
            Some(match f.name() {
                "__typename" => CitationField::Typename,
                "id" => CitationField::Id,
                "quote" => CitationField::Quote,
                "supports" => CitationField::Supports,
                "source" => CitationField::Source(fields(f, |f| match f.name() {
                    "__typename" => Some(SourceField::Typename),
                    "id" => Some(SourceField::Id),
                    "title" => Some(SourceField::Title),
                    "url" => Some(SourceField::Url),
                    "publisher" => Some(SourceField::Publisher),
                    "author" => Some(SourceField::Author),
                    _ => None,
                })?),
                _ => return None,
            })
        })?),
        _ => return None,
    })
}

/// What a query selects under `events`, when all of it can be built here.
pub struct Plan {
    fields: Fields<ConnectionField>,
}

impl Plan {
    /// The plan of `field` (the `events` field), or None when async-graphql should resolve it.
    pub fn of(field: &SelectionField<'_>) -> Option<Plan> {
        let fields = fields(field, |f| {
            Some(match f.name() {
                "__typename" => ConnectionField::Typename,
                "edges" => ConnectionField::Edges(fields(f, |f| {
                    Some(match f.name() {
                        "__typename" => EdgeField::Typename,
                        "cursor" => EdgeField::Cursor,
                        "node" => EdgeField::Node(fields(f, event_field)?),
                        _ => return None,
                    })
                })?),
                "nodes" => ConnectionField::Nodes(fields(f, event_field)?),
                "pageInfo" => ConnectionField::PageInfo(fields(f, |f| match f.name() {
                    "__typename" => Some(PageInfoField::Typename),
                    "hasPreviousPage" => Some(PageInfoField::HasPreviousPage),
                    "hasNextPage" => Some(PageInfoField::HasNextPage),
                    "startCursor" => Some(PageInfoField::StartCursor),
                    "endCursor" => Some(PageInfoField::EndCursor),
                    _ => None,
                })?),
                _ => return None,
            })
        })?;
        // Both would show the page's rows, which the build moves into one of them.
        let edges = fields.iter().any(|(_, field)| matches!(field, ConnectionField::Edges(_)));
        let nodes = fields.iter().any(|(_, field)| matches!(field, ConnectionField::Nodes(_)));
        if edges && nodes {
            return None;
        }
        Some(Plan { fields })
    }

    /// The event fields selected under `edges { node }` or `nodes`, wherever they are.
    fn event_fields(&self) -> impl Iterator<Item = &EventField> {
        self.fields
            .iter()
            .flat_map(|(_, field)| {
                let (edges, nodes) = match field {
                    ConnectionField::Edges(edges) => (edges.as_slice(), None),
                    ConnectionField::Nodes(nodes) => (&[][..], Some(nodes)),
                    ConnectionField::Typename | ConnectionField::PageInfo(_) => (&[][..], None),
                };
                let under_edges = edges.iter().filter_map(|(_, field)| match field {
                    EdgeField::Node(node) => Some(node),
                    EdgeField::Typename | EdgeField::Cursor => None,
                });
                under_edges.flatten().chain(nodes.into_iter().flatten())
            })
            .map(|(_, field)| field)
    }

    /// The optional columns the page shows.
    pub fn shown(&self) -> Shown {
        Shown {
            summary: self.event_fields().any(|f| matches!(f, EventField::Summary)),
            end: self.event_fields().any(|f| matches!(f, EventField::End(_))),
        }
    }

    /// Whether an edge's cursor or the page's first or last is selected.
    fn shows_cursors(&self) -> bool {
        self.fields.iter().any(|(_, field)| match field {
            ConnectionField::Typename | ConnectionField::Nodes(_) => false,
            ConnectionField::Edges(edge) => edge.iter().any(|(_, field)| matches!(field, EdgeField::Cursor)),
            ConnectionField::PageInfo(info) => {
                info.iter().any(|(_, field)| matches!(field, PageInfoField::StartCursor | PageInfoField::EndCursor))
            }
        })
    }

    /// The page's value: its relations read on `reader` (those selected, in one statement), then every
    /// field built, the rows' text moved into it. None when a row cannot be shown here (an
    /// unreadable date), an error when a read fails: the caller then leaves the page to
    /// async-graphql, which reports either as it does.
    pub async fn build(
        &self,
        reader: &impl ConnectionTrait,
        page: Page<ShownEvent>,
        cursor: impl Fn(&ShownEvent) -> String,
    ) -> Result<Option<Value>, ServiceError> {
        let ids: Vec<Uuid> = page.items.iter().map(|row| row.id).collect();
        let wanted = Wanted {
            participants: self.event_fields().any(|f| matches!(f, EventField::Participants(_))),
            citations: self.event_fields().any(|f| matches!(f, EventField::Citations(_))),
        };
        let mut relations = page_relations::read(reader, &ids, wanted).await?;
        // A cursor is an encoding of the row's key: made only when one is shown.
        let cursors: Vec<String> =
            if self.shows_cursors() { page.items.iter().map(cursor).collect() } else { Vec::new() };
        // Each field is selected once (see `fields`): the rows are taken by the one that shows them.
        let mut rows = Some(page.items);
        Ok(object(&self.fields, |field| match field {
            ConnectionField::Typename => Some(Value::String(Paged::<Event>::type_name().into_owned())),
            ConnectionField::Edges(fields) => {
                let edges = rows.take().unwrap_or_default().into_iter().enumerate().map(|(index, row)| {
                    let mut row = Some(row);
                    object(fields, |field| match field {
                        EdgeField::Typename => {
                            Some(Value::String(Edge::<String, Event, EmptyFields>::type_name().into_owned()))
                        }
                        EdgeField::Cursor => cursors.get(index).cloned().map(Value::String),
                        EdgeField::Node(fields) => event_value(fields, row.take()?, &mut relations),
                    })
                });
                edges.collect::<Option<Vec<Value>>>().map(Value::List)
            }
            ConnectionField::Nodes(fields) => {
                let nodes =
                    rows.take().unwrap_or_default().into_iter().map(|row| event_value(fields, row, &mut relations));
                nodes.collect::<Option<Vec<Value>>>().map(Value::List)
            }
            ConnectionField::PageInfo(fields) => object(fields, |field| match field {
                PageInfoField::Typename => Some(Value::String("PageInfo".to_owned())),
                PageInfoField::HasPreviousPage => Some(Value::Boolean(page.has_previous)),
                PageInfoField::HasNextPage => Some(Value::Boolean(page.has_next)),
                PageInfoField::StartCursor => Some(cursors.first().cloned().map_or(Value::Null, Value::String)),
                PageInfoField::EndCursor => Some(cursors.last().cloned().map_or(Value::Null, Value::String)),
            }),
        }))
    }
}

/// An object of `fields`, each valued by `value`; None if one has no value here.
fn object<F>(fields: &Fields<F>, mut value: impl FnMut(&F) -> Option<Value>) -> Option<Value> {
    let mut object = IndexMap::with_capacity(fields.len());
    for (key, field) in fields {
        object.insert(key.clone(), value(field)?);
    }
    Some(Value::Object(object))
}

fn optional(text: Option<String>) -> Value {
    text.map_or(Value::Null, Value::String)
}

fn instant(at: Option<DateTime<Utc>>) -> Value {
    at.map_or(Value::Null, |at| at.to_value())
}

fn typename<T: OutputType>() -> Value {
    Value::String(T::type_name().into_owned())
}

fn date_value(fields: &Fields<DateField>, mut view: DateView) -> Option<Value> {
    object(fields, |field| {
        Some(match field {
            DateField::Typename => typename::<FuzzyDate>(),
            DateField::Value => Value::String(std::mem::take(&mut view.value)),
            DateField::Precision => enum_value(DatePrecision::from(view.precision)),
            DateField::Earliest => instant(view.earliest),
            DateField::Latest => instant(view.latest),
        })
    })
}

fn event_value(fields: &Fields<EventField>, mut row: ShownEvent, relations: &mut PageRelations) -> Option<Value> {
    let zone = row.time_zone.clone();
    object(fields, |field| match field {
        EventField::Typename => Some(typename::<Event>()),
        EventField::Id => Some(Value::String(ids::encode(NodeKind::Event, row.id))),
        EventField::Title => Some(Value::String(std::mem::take(&mut row.title))),
        EventField::Summary => Some(optional(row.summary.take())),
        EventField::Kind => Some(Value::String(std::mem::take(&mut row.kind))),
        EventField::Confidence => Some(Value::String(std::mem::take(&mut row.confidence))),
        EventField::TimeZone => Some(optional(row.time_zone.take())),
        EventField::Version => Some(Value::from(row.version)),
        EventField::Start(fields) => {
            // An unreadable start is an error of the field: async-graphql's resolution reports it.
            date_value(fields, row.start.take_view(zone.as_deref())?)
        }
        EventField::End(fields) => match row.end.take_view(zone.as_deref()) {
            Some(view) => date_value(fields, view),
            None => Some(Value::Null),
        },
        EventField::Participants(fields) => {
            let list =
                relations.participants.remove(&row.id).unwrap_or_default().into_iter().map(|mut participation| {
                    object(fields, |field| {
                        Some(match field {
                            ParticipationField::Typename => typename::<Participation>(),
                            ParticipationField::Id => {
                                Value::String(ids::encode(NodeKind::Participation, participation.id))
                            }
                            ParticipationField::Role => Value::String(std::mem::take(&mut participation.role)),
                            ParticipationField::Note => optional(participation.note.take()),
                            ParticipationField::Actor(fields) => match participation.actor.take() {
                                Some(actor) => actor_value(fields, participation.actor_id, actor)?,
                                None => Value::Null,
                            },
                        })
                    })
                });
            list.collect::<Option<Vec<Value>>>().map(Value::List)
        }
        EventField::Citations(fields) => {
            let list = relations.citations.remove(&row.id).unwrap_or_default().into_iter().map(|mut citation| {
                object(fields, |field| {
                    Some(match field {
                        CitationField::Typename => typename::<Citation>(),
                        CitationField::Id => Value::String(ids::encode(NodeKind::Citation, citation.id)),
                        CitationField::Quote => optional(citation.quote.take()),
                        CitationField::Supports => Value::String(std::mem::take(&mut citation.supports)),
                        CitationField::Source(fields) => match citation.source.take() {
                            Some(source) => source_value(fields, citation.source_id, source)?,
                            None => Value::Null,
                        },
                    })
                })
            });
            list.collect::<Option<Vec<Value>>>().map(Value::List)
        }
    })
}

fn actor_value(fields: &Fields<ActorField>, id: Uuid, actor: (String, String, Option<String>)) -> Option<Value> {
    let (mut name, mut kind, mut description) = actor;
    object(fields, |field| {
        Some(match field {
            ActorField::Typename => typename::<Actor>(),
            ActorField::Id => Value::String(ids::encode(NodeKind::Actor, id)),
            ActorField::Name => Value::String(std::mem::take(&mut name)),
            ActorField::Kind => Value::String(std::mem::take(&mut kind)),
            ActorField::Description => optional(description.take()),
        })
    })
}

fn source_value(fields: &Fields<SourceField>, id: Uuid, source: SourceColumns) -> Option<Value> {
    let (mut title, mut url, mut publisher, mut author) = source;
    object(fields, |field| {
        Some(match field {
            SourceField::Typename => typename::<Source>(),
            SourceField::Id => Value::String(ids::encode(NodeKind::Source, id)),
            SourceField::Title => Value::String(std::mem::take(&mut title)),
            SourceField::Url => optional(url.take()),
            SourceField::Publisher => optional(publisher.take()),
            SourceField::Author => optional(author.take()),
        })
    })
}
