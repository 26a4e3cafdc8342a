// Stories (issue 13): an ordered selection of events with a short text per step, saved on the
// server. The "Stories" menu lists them (play, edit, link, delete one's own) and starts a new one;
// the builder adds the open event as a step, reorders steps and edits their text; the player
// steps through them: the timeline pans to each step's event and its detail opens; ← and → (or
// the buttons) move, Escape leaves. A story's link is `/?story=<id>` (it plays from the start);
// it downloads as TimelineJS3 JSON from `/stories/<id>/timelinejs`.

import { errorText, gql } from '../api';
import { h } from '../dom';
import { currentToken } from '../session';
import type { PageStore } from '../store';
import { authorized } from '../token';
import { fetchAndSave } from './download';

export const STORIES_QUERY = `query Stories { stories(first: 100) { id title author mine version } }`;
export const STORY_QUERY = `query Story($id: ID!) { story(id: $id) { id title version mine steps { text eventId event { id title } } } }`;
export const SAVE_STORY = `mutation SaveStory($input: SaveStoryInput!) { saveStory(input: $input) { story { id title version mine steps { text eventId event { id title } } } } }`;
export const DELETE_STORY = `mutation DeleteStory($id: ID!) { deleteStory(input: { id: $id }) { deletedId } }`;

interface Step { eventId: string; title: string; text: string }
interface Story { id: string | null; version: number | null; title: string; steps: Step[] }
interface StoryRow { id: string; title: string; author: string | null; mine: boolean; version: number }
interface StoryRead { id: string; title: string; version: number; mine: boolean; steps: { text: string; eventId: string; event: { id: string; title: string } | null }[] }

const fromRead = (s: StoryRead): Story => ({
  id: s.id, version: s.version, title: s.title,
  steps: s.steps.map((step) => ({ eventId: step.eventId, title: step.event?.title ?? '(deleted event)', text: step.text })),
});

/** The story a `/?story=<id>` link asks for, read when the page loads (the address bar is then rewritten to the view). */
const LINKED = new URLSearchParams(location.search).get('story');

const timelineJs = (id: string) => `/stories/${encodeURIComponent(id)}/timelinejs`;

/** A link that downloads a story's TimelineJS3 file (with the tab's token, when it keeps one). */
function downloadLink(store: PageStore, id: string): HTMLAnchorElement {
  return h('a', { href: timelineJs(id), className: 'story-export', download: 'chronik-story.json', onclick: (e: Event) => {
    const token = currentToken();
    if (!token) return;
    e.preventDefault();
    void fetchAndSave(store, timelineJs(id), token, 'json');
  } }, 'TimelineJS3 file');
}

async function loadStory(id: string): Promise<Story | null> {
  const { story } = await authorized(() => gql<{ story: StoryRead | null }>(STORY_QUERY, { id }), { purpose: 'read' });
  return story ? fromRead(story) : null;
}

