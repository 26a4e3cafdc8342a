// The event form's participant rows: an actor picked by name (or created on the spot), a role and
// a note. Inputs carry the API's field names (`participants[1].note`), so errors land on their
// row. A row keeps the actor it was opened with while its name is unchanged (two actors may share
// a name, and the picker lists only the first 500).

import { errorText, gql, type ActorRef, type EventDetail } from '../api';
import { h } from '../dom';
import { authorized } from '../token';
import type { FormContext } from './context';
import type { Problem } from './fields';

export interface ParticipantInput {
  actorId: string;
  role: string;
  note: string | null;
}

type Participation = EventDetail['participants'][number];

export class ParticipantRows {
  readonly element = h('div', { className: 'rows participants-rows' });
  /** The actors' names for the rows' pickers (`list="actor-options"`). */
  readonly actorOptions = h('datalist', { id: 'actor-options' });
  private readonly checks = new Set<() => void>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly context: FormContext) {
    const refresh = () => {
      this.actorOptions.replaceChildren(...context.actors.map((a) => h('option', { value: a.name, label: a.kind })));
      for (const check of this.checks) check();
    };
    context.onChange(refresh);
    refresh();
  }

  /** Calls `listener` when the actors taking part change (a row added, removed, or naming another actor). */
  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** The actors the rows name (known ones only), in row order. */
  actors(): { id: string; name: string }[] {
    return [...this.element.querySelectorAll<HTMLElement>('.participant')]
      .filter((row) => row.dataset.actorId)
      .map((row) => ({ id: row.dataset.actorId ?? '', name: row.querySelector<HTMLInputElement>('.actor')?.value.trim() ?? '' }));
  }

  add(participation: Participation | null = null): HTMLElement {
    const context = this.context;
    const original = participation?.actor ?? null;
    const row = h('div', { className: 'row participant' });
    const nameInput = h('input', { className: 'actor', list: 'actor-options', value: original?.name ?? '', placeholder: 'Actor (type to find or create)', 'aria-label': 'Actor', autocomplete: 'off' });
    const roleInput = h('input', { className: 'role', list: 'role-options', value: participation?.role ?? '', placeholder: 'role', 'aria-label': 'Role', autocomplete: 'off' });
    const noteInput = h('input', { className: 'note', value: participation?.note ?? '', placeholder: 'Note on their part (optional)', 'aria-label': 'Note', autocomplete: 'off' });
    const creator = h('div', { className: 'create-actor', hidden: true });
    const hint = h('span', { className: 'hint' });
    const newKind = h('select', { 'aria-label': 'Kind of the new actor' }, ...context.vocabulary.actorKinds.map((k) => h('option', { value: k }, k)));
    const createError = h('output', { className: 'field-error' });
    const createButton = h('button', { type: 'button', className: 'create-actor-button' }, 'Create actor');
    creator.append(hint, newKind, createButton, createError);
    const check = () => {
      const name = nameInput.value.trim();
      const id = original && name === original.name ? original.id : (context.actorByName(name)?.id ?? '');
      creator.hidden = !name || !!id;
      hint.textContent = `“${name}” is new: `;
      if (row.dataset.actorId === id) return;
      row.dataset.actorId = id;
      this.changed();
    };
    createButton.addEventListener('click', async () => {
      createError.textContent = '';
      try {
        const data = await authorized(
          () =>
            gql<{ createActor: { actor: ActorRef } }>(
              'mutation($input: CreateActorInput!) { createActor(input: $input) { actor { id name kind } } }',
              { input: { name: nameInput.value.trim(), kind: newKind.value } },
            ),
          { rejected: (message) => (createError.textContent = message) },
        );
        context.addActor(data.createActor.actor);
      } catch (error) {
        createError.textContent = errorText(error);
      }
    });
    nameInput.addEventListener('input', check);
    const remove = h('button', {
      type: 'button', className: 'quiet remove', 'aria-label': 'Remove this participant',
      onclick: () => {
        this.checks.delete(check);
        row.remove();
        this.renumber();
        this.changed();
      },
    }, '×');
    row.append(nameInput, roleInput, remove, noteInput, creator, h('output', { className: 'field-error row-error' }));
    this.checks.add(check);
    this.element.append(row);
    this.renumber();
    check();
    return row;
  }

  /** The rows as the API takes them, and what is wrong with rows that name no known actor. */
  read(): { participants: ParticipantInput[]; problems: Problem[] } {
    const participants: ParticipantInput[] = [];
    const problems: Problem[] = [];
    for (const row of this.element.querySelectorAll<HTMLElement>('.participant')) {
      const value = (selector: string) => row.querySelector<HTMLInputElement>(selector)?.value.trim() ?? '';
      const [name, role, note] = [value('.actor'), value('.role'), value('.note')];
      if (!name && !role && !note) continue;
      const id = row.dataset.actorId;
      if (!id) {
        const message = name ? `No actor is called “${name}”: pick one from the list or create it.` : 'Choose an actor.';
        problems.push({ slot: row.querySelector('.row-error'), message });
        continue;
      }
      participants.push({ actorId: id, role: role || 'participant', note: note || null });
    }
    return { participants, problems };
  }

  /** Error slots follow the rows' indexes, as the API names them (`participants[1].role`). */
  private renumber(): void {
    this.element.querySelectorAll('.participant').forEach((row, i) => {
      row.querySelector('.actor')?.setAttribute('data-field', `participants[${i}].actorId`);
      row.querySelector('.role')?.setAttribute('data-field', `participants[${i}].role`);
      row.querySelector('.note')?.setAttribute('data-field', `participants[${i}].note`);
      row.querySelector('.row-error')?.setAttribute('data-error-for', `participants[${i}]`);
    });
  }
}
