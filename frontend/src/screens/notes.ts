// The team's notes on the selected event, in the detail panel: who wrote what and when, links in
// the text shown as links, the reader's own notes editable and deletable (an admin's token may
// change any: the server decides), a box to add one; and the star (flag) of this tab's token.

import { errorText, gql, type EventDetail } from '../api';
import { h } from '../dom';
import type { PageStore } from '../store';
import { authorized } from '../token';

interface Note {
  id: string;
  body: string;
  author: string | null;
  mine: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const NOTE = 'id body author mine version createdAt updatedAt';

async function loadNotes(id: string): Promise<{ notes: Note[]; starred: boolean; starCount: number }> {
  const data = await gql<{ event: { notes: Note[]; starred: boolean; starCount: number } | null }>(
    `query Notes($id: ID!) { event(id: $id) { starred starCount notes { ${NOTE} } } }`,
    { id },
  );
  return data.event ?? { notes: [], starred: false, starCount: 0 };
}

/** The text with its http(s) addresses as links (built as nodes, never as HTML). */
function withLinks(text: string): (Node | string)[] {
  const out: (Node | string)[] = [];
  let at = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g)) {
    const index = match.index ?? 0;
    if (index > at) out.push(text.slice(at, index));
    out.push(h('a', { href: match[0], rel: 'noopener noreferrer', target: '_blank' }, match[0]));
    at = index + match[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

const when = (iso: string) => h('time', { datetime: iso }, new Date(iso).toLocaleString());

/** The notes section of `event`; `editable` where the present is shown. */
export function notesSection(store: PageStore, event: EventDetail, editable: boolean): HTMLElement {
  const list = h('ol', { className: 'notes', 'aria-label': 'Notes' });
  const head = h('h3', { id: 'notes-title' }, 'Notes');
  const star = h('button', { type: 'button', id: 'star-event', className: 'quiet', 'aria-pressed': 'false' }, '☆ Star');
  const problem = h('output', { className: 'field-error', 'aria-live': 'polite' });
  let starred = false;

  const draw = async () => {
    try {
      const loaded = await loadNotes(event.id);
      starred = loaded.starred;
      star.setAttribute('aria-pressed', String(starred));
      star.textContent = `${starred ? '★ Starred' : '☆ Star'}${loaded.starCount ? ` (${loaded.starCount})` : ''}`;
      head.textContent = `Notes (${loaded.notes.length})`;
      list.replaceChildren(...loaded.notes.map((note) => noteItem(note)));
    } catch (error) {
      problem.textContent = `Could not load the notes: ${errorText(error)}`;
    }
  };

  const write = async (run: () => Promise<unknown>, done: string) => {
    problem.textContent = '';
    try {
      await authorized(run, { rejected: (message) => (problem.textContent = message) });
      store.say(done);
      await draw();
      return true;
    } catch (error) {
      problem.textContent = errorText(error);
      return false;
    }
  };

  const noteItem = (note: Note): HTMLElement => {
    const text = h('p', { className: 'note-body' }, ...withLinks(note.body));
    const item = h(
      'li',
      { className: 'note', 'data-note': note.id },
      h('p', { className: 'note-head' }, h('strong', {}, note.author ?? 'someone'), ' · ', when(note.createdAt), note.updatedAt !== note.createdAt ? h('span', { className: 'edited' }, ' (edited)') : null),
      text,
    );
    if (editable && note.mine) {
      const edit = () => {
        const box = h('textarea', { className: 'note-edit', rows: 3, 'aria-label': 'Edit the note' });
        box.value = note.body;
        const save = h('button', { type: 'button', className: 'primary save-note' }, 'Save');
        save.addEventListener('click', () => {
          if (box.value.trim() === note.body) return void draw();
          void write(() => gql('mutation($input: UpdateNoteInput!) { updateNote(input: $input) { note { id } } }', { input: { id: note.id, version: note.version, body: box.value } }), 'Note saved.');
        });
        text.replaceWith(h('div', { className: 'note-editing' }, box, save, h('button', { type: 'button', className: 'quiet', onclick: () => void draw() }, 'Cancel')));
        box.focus();
      };
      item.append(
        h(
          'p',
          { className: 'note-actions' },
          h('button', { type: 'button', className: 'quiet edit-note', onclick: edit }, 'Edit'),
          h('button', {
            type: 'button',
            className: 'quiet delete-note',
            onclick: () => {
              if (confirm('Delete this note?')) void write(() => gql('mutation($input: DeleteNoteInput!) { deleteNote(input: $input) { deletedId } }', { input: { id: note.id } }), 'Note deleted.');
            },
          }, 'Delete'),
        ),
      );
    }
    return item;
  };

  star.addEventListener('click', () => {
    void write(
      () => gql('mutation($input: SetStarInput!) { setStar(input: $input) { event { id } } }', { input: { eventId: event.id, starred: !starred } }),
      starred ? 'Star removed.' : 'Starred.',
    );
  });

  const box = h('textarea', { id: 'new-note', rows: 3, placeholder: 'What the team should know (links welcome)', 'data-event': event.id });
  // The panel is drawn again when the event changes (a note arrives live): a draft survives it.
  const previous = document.querySelector<HTMLTextAreaElement>('#new-note');
  if (previous?.dataset.event === event.id) box.value = previous.value;
  const add = h('form', { className: 'add-note' },
    h('label', { for: 'new-note', className: 'sr' }, 'A new note'),
    box,
    h('button', { type: 'submit', id: 'add-note' }, 'Add note'),
  );
  add.addEventListener('submit', async (e) => {
    e.preventDefault();
    // Being sent, the text is no draft to carry over if the panel is drawn again meanwhile.
    box.dataset.event = '';
    const ok = await write(() => gql('mutation($input: AddNoteInput!) { addNote(input: $input) { note { id } } }', { input: { eventId: event.id, body: box.value } }), 'Note added.');
    if (ok) box.value = '';
    box.dataset.event = event.id;
  });

  void draw();
  return h('section', { className: 'notes-section', 'aria-labelledby': 'notes-title' }, head, list, editable ? add : null, editable ? star : null, problem);
}
