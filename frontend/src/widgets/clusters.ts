// The "N more" boxes of a window with more events of its scale than the page draws: the density
// strip's bars, merged into a few stretches, less the events drawn in each. A click zooms into one.

import { extent, instant, type Bucket, type TimelineEvent } from '../api';

export interface Cluster {
  id: string;
  start: number;
  end: number;
  count: number;
}

/** At most `most` stretches of about equal counts of undrawn events, from the strip's bars. */
export function clustersOf(buckets: Bucket[], drawn: TimelineEvent[], most = 12): Cluster[] {
  const starts = drawn.map((e) => extent(e)[0]);
  const rest = buckets.map((b) => {
    const [s, e] = [instant(b.start), instant(b.end) + 1000];
    const shown = starts.filter((t) => t >= s && t < e).length;
    return { start: s, end: e, count: Math.max(0, b.count - shown) };
  });
  const total = rest.reduce((n, b) => n + b.count, 0);
  if (!total) return [];
  const share = total / most;
  const out: Cluster[] = [];
  let current: Cluster | null = null;
  for (const b of rest) {
    if (!b.count) {
      // An empty bar ends a stretch: a box never spans a gap in the strip.
      if (current) out.push(current);
      current = null;
      continue;
    }
    if (!current) current = { id: `more:${out.length}`, start: b.start, end: b.end, count: 0 };
    current.end = b.end;
    current.count += b.count;
    if (current.count >= share) {
      out.push(current);
      current = null;
    }
  }
  if (current) out.push(current);
  return out.map((c, i) => ({ ...c, id: `more:${i}` }));
}
