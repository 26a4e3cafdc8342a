// The part of the page's state that lives in the URL: filters, lanes, the zoom window, the
// selected event and the "as known at" instant, so a copied link opens the same view. Query string
// keys: group, actors, kinds, tags, from, to, q, start, end (ISO instants), event, asOf (an ISO
// instant: the timeline as the database held it then), and the evidence (issue 11): axis
// (`reported`, `both`; happened when absent), disputed=1, weak=1 (weakened or unsupported) and
// restsOn (source IDs: everything that rests on them), tz: the display time zone (src/zone.ts;
// absent for the browser's), and map=1, which shows the map beside the timeline. The page's store (src/store.ts) holds
// these among its state; main.ts writes them back here whenever they change.

import { isZone } from './zone';

export type Grouping = 'actor' | 'kind' | 'tag';

/** Which date places events: when they happened, when they became known, or both joined by a line. */
export type AxisChoice = 'happened' | 'reported' | 'both';

export interface View {
  group: Grouping;
  actors: string[];
  kinds: string[];
  tags: string[];
  from: string;
  to: string;
  q: string;
  /** The visible window, UTC milliseconds. */
  start: number | null;
  end: number | null;
  event: string | null;
  /** An ISO instant, or '' for the timeline as it is now. */
  asOf: string;
  axis: AxisChoice;
  /** Only events whose accounts disagree. */
  disputed: boolean;
  /** Only events whose support is WEAKENED or UNSUPPORTED. */
  weak: boolean;
  /** Only events resting on these sources (accounts or citations). */
  restsOn: string[];
  /** The display time zone: '' for the browser's, 'UTC', or an IANA name (src/zone.ts). */
  tz: string;
  /** The map beside the timeline is shown (screens/map.ts). */
  map: boolean;
}

/** The keys of the view, in the order the query string writes them. */
export const VIEW_KEYS = ['group', 'actors', 'kinds', 'tags', 'from', 'to', 'q', 'start', 'end', 'event', 'asOf', 'axis', 'disputed', 'weak', 'restsOn', 'tz', 'map'] as const satisfies readonly (keyof View)[];

/** The view part of a larger state. */
export function viewOf(state: View): View {
  return Object.fromEntries(VIEW_KEYS.map((key) => [key, state[key]])) as unknown as View;
}

const list = (value: string | null) => (value ? value.split(',').filter(Boolean) : []);

export function readView(search: string = location.search): View {
  const p = new URLSearchParams(search);
  const group = p.get('group');
  const instant = (key: string) => {
    const value = p.get(key);
    if (!value) return null;
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : null;
  };
  const axis = p.get('axis');
  let start = instant('start');
  let end = instant('end');
  if (start === null || end === null || end <= start) start = end = null;
  return {
    group: group === 'kind' || group === 'tag' ? group : 'actor',
    actors: list(p.get('actors')),
    kinds: list(p.get('kinds')),
    tags: list(p.get('tags')),
    from: p.get('from') ?? '',
    to: p.get('to') ?? '',
    q: p.get('q') ?? '',
    start,
    end,
    event: p.get('event'),
    asOf: instant('asOf') === null ? '' : (p.get('asOf') ?? ''),
    axis: axis === 'reported' || axis === 'both' ? axis : 'happened',
    disputed: p.get('disputed') === '1',
    weak: p.get('weak') === '1',
    restsOn: list(p.get('restsOn')),
    tz: isZone(p.get('tz') ?? '') ? (p.get('tz') ?? '') : '',
    map: p.get('map') === '1',
  };
}

export function viewQuery(view: View): string {
  const p = new URLSearchParams();
  if (view.group !== 'actor') p.set('group', view.group);
  if (view.actors.length) p.set('actors', view.actors.join(','));
  if (view.kinds.length) p.set('kinds', view.kinds.join(','));
  if (view.tags.length) p.set('tags', view.tags.join(','));
  if (view.from) p.set('from', view.from);
  if (view.to) p.set('to', view.to);
  if (view.q) p.set('q', view.q);
  if (view.start !== null && view.end !== null) {
    p.set('start', new Date(view.start).toISOString());
    p.set('end', new Date(view.end).toISOString());
  }
  if (view.event) p.set('event', view.event);
  if (view.asOf) p.set('asOf', view.asOf);
  if (view.axis !== 'happened') p.set('axis', view.axis);
  if (view.disputed) p.set('disputed', '1');
  if (view.weak) p.set('weak', '1');
  if (view.restsOn.length) p.set('restsOn', view.restsOn.join(','));
  if (view.tz) p.set('tz', view.tz);
  if (view.map) p.set('map', '1');
  const text = p.toString().replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%2F/g, '/');
  return text ? `?${text}` : '';
}

let pending: number | undefined;

/** Writes the view into the address bar (replacing the entry: panning should not fill history). */
export function writeView(view: View, immediately = false): void {
  const apply = () => {
    pending = undefined;
    const url = `${location.pathname}${viewQuery(view)}`;
    if (url !== `${location.pathname}${location.search}`) history.replaceState(null, '', url);
  };
  if (pending !== undefined) clearTimeout(pending);
  if (immediately) apply();
  else pending = window.setTimeout(apply, 150);
}

// The record pages' addresses (screens/pages.ts shows them): an actor (`?actor=ID`), the list of
// sources (`?sources=words`), a source (`?source=ID`), and an event on the timeline (`?event=ID`).

export type RecordPage = { kind: 'actor'; id: string } | { kind: 'source'; id: string } | { kind: 'sources'; search: string };

/** The record page the address asks for, if any. */
export function recordPageOf(search: string = location.search): RecordPage | null {
  const p = new URLSearchParams(search);
  const actor = p.get('actor');
  if (actor) return { kind: 'actor', id: actor };
  const source = p.get('source');
  if (source) return { kind: 'source', id: source };
  if (p.has('sources')) return { kind: 'sources', search: p.get('sources') ?? '' };
  return null;
}

/** Links to the record pages, as the detail panel and the pages use them. */
export const actorHref = (id: string) => `/?actor=${encodeURIComponent(id)}`;
export const sourceHref = (id: string) => `/?source=${encodeURIComponent(id)}`;
export const eventHref = (id: string) => `/?event=${encodeURIComponent(id)}`;
