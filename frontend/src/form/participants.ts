// The event form's participant rows: an actor picked by name (or created on the spot), a role.
// Inputs carry the API's field names (`participants[1].role`), so errors land on their row.

import { errorText, gql, type ActorRef } from '../api';
import { h } from '../dom';
import { authorized } from '../token';
import type { FormContext } from './context';

export interface ParticipantInput {
  actorId: string;
  role: string;
}

export class ParticipantRows {
  readonly element = h('div', { className: 'rows participants-rows' });
  /** The actors' names for the rows' pickers (`list="actor-options"`). */
  readonly actorOptions = h('datalist', { id: 'actor-options' });
  private readonly checks = new Set<() => void>();

  constructor(private readonly context: FormContext) {
    const refresh = () => {
      this.actorOptions.replaceChildren(...context.actors.map((a) => h('option', { value: a.name, label: a.kind })));
      for (const check of this.checks) check();
    };
    context.onChange(refresh);
    refresh();
  }

  add(actor: ActorRef | null = null, role = ''): HTMLElement {
    const context = this.context;
    const row = h('div', { className: 'row participant' });
    const nameInput = h('input', { className: 'actor', list: 'actor-options', value: actor?.name ?? '', placeholder: 'Actor (type to find or create)', 'aria-label': 'Actor', autocomplete: 'off' });
    const roleInput = h('input', { className: 'role', list: 'role-options', value: role, placeholder: 'role', 'aria-label': 'Role', autocomplete: 'off' });
    const creator = h('div', { className: 'create-actor', hidden: true });
    const hint = h('span', { className: 'hint' });
    const newKind = h('select', { 'aria-label': 'Kind of the new actor' }, ...context.vocabulary.actorKinds.map((k) => h('option', { value: k }, k)));
    const createError = h('output', { className: 'field-error' });
    const createButton = h('button', { type: 'button', className: 'create-actor-button' }, 'Create actor');
    creator.append(hint, newKind, createButton, createError);
    const check = () => {
      const name = nameInput.value.trim();
      const known = context.actorByName(name);
      row.dataset.actorId = known?.id ?? '';
      creator.hidden = !name || !!known;
      hint.textContent = `“${name}” is new: `;
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
      },
    }, '×');
    row.append(nameInput, roleInput, remove, creator, h('output', { className: 'field-error row-error' }));
    if (actor) row.dataset.actorId = actor.id;
    this.checks.add(check);
    check();
    this.element.append(row);
    this.renumber();
    return row;
  }

  /** The rows as the API takes them; a row naming no known actor says so, and makes `missing` true. */
  read(): { participants: ParticipantInput[]; missing: boolean } {
    const participants: ParticipantInput[] = [];
    let missing = false;
    for (const row of this.element.querySelectorAll<HTMLElement>('.participant')) {
      const name = row.querySelector<HTMLInputElement>('.actor')?.value.trim() ?? '';
      const role = row.querySelector<HTMLInputElement>('.role')?.value.trim() ?? '';
      if (!name && !role) continue;
      const id = row.dataset.actorId;
      if (!id) {
        missing = true;
        const out = row.querySelector('.row-error');
        if (out) out.textContent = name ? `No actor is called “${name}”: pick one from the list or create it.` : 'Choose an actor.';
        continue;
      }
      participants.push({ actorId: id, role: role || 'participant' });
    }
    return { participants, missing };
  }

  /** Error slots follow the rows' indexes, as the API names them (`participants[1].role`). */
  private renumber(): void {
    this.element.querySelectorAll('.participant').forEach((row, i) => {
      row.querySelector('.actor')?.setAttribute('data-field', `participants[${i}].actorId`);
      row.querySelector('.role')?.setAttribute('data-field', `participants[${i}].role`);
      row.querySelector('.row-error')?.setAttribute('data-error-for', `participants[${i}]`);
    });
  }
}