export function mountStories(store: PageStore): void {
  const nav = document.querySelector('nav.actions');
  const stage = document.querySelector('.stage');
  if (!nav || !stage) return;
  const list = h('ul', { id: 'story-list', className: 'menu-items', 'aria-label': 'Stories' });
  const menu = h('details', { id: 'stories', className: 'menu' }, h('summary', { title: 'Tell the events as a story, step by step' }, 'Stories'),
    h('div', { className: 'menu-panel' },
      h('button', { type: 'button', id: 'new-story', onclick: () => { menu.open = false; edit({ id: null, version: null, title: '', steps: [] }); } }, 'New story'),
      list)) as HTMLDetailsElement;
  const builder = h('section', { id: 'story-builder', className: 'story-builder', 'aria-label': 'Story being made', hidden: true });
  const player = h('section', { id: 'story-player', className: 'story-player', 'aria-label': 'Story', 'aria-roledescription': 'story player', hidden: true });
  stage.prepend(player, builder);

  // ---- the list ----
  const remove = async (row: StoryRow) => {
    if (!confirm(`Delete the story “${row.title}”?`)) return;
    try {
      await authorized(() => gql(DELETE_STORY, { id: row.id }), { purpose: 'edit' });
      store.say(`Deleted the story “${row.title}”.`);
      await refresh();
    } catch (e) {
      store.say(`Could not delete the story: ${errorText(e)}`);
    }
  };
  const open = async (id: string, then: (story: Story) => void) => {
    menu.open = false;
    try {
      const story = await loadStory(id);
      if (story) then(story);
      else store.say('That story no longer exists.');
    } catch (e) {
      store.say(`Could not open the story: ${errorText(e)}`);
    }
  };
  const refresh = async () => {
    try {
      const { stories } = await gql<{ stories: StoryRow[] }>(STORIES_QUERY);
      list.replaceChildren(...(stories.length
        ? stories.map((row) => h('li', { className: 'story-row' },
            h('a', { href: `/?story=${encodeURIComponent(row.id)}`, className: 'story-link' }, row.title),
            ' ',
            h('button', { type: 'button', className: 'quiet', 'aria-label': `Play ${row.title}`, onclick: () => void open(row.id, play) }, 'Play'),
            row.mine ? h('button', { type: 'button', className: 'quiet', 'aria-label': `Edit ${row.title}`, onclick: () => void open(row.id, edit) }, 'Edit') : null,
            row.mine ? h('button', { type: 'button', className: 'quiet', 'aria-label': `Delete ${row.title}`, onclick: () => void remove(row) }, '×') : null))
        : [h('li', { className: 'empty' }, 'No stories yet.')]));
    } catch (e) {
      list.replaceChildren(h('li', { className: 'empty' }, `Could not load the stories: ${errorText(e)}`));
    }
  };
  menu.addEventListener('toggle', () => {
    if (menu.open) void refresh();
  });
  nav.querySelector('#download')?.before(menu);

  // ---- the builder ----
  // The draft is kept in the tab (sessionStorage), so a story can be made across page loads.
  const DRAFT_KEY = 'chronik.storyDraft';
  let draft: Story | null = (() => {
    try {
      return JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? 'null') as Story | null;
    } catch {
      return null;
    }
  })();
  const keep = () => {
    if (draft) sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
    else sessionStorage.removeItem(DRAFT_KEY);
  };
  const drawBuilder = () => {
    keep();
    if (!draft) {
      builder.hidden = true;
      builder.replaceChildren();
      return;
    }
    const story = draft;
    const title = h('input', { id: 'story-title', value: story.title, placeholder: 'Title of the story', maxlength: 200, autocomplete: 'off', 'aria-label': 'Title of the story',
      oninput: () => { story.title = title.value; keep(); } }) as HTMLInputElement;
    const error = h('output', { id: 'story-error', className: 'field-error' });
    const move = (from: number, to: number) => {
      const [step] = story.steps.splice(from, 1);
      story.steps.splice(to, 0, step);
      drawBuilder();
    };
    const steps = h('ol', { className: 'story-steps' }, ...story.steps.map((step, i) => {
      const text = h('textarea', { className: 'step-text', rows: 2, maxlength: 2000, 'aria-label': `Text of step ${i + 1} (${step.title})`, 'data-field': `steps.${i}.text`,
        oninput: () => { step.text = text.value; keep(); } }) as HTMLTextAreaElement;
      text.value = step.text;
      return h('li', { className: 'story-step', 'data-event': step.eventId },
        h('strong', { className: 'step-event' }, step.title), text,
        h('span', { className: 'step-actions' },
          h('button', { type: 'button', className: 'quiet', 'aria-label': `Move step ${i + 1} up`, disabled: i === 0, onclick: () => move(i, i - 1) }, '↑'),
          h('button', { type: 'button', className: 'quiet', 'aria-label': `Move step ${i + 1} down`, disabled: i === story.steps.length - 1, onclick: () => move(i, i + 1) }, '↓'),
          h('button', { type: 'button', className: 'quiet', 'aria-label': `Remove step ${i + 1}`, onclick: () => { story.steps.splice(i, 1); drawBuilder(); } }, '×')));
    }));
    const opened = store.state.opened;
    const save = async () => {
      error.textContent = '';
      try {
        const input = { id: story.id, version: story.version, title: story.title, steps: story.steps.map((s) => ({ eventId: s.eventId, text: s.text })) };
        const { saveStory } = await authorized(() => gql<{ saveStory: { story: StoryRead } }>(SAVE_STORY, { input }), { purpose: 'edit' });
        draft = fromRead(saveStory.story);
        store.say(`Saved the story “${saveStory.story.title}”.`);
        drawBuilder();
      } catch (e) {
        error.textContent = errorText(e);
      }
    };
    const parts: (Node | null)[] = [
      h('h2', {}, story.id ? 'Edit the story' : 'New story'),
      title,
      steps,
      story.steps.length ? null : h('p', { className: 'empty' }, 'Open an event on the timeline, then add it as a step.'),
      h('p', { className: 'story-actions' },
        h('button', { type: 'button', id: 'add-step', disabled: !opened, title: opened ? `Add “${opened.title}”` : 'Open an event first',
          onclick: () => { const o = store.state.opened; if (o) { story.steps.push({ eventId: o.id, title: o.title, text: '' }); drawBuilder(); } } }, 'Add the open event'),
        h('button', { type: 'button', id: 'save-story', className: 'primary', onclick: () => void save() }, 'Save'),
        h('button', { type: 'button', id: 'play-draft', disabled: !story.steps.length, onclick: () => play(story) }, 'Play'),
        story.id ? h('a', { href: `/?story=${encodeURIComponent(story.id)}`, id: 'story-permalink' }, 'Link') : null,
        story.id ? downloadLink(store, story.id) : null,
        h('button', { type: 'button', className: 'quiet', onclick: () => { draft = null; drawBuilder(); } }, 'Close')),
      error,
    ];
    builder.replaceChildren(...parts.filter((p): p is Node => p !== null));
    builder.hidden = playing !== null;
  };
  const edit = (story: Story) => {
    draft = story;
    drawBuilder();
    document.getElementById('story-title')?.focus();
  };
  store.subscribe(['opened'], () => {
    if (draft) {
      const button = builder.querySelector<HTMLButtonElement>('#add-step');
      const o = store.state.opened;
      if (button) {
        button.disabled = !o;
        button.title = o ? `Add “${o.title}”` : 'Open an event first';
      }
    }
  });

  // ---- the player ----
  let playing: { story: Story; at: number } | null = null;
  const show = () => {
    if (!playing) return;
    const { story, at } = playing;
    const step = story.steps[at];
    player.setAttribute('aria-label', `Story: ${story.title}`);
    player.replaceChildren(
      h('p', { className: 'story-head' }, h('strong', {}, story.title), ' ', h('span', { id: 'story-position', className: 'muted' }, `step ${at + 1} of ${story.steps.length}`)),
      h('h2', { id: 'story-event', className: 'story-event' }, step.title),
      h('p', { id: 'story-text', className: 'story-text', 'aria-live': 'polite' }, step.text || ' '),
      h('p', { className: 'story-controls' },
        h('button', { type: 'button', id: 'story-prev', disabled: at === 0, onclick: () => go(-1) }, '← Back'),
        h('button', { type: 'button', id: 'story-next', disabled: at === story.steps.length - 1, onclick: () => go(1) }, 'Next →'),
        story.id ? downloadLink(store, story.id) : null,
        h('button', { type: 'button', id: 'story-leave', className: 'quiet', onclick: () => leave() }, 'Leave (Esc)')));
    player.hidden = false;
    document.body.dataset.story = `${at + 1}`;
    store.select(step.eventId, true);
  };
  const go = (by: number) => {
    if (!playing) return;
    const at = Math.max(0, Math.min(playing.story.steps.length - 1, playing.at + by));
    if (at === playing.at) return;
    playing.at = at;
    show();
  };
  const leave = () => {
    playing = null;
    player.hidden = true;
    player.replaceChildren();
    delete document.body.dataset.story;
    // The draft being made comes back once the story is left.
    builder.hidden = !draft;
  };
  const play = (story: Story) => {
    if (!story.steps.length) return;
    // The player takes the builder's room: the timeline keeps its height.
    builder.hidden = true;
    playing = { story, at: 0 };
    show();
    player.querySelector<HTMLButtonElement>('#story-next')?.focus();
  };
  // Captured before the timeline's own arrow keys, only while a story plays and no field is typed in.
  document.addEventListener('keydown', (e) => {
    if (!playing || e.altKey || e.ctrlKey || e.metaKey) return;
    const target = e.target as HTMLElement | null;
    if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
    if (document.querySelector('dialog[open]')) return;
    const moves: Record<string, () => void> = { ArrowRight: () => go(1), ArrowLeft: () => go(-1), Escape: leave };
    const action = moves[e.key];
    if (!action) return;
    e.preventDefault();
    e.stopPropagation();
    action();
  }, true);

  if (draft) drawBuilder();
  // A story's link plays it.
  if (LINKED) void open(LINKED, play);
}
