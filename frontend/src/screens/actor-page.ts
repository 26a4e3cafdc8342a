// An actor's page (`?actor=ID`): name, kind, aliases and description, edited in place (only what
// changed is sent); the actor's own timeline, the events they take part in grouped by role, in
// order of time; and merging duplicates into this actor (admin), after a preview of what moves:
// the participations and the citations of them, and the names that become aliases.

import { errorText, gql, type ActorRef } from '../api';
import { h } from '../dom';
import { recordForm } from '../form/record';
import type { PageStore } from '../store';
import { authorized } from '../token';
import { actorHref, eventHref } from '../url';

interface ActorPage {
  id: string;
  name: string;
  kind: string;
  aliases: string[];
  description: string | null;
  version: number;
  participations: { role: string; note: string | null; event: { id: string; title: string; kind: string; start: { value: string; earliest: string } } | null }[];
}

const ACTOR = `id name kind aliases description version
  participations { role note event { id title kind start { value earliest } } }`;

async function loadActor(id: string): Promise<ActorPage | null> {
  return (await gql<{ actor: ActorPage | null }>(`query Actor($id: ID!) { actor(id: $id) { ${ACTOR} } }`, { id })).actor;
}

export async function mountActorPage(store: PageStore, root: HTMLElement, id: string): Promise<void> {
  let actor: ActorPage | null;
  try {
    actor = await loadActor(id);
  } catch (error) {
    root.replaceChildren(h('p', {}, `Could not load the actor: ${errorText(error)}`));
    return;
  }
  if (!actor) {
    root.replaceChildren(h('h2', {}, 'No such actor'), h('p', {}, 'It may have been merged into another or deleted. '), h('a', { href: '/' }, 'Back to the timeline'));
    return;
  }
  document.title = `${actor.name} — Chronik`;
  render(store, root, actor);
}

function render(store: PageStore, root: HTMLElement, actor: ActorPage): void {
  const reload = async () => {
    const fresh = await loadActor(actor.id);
    if (fresh) render(store, root, fresh);
  };
  const about = h(
    'section',
    { className: 'about', 'aria-labelledby': 'actor-name' },
    h('p', { className: 'kind' }, actor.kind.replace(/_/g, ' ')),
    h('h2', { id: 'actor-name' }, actor.name),
    actor.aliases.length ? h('p', { className: 'aliases' }, 'Also known as: ', actor.aliases.join(', ')) : null,
    actor.description ? h('p', { className: 'description' }, actor.description) : h('p', { className: 'empty' }, 'No description.'),
    h(
      'p',
      { className: 'record-actions' },
      h('a', { href: `/?actors=${encodeURIComponent(actor.id)}` }, 'Show on the timeline'),
      ' ',
      h('button', { type: 'button', id: 'edit-actor', onclick: () => edit() }, 'Edit'),
      h('span', { className: 'version' }, ` version ${actor.version}`),
    ),
  );
  const editSlot = h('div', { className: 'edit-slot' });
  const edit = () => {
    const form = recordForm({
      id: 'actor-form',
      title: `Edit ${actor.name}`,
      fields: [
        { name: 'name', label: 'Name', type: 'text', value: actor.name, required: true },
        { name: 'kind', label: 'Kind', type: 'select', value: actor.kind, options: store.state.vocabulary.actorKinds },
        { name: 'aliases', label: 'Aliases (comma separated)', type: 'list', value: actor.aliases },
        { name: 'description', label: 'Description', type: 'textarea', value: actor.description },
      ],
      save: async (changes) => {
        await authorized(() =>
          gql('mutation($input: UpdateActorInput!) { updateActor(input: $input) { actor { id } } }', {
            input: { ...changes, id: actor.id, version: actor.version },
          }),
        );
        store.say(`Saved ${String(changes.name ?? actor.name)}.`);
        await reload();
      },
      unchanged: () => {
        editSlot.replaceChildren();
        store.say(`Nothing to save: ${actor.name} is as it was.`);
      },
      cancel: () => editSlot.replaceChildren(),
    });
    editSlot.replaceChildren(form.element);
    (form.element.querySelector('input') as HTMLInputElement | null)?.focus();
  };

  // The actor's timeline: by role, each role's events in order of time.
  const byRole = new Map<string, ActorPage['participations']>();
  for (const p of actor.participations) {
    if (!p.event) continue;
    byRole.set(p.role, [...(byRole.get(p.role) ?? []), p]);
  }
  const roles = [...byRole.keys()].sort();
  const timeline = h(
    'section',
    { className: 'actor-timeline', 'aria-labelledby': 'actor-timeline-title' },
    h('h3', { id: 'actor-timeline-title' }, `Takes part in ${actor.participations.filter((p) => p.event).length} events`),
    ...roles.map((role) => {
      const items = (byRole.get(role) ?? []).sort((a, b) => Date.parse(a.event?.start.earliest ?? '') - Date.parse(b.event?.start.earliest ?? ''));
      return h(
        'div',
        { className: 'role-group', 'data-role': role },
        h('h4', {}, `As ${role}`),
        h(
          'ol',
          { className: 'role-events' },
          ...items.map((p) =>
            h(
              'li',
              {},
              h('span', { className: 'when' }, p.event?.start.value ?? ''),
              ' ',
              h('a', { href: eventHref(p.event?.id ?? ''), 'data-event': p.event?.id ?? '' }, p.event?.title ?? ''),
              p.note ? h('span', { className: 'note' }, ` — ${p.note}`) : null,
            ),
          ),
        ),
      );
    }),
  );
  root.replaceChildren(h('p', { className: 'crumbs' }, h('a', { href: '/' }, 'Timeline'), ' › actor'), about, editSlot, timeline, mergeSection(store, actor, reload));
}

