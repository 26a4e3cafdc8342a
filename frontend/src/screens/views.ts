// Saved views (issue 13): the "Views" menu saves the page's current view (filters, lanes, window,
// axis, display time zone, "as known at", the open event) under a name on the server, lists the
// team's views to open and deletes one's own. A view's link is `/?view=<id>`: at start the page
// reads the view and puts its state in the address bar in place of the link (`resolveViewLink`).

import { errorText, gql } from '../api';
import { h } from '../dom';
import type { PageStore } from '../store';
import { authorized } from '../token';
import { viewOf, viewQuery, type View } from '../url';

export const VIEWS_QUERY = `query Views { views(first: 100) { id name author mine version } }`;
export const VIEW_QUERY = `query View($id: ID!) { view(id: $id) { id name state { group actors kinds tags from to q start end asOf axis disputed weak restsOn timeZone event } } }`;
export const SAVE_VIEW = `mutation SaveView($input: SaveViewInput!) { saveView(input: $input) { view { id name version } } }`;
export const DELETE_VIEW = `mutation DeleteView($id: ID!) { deleteView(input: { id: $id }) { deletedId } }`;

interface ViewState {
  group: string; actors: string[]; kinds: string[]; tags: string[]; from: string; to: string; q: string;
  start: string | null; end: string | null; asOf: string | null; axis: string; disputed: boolean; weak: boolean;
  restsOn: string[]; timeZone: string; event: string | null;
}
interface ViewRow { id: string; name: string; author: string | null; mine: boolean; version: number }

/** The page's view as a saved view's state. */
export function stateOf(view: View): ViewState {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    group: view.group, actors: view.actors, kinds: view.kinds, tags: view.tags, from: view.from, to: view.to, q: view.q,
    start: iso(view.start), end: iso(view.end), asOf: view.asOf ? new Date(view.asOf).toISOString() : null,
    axis: view.axis, disputed: view.disputed, weak: view.weak, restsOn: view.restsOn, timeZone: view.tz, event: view.event,
  };
}

/** A saved view's state as the page's view. */
export function viewFrom(state: ViewState): View {
  const ms = (iso: string | null) => (iso ? Date.parse(iso) : null);
  return {
    group: state.group === 'kind' || state.group === 'tag' ? state.group : 'actor',
    actors: state.actors, kinds: state.kinds, tags: state.tags, from: state.from, to: state.to, q: state.q,
    start: ms(state.start), end: ms(state.end), event: state.event, asOf: state.asOf ?? '',
    axis: state.axis === 'reported' || state.axis === 'both' ? state.axis : 'happened',
    disputed: state.disputed, weak: state.weak, restsOn: state.restsOn, tz: state.timeZone,
    // Whether the map shows is the reader's layout, not part of what a view selects.
    map: false,
  };
}

/**
 * At start, before the store reads the address bar: a `?view=<id>` link is replaced by the view's
 * state. Resolves to a sentence for the status line (what was opened, or why not), or null.
 */
export async function resolveViewLink(): Promise<string | null> {
  const id = new URLSearchParams(location.search).get('view');
  if (!id) return null;
  try {
    const { view } = await authorized(() => gql<{ view: { name: string; state: ViewState } | null }>(VIEW_QUERY, { id }), { purpose: 'read' });
    if (!view) {
      history.replaceState(null, '', location.pathname);
      return 'That saved view no longer exists.';
    }
    history.replaceState(null, '', `${location.pathname}${viewQuery(viewFrom(view.state))}`);
    document.title = `${view.name} · Chronik`;
    return `Opened the saved view “${view.name}”.`;
  } catch (error) {
    history.replaceState(null, '', location.pathname);
    return `Could not open the saved view: ${errorText(error)}`;
  }
}

export function mountViews(store: PageStore): void {
  const nav = document.querySelector('nav.actions');
  if (!nav) return;
  const name = h('input', { id: 'view-name', placeholder: 'Name of this view', maxlength: 200, autocomplete: 'off', 'aria-label': 'Name of this view' }) as HTMLInputElement;
  const error = h('output', { className: 'field-error', for: 'view-name', 'data-field': 'name' });
  const list = h('ul', { id: 'view-list', className: 'menu-items', 'aria-label': 'Saved views' });
  const save = async () => {
    error.textContent = '';
    try {
      const { saveView } = await authorized(
        () => gql<{ saveView: { view: { id: string; name: string } } }>(SAVE_VIEW, { input: { name: name.value, state: stateOf(viewOf(store.state)) } }),
        { purpose: 'edit' },
      );
      name.value = '';
      store.say(`Saved the view “${saveView.view.name}”: its link is ${location.origin}/?view=${saveView.view.id}`);
      await refresh();
    } catch (e) {
      error.textContent = errorText(e);
    }
  };
  const form = h('form', { className: 'view-save', onsubmit: (e: Event) => { e.preventDefault(); void save(); } },
    name, h('button', { type: 'submit', id: 'save-view' }, 'Save this view'), error);
  const menu = h('details', { id: 'views', className: 'menu' }, h('summary', { title: 'Save this view, or open a saved one' }, 'Views'),
    h('div', { className: 'menu-panel' }, form, list)) as HTMLDetailsElement;

  const remove = async (view: ViewRow) => {
    if (!confirm(`Delete the saved view “${view.name}”?`)) return;
    try {
      await authorized(() => gql(DELETE_VIEW, { id: view.id }), { purpose: 'edit' });
      store.say(`Deleted the view “${view.name}”.`);
      await refresh();
    } catch (e) {
      store.say(`Could not delete the view: ${errorText(e)}`);
    }
  };
  const refresh = async () => {
    try {
      const { views } = await gql<{ views: ViewRow[] }>(VIEWS_QUERY);
      list.replaceChildren(...(views.length
        ? views.map((view) => h('li', { className: 'view-row' },
            h('a', { href: `/?view=${encodeURIComponent(view.id)}`, className: 'view-link' }, view.name),
            view.author ? h('span', { className: 'muted' }, ` by ${view.author}`) : null,
            view.mine ? h('button', { type: 'button', className: 'quiet delete-view', 'aria-label': `Delete the view ${view.name}`, onclick: () => void remove(view) }, '×') : null))
        : [h('li', { className: 'empty' }, 'No saved views yet.')]));
    } catch (e) {
      list.replaceChildren(h('li', { className: 'empty' }, `Could not load the views: ${errorText(e)}`));
    }
  };
  menu.addEventListener('toggle', () => {
    if (menu.open) void refresh();
  });
  nav.querySelector('#download')?.before(menu);
  if (!menu.isConnected) nav.append(menu);
}
