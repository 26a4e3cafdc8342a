// The sources: a list with search (`?sources=words`, the search kept in the address) and a page
// per source (`?source=ID`) with its metadata, edited in place (only what changed is sent), its
// life (status and changes; recording a correction or retraction: screens/source-change.ts), and
// every quote taken from it with the event it supports and what of it.

import { errorText, gql } from '../api';
import { h } from '../dom';
import { recordForm } from '../form/record';
import type { PageStore } from '../store';
import { authorized } from '../token';
import { eventHref, sourceHref } from '../url';
import { openSourceChange } from './source-change';

interface SourceListed {
  id: string;
  title: string;
  publisher: string | null;
  author: string | null;
  published: { value: string } | null;
}

interface SourcePage extends SourceListed {
  url: string | null;
  accessedAt: string | null;
  archiveUrl: string | null;
  notes: string | null;
  version: number;
  status: string;
  changes: { kind: string; at: { value: string }; note: string | null; supersedes: string[] }[];
  citations: {
    id: string;
    quote: string | null;
    supports: string;
    supportsActor: { id: string; name: string } | null;
    event: { id: string; title: string; start: { value: string; earliest: string } } | null;
  }[];
}

const crumbs = (here: string) => h('p', { className: 'crumbs' }, h('a', { href: '/' }, 'Timeline'), ' › ', here === 'sources' ? 'sources' : h('a', { href: '/?sources=' }, 'sources'), here === 'sources' ? '' : ' › source');

export async function mountSourcesList(store: PageStore, root: HTMLElement, initial: string): Promise<void> {
  document.title = 'Sources — Chronik';
  const search = h('input', { type: 'search', id: 'sources-search', name: 'sources', value: initial, autocomplete: 'off', placeholder: 'Title, publisher, author, notes…' });
  const list = h('ul', { className: 'sources-list', 'aria-label': 'Sources' });
  const count = h('p', { className: 'count', 'aria-live': 'polite' });
  let asked = 0;
  const load = async () => {
    const words = search.value.trim();
    const ticket = ++asked;
    history.replaceState(null, '', `/?sources=${encodeURIComponent(words)}`);
    try {
      const data = await gql<{ sources: { nodes: SourceListed[]; totalCount: number } }>(
        'query Sources($search: String) { sources(first: 200, search: $search) { totalCount nodes { id title publisher author published { value } } } }',
        { search: words || null },
      );
      if (ticket !== asked) return;
      const { nodes, totalCount } = data.sources;
      count.textContent = `${totalCount} source${totalCount === 1 ? '' : 's'}${words ? ` match “${words}”` : ''}${totalCount > nodes.length ? `, the first ${nodes.length} shown` : ''}.`;
      list.replaceChildren(
        ...nodes.map((s) =>
          h(
            'li',
            { 'data-source': s.id },
            h('a', { href: sourceHref(s.id) }, s.title),
            [s.publisher, s.author, s.published?.value].filter(Boolean).length ? h('span', { className: 'when' }, ` — ${[s.publisher, s.author, s.published?.value].filter(Boolean).join(', ')}`) : null,
          ),
        ),
      );
    } catch (error) {
      store.say(`Could not load the sources: ${errorText(error)}`);
    }
  };
  let timer: number | undefined;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => void load(), 150);
  });
  root.replaceChildren(
    crumbs('sources'),
    h('h2', { id: 'sources-title' }, 'Sources'),
    h('form', { role: 'search', className: 'sources-search', onsubmit: (e) => { e.preventDefault(); void load(); } }, h('label', {}, 'Search the sources ', search)),
    count,
    list,
  );
  await load();
}

async function loadSource(id: string): Promise<SourcePage | null> {
  const data = await gql<{ source: SourcePage | null }>(
    `query Source($id: ID!) { source(id: $id) { id title url publisher author published { value } accessedAt archiveUrl notes version
      status changes(first: 100) { kind at { value } note supersedes }
      citations { id quote supports supportsActor { id name } event { id title start { value earliest } } } } }`,
    { id },
  );
  return data.source;
}

export async function mountSourcePage(store: PageStore, root: HTMLElement, id: string): Promise<void> {
  let source: SourcePage | null;
  try {
    source = await loadSource(id);
  } catch (error) {
    root.replaceChildren(h('p', {}, `Could not load the source: ${errorText(error)}`));
    return;
  }
  if (!source) {
    root.replaceChildren(crumbs('source'), h('h2', {}, 'No such source'), h('p', {}, 'It may have been deleted.'));
    return;
  }
  document.title = `${source.title} — Chronik`;
  renderSource(store, root, source);
}

