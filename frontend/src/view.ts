// What the view means for reading: the filter the server applies, the date range as instants,
// whether an event passes the filters, and the instant the timeline is read at.

import { extent, openSides, type Axis, type EventFilterInput, type TimelineEvent } from './api';
import { limitsOf } from './dates';
import type { View } from './url';

/** The instant the page shows the timeline as known at, or null for now. */
export function knownAt(view: View): string | null {
  return view.asOf || null;
}

/** Whether the page shows a fixed past: nothing can be changed there, and nothing arrives. */
export function inThePast(view: View): boolean {
  return view.asOf !== '' && Date.parse(view.asOf) < Date.now();
}

/** The filter without the period: what the server filters by besides time. */
export function baseFilter(view: View): EventFilterInput {
  const filter: EventFilterInput = {};
  if (view.actors.length) filter.actorIds = view.actors;
  if (view.kinds.length) filter.kinds = view.kinds;
  if (view.tags.length) filter.tags = view.tags;
  // The server searches the records as they are now only (see screens/past.ts); so are the
  // evidence filters (the revisions hold no such columns).
  if (view.q.trim() && !view.asOf) filter.search = view.q.trim();
  if (!view.asOf) {
    if (view.disputed) filter.disputed = true;
    if (view.weak) filter.support = ['WEAKENED', 'UNSUPPORTED'];
    if (view.restsOn.length) filter.sourceIds = view.restsOn;
  }
  return filter;
}

/** The axis the server places events on: `both` loads by when they happened and draws the lag. */
export function serverAxis(view: View): Axis {
  return view.axis === 'reported' && !view.asOf ? 'REPORTED' : 'HAPPENED';
}

/** Whether only the server can tell if an event passes (the search; the sources it rests on). */
export function serverOnly(view: View): boolean {
  return view.q.trim() !== '' || (!view.asOf && view.restsOn.length > 0);
}

/** The date-range filter as instants, as the server described its texts (null where open,
 * unreadable or not described yet: see `describeDate` in dates.ts). */
export function dateLimits(view: Pick<View, 'from' | 'to'>): { lo: number | null; hi: number | null } {
  const lo = view.from ? limitsOf(view.from).earliest : null;
  const hi = view.to ? limitsOf(view.to).latest : null;
  return { lo, hi: hi === null ? null : hi + 999 };
}

/** Whether an event passes the filters that can be checked here (not the full-text search). */
export function passes(view: View, event: TimelineEvent): boolean {
  if (view.actors.length && !event.participants.some((p) => p.actor && view.actors.includes(p.actor.id))) return false;
  if (view.kinds.length && !view.kinds.includes(event.kind)) return false;
  if (view.tags.length && !event.tags.some((t) => view.tags.includes(t))) return false;
  if (!view.asOf && view.disputed && !event.disputed) return false;
  if (!view.asOf && view.weak && event.support === 'SUPPORTED') return false;
  const { lo, hi } = dateLimits(view);
  // An open side may reach any window beyond it, as the server's filter says.
  const [start, end] = extent(event);
  const open = openSides(event);
  if (lo !== null && !open.end && end < lo) return false;
  if (hi !== null && !open.start && start > hi) return false;
  return true;
}
