// The record pages beside the timeline: an actor (`?actor=ID`), the list of sources
// (`?sources=words`) and a source (`?source=ID`). Each is a page of its own, reached by a plain
// link (so the address is the stable link to it), shown in `#record-page` instead of the timeline;
// screens/actor-page.ts and screens/source-pages.ts draw them.

import { $, h } from '../dom';
import type { PageStore } from '../store';
import { mountActorPage } from './actor-page';
import { mountSourcePage, mountSourcesList } from './source-pages';

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

/** Shows `page` instead of the timeline. */
export async function mountRecordPage(store: PageStore, page: RecordPage): Promise<void> {
  document.body.dataset.page = page.kind;
  $('main.layout').hidden = true;
  const root = h('main', { id: 'record-page', className: 'record-page' });
  $('main.layout').after(root);
  const status = h('p', { id: 'page-status', className: 'status', role: 'status', 'aria-live': 'polite' });
  store.subscribe(['status'], ({ status: s }) => (status.textContent = s.text));
  const body = h('div', { className: 'record-body' });
  root.replaceChildren(body, status);
  if (page.kind === 'actor') await mountActorPage(store, body, page.id);
  else if (page.kind === 'source') await mountSourcePage(store, body, page.id);
  else await mountSourcesList(store, body, page.search);
}