/** Merging duplicates into this actor (admin): pick them, see what moves, then merge. */
function mergeSection(store: PageStore, actor: ActorPage, reload: () => Promise<void>): HTMLElement {
  const search = h('input', { type: 'search', name: 'merge-search', autocomplete: 'off', placeholder: 'Find the duplicate by name', 'aria-label': 'Find an actor to merge into this one' });
  const matches = h('ul', { className: 'merge-matches', 'aria-label': 'Actors found' });
  const preview = h('div', { className: 'merge-preview', 'aria-live': 'polite' });
  const chosen = new Map<string, ActorPage>();
  const problem = h('output', { className: 'field-error', 'aria-live': 'polite' });

  const drawPreview = () => {
    if (!chosen.size) {
      preview.replaceChildren();
      return;
    }
    const moving = [...chosen.values()];
    const events = moving.flatMap((a) => a.participations.filter((p) => p.event).map((p) => ({ who: a.name, ...p })));
    const names = moving.flatMap((a) => [a.name, ...a.aliases]).filter((n) => n !== actor.name && !actor.aliases.includes(n));
    preview.replaceChildren(...[
      h('h4', {}, 'What moves'),
      h('p', { className: 'merge-summary' }, `${events.length} participation${events.length === 1 ? '' : 's'} (with the citations of them) move to ${actor.name}; ${moving.map((a) => a.name).join(', ')} ${moving.length === 1 ? 'is' : 'are'} then deleted.`),
      h('ul', { className: 'merge-events' }, ...events.map((e) => h('li', {}, `${e.event?.title ?? ''} (${e.role}, from ${e.who})`))),
      names.length ? h('p', { className: 'merge-aliases' }, `New aliases: ${names.join(', ')}`) : null,
      h('ul', { className: 'merge-chosen' }, ...moving.map((a) => h('li', {}, a.name, ' ', h('button', { type: 'button', className: 'quiet', 'aria-label': `Do not merge ${a.name}`, onclick: () => { chosen.delete(a.id); drawPreview(); } }, '×')))),
      h('button', { type: 'button', className: 'danger', id: 'merge-actors', onclick: () => void merge() }, `Merge into ${actor.name}`),
      problem,
    ].filter((n) => n !== null));
  };
  const merge = async () => {
    problem.textContent = '';
    try {
      await authorized(
        () =>
          gql('mutation($input: MergeActorsInput!) { mergeActors(input: $input) { actor { id } } }', {
            input: { targetId: actor.id, sourceIds: [...chosen.keys()] },
          }),
        { rejected: (message) => (problem.textContent = message) },
      );
      store.say(`Merged ${[...chosen.values()].map((a) => a.name).join(', ')} into ${actor.name}.`);
      await reload();
    } catch (error) {
      problem.textContent = errorText(error);
    }
  };
  const find = async () => {
    const words = search.value.trim();
    if (!words) {
      matches.replaceChildren();
      return;
    }
    try {
      const { actors } = await gql<{ actors: { nodes: ActorRef[] } }>('query($s: String) { actors(first: 10, search: $s) { nodes { id name kind } } }', { s: words });
      matches.replaceChildren(
        ...actors.nodes
          .filter((a) => a.id !== actor.id)
          .map((a) =>
            h('li', {}, h('a', { href: actorHref(a.id) }, a.name), ` (${a.kind}) `, h('button', {
              type: 'button', className: 'quiet pick-actor', 'data-actor': a.id,
              onclick: async () => {
                const full = await loadActor(a.id);
                if (full) chosen.set(full.id, full);
                drawPreview();
              },
            }, 'Merge this one')),
          ),
      );
    } catch (error) {
      matches.replaceChildren(h('li', {}, `Could not search: ${errorText(error)}`));
    }
  };
  let timer: number | undefined;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => void find(), 150);
  });
  return h(
    'section',
    { className: 'merge', 'aria-labelledby': 'merge-title' },
    h('h3', { id: 'merge-title' }, 'Merge duplicates into this actor'),
    h('p', { className: 'hint' }, 'Needs an admin token. The duplicates’ participations and the citations of them move here, their names become aliases, and they are deleted.'),
    search,
    matches,
    preview,
  );
}
