// The detail panel of the selected event: summary, date as typed with its precision, participants
// with roles, every citation with its quote and a link to its source; the sections other modules
// add (relations and links: screens/relations.ts; accounts: screens/evidence.ts).

import type { EventDetail, FuzzyDate } from '../api';
import { h } from '../dom';

export interface DetailHandlers {
  /** Absent where the event cannot be changed (the timeline as known at a past instant). */
  edit?(event: EventDetail): void;
  remove?(event: EventDetail): void;
  close(): void;
  /** Sections of other modules (relations, notes), shown after the citations. */
  sections?: Node[];
  /** A notice shown under the title (the event's support: screens/evidence.ts). */
  notice?: Node | null;
  /** Sections shown before the participants (the accounts). */
  leading?: Node[];
  /** Buttons beside a cited source (what rests on it, recording its correction). */
  sourceActions?(source: { id: string; title: string }): Node[];
  /** More buttons for the footer (history). */
  actions?: Node[];
  /** An instant in the display time zone (src/zone.ts), for dates precise to the hour or finer. */
  instant?(iso: string): string;
}

const TIMED = new Set(['HOUR', 'MINUTE', 'SECOND']);

function dateBlock(label: string, date: FuzzyDate, instant?: (iso: string) => string) {
  return h(
    'div',
    { className: 'date' },
    h('dt', {}, label),
    h(
      'dd',
      {},
      h('code', { className: 'typed' }, date.value),
      ' ',
      h('span', { className: `precision p-${date.precision.toLowerCase()}` }, date.precision.toLowerCase()),
      date.approximate ? h('span', { className: 'mark', title: 'approximate' }, '~') : null,
      date.uncertain ? h('span', { className: 'mark', title: 'uncertain' }, '?') : null,
      h('div', { className: 'understood' }, date.description),
      instant && TIMED.has(date.precision) && date.earliest ? h('div', { className: 'in-zone' }, instant(date.earliest)) : null,
    ),
  );
}

/** A place as words: its name, and its coordinates where known. */
function placeText(place: NonNullable<EventDetail['place']>): string {
  const point = place.latitude !== null && place.longitude !== null ? `${place.latitude}, ${place.longitude}` : '';
  return place.name && point ? `${place.name} (${point})` : place.name || point;
}

export function renderDetail(panel: HTMLElement, event: EventDetail, handlers: DetailHandlers): void {
  const where = event.place ? placeText(event.place) : '';
  const parts: (Node | null)[] = [
    h(
      'header',
      { className: 'detail-head' },
      h('p', { className: 'kind' }, `${event.kind} · ${event.confidence}`),
      h('h2', { id: 'detail-title', tabindex: -1 }, event.title),
      h('button', { type: 'button', className: 'close', 'aria-label': 'Close the details', onclick: () => handlers.close() }, '×'),
    ),
    handlers.notice ?? null,
    event.summary ? h('p', { className: 'summary' }, event.summary) : null,
    h(
      'dl',
      { className: 'dates' },
      dateBlock(event.end ? 'From' : 'When', event.start, handlers.instant),
      event.end ? dateBlock('To', event.end, handlers.instant) : null,
      event.timeZone ? h('div', {}, h('dt', {}, 'Time zone'), h('dd', {}, event.timeZone)) : null,
      where ? h('div', {}, h('dt', {}, 'Place'), h('dd', { className: 'place' }, where)) : null,
    ),
    event.tags.length ? h('p', { className: 'tags' }, ...event.tags.map((t) => h('span', { className: 'tag' }, `#${t}`))) : null,
    ...(handlers.leading ?? []),
    h('h3', {}, 'Who'),
    event.participants.length
      ? h(
          'ul',
          { className: 'participants' },
          ...event.participants.map((p) =>
            h('li', {}, p.actor ? h('a', { href: `/?actor=${encodeURIComponent(p.actor.id)}`, className: 'actor-link' }, h('strong', {}, p.actor.name)) : h('strong', {}, '(deleted actor)'), ' ', h('span', { className: 'role' }, p.role), p.note ? ` — ${p.note}` : ''),
          ),
        )
      : h('p', { className: 'empty' }, 'No participants recorded.'),
    h('h3', {}, `Sources (${event.citations.length})`),
    event.citations.length
      ? h(
          'ul',
          { className: 'citations' },
          ...event.citations.map((c) =>
            h(
              'li',
              { className: 'citation' },
              c.quote ? h('blockquote', {}, c.quote) : h('p', { className: 'empty' }, 'No quote.'),
              h(
                'p',
                { className: 'source' },
                c.source?.url
                  ? h('a', { href: c.source.url, target: '_blank', rel: 'noopener noreferrer' }, c.source.title)
                  : h('cite', {}, c.source?.title ?? '(deleted source)'),
                c.source?.publisher ? `, ${c.source.publisher}` : '',
                c.source?.author ? `, ${c.source.author}` : '',
                c.source?.published ? ` (${c.source.published.value})` : '',
                c.source?.status && c.source.status !== 'PUBLISHED' ? h('span', { className: `source-status source-${c.source.status.toLowerCase()}` }, ` ${c.source.status.toLowerCase()}`) : '',
                c.source ? h('a', { href: `/?source=${encodeURIComponent(c.source.id)}`, className: 'source-page' }, ' (all quotes from it)') : '',
                c.supports !== 'event' ? h('span', { className: 'supports' }, ` supports the ${c.supports}${c.supportsActor ? ` of ${c.supportsActor.name}` : ''}`) : '',
              ),
              c.source && handlers.sourceActions ? h('p', { className: 'source-actions' }, ...handlers.sourceActions(c.source)) : null,
            ),
          ),
        )
      : h('p', { className: 'empty' }, 'No citations yet: this event is unsourced.'),
    ...(handlers.sections ?? []),
    h(
      'footer',
      { className: 'detail-actions' },
      handlers.edit ? h('button', { type: 'button', id: 'edit-event', onclick: () => handlers.edit?.(event) }, 'Edit') : null,
      handlers.remove ? h('button', { type: 'button', className: 'danger', onclick: () => handlers.remove?.(event) }, 'Delete') : null,
      ...(handlers.actions ?? []),
      h('span', { className: 'version' }, `version ${event.version}`),
    ),
  ];
  panel.replaceChildren(...parts.filter((p): p is Node => p !== null));
}
