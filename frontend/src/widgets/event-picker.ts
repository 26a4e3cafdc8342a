// A searchable picker of events: a search field whose words are matched by the server's full-text
// search (`events(filter: {search})`), and the matches as buttons to pick from. Used for the
// target of a link and for the parent an event is part of.

import { gql } from '../api';
import { h } from '../dom';

export interface PickedEvent {
  id: string;
  title: string;
  start: { value: string };
}

/** Events whose title, summary, quotes, tags or actors match every word of `search` (as prefixes). */
export async function searchEvents(search: string): Promise<PickedEvent[]> {
  const data = await gql<{ events: { nodes: PickedEvent[] } }>(
    'query Pick($search: String) { events(first: 12, filter: { search: $search }) { nodes { id title start { value } } } }',
    { search },
  );
  return data.events.nodes;
}

/**
 * A search field and its matches; `picked` runs with the chosen event. `exclude` leaves out
 * events that cannot be chosen (the event itself). `label` names the field for screen readers.
 */
export function eventPicker(options: {
  name: string;
  label: string;
  exclude?: (id: string) => boolean;
  picked(event: PickedEvent): void;
}): { element: HTMLElement; input: HTMLInputElement; clear(): void } {
  const listId = `${options.name}-matches`;
  const input = h('input', {
    type: 'search',
    name: options.name,
    className: 'picker-search',
    placeholder: 'Search events by title, actor, tag…',
    autocomplete: 'off',
    'aria-label': options.label,
    'aria-controls': listId,
  });
  const list = h('ul', { id: listId, className: 'picker-matches', 'aria-label': `${options.label}: matches` });
  const state = h('p', { className: 'picker-state', 'aria-live': 'polite' });
  let asked = 0;
  const run = async () => {
    const words = input.value.trim();
    const ticket = ++asked;
    if (!words) {
      list.replaceChildren();
      state.textContent = '';
      return;
    }
    try {
      const found = (await searchEvents(words)).filter((e) => !options.exclude?.(e.id));
      if (ticket !== asked) return;
      state.textContent = found.length ? '' : 'No event matches.';
      list.replaceChildren(
        ...found.map((e) =>
          h(
            'li',
            {},
            h('button', { type: 'button', className: 'linklike pick-event', 'data-event': e.id, onclick: () => options.picked(e) }, e.title),
            ' ',
            h('span', { className: 'when' }, e.start.value),
          ),
        ),
      );
    } catch (error) {
      if (ticket === asked) state.textContent = `Could not search: ${String(error)}`;
    }
  };
  let timer: number | undefined;
  // Enter searches at once; inside a form it must not submit it.
  input.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    clearTimeout(timer);
    void run();
  });
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => void run(), 150);
  });
  const clear = () => {
    input.value = '';
    list.replaceChildren();
    state.textContent = '';
  };
  return { element: h('div', { className: 'picker' }, input, state, list), input, clear };
}