function renderSource(store: PageStore, root: HTMLElement, source: SourcePage): void {
  const reload = async () => {
    const fresh = await loadSource(source.id);
    if (fresh) renderSource(store, root, fresh);
  };
  const row = (label: string, value: Node | string | null) => (value ? h('div', {}, h('dt', {}, label), h('dd', {}, value)) : null);
  const safeLink = (url: string) => (/^https?:\/\//i.test(url) ? h('a', { href: url, rel: 'noopener noreferrer', target: '_blank' }, url) : url);
  const editSlot = h('div', { className: 'edit-slot' });
  const edit = () => {
    const form = recordForm({
      id: 'source-form',
      title: 'Edit the source',
      fields: [
        { name: 'title', label: 'Title', type: 'text', value: source.title, required: true },
        { name: 'url', label: 'URL', type: 'text', value: source.url },
        { name: 'publisher', label: 'Publisher', type: 'text', value: source.publisher },
        { name: 'author', label: 'Author', type: 'text', value: source.author },
        { name: 'published', label: 'Published (a date, as precise as known)', type: 'text', value: source.published?.value ?? null },
        { name: 'archiveUrl', label: 'Archived copy (URL)', type: 'text', value: source.archiveUrl },
        { name: 'notes', label: 'Notes', type: 'textarea', value: source.notes },
      ],
      save: async (changes) => {
        await authorized(() =>
          gql('mutation($input: UpdateSourceInput!) { updateSource(input: $input) { source { id } } }', {
            input: { ...changes, id: source.id, version: source.version },
          }),
        );
        store.say(`Saved “${String(changes.title ?? source.title)}”.`);
        await reload();
      },
      unchanged: () => {
        editSlot.replaceChildren();
        store.say(`Nothing to save: “${source.title}” is as it was.`);
      },
      cancel: () => editSlot.replaceChildren(),
    });
    editSlot.replaceChildren(form.element);
  };
  const citations = [...source.citations].sort((a, b) => Date.parse(a.event?.start.earliest ?? '') - Date.parse(b.event?.start.earliest ?? ''));
  root.replaceChildren(
    crumbs('source'),
    h(
      'section',
      { className: 'about', 'aria-labelledby': 'source-title' },
      h('h2', { id: 'source-title' }, source.title),
      h(
        'dl',
        { className: 'meta' },
        row('URL', source.url ? safeLink(source.url) : null),
        row('Publisher', source.publisher),
        row('Author', source.author),
        row('Published', source.published?.value ?? null),
        row('Read on', source.accessedAt ? new Date(source.accessedAt).toLocaleString() : null),
        row('Archived', source.archiveUrl ? safeLink(source.archiveUrl) : null),
        row('Notes', source.notes),
        row('Status', h('span', { className: `source-status source-${source.status.toLowerCase()}`, id: 'source-status' }, source.status.toLowerCase())),
      ),
      source.changes.length
        ? h('ol', { className: 'source-changes', 'aria-label': 'Changes' }, ...source.changes.map((c) =>
            h('li', { 'data-kind': c.kind }, h('strong', {}, c.kind.toLowerCase()), ` ${c.at.value}`, c.note ? ` — ${c.note}` : '', c.supersedes.length ? ` (supersedes ${c.supersedes.length} account${c.supersedes.length === 1 ? '' : 's'})` : ''),
          ))
        : null,
      h(
        'p',
        { className: 'record-actions' },
        h('button', { type: 'button', id: 'edit-source', onclick: () => edit() }, 'Edit'),
        ' ',
        h('button', { type: 'button', id: 'record-change', onclick: () => void openSourceChange(store, source, { recorded: () => void reload() }) }, 'Record a correction or retraction'),
        ' ',
        h('a', { href: `/?restsOn=${encodeURIComponent(source.id)}`, id: 'rests-on-link' }, 'Everything that rests on it'),
        h('span', { className: 'version' }, ` version ${source.version}`),
      ),
    ),
    editSlot,
    h(
      'section',
      { className: 'quotes', 'aria-labelledby': 'quotes-title' },
      h('h3', { id: 'quotes-title' }, `${citations.length} quote${citations.length === 1 ? '' : 's'} from it`),
      citations.length
        ? h(
            'ol',
            { className: 'source-citations' },
            ...citations.map((c) =>
              h(
                'li',
                { className: 'citation', 'data-citation': c.id },
                c.quote ? h('blockquote', {}, c.quote) : h('p', { className: 'empty' }, 'No quote.'),
                h(
                  'p',
                  {},
                  `Supports ${c.supports === 'event' ? 'the event' : `the ${c.supports}${c.supportsActor ? ` of ${c.supportsActor.name}` : ''} of`} `,
                  c.event ? h('a', { href: eventHref(c.event.id), 'data-event': c.event.id }, c.event.title) : '(a deleted event)',
                  c.event ? h('span', { className: 'when' }, ` (${c.event.start.value})`) : null,
                ),
              ),
            ),
          )
        : h('p', { className: 'empty' }, 'No event cites it yet.'),
    ),
  );
}
