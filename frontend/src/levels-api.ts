// The timeline's level of detail from the server (see ARCHITECTURE.md, "Level of detail"): for a
// window, its events counted per span class (the band of coarse events), the events of its scale
// most relevant first (what is drawn) and the density strip at its scale, in one request; and a
// page of the coarse events the band lists.

import { EVENT_FIELDS, gql, type Bucket, type EventFilterInput, type TimelineEvent } from './api';

export interface SpanClassCount {
  spanClass: number;
  longestSeconds: number | null;
  coarse: boolean;
  count: number;
}

export interface Levels {
  scaleClass: number;
  /** The widest class drawn: the scale class, or the finest with events when none at the scale. */
  drawnClass: number;
  classes: SpanClassCount[];
  coarseCount: number;
  /** Events of the window's scale overlapping it, all of them (the page draws `events`). */
  total: number;
  sampled: boolean;
  events: TimelineEvent[];
  density: { buckets: Bucket[]; runningIn: number; coarse: number };
}

/**
 * The most events a window draws: the most relevant, the rest in "N more" boxes. Not the API's
 * 500: vis-timeline lays 500 events out in lanes (one per participant) in seconds, 150 in a
 * fraction of that.
 */
export const DRAWN = 150;

/** How many events of the band's list a page shows. */
export const BAND_PAGE = 25;

export async function loadLevels(filter: EventFilterInput, buckets: number, signal?: AbortSignal): Promise<Levels> {
  const data = await gql<{
    timelineSpanClasses: { scaleClass: number; drawnClass: number; classes: SpanClassCount[]; coarseCount: number };
    timelineRanked: { totalCount: number; sampled: boolean; events: TimelineEvent[] };
    timelineDensity: { buckets: Bucket[]; runningIn: number; coarse: number };
  }>(
    `query Levels($filter: EventFilter!, $buckets: Int!, $first: Int!) {
      timelineSpanClasses(filter: $filter) { scaleClass drawnClass coarseCount classes { spanClass longestSeconds coarse count } }
      timelineDensity(filter: $filter, buckets: $buckets) { runningIn coarse buckets { start end count } }
      timelineRanked(filter: $filter, first: $first) { totalCount sampled events { ${EVENT_FIELDS} } } }`,
    { filter, buckets, first: DRAWN },
    signal,
  );
  const classes = data.timelineSpanClasses;
  return {
    scaleClass: classes.scaleClass,
    drawnClass: classes.drawnClass,
    classes: classes.classes,
    coarseCount: classes.coarseCount,
    total: data.timelineRanked.totalCount,
    sampled: data.timelineRanked.sampled,
    events: data.timelineRanked.events,
    density: data.timelineDensity,
  };
}

export interface CoarseEvent {
  id: string;
  title: string;
  kind: string;
  start: { value: string; description: string };
  end: { value: string } | null;
}

/** A page of the window's events of `classes`, the most relevant first. */
export async function loadCoarse(
  filter: EventFilterInput,
  classes: number[],
  offset: number,
  signal?: AbortSignal,
): Promise<{ total: number; events: CoarseEvent[] }> {
  const data = await gql<{ timelineRanked: { totalCount: number; events: CoarseEvent[] } }>(
    `query Coarse($filter: EventFilter!, $classes: [Int!], $first: Int!, $offset: Int!) {
      timelineRanked(filter: $filter, classes: $classes, first: $first, offset: $offset) {
        totalCount events { id title kind start { value description } end { value } } } }`,
    { filter, classes, first: BAND_PAGE, offset },
    signal,
  );
  return { total: data.timelineRanked.totalCount, events: data.timelineRanked.events };
}

/** What a span class means in words: the date's precision a reader would say. */
export function classWords(spanClass: number): string {
  if (spanClass >= 42) return 'an open-ended date';
  if (spanClass >= 41) return 'more than millennia';
  const upper = 2 ** spanClass;
  const day = 86_400;
  if (upper <= 120) return 'a minute';
  if (upper <= 2 * 3_600) return 'an hour';
  if (upper <= 2 * day) return 'a day';
  if (upper <= 16 * day) return 'a week';
  if (upper <= 64 * day) return 'a month';
  if (upper <= 400 * day) return 'a year';
  if (upper <= 1_600 * day) return 'a few years';
  if (upper <= 20 * 366 * day) return 'a decade';
  if (upper <= 150 * 366 * day) return 'a century';
  return 'centuries';
}
