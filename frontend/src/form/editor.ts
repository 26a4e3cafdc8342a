// The add/edit form: a fuzzy date field that says what it understood, place with coordinates,
// participants (form/participants.ts) and citations (form/citations.ts). An edit sends only the
// fields that differ from what the form showed when it opened (and the version that was read), so
// what the form does not show (links) or did not change is never rewritten; saving an
// unchanged form writes nothing. Errors from the API (`extensions.field`) appear next to their
// field. Every change goes through `authorized`: the first one asks for an API token, and a
// refused token is reported here, at the form, before the token is asked for again.

import { EVENT_DETAIL_FIELDS, gql, loadActors, loadSources, type EventDetail, type SourceRef, type Vocabulary } from '../api';
import { h } from '../dom';
import { authorized } from '../token';
import { CitationRows, type CitationInput } from './citations';
import { FormContext } from './context';
import { clearErrors, showErrors } from './errors';
import { datalist, datePreview, errorSlot, type Problem } from './fields';
import { ParentField } from './parent';
import { ParticipantRows, type ParticipantInput } from './participants';
import { placePicker } from './place-picker';

export interface FormHost {
  vocabulary: Vocabulary;
  saved(event: EventDetail, created: boolean): void;
  /** The form was saved without a change: nothing was written. */
  unchanged(event: EventDetail): void;
  /** Last step before a new event is sent (e.g. creating the source a draft cites): the input to send. */
  prepare?(input: EventInput): Promise<EventInput>;
}

/** What a new event's form starts with: a date, or a whole draft (e.g. a candidate of an article).
 * `sources` are offered besides the stored ones (a source the host creates only when saving). */
export interface FormDefaults {
  start?: string;
  title?: string;
  kind?: string;
  timeZone?: string | null;
  tags?: string[];
  participants?: EventDetail['participants'];
  citations?: EventDetail['citations'];
  sources?: SourceRef[];
}

/** What the form holds, as the API takes it (every field, null where empty). */
export interface EventInput {
  title: string;
  start: string;
  end: string | null;
  kind: string;
  confidence: string;
  tags: string[];
  summary: string | null;
  timeZone: string | null;
  place: { name: string | null; latitude: number | null; longitude: number | null } | null;
  parentId: string | null;
  participants: ParticipantInput[];
  citations: CitationInput[];
}

/** The fields of `now` that differ from `then`; participants bring the citations along, so the server checks them against the new list. */
function changes(then: EventInput, now: EventInput): Partial<EventInput> {
  const out: Partial<EventInput> = {};
  for (const key of Object.keys(now) as (keyof EventInput)[]) {
    if (JSON.stringify(now[key]) !== JSON.stringify(then[key])) (out as Record<string, unknown>)[key] = now[key];
  }
  if (out.participants) out.citations = now.citations;
  return out;
}

/** A coordinate as typed ('' is none; a comma may stand for the decimal point). */
function coordinate(text: string): number | null | 'bad' {
  const trimmed = text.trim().replace(',', '.');
  if (!trimmed) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : 'bad';
}

/** A coordinate as the form shows it. */
const shown = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));

