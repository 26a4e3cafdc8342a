//! What a list field can cost: the bound of its length, by which the complexity limit multiplies
//! what is selected under it, so that nesting multiplies and a document is refused before it runs
//! when its worst case is over the limit. A list is bounded by a cap its writes obey (an event's
//! participants and citations, `rules::MAX_LIST`) or, where nothing bounds it (revisions, links,
//! backlinks, an actor's participations, a source's citations), by a page: `first` (at most
//! [`MAX_PAGE`]) from `offset`.

use crate::error::ServiceError;
use crate::service::rules::MAX_LIST;

/// The most items a page of a list field holds.
pub const MAX_PAGE: i32 = 500;

/// The items a page holds when `first` is not given: as many as the longest capped list.
pub const DEFAULT_PAGE: i32 = MAX_LIST as i32;

/// What one revision weighs beyond its fields: it carries the event's snapshot (with its tags,
/// participants, citations and links, some 2 KB), about as much as 40 fields of a response.
pub const SNAPSHOT: usize = 40;

/// The most one field may cost. async-graphql adds the costs of sibling fields without
/// saturating (an overflow panics in a debug build and wraps in a release one), so each cost
/// stays far below `usize::MAX`: a document's few thousand fields at this ceiling still add up.
pub const CEILING: usize = 1 << 40;

/// The cost of `count` items, each costing `child_complexity`.
pub fn times(count: usize, child_complexity: usize) -> usize {
    count.saturating_mul(child_complexity.max(1)).min(CEILING)
}

/// The cost of a list capped at [`MAX_LIST`] items on writes.
pub fn capped(child_complexity: usize) -> usize {
    times(MAX_LIST, child_complexity)
}

/// The cost of a page of `first` items (as the resolver clamps it).
pub fn paged(first: i32, child_complexity: usize) -> usize {
    times(usize::try_from(first.clamp(1, MAX_PAGE)).unwrap_or(1), child_complexity)
}

/// The cost of a connection's page: `first` or `last`, 50 when neither is given.
pub fn connection(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    paged(first.or(last).unwrap_or(50), child_complexity)
}

/// The page of `items` that `first` and `offset` ask for; VALIDATION naming the argument when
/// either is out of range.
pub fn page<T>(items: Vec<T>, first: i32, offset: i32) -> Result<Vec<T>, ServiceError> {
    if !(1..=MAX_PAGE).contains(&first) {
        return Err(ServiceError::validation("first", format!("must be between 1 and {MAX_PAGE}")));
    }
    let Ok(offset) = usize::try_from(offset) else {
        return Err(ServiceError::validation("offset", "must not be negative"));
    };
    let first = usize::try_from(first).unwrap_or(1);
    Ok(items.into_iter().skip(offset).take(first).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_checked_and_cut() {
        assert_eq!(page((0..10).collect(), 3, 4).ok(), Some(vec![4, 5, 6]));
        assert_eq!(page((0..10).collect(), 5, 8).ok(), Some(vec![8, 9]));
        assert!(page(vec![1], 0, 0).is_err());
        assert!(page(vec![1], MAX_PAGE + 1, 0).is_err());
        assert!(page(vec![1], 1, -1).is_err());
        assert_eq!(paged(1_000_000, 2), 1_000);
        assert_eq!(capped(0), MAX_LIST);
        assert_eq!(times(usize::MAX, usize::MAX), CEILING);
        assert_eq!(connection(None, Some(7), 3), 21);
    }
}
