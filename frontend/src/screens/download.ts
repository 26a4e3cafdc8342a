// "Download": what the current filter shows, as CSV, iCalendar, TimelineJS3, GraphML, GEXF or
// chronik JSON, from the server's `GET /export` (streamed there, with the same read access as /graphql).
// Without a token a link downloads it; with one, the page fetches it with the token and saves it.

import { $, h } from '../dom';
import { bearer, currentToken } from '../session';
import type { PageState, PageStore } from '../store';

const FORMATS: [format: string, label: string][] = [
  ['csv', 'CSV (a spreadsheet)'],
  ['ics', 'iCalendar'],
  ['timelinejs', 'TimelineJS3 JSON'],
  ['graphml', 'GraphML (networkx, yEd)'],
  ['gexf', 'GEXF (Gephi, with time)'],
  ['json', 'chronik JSON (everything, lossless)'],
];

type Filter = Pick<PageState, 'actors' | 'kinds' | 'tags' | 'from' | 'to' | 'q' | 'disputed' | 'weak' | 'restsOn'>;

/** The filter keys /export takes, from the page's state (the window and the selection are not filters). */
export function exportQuery(state: Filter, format: string): string {
  const p = new URLSearchParams({ format });
  if (state.actors.length) p.set('actors', state.actors.join(','));
  if (state.kinds.length) p.set('kinds', state.kinds.join(','));
  if (state.tags.length) p.set('tags', state.tags.join(','));
  if (state.from) p.set('from', state.from);
  if (state.to) p.set('to', state.to);
  if (state.q) p.set('q', state.q);
  if (state.disputed) p.set('disputed', 'true');
  if (state.weak) p.set('support', 'weakened,unsupported');
  if (state.restsOn.length) p.set('sources', state.restsOn.join(','));
  return `/export?${p.toString()}`;
}

export function mountDownload(store: PageStore): void {
  const menu = $('#download') as HTMLDetailsElement;
  const list = h('ul', { className: 'menu-items' });
  const links = FORMATS.map(([format, label]) => {
    const link = h('a', { href: exportQuery(store.state, format), download: '', 'data-format': format }, label);
    link.addEventListener('click', (event) => {
      // The menu closes once a format is chosen, as menus do.
      setTimeout(() => {
        menu.open = false;
      });
      const token = currentToken();
      if (!token) return;
      // A link cannot carry the token: fetch it with the token, then save what came.
      event.preventDefault();
      void fetchAndSave(store, link.href, token, format);
    });
    list.append(h('li', {}, link));
    return link;
  });
  menu.append(list);
  store.subscribe(['actors', 'kinds', 'tags', 'from', 'to', 'q', 'disputed', 'weak', 'restsOn'], (state) => {
    links.forEach((link, i) => {
      link.href = exportQuery(state, FORMATS[i][0]);
    });
  });
}

export async function fetchAndSave(store: PageStore, url: string, token: string, format: string): Promise<void> {
  store.say('Preparing the download…');
  try {
    const response = await fetch(url, { headers: { Authorization: bearer(token) } });
    if (!response.ok) {
      const body = await response.json().catch(() => null);
      store.say(`The download failed: ${body?.errors?.[0]?.message ?? response.statusText}`);
      return;
    }
    const blob = await response.blob();
    const href = URL.createObjectURL(blob);
    const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? `chronik-export.${format}`;
    const save = h('a', { href, download: name });
    document.body.append(save);
    save.click();
    save.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
    store.say('Downloaded.');
  } catch (error) {
    store.say(`The download failed: ${String(error)}`);
  }
}
