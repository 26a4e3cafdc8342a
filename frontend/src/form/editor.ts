// The add/edit form: a fuzzy date field that says what it understood, participants
// (form/participants.ts) and citations (form/citations.ts). Errors from the API
// (`extensions.field`) appear next to their field; updates send the version that was read. Every
// change goes through `authorized`: the first one asks for an API token, and a refused token is
// reported here, at the form, before the token is asked for again.

import { EVENT_DETAIL_FIELDS, gql, loadActors, loadSources, type EventDetail, type Vocabulary } from '../api';
import { h } from '../dom';
import { authorized } from '../token';
import { CitationRows } from './citations';
import { FormContext } from './context';
import { clearErrors, showErrors } from './errors';
import { datalist, datePreview, errorSlot } from './fields';
import { ParticipantRows } from './participants';

export interface FormHost {
  vocabulary: Vocabulary;
  saved(event: EventDetail, created: boolean): void;
}

export async function openEditor(dialog: HTMLDialogElement, host: FormHost, existing: EventDetail | null, defaults: { start?: string } = {}): Promise<void> {
  const [actors, sources] = await Promise.all([loadActors(), loadSources()]);
  const context = new FormContext(host.vocabulary, actors, sources);
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

  const participants = new ParticipantRows(context);
  const citations = new CitationRows(context);
  for (const p of existing?.participants ?? []) participants.add(p.actor, p.role);
  for (const c of existing?.citations ?? []) citations.add(c);

  const save = h('button', { type: 'submit', className: 'primary', id: 'save-event' }, existing ? 'Save changes' : 'Add event');
  const form = h(
    'form',
    { method: 'dialog', className: 'event-form', novalidate: true },
    h('h2', { id: 'editor-title' }, existing ? 'Edit event' : 'Add an event'),
    general,
    h('label', {}, 'Title', title, errorSlot('title')),
    h('div', { className: 'pair' },
      h('label', {}, 'Start', start, datePreview(start, () => timeZone.value, false), errorSlot('start')),
      h('label', {}, 'End', end, datePreview(end, () => timeZone.value, true), errorSlot('end')),
    ),
    h('div', { className: 'pair' },
      h('label', {}, 'Kind', kind, errorSlot('kind')),
      h('label', {}, 'Confidence', confidence, errorSlot('confidence')),
    ),
    h('div', { className: 'pair' },
      h('label', {}, 'Tags', tags, errorSlot('tags')),
      h('label', {}, 'Time zone', timeZone, errorSlot('timeZone')),
    ),
    h('label', {}, 'Place', place, errorSlot('place.name')),
    h('label', {}, 'Summary', summary, errorSlot('summary')),
    h('fieldset', {}, h('legend', {}, 'Who took part'), participants.element, errorSlot('participants'),
      h('button', { type: 'button', className: 'quiet', id: 'add-participant', onclick: () => participants.add() }, '+ Participant')),
    h('fieldset', {}, h('legend', {}, 'Sources'), citations.element, errorSlot('citations'),
      h('button', { type: 'button', className: 'quiet', id: 'add-citation', onclick: () => citations.add() }, '+ Citation')),
    h('footer', {}, h('button', { type: 'button', className: 'quiet', onclick: () => dialog.close() }, 'Cancel'), save),
    datalist('kind-options', v.eventKinds),
    datalist('role-options', v.roles),
    participants.actorOptions,
  );
  // Inputs carry the API's field names, so an error lands next to its field.
  for (const [el, name] of [[title, 'title'], [start, 'start'], [end, 'end'], [kind, 'kind'], [confidence, 'confidence'], [tags, 'tags'], [timeZone, 'timeZone'], [place, 'place.name'], [summary, 'summary']] as const) {
    el.setAttribute('data-field', name);
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form, general);
    const who = participants.read();
    const cited = citations.read();
    if (who.missing || cited.missing) return;

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
      participants: who.participants,
      citations: cited.citations,
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
