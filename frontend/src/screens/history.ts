// An event's history, in a dialog opened from the detail panel: every revision, newest first,
// with who wrote it and when, and what changed field by field (the value before and after, from
// the revisions' snapshots). Where the present is shown, an editor restores an earlier version in
// one click (`restoreEventVersion`: a new version, in the audit trail as `revert`).

import { errorText, EVENT_DETAIL_FIELDS, gql, type EventDetail } from '../api';
import { h } from '../dom';
import type { PageStore } from '../store';
import { authorized } from '../token';

interface Snapshot {
  title: string;
  summary: string | null;
  kind: string;
  confidence: string;
  start: { value: string };
  end: { value: string } | null;
  timeZone: string | null;
  place: { name: string | null; latitude: number | null; longitude: number | null } | null;
  tags: string[];
  parent: { title: string } | null;
  participants: { role: string; note: string | null; actor: { name: string } | null }[];
  citations: { quote: string | null; supports: string; supportsActor: { name: string } | null; source: { title: string } | null }[];
  links: { kind: string; note: string | null; target: { title: string } | null }[];
}

interface Revision {
  version: number;
  at: string;
  by: string | null;
  operation: string;
  changes: string[];
  event: Snapshot | null;
}

const SNAPSHOT = `title summary kind confidence start { value } end { value } timeZone
  place { name latitude longitude } tags parent { title }
  participants { role note actor { name } }
  citations { quote supports supportsActor { name } source { title } }
  links { kind note target { title } }`;

async function loadRevisions(id: string): Promise<Revision[]> {
  const data = await gql<{ event: { revisions: Revision[] } | null }>(
    `query History($id: ID!) { event(id: $id) { revisions { version at by operation changes event { ${SNAPSHOT} } } } }`,
    { id },
  );
  return data.event?.revisions ?? [];
}

/** A field of a snapshot as words, one line per item for lists. */
function fieldText(event: Snapshot | null, field: string): string {
  if (!event) return '';
  switch (field) {
    case 'title':
      return event.title;
    case 'summary':
      return event.summary ?? '';
    case 'kind':
      return event.kind;
    case 'confidence':
      return event.confidence;
    case 'start':
      return event.start.value;
    case 'end':
      return event.end?.value ?? '';
    case 'timeZone':
      return event.timeZone ?? '';
    case 'place': {
      const p = event.place;
      if (!p) return '';
      const point = p.latitude !== null && p.longitude !== null ? `${p.latitude}, ${p.longitude}` : '';
      return [p.name, point && `(${point})`].filter(Boolean).join(' ');
    }
    case 'tags':
      return event.tags.join(', ');
    case 'parent':
      return event.parent?.title ?? '';
    case 'participants':
      return event.participants.map((p) => `${p.actor?.name ?? '(deleted actor)'} (${p.role})${p.note ? `: ${p.note}` : ''}`).join('\n');
    case 'citations':
      return event.citations
        .map((c) => `${c.quote ? `“${c.quote}” ` : ''}— ${c.source?.title ?? '(deleted source)'}${c.supports !== 'event' ? ` [${c.supports}${c.supportsActor ? ` of ${c.supportsActor.name}` : ''}]` : ''}`)
        .join('\n');
    case 'links':
      return event.links.map((l) => `${l.kind.replace(/_/g, ' ')} → ${l.target?.title ?? '(deleted)'}${l.note ? `: ${l.note}` : ''}`).join('\n');
    default:
      return '';
  }
}

const FIELD_NAMES: Record<string, string> = { timeZone: 'time zone', parent: 'part of' };

function changeRow(field: string, before: Snapshot | null, after: Snapshot | null): HTMLElement {
  const was = fieldText(before, field);
  const is = fieldText(after, field);
  return h(
    'tr',
    { className: 'change', 'data-field': field },
    h('th', { scope: 'row' }, FIELD_NAMES[field] ?? field),
    h('td', { className: 'was' }, was ? h('del', {}, was) : h('span', { className: 'empty' }, '(none)')),
    h('td', { className: 'is' }, is ? h('ins', {}, is) : h('span', { className: 'empty' }, '(none)')),
  );
}

