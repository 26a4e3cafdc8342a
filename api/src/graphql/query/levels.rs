//! The timeline's level of detail for a window: counts per span class (for the band of coarse
//! events), a ranked page of the events at the window's scale, and the density strip at that
//! scale. The rule is in `service::levels`.

use async_graphql::{Context, Object, Result, SimpleObject};

use super::events::{EventFilter, HistogramBucket, checked};
use crate::db::Database;
use crate::graphql::types::{Event, event};
use crate::service::levels;

/// How many events of one span class overlap a window.
#[derive(SimpleObject)]
pub struct SpanClassCount {
    /// The span class: an event of class `c` lasts less than `2^c` seconds (0 is an instant, 17 a
    /// day, 22 a month, 25 a year, 29 a decade); 41 is longer than 2^40 seconds, 42 an open start,
    /// 43 an open end.
    pub span_class: i32,
    /// The longest span of the class in seconds (`2^c - 1`); null for 41 to 43.
    pub longest_seconds: Option<f64>,
    /// Whether the class is wider than the drawn level (`drawnClass`): the page summarises these
    /// events in a band instead of drawing them. Open dates (42, 43) are never coarse.
    pub coarse: bool,
    pub count: i64,
}

/// A window's events counted per span class.
#[derive(SimpleObject)]
pub struct SpanClassCounts {
    /// The window's scale class: one more than the span class of the window's length, so events
    /// up to two to four times as long as the window are at its scale (and drawn); wider classes
    /// are coarse.
    pub scale_class: i32,
    /// The widest class drawn: the scale class, or, when no event of the window's scale overlaps
    /// it, the finest class that has events (a window with events never draws nothing).
    pub drawn_class: i32,
    /// The classes with events overlapping the window, in class order.
    pub classes: Vec<SpanClassCount>,
    /// All coarse events overlapping the window.
    pub coarse_count: i64,
}

/// A page of a window's events, the most relevant first.
pub struct RankedEvents {
    ranked: levels::Ranked,
    events: Vec<Event>,
}

#[Object]
impl RankedEvents {
    /// How many events of the asked classes overlap the window.
    async fn total_count(&self) -> i64 {
        int(self.ranked.total)
    }

    /// The window's scale class (see `timelineSpanClasses`).
    async fn scale_class(&self) -> i32 {
        class(self.ranked.window.scale)
    }

    /// The widest class drawn (see `timelineSpanClasses`): the default `classes` are this and finer.
    async fn drawn_class(&self) -> i32 {
        class(self.ranked.drawn)
    }

    /// Whether the ranking is over a sample: with more than 2,000 matching events, the first 100
    /// of each class that began before the window and the first 100 beginning in each twentieth
    /// of it, so that its cost does not grow with the window.
    async fn sampled(&self) -> bool {
        self.ranked.sampled
    }

    /// Each event's relevance, in the order of `events`: its citations + accounts + participants
    /// + links (both ways).
    async fn relevance(&self) -> Vec<i64> {
        self.ranked.events.iter().map(|(_, rank)| *rank).collect()
    }

    /// The page: by relevance (highest first), then earliest start, then ID.
    async fn events(&self) -> &[Event] {
        &self.events
    }
}

/// The density strip of a window at its scale.
#[derive(SimpleObject)]
pub struct TimelineDensity {
    /// The window's scale class (see `timelineSpanClasses`).
    pub scale_class: i32,
    /// The widest class in the bars (see `timelineSpanClasses`).
    pub drawn_class: i32,
    /// Events of the drawn classes by the slice they begin in.
    pub buckets: Vec<HistogramBucket>,
    /// Events of the drawn classes that began before the window and run into it: in no bar (a
    /// first bar holding them would show a peak where nothing began).
    pub running_in: i64,
    /// Coarse events overlapping the window: in no bar (a year overlaps every hour of a day
    /// alike, so it would raise every bar the same); `timelineSpanClasses` counts them per class.
    pub coarse: i64,
}

fn int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn class(class: i64) -> i32 {
    i32::try_from(class).unwrap_or(i32::MAX)
}

#[derive(Default)]
pub struct LevelQuery;

#[Object]
impl LevelQuery {
    /// How many events overlap the filter's window, per span class: a grouped count in the
    /// database, not a fetch. The filter must give `from` and `to`. The page's band of coarse
    /// events shows these counts.
    async fn timeline_span_classes(&self, ctx: &Context<'_>, filter: EventFilter) -> Result<SpanClassCounts> {
        let db = ctx.data::<Database>()?;
        let filter = checked(Some(filter), None, false)?;
        let counts = levels::class_counts(db, &filter).await?;
        let scale = counts.drawn;
        let coarse_count = counts.counts.iter().filter(|(c, _)| !levels::is_drawn(**c, scale)).map(|(_, n)| *n).sum();
        Ok(SpanClassCounts {
            scale_class: class(counts.window.scale),
            drawn_class: class(scale),
            coarse_count: int(coarse_count),
            classes: counts
                .counts
                .into_iter()
                .map(|(c, n)| SpanClassCount {
                    span_class: class(c),
                    #[allow(clippy::cast_precision_loss)]
                    longest_seconds: levels::longest(c).map(|s| s as f64),
                    coarse: !levels::is_drawn(c, scale),
                    count: int(n),
                })
                .collect(),
        })
    }

    /// The events overlapping the filter's window (which must give `from` and `to`), the most
    /// relevant first: by default those of the drawn classes (`drawnClass` and finer, drawn by the page), or those of
    /// `classes` (the band lists the coarse ones). Relevance is citations + accounts +
    /// participants + links; ties by earliest start, then ID. `first` (1–500) from `offset`.
    #[graphql(complexity = "crate::graphql::cost::paged(first, child_complexity)")]
    async fn timeline_ranked(
        &self,
        ctx: &Context<'_>,
        filter: EventFilter,
        #[graphql(desc = "Span classes to list (see `timelineSpanClasses`); the window's scale and finer by default.")]
        classes: Option<Vec<i32>>,
        #[graphql(default = 50)] first: i32,
        #[graphql(default = 0)] offset: i32,
    ) -> Result<RankedEvents> {
        let db = ctx.data::<Database>()?;
        let filter = checked(Some(filter), None, false)?;
        let classes = classes.map(|list| list.into_iter().map(i64::from).collect());
        let ranked = levels::ranked(db, &filter, classes, first, offset).await?;
        let events = event::wrap(db, ranked.events.iter().map(|(m, _)| m.clone()).collect());
        Ok(RankedEvents { ranked, events })
    }

    /// The density strip of the filter's window (which must give `from` and `to`): events at the
    /// window's scale per equal slice by when they begin; those running in from before the window
    /// and the coarse ones are counted apart, not in the bars.
    #[graphql(
        complexity = "crate::graphql::cost::times(buckets.clamp(1, crate::service::histogram::MAX_BUCKETS) as usize, child_complexity)"
    )]
    async fn timeline_density(
        &self,
        ctx: &Context<'_>,
        filter: EventFilter,
        #[graphql(default = 50)] buckets: i32,
    ) -> Result<TimelineDensity> {
        let db = ctx.data::<Database>()?;
        let filter = checked(Some(filter), None, false)?;
        let density = levels::density(db, &filter, buckets).await?;
        Ok(TimelineDensity {
            scale_class: class(density.window.scale),
            drawn_class: class(density.drawn),
            running_in: int(density.running_in),
            coarse: int(density.coarse),
            buckets: density
                .buckets
                .into_iter()
                .map(|b| HistogramBucket { start: b.start, end: b.end, count: int(b.count) })
                .collect(),
        })
    }
}
