// The timeline's lanes: which lanes an event sits in under a grouping (one per participant, tag
// or its kind), and, where the events in view name more actors or tags than a screen can show, the
// lanes kept: those with the most events, the rest of the events in one "Other …" lane. A lane
// costs vis-timeline a layout of its own on every redraw: 259 lanes of the 150 events drawn on
// 1,000,000 took two thirds of the page's time to draw them (BENCHMARKS.md).

import type { TimelineEvent } from '../api';
import type { Grouping } from '../url';

export interface Lane {
  id: string;
  label: string;
  title?: string;
}

/** The most lanes of actors or tags drawn; an actor filter draws every actor it names. */
export const MOST_LANES = 40;

/** The lane of the events none of whose own lanes is kept. */
export const OTHERS = 'others';

/** An event's own lanes under a grouping, before any is left out. */
export function lanesOf(event: TimelineEvent, grouping: Grouping, onlyActors: Set<string>): Lane[] {
  if (grouping === 'kind') return [{ id: `k:${event.kind}`, label: event.kind }];
  if (grouping === 'tag') {
    return event.tags.length ? event.tags.map((t) => ({ id: `t:${t}`, label: `#${t}` })) : [{ id: 'none', label: '(no tag)' }];
  }
  const seen = new Set<string>();
  const out: Lane[] = [];
  for (const p of event.participants) {
    if (!p.actor || seen.has(p.actor.id)) continue;
    if (onlyActors.size && !onlyActors.has(p.actor.id)) continue;
    seen.add(p.actor.id);
    out.push({ id: `a:${p.actor.id}`, label: p.actor.name });
  }
  return out.length ? out : [{ id: 'none', label: '(no actor)' }];
}

/**
 * The lanes events are drawn in: each event in its own lanes, or, when they are more than
 * `most`, in those of the `most` with the most events (ties by label) and the others' events in
 * the "Other …" lane.
 */
export class LaneChoice {
  private readonly kept: Set<string> | null;
  private readonly others: Lane;

  constructor(
    events: Iterable<TimelineEvent>,
    private readonly grouping: Grouping,
    private readonly onlyActors: Set<string>,
    most = MOST_LANES,
  ) {
    const what = grouping === 'tag' ? 'tags' : 'actors';
    const counts = new Map<string, { label: string; n: number }>();
    for (const event of events) {
      for (const lane of lanesOf(event, grouping, onlyActors)) {
        const count = counts.get(lane.id) ?? { label: lane.label, n: 0 };
        count.n += 1;
        counts.set(lane.id, count);
      }
    }
    const own = [...counts.entries()].filter(([id]) => id !== 'none');
    const capped = grouping !== 'kind' && onlyActors.size === 0 && own.length > most;
    this.kept = capped
      ? new Set(
          own
            .sort(([, a], [, b]) => b.n - a.n || a.label.localeCompare(b.label, 'en', { sensitivity: 'base' }))
            .slice(0, most)
            .map(([id]) => id)
            .concat('none'),
        )
      : null;
    const left = capped ? own.length - most : 0;
    this.others = {
      id: OTHERS,
      label: `Other ${what} (${left.toLocaleString('en')})`,
      title: `Events of the ${left.toLocaleString('en')} ${what} without a lane: the ${most} with the most events drawn have one${grouping === 'actor' ? '; filter by actor to draw the lanes you choose' : ''}`,
    };
  }

  /** Whether some lanes were left out (and the "Other …" lane may be drawn). */
  get capped(): boolean {
    return this.kept !== null;
  }

  /** The lanes an event is drawn in. */
  of(event: TimelineEvent): Lane[] {
    const own = lanesOf(event, this.grouping, this.onlyActors);
    if (!this.kept) return own;
    const kept = own.filter((lane) => this.kept?.has(lane.id));
    return kept.length ? kept : [this.others];
  }
}
