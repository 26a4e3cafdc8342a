// The add/edit form: a fuzzy date field that says what it understood, an actor picker that can
// create an actor, roles, citations with quotes (pick a source or create one). Errors from the API
// (`extensions.field`) appear next to their field; updates send the version that was read. Every
// change goes through `authorized`: the first one asks for an API token, and a refused token is
// reported here, at the form, before the token is asked for again.

import {
  ApiError,
  EVENT_DETAIL_FIELDS,
  gql,
  loadActors,
  loadSources,
  type ActorRef,
  type EventDetail,
  type SourceRef,
  type Vocabulary,
} from './api';
import { h } from './dom';
import { FuzzyError, understand } from './fuzzy';
import { authorized } from './token';

export interface FormHost {
  vocabulary: Vocabulary;
  saved(event: EventDetail, created: boolean): void;
}

let actors: ActorRef[] = [];
let sources: SourceRef[] = [];

const field = (name: string) => h('output', { className: 'field-error', 'data-error-for': name });

function datalist(id: string, values: string[]): HTMLDataListElement {
  return h('datalist', { id }, ...values.map((v) => h('option', { value: v })));
}

function datePreview(input: HTMLInputElement, zone: () => string, optional: boolean): HTMLElement {
  const out = h('output', { className: 'understood', 'aria-live': 'polite' });
  const update = () => {
    const text = input.value;
    out.classList.remove('bad');
    if (!text && optional) {
      out.textContent = '';
      return;
    }
    try {
      const u = understand(text);
      const z = zone().trim();
      out.textContent = `Understood: ${u.description}${z && !/[Zz+-]\d|Z$/.test(text.split('T')[1] ?? '') && text.includes('T') ? `, read in ${z}` : ''}`;
    } catch (error) {
      out.classList.add('bad');
      out.textContent = error instanceof FuzzyError ? `Not a date yet: ${error.message}` : String(error);
    }
  };
  input.addEventListener('input', update);
  update();
  return out;
}

