// Where the page places an event (issue 11): by when it happened (its start and end), or by when
// it became known (`firstReported`), keeping where it happened beside it so the lag can be drawn.
// With "both" the events are placed by when they happened and the lag is drawn to the report.

import type { TimelineEvent } from './api';
import type { View } from './url';
import { serverAxis } from './view';

/** The event as the view places it; null when it has no place there (never reported). */
export function placed<E extends TimelineEvent>(event: E, view: View): E | null {
  if (serverAxis(view) !== 'REPORTED') return event;
  if (!event.firstReported) return null;
  return { ...event, start: event.firstReported, end: null, happened: { start: event.start, end: event.end } } as E;
}

/** The events the view places, in their order. */
export function placeAll<E extends TimelineEvent>(events: readonly E[], view: View): E[] {
  return events.map((e) => placed(e, view)).filter((e): e is E => e !== null);
}