export async function openEditor(dialog: HTMLDialogElement, host: FormHost, existing: EventDetail | null, defaults: FormDefaults = {}): Promise<void> {
  const [actors, sources] = await Promise.all([loadActors(), loadSources()]);
  const context = new FormContext(host.vocabulary, actors, [...sources, ...(defaults.sources ?? [])]);
  const v = host.vocabulary;
  const title = h('input', { name: 'title', required: true, value: existing?.title ?? defaults.title ?? '', autocomplete: 'off' });
  const kind = h('input', { name: 'kind', list: 'kind-options', value: existing?.kind ?? defaults.kind ?? 'other', autocomplete: 'off' });
  const start = h('input', { name: 'start', required: true, value: existing?.start.value ?? defaults.start ?? '', placeholder: '2024-03-01, 2024-02~, 2024-W08…', autocomplete: 'off', spellcheck: false });
  const end = h('input', { name: 'end', value: existing?.end?.value ?? '', placeholder: 'optional', autocomplete: 'off', spellcheck: false });
  const timeZone = h('input', { name: 'timeZone', value: existing?.timeZone ?? defaults.timeZone ?? '', placeholder: 'e.g. Europe/Berlin', autocomplete: 'off' });
  const confidence = h('select', { name: 'confidence' }, ...v.confidence.map((c) => h('option', { value: c, selected: (existing?.confidence ?? 'reported') === c }, c)));
  const tags = h('input', { name: 'tags', value: existing?.tags.join(', ') ?? defaults.tags?.join(', ') ?? '', placeholder: 'comma, separated', autocomplete: 'off' });
  const summary = h('textarea', { name: 'summary', rows: 3 });
  summary.value = existing?.summary ?? '';
  const place = h('input', { name: 'place', value: existing?.place?.name ?? '', autocomplete: 'off' });
  const latitude = h('input', { name: 'latitude', value: shown(existing?.place?.latitude), inputmode: 'decimal', placeholder: 'e.g. 52.52', autocomplete: 'off' });
  const longitude = h('input', { name: 'longitude', value: shown(existing?.place?.longitude), inputmode: 'decimal', placeholder: 'e.g. 13.405', autocomplete: 'off' });
  const latitudeError = errorSlot('place.latitude');
  const longitudeError = errorSlot('place.longitude');
  const general = h('div', { className: 'form-errors', role: 'alert' });

  const parent = new ParentField(existing?.parent ?? null, existing?.id ?? null);
  const participants = new ParticipantRows(context);
  const citations = new CitationRows(context);
  participants.onChange(() => citations.setParticipants(participants.actors()));
  for (const p of existing?.participants ?? defaults.participants ?? []) participants.add(p);
  for (const c of existing?.citations ?? defaults.citations ?? []) citations.add(c);

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
    h('div', { className: 'pair' },
      h('label', {}, 'Latitude', latitude, latitudeError),
      h('label', {}, 'Longitude', longitude, longitudeError),
    ),
    placePicker(latitude, longitude, place),
    h('label', {}, 'Summary', summary, errorSlot('summary')),
    parent.element,
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
  for (const [el, name] of [[title, 'title'], [start, 'start'], [end, 'end'], [kind, 'kind'], [confidence, 'confidence'], [tags, 'tags'], [timeZone, 'timeZone'], [place, 'place.name'], [latitude, 'place.latitude'], [longitude, 'place.longitude'], [summary, 'summary']] as const) {
    el.setAttribute('data-field', name);
  }

  /** Everything the form holds, and what is wrong with it before the server sees it. */
  const read = (): { input: EventInput; problems: Problem[] } => {
    const who = participants.read();
    const cited = citations.read();
    const problems = [...who.problems, ...cited.problems];
    const lat = coordinate(latitude.value);
    const lon = coordinate(longitude.value);
    if (lat === 'bad') problems.push({ slot: latitudeError, message: 'a number of degrees, e.g. 52.52' });
    if (lon === 'bad') problems.push({ slot: longitudeError, message: 'a number of degrees, e.g. 13.405' });
    const name = place.value.trim() || null;
    const point = { latitude: lat === 'bad' ? null : lat, longitude: lon === 'bad' ? null : lon };
    const input: EventInput = {
      title: title.value.trim(),
      start: start.value.trim(),
      end: end.value.trim() || null,
      kind: kind.value.trim() || 'other',
      confidence: confidence.value,
      tags: tags.value.split(',').map((t) => t.trim()).filter(Boolean),
      summary: summary.value.trim() || null,
      timeZone: timeZone.value.trim() || null,
      place: name !== null || point.latitude !== null || point.longitude !== null ? { name, ...point } : null,
      parentId: parent.value(),
      participants: who.participants,
      citations: cited.citations,
    };
    return { input, problems };
  };
  // What the form showed when it opened: an edit sends what differs from it.
  const opened = read().input;

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form, general);
    const { input, problems } = read();
    for (const problem of problems) if (problem.slot) problem.slot.textContent = problem.message;
    if (problems.length) return;
    const changed = changes(opened, input);
    if (existing && !Object.keys(changed).length) {
      dialog.close();
      host.unchanged(existing);
      return;
    }
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
              { input: { ...changed, id: existing.id, version: existing.version } },
            ),
          { rejected },
        );
        event = data.updateEvent.event;
      } else {
        // A new event: what is empty is left out.
        const ready = host.prepare ? await host.prepare(input) : input;
        const fresh = Object.fromEntries(Object.entries(ready).filter(([, value]) => value !== null));
        const data = await authorized(
          () =>
            gql<{ createEvent: { event: EventDetail } }>(
              `mutation($input: CreateEventInput!) { createEvent(input: $input) { event { ${EVENT_DETAIL_FIELDS} } } }`,
              { input: fresh },
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
