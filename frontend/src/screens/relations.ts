// The detail panel's relations of an event: the affair it is part of, the events part of it, and
// its typed links both ways (→ from it, ← to it). Where the present is shown, an editor removes
// a link or adds one to an event found with the searchable picker (widgets/event-picker.ts).

import { errorText, gql, loadDetail, type EventDetail } from '../api';
import { h } from '../dom';
import type { PageStore } from '../store';
import { authorized } from '../token';
import { eventPicker } from '../widgets/event-picker';

interface Child {
  id: string;
  title: string;
  start: { value: string };
}

/** The events that are part of `id` (as known at `asOf`), in the timeline's order. */
async function loadChildren(id: string, asOf: string | null): Promise<{ nodes: Child[]; more: boolean }> {
  const data = await gql<{ events: { nodes: Child[]; pageInfo: { hasNextPage: boolean } } }>(
    `query Children($id: ID!, $asOf: DateTime) {
      events(first: 100, filter: { parentId: $id }, asOf: $asOf) { nodes { id title start { value } } pageInfo { hasNextPage } } }`,
    { id, asOf },
  );
  return { nodes: data.events.nodes, more: data.events.pageInfo.hasNextPage };
}

/** Reads the event again after a link was added or removed, and tells the other screens. */
async function reread(store: PageStore, id: string): Promise<void> {
  const event = await loadDetail(id);
  if (!event) return;
  store.tell({ kind: 'saved', event, created: false });
  if (store.state.event === id) store.update({ opened: event });
}

const kindText = (kind: string) => kind.replace(/_/g, ' ');

/** The section; `editable` where the present is shown. */
export function relationsSection(store: PageStore, event: EventDetail, editable: boolean, asOf: string | null): HTMLElement {
  const open = (id: string, title: string) =>
    h('button', { type: 'button', className: 'linklike', 'data-event': id, onclick: () => store.select(id, true) }, title);

  const unlink = (linkId: string, label: string) =>
    editable
      ? h(
          'button',
          {
            type: 'button',
            className: 'quiet unlink',
            'data-link': linkId,
            'aria-label': `Remove the link ${label}`,
            title: 'Remove this link',
            onclick: async () => {
              try {
                await authorized(
                  () => gql('mutation($input: UnlinkEventsInput!) { unlinkEvents(input: $input) { deletedId } }', { input: { id: linkId } }),
                  { rejected: (message) => store.say(`Not removed. ${message}`) },
                );
                store.say(`Removed the link ${label}.`);
                await reread(store, event.id);
              } catch (error) {
                store.say(`Could not remove the link: ${errorText(error)}`);
              }
            },
          },
          '×',
        )
      : null;

  const children = h('ul', { className: 'children' });
  const childrenHead = h('h3', { hidden: true }, 'Events in it');
  void loadChildren(event.id, asOf).then(
    ({ nodes, more }) => {
      if (!nodes.length) return;
      childrenHead.hidden = false;
      childrenHead.textContent = `Events in it (${nodes.length}${more ? '+' : ''})`;
      children.replaceChildren(...nodes.map((c) => h('li', {}, open(c.id, c.title), ' ', h('span', { className: 'when' }, c.start.value))));
    },
    (error) => {
      childrenHead.hidden = false;
      children.replaceChildren(h('li', { className: 'empty' }, `Could not load them: ${errorText(error)}`));
    },
  );

  const links = [
    ...event.links.map((l) => {
      const label = `${kindText(l.kind)} → ${l.target?.title ?? '(deleted)'}`;
      return h(
        'li',
        { className: 'link', 'data-link': l.id },
        h('span', { className: 'link-kind' }, `${kindText(l.kind)} →`),
        ' ',
        l.target ? open(l.target.id, l.target.title) : '(deleted)',
        ' ',
        unlink(l.id, label),
        l.note ? h('div', { className: 'note' }, l.note) : null,
      );
    }),
    ...event.backlinks.map((l) => {
      const label = `${l.source?.title ?? '(deleted)'} ← ${kindText(l.kind)}`;
      return h(
        'li',
        { className: 'backlink', 'data-link': l.id },
        l.source ? open(l.source.id, l.source.title) : '(deleted)',
        ' ',
        h('span', { className: 'link-kind' }, `← ${kindText(l.kind)}`),
        ' ',
        unlink(l.id, label),
        l.note ? h('div', { className: 'note' }, l.note) : null,
      );
    }),
  ];

  return h(
    'section',
    { className: 'relations', 'aria-label': 'Related events' },
    event.parent ? h('p', { className: 'parent' }, 'Part of ', open(event.parent.id, event.parent.title)) : null,
    childrenHead,
    children,
    links.length || editable ? h('h3', {}, 'Linked events') : null,
    links.length ? h('ul', { className: 'links' }, ...links) : editable ? h('p', { className: 'empty' }, 'No links yet.') : null,
    editable ? addLink(store, event) : null,
  );
}

/** "Add a link": kind, direction, note, and the event, picked by searching. */
function addLink(store: PageStore, event: EventDetail): HTMLElement {
  const kinds = store.state.vocabulary.linkKinds;
  const kind = h('input', { name: 'link-kind', list: 'link-kind-options', value: kinds[0] ?? 'follows', autocomplete: 'off' });
  const direction = h(
    'select',
    { name: 'link-direction' },
    h('option', { value: 'from' }, 'from this event to the one picked'),
    h('option', { value: 'to' }, 'from the one picked to this event'),
  );
  const note = h('input', { name: 'link-note', autocomplete: 'off', placeholder: 'optional' });
  const problem = h('output', { className: 'field-error', 'aria-live': 'polite' });
  const picker = eventPicker({
    name: 'link-target',
    label: 'Event to link',
    exclude: (id) => id === event.id,
    picked: async (other) => {
      problem.textContent = '';
      const [sourceId, targetId] = direction.value === 'from' ? [event.id, other.id] : [other.id, event.id];
      try {
        await authorized(
          () =>
            gql('mutation($input: LinkEventsInput!) { linkEvents(input: $input) { link { id } } }', {
              input: { sourceId, targetId, kind: kind.value.trim(), note: note.value.trim() || null },
            }),
          { rejected: (message) => (problem.textContent = message) },
        );
        store.say(`Linked “${event.title}” and “${other.title}”.`);
        await reread(store, event.id);
      } catch (error) {
        problem.textContent = errorText(error);
      }
    },
  });
  return h(
    'details',
    { className: 'add-link' },
    h('summary', {}, 'Add a link'),
    h(
      'div',
      { className: 'add-link-body' },
      h('label', {}, 'Kind ', kind),
      h('datalist', { id: 'link-kind-options' }, ...kinds.map((k) => h('option', { value: k }))),
      h('label', {}, 'Direction ', direction),
      h('label', {}, 'Note ', note),
      picker.element,
      problem,
    ),
  );
}