export async function openEditor(dialog: HTMLDialogElement, host: FormHost, existing: EventDetail | null, defaults: { start?: string } = {}): Promise<void> {
  [actors, sources] = await Promise.all([loadActors(), loadSources()]);
  const v = host.vocabulary;
  const title = h('input', { name: 'title', required: true, value: existing?.title ?? '', autocomplete: 'off' });
  const kind = h('input', { name: 'kind', list: 'kind-options', value: existing?.kind ?? 'other', autocomplete: 'off' });
  const start = h('input', { name: 'start', required: true, value: existing?.start.value ?? defaults.start ?? '', placeholder: '2024-03-01, 2024-02~, 2024-W08…', autocomplete: 'off', spellcheck: false });
  const end = h('input', { name: 'end', value: existing?.end?.value ?? '', placeholder: 'optional', autocomplete: 'off', spellcheck: false });
  const timeZone = h('input', { name: 'timeZone', value: existing?.timeZone ?? '', placeholder: 'e.g. Europe/Berlin', autocomplete: 'off' });
  const confidence = h('select', { name: 'confidence' }, ...v.confidence.map((c) => h('option', { value: c, selected: (existing?.confidence ?? 'reported') === c }, c)));
  const tags = h('input', { name: 'tags', value: existing?.tags.join(', ') ?? '', placeholder: 'comma, separated', autocomplete: 'off' });
  const summary = h('textarea', { name: 'summary', rows: 3 });
  summary.value = existing?.summary ?? '';
  const place = h('input', { name: 'place', value: existing?.place?.name ?? '', autocomplete: 'off' });
  const general = h('div', { className: 'form-errors', role: 'alert' });

  const participants = h('div', { className: 'rows participants-rows' });
  const citations = h('div', { className: 'rows citations-rows' });
  const actorOptions = h('datalist', { id: 'actor-options' });
  const refreshActorOptions = () =>
    actorOptions.replaceChildren(...actors.map((a) => h('option', { value: a.name, label: a.kind })));
  refreshActorOptions();

  const actorByName = (name: string) => actors.find((a) => a.name.toLowerCase() === name.trim().toLowerCase());

  function participantRow(actor?: ActorRef | null, role = '') {
    const row = h('div', { className: 'row participant' });
    const nameInput = h('input', { className: 'actor', list: 'actor-options', value: actor?.name ?? '', placeholder: 'Actor (type to find or create)', 'aria-label': 'Actor', autocomplete: 'off' });
    const roleInput = h('input', { className: 'role', list: 'role-options', value: role, placeholder: 'role', 'aria-label': 'Role', autocomplete: 'off' });
    const creator = h('div', { className: 'create-actor', hidden: true });
    const newKind = h('select', { 'aria-label': 'Kind of the new actor' }, ...v.actorKinds.map((k) => h('option', { value: k }, k)));
    const createError = h('output', { className: 'field-error' });
    const createButton = h('button', { type: 'button', className: 'create-actor-button' }, 'Create actor');
    creator.append(h('span', { className: 'hint' }), newKind, createButton, createError);
    const check = () => {
      const name = nameInput.value.trim();
      const known = actorByName(name);
      row.dataset.actorId = known?.id ?? '';
      creator.hidden = !name || !!known;
      const hint = creator.querySelector('.hint');
      if (hint) hint.textContent = `“${name}” is new: `;
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
        actors.push(data.createActor.actor);
        actors.sort((a, b) => a.name.localeCompare(b.name));
        refreshActorOptions();
        check();
      } catch (error) {
        createError.textContent = error instanceof ApiError ? error.errors.map((e) => e.message).join('; ') : String(error);
      }
    });
    nameInput.addEventListener('input', check);
    const remove = h('button', { type: 'button', className: 'quiet remove', 'aria-label': 'Remove this participant', onclick: () => { row.remove(); renumber(); } }, '×');
    row.append(nameInput, roleInput, remove, creator, h('output', { className: 'field-error row-error' }));
    if (actor) row.dataset.actorId = actor.id;
    check();
    participants.append(row);
    renumber();
    return row;
  }

  function sourceOptions(select: HTMLSelectElement, chosen?: string) {
    select.replaceChildren(
      h('option', { value: '' }, '— choose a source —'),
      ...sources.map((s) => h('option', { value: s.id, selected: s.id === chosen }, `${s.title}${s.publisher ? ` (${s.publisher})` : ''}`)),
      h('option', { value: '__new' }, '+ New source…'),
    );
  }

  function citationRow(c?: EventDetail['citations'][number]) {
    const row = h('div', { className: 'row citation-row' });
    const source = h('select', { className: 'source', 'aria-label': 'Source' });
    sourceOptions(source, c?.source?.id);
    const quote = h('textarea', { className: 'quote', rows: 2, placeholder: 'The words of the source, verbatim', 'aria-label': 'Quote' });
    quote.value = c?.quote ?? '';
    const supports = h('select', { className: 'supports', 'aria-label': 'What the quote supports' }, ...v.citationSupports.filter((s) => s !== 'participation').map((s) => h('option', { value: s, selected: (c?.supports ?? 'event') === s }, s)));
    const creator = h('div', { className: 'create-source', hidden: true });
    const sTitle = h('input', { placeholder: 'Title of the new source', 'aria-label': 'Source title' });
    const sUrl = h('input', { placeholder: 'https://… (optional)', 'aria-label': 'Source URL', type: 'url' });
    const sPublisher = h('input', { placeholder: 'Publisher (optional)', 'aria-label': 'Publisher' });
    const sError = h('output', { className: 'field-error' });
    const sCreate = h('button', { type: 'button' }, 'Create source');
    creator.append(sTitle, sUrl, sPublisher, sCreate, sError);
    source.addEventListener('change', () => {
      creator.hidden = source.value !== '__new';
      if (!creator.hidden) sTitle.focus();
    });
    sCreate.addEventListener('click', async () => {
      sError.textContent = '';
      try {
        const data = await authorized(
          () =>
            gql<{ createSource: { source: SourceRef } }>(
              'mutation($input: CreateSourceInput!) { createSource(input: $input) { source { id title url publisher author published { value } } } }',
              { input: { title: sTitle.value.trim(), url: sUrl.value.trim() || null, publisher: sPublisher.value.trim() || null } },
            ),
          { rejected: (message) => (sError.textContent = message) },
        );
        sources.push(data.createSource.source);
        for (const select of citations.querySelectorAll<HTMLSelectElement>('select.source')) sourceOptions(select, select === source ? data.createSource.source.id : select.value);
        creator.hidden = true;
      } catch (error) {
        sError.textContent = error instanceof ApiError ? error.errors.map((e) => e.message).join('; ') : String(error);
      }
    });
    const remove = h('button', { type: 'button', className: 'quiet remove', 'aria-label': 'Remove this citation', onclick: () => { row.remove(); renumber(); } }, '×');
    row.append(source, supports, remove, quote, creator, h('output', { className: 'field-error row-error' }));
    citations.append(row);
    renumber();
  }

  /** Error slots follow the rows' indexes, as the API names them (`participants[1].role`). */
  function renumber() {
    participants.querySelectorAll('.participant').forEach((row, i) => {
      row.querySelector('.actor')?.setAttribute('data-field', `participants[${i}].actorId`);
      row.querySelector('.role')?.setAttribute('data-field', `participants[${i}].role`);
      row.querySelector('.row-error')?.setAttribute('data-error-for', `participants[${i}]`);
    });
    citations.querySelectorAll('.citation-row').forEach((row, i) => {
      row.querySelector('.source')?.setAttribute('data-field', `citations[${i}].sourceId`);
      row.querySelector('.quote')?.setAttribute('data-field', `citations[${i}].quote`);
      row.querySelector('.row-error')?.setAttribute('data-error-for', `citations[${i}]`);
    });
  }

  for (const p of existing?.participants ?? []) participantRow(p.actor, p.role);
  for (const c of existing?.citations ?? []) citationRow(c);

  const save = h('button', { type: 'submit', className: 'primary', id: 'save-event' }, existing ? 'Save changes' : 'Add event');
  const form = h(
    'form',
    { method: 'dialog', className: 'event-form', novalidate: true },
    h('h2', { id: 'editor-title' }, existing ? 'Edit event' : 'Add an event'),
    general,
    h('label', {}, 'Title', title, field('title')),
    h('div', { className: 'pair' },
      h('label', {}, 'Start', start, datePreview(start, () => timeZone.value, false), field('start')),
      h('label', {}, 'End', end, datePreview(end, () => timeZone.value, true), field('end')),
    ),
    h('div', { className: 'pair' },
      h('label', {}, 'Kind', kind, field('kind')),
      h('label', {}, 'Confidence', confidence, field('confidence')),
    ),
    h('div', { className: 'pair' },
      h('label', {}, 'Tags', tags, field('tags')),
      h('label', {}, 'Time zone', timeZone, field('timeZone')),
    ),
    h('label', {}, 'Place', place, field('place.name')),
    h('label', {}, 'Summary', summary, field('summary')),
    h('fieldset', {}, h('legend', {}, 'Who took part'), participants, field('participants'),
      h('button', { type: 'button', className: 'quiet', id: 'add-participant', onclick: () => participantRow(null, '') }, '+ Participant')),
    h('fieldset', {}, h('legend', {}, 'Sources'), citations, field('citations'),
      h('button', { type: 'button', className: 'quiet', id: 'add-citation', onclick: () => citationRow() }, '+ Citation')),
    h('footer', {}, h('button', { type: 'button', className: 'quiet', onclick: () => dialog.close() }, 'Cancel'), save),
    datalist('kind-options', v.eventKinds),
    datalist('role-options', v.roles),
    actorOptions,
  );
  // Inputs carry the API's field names, so an error lands next to its field.
  for (const [el, name] of [[title, 'title'], [start, 'start'], [end, 'end'], [kind, 'kind'], [confidence, 'confidence'], [tags, 'tags'], [timeZone, 'timeZone'], [place, 'place.name'], [summary, 'summary']] as const) {
    el.setAttribute('data-field', name);
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const out of form.querySelectorAll<HTMLElement>('.field-error')) out.textContent = '';
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    general.textContent = '';

    const participantInputs: { actorId: string; role: string }[] = [];
    let missing = false;
    participants.querySelectorAll<HTMLElement>('.participant').forEach((row, i) => {
      const name = row.querySelector<HTMLInputElement>('.actor')?.value.trim() ?? '';
      const role = row.querySelector<HTMLInputElement>('.role')?.value.trim() ?? '';
      if (!name && !role) return;
      const id = row.dataset.actorId;
      if (!id) {
        missing = true;
        const out = row.querySelector('.row-error');
        if (out) out.textContent = name ? `No actor is called “${name}”: pick one from the list or create it.` : 'Choose an actor.';
        return;
      }
      participantInputs.push({ actorId: id, role: role || 'participant' });
      void i;
    });
    const citationInputs: { sourceId: string; quote: string | null; supports: string }[] = [];
    citations.querySelectorAll<HTMLElement>('.citation-row').forEach((row) => {
      const sourceId = row.querySelector<HTMLSelectElement>('.source')?.value ?? '';
      const quote = row.querySelector<HTMLTextAreaElement>('.quote')?.value.trim() ?? '';
      const supports = row.querySelector<HTMLSelectElement>('.supports')?.value ?? 'event';
      if (!sourceId && !quote) return;
      if (!sourceId || sourceId === '__new') {
        missing = true;
        const out = row.querySelector('.row-error');
        if (out) out.textContent = 'Choose a source (or create it first).';
        return;
      }
      citationInputs.push({ sourceId, quote: quote || null, supports });
    });
    if (missing) return;

    const tagList = tags.value.split(',').map((t) => t.trim()).filter(Boolean);
    const input: Record<string, unknown> = {
      title: title.value.trim(),
      start: start.value.trim(),
      kind: kind.value.trim() || 'other',
      confidence: confidence.value,
      tags: tagList,
      summary: summary.value.trim() || null,
      timeZone: timeZone.value.trim() || null,
      end: end.value.trim() || null,
      participants: participantInputs,
      citations: citationInputs,
    };
    if (place.value.trim()) input.place = { name: place.value.trim(), latitude: existing?.place?.latitude ?? null, longitude: existing?.place?.longitude ?? null };
    else if (existing?.place) input.place = null;
    save.disabled = true;
    // A refused token is reported at the top of the form while the token is asked for again.
    const rejected = (message: string) => (general.textContent = message);
    try {
      let event: EventDetail;
      if (existing) {
        const data = await authorized(
          () =>
            gql<{ updateEvent: { event: EventDetail } }>(
              `mutation($input: UpdateEventInput!) { updateEvent(input: $input) { event { ${EVENT_DETAIL_FIELDS} } } }`,
              { input: { ...input, id: existing.id, version: existing.version } },
            ),
          { rejected },
        );
        event = data.updateEvent.event;
      } else {
        for (const key of ['end', 'summary', 'timeZone']) if (input[key] === null) delete input[key];
        const data = await authorized(
          () =>
            gql<{ createEvent: { event: EventDetail } }>(
              `mutation($input: CreateEventInput!) { createEvent(input: $input) { event { ${EVENT_DETAIL_FIELDS} } } }`,
              { input },
            ),
          { rejected },
        );
        event = data.createEvent.event;
      }
      dialog.close();
      host.saved(event, !existing);
    } catch (error) {
      showErrors(form, general, error);
    } finally {
      save.disabled = false;
    }
  });

  dialog.replaceChildren(form);
  if (!dialog.open) dialog.showModal();
  title.focus();
}

function showErrors(form: HTMLElement, general: HTMLElement, error: unknown): void {
  if (!(error instanceof ApiError)) {
    general.textContent = String(error);
    return;
  }
  if (error.code === 'CONFLICT') {
    general.textContent = 'Someone changed this event since you opened it. Close the form, open the event again to see their version, and redo your change.';
    return;
  }
  const unplaced: string[] = [];
  for (const e of error.errors) {
    const name = e.extensions?.field;
    const message = name && e.message.startsWith(`${name}: `) ? e.message.slice(name.length + 2) : e.message;
    if (!name) {
      unplaced.push(message);
      continue;
    }
    // The most specific slot: the field itself, then its row, then its list.
    const candidates = [name, name.replace(/\.[^.[\]]+$/, ''), name.replace(/\[\d+\].*$/, '')];
    const slot = candidates.map((c) => form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(c)}"]`)).find(Boolean);
    form.querySelector(`[data-field="${CSS.escape(name)}"]`)?.setAttribute('aria-invalid', 'true');
    if (slot) slot.textContent = message;
    else unplaced.push(`${name}: ${message}`);
  }
  general.textContent = unplaced.join(' ');
  const first = form.querySelector<HTMLElement>('[aria-invalid="true"]');
  first?.focus();
}
