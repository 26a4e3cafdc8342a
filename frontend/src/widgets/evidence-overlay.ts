// The evidence drawn over the timeline's rows (issue 11): the spans of an event's WHEN accounts on
// its row — the one that gives its value solid, the others as outlines, superseded and retracted
// ones dashed — and, when events are placed by when they became known (or both ways), a thin line
// from when it happened to when it became known, so the lag shows. Also the marks and classes an
// item gets: disputed, weakened, unsupported.

import { instant, type AccountSpan, type TimelineEvent } from '../api';
import type { AxisChoice } from '../url';

const SVG = 'http://www.w3.org/2000/svg';
/** The height of one account's band, and how many bands fit on an item before they overlap. */
const BAND = 4;
const BANDS = 3;

/** Where to draw: item boxes (client coordinates) by event, the layer's origin, and the time scale. */
export interface OverlayFrame {
  boxes: Map<string, DOMRect[]>;
  host: { left: number; top: number };
  /** The window's start, UTC ms, and pixels per ms. */
  start: number;
  scale: number;
}

/** The classes of an event's items: disputed, and its support when it is not SUPPORTED. */
export function evidenceClasses(event: TimelineEvent): string[] {
  const classes: string[] = [];
  if (event.disputed) classes.push('disputed');
  if (event.support === 'WEAKENED') classes.push('weakened');
  if (event.support === 'UNSUPPORTED') classes.push('unsupported');
  return classes;
}

/** A visible mark for the label and the words for its tooltip. */
export function evidenceMarks(event: TimelineEvent): { mark: string; words: string } {
  const marks: string[] = [];
  const words: string[] = [];
  if (event.disputed) {
    marks.push('≠');
    words.push('its sources disagree (disputed)');
  }
  if (event.support !== 'SUPPORTED') {
    marks.push('⚠');
    words.push(event.support === 'WEAKENED' ? 'weakened: a source it rests on was corrected or retracted' : 'unsupported: its standing sources say it did not happen');
  }
  return { mark: marks.length ? ` ${marks.join(' ')}` : '', words: words.length ? `\n${words.join('; ')}` : '' };
}

/** The account whose span is the event's value: the preferred one while current, else the
 * current one whose date is the event's start. */
export function valueAccount(event: TimelineEvent): AccountSpan | undefined {
  const accounts = event.whenAccounts ?? [];
  const start = (event.happened?.start ?? event.start).value;
  return (
    accounts.find((a) => a.preferred && a.status === 'CURRENT') ??
    accounts.find((a) => a.status === 'CURRENT' && a.stance === 'SUPPORTS' && a.date?.value === start)
  );
}

function spanOf(account: AccountSpan): [number, number] | null {
  const first = account.date?.earliest;
  const last = account.end?.latest ?? account.date?.latest;
  if (!first || !last) return null;
  return [instant(first), instant(last) + 1000];
}

function element<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, title?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  if (title) {
    const t = document.createElementNS(SVG, 'title');
    t.textContent = title;
    el.appendChild(t);
  }
  return el;
}

/** Draws the accounts' spans and the lag lines of `events` into `layer` (emptied first). */
export function drawEvidence(layer: SVGGElement, events: Iterable<TimelineEvent>, frame: OverlayFrame, axis: AxisChoice): void {
  layer.replaceChildren();
  const x = (ms: number) => (ms - frame.start) * frame.scale;
  for (const event of events) {
    const boxes = frame.boxes.get(event.id);
    if (!boxes) continue;
    const accounts = event.whenAccounts ?? [];
    // The spans speak of when it happened: drawn where events are placed by that.
    const spans = axis !== 'reported' && (event.disputed || accounts.length > 1);
    const value = valueAccount(event);
    for (const box of boxes) {
      const top = box.top - frame.host.top;
      const bottom = box.bottom - frame.host.top;
      if (spans) {
        accounts.forEach((account, index) => {
          const span = spanOf(account);
          if (!span) return;
          const kind = account === value ? 'value' : 'outline';
          const y = bottom - BAND * ((index % BANDS) + 1) - 1;
          const rect = element('rect', {
            x: x(span[0]).toFixed(1),
            y: y.toFixed(1),
            width: Math.max(2, x(span[1]) - x(span[0])).toFixed(1),
            height: BAND - 1,
            class: `account-span ${kind} status-${account.status.toLowerCase()}`,
            'data-event': event.id,
            'data-account': account.id,
          }, `${account.date?.value ?? ''}${account.end ? ` – ${account.end.value}` : ''} (${account.status.toLowerCase()}${account.preferred ? ', preferred' : ''})`);
          layer.appendChild(rect);
        });
      }
      if (axis === 'happened' || !event.firstReported) continue;
      // The other position: where it happened (placed by the report), or the report (placed by
      // when it happened).
      const other = axis === 'reported' ? event.happened?.start.earliest : event.firstReported.earliest;
      if (!other) continue;
      const to = x(instant(other));
      // From the edge of the item nearer the other position.
      const left = box.left - frame.host.left;
      const right = box.right - frame.host.left;
      const from = to < (left + right) / 2 ? left : right;
      const y = (top + bottom) / 2;
      const words = axis === 'reported'
        ? `${event.title}: happened ${event.happened?.start.description ?? ''}, known ${event.firstReported.description}`
        : `${event.title}: became known ${event.firstReported.description}`;
      layer.append(
        element('line', { x1: from.toFixed(1), y1: y.toFixed(1), x2: to.toFixed(1), y2: y.toFixed(1), class: 'lag-line', 'data-event': event.id }, words),
        element('circle', { cx: to.toFixed(1), cy: y.toFixed(1), r: 3.5, class: `lag-mark ${axis === 'reported' ? 'happened' : 'reported'}`, 'data-event': event.id }, words),
      );
    }
  }
}