/** Opens the history of `event` in its dialog. */
export async function openHistory(store: PageStore, event: EventDetail, editable: boolean): Promise<void> {
  let dialog = document.querySelector<HTMLDialogElement>('dialog#history');
  if (!dialog) {
    dialog = h('dialog', { id: 'history', className: 'editor history', 'aria-labelledby': 'history-title' });
    document.body.append(dialog);
  }
  const shown = dialog;
  let revisions: Revision[];
  try {
    revisions = await loadRevisions(event.id);
  } catch (error) {
    store.say(`Could not read the history: ${errorText(error)}`);
    return;
  }
  const current = revisions.at(-1)?.version ?? event.version;
  const restore = async (revision: Revision, button: HTMLButtonElement, problem: HTMLElement) => {
    button.disabled = true;
    problem.textContent = '';
    try {
      const data = await authorized(
        () =>
          gql<{ restoreEventVersion: { event: EventDetail } }>(
            `mutation($input: RestoreEventVersionInput!) { restoreEventVersion(input: $input) { event { ${EVENT_DETAIL_FIELDS} } } }`,
            { input: { id: event.id, version: event.version, toVersion: revision.version } },
          ),
        { rejected: (message) => (problem.textContent = message) },
      );
      const restored = data.restoreEventVersion.event;
      shown.close();
      store.tell({ kind: 'saved', event: restored, created: false });
      store.say(`Restored version ${revision.version} of “${restored.title}” as version ${restored.version}.`);
      store.update({ event: restored.id, opened: restored });
    } catch (error) {
      problem.textContent = errorText(error);
      button.disabled = false;
    }
  };

  const items = revisions
    .map((revision, index) => {
      const before = index > 0 ? revisions[index - 1].event : null;
      const fields = revision.changes.filter((c) => c !== 'created' && c !== 'deleted');
      const problem = h('output', { className: 'field-error', 'aria-live': 'polite' });
      const canRestore = editable && revision.version !== current && revision.event !== null && revision.operation !== 'delete';
      const button = canRestore
        ? h('button', { type: 'button', className: 'restore-version', 'data-version': revision.version }, `Restore version ${revision.version}`)
        : null;
      button?.addEventListener('click', () => void restore(revision, button, problem));
      return h(
        'li',
        { className: 'revision', 'data-version': revision.version },
        h(
          'p',
          { className: 'revision-head' },
          h('strong', {}, `Version ${revision.version}`),
          ` · ${revision.operation} · `,
          h('time', { datetime: revision.at }, new Date(revision.at).toLocaleString()),
          ` · by ${revision.by ?? 'the command line or the example loader'}`,
          revision.version === current ? h('span', { className: 'current' }, ' (current)') : null,
        ),
        revision.changes.includes('created')
          ? h('p', { className: 'empty' }, 'Created.')
          : fields.length
            ? h(
                'table',
                { className: 'changes' },
                h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'Before'), h('th', { scope: 'col' }, 'After'))),
                h('tbody', {}, ...fields.map((field) => changeRow(field, before, revision.event))),
              )
            : h('p', { className: 'empty' }, revision.changes.includes('deleted') ? 'Deleted or brought back.' : 'No field changed.'),
        button,
        problem,
      );
    })
    .reverse();

  shown.replaceChildren(
    h(
      'div',
      { className: 'history-body' },
      h('h2', { id: 'history-title' }, `History of “${event.title}”`),
      h('ol', { className: 'revisions', reversed: true }, ...items),
      h('footer', {}, h('button', { type: 'button', className: 'quiet', onclick: () => shown.close() }, 'Close')),
    ),
  );
  if (!shown.open) shown.showModal();
}
