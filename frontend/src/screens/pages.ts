// The record pages beside the timeline: an actor (`?actor=ID`), the list of sources
// (`?sources=words`) and a source (`?source=ID`). Each is a page of its own, reached by a plain
// link (so the address is the stable link to it), shown in `#record-page` instead of the timeline;
// screens/actor-page.ts and screens/source-pages.ts draw them.

import { $, h } from '../dom';
import type { PageStore } from '../store';
import type { RecordPage } from '../url';
import { mountActorPage } from './actor-page';
import { mountSourcePage, mountSourcesList } from './source-pages';

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
