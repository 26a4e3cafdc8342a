// Recording a change in the life of a source (issue 11): an update, a correction (naming the
// accounts it supersedes) or a retraction, in a dialog opened from the detail panel's sources and
// from a source's page. On success the dialog lists at once the events the change affected, with
// their support; the other screens hear of them through `store.tell`.

import { ApiError, errorText } from '../api';
import { h } from '../dom';
import { accountValue, loadSourceLife, recordSourceChange, type ChangeKind } from '../evidence-api';
import type { PageStore } from '../store';
import { authorized } from '../token';
import { eventHref } from '../url';

function dialogElement(): HTMLDialogElement {
  let dialog = document.getElementById('source-change') as HTMLDialogElement | null;
  if (!dialog) {
    dialog = h('dialog', { id: 'source-change', className: 'editor source-change', 'aria-labelledby': 'source-change-title' });
    document.body.append(dialog);
  }
  return dialog;
}

const SUPPORT_WORDS: Record<string, string> = {
  SUPPORTED: 'still supported',
  WEAKENED: 'weakened',
  UNSUPPORTED: 'unsupported',
};

/**
 * Opens the dialog for `source`. `onEvent` (the timeline) opens an event of the list in place;
 * without it the list links to the events. `recorded` runs after a change was recorded.
 */
export async function openSourceChange(
  store: PageStore,
  source: { id: string; title: string },
  options: { onEvent?: (id: string) => void; recorded?: () => void } = {},
): Promise<void> {
  const dialog = dialogElement();
  let life: Awaited<ReturnType<typeof loadSourceLife>>;
  try {
    life = await loadSourceLife(source.id);
  } catch (error) {
    store.say(`Could not read the source: ${errorText(error)}`);
    return;
  }
  const errorFor = (name: string) => h('output', { className: 'field-error', 'data-for': name, 'aria-live': 'polite' });
  const kind = h('select', { id: 'change-kind', name: 'kind' },
    h('option', { value: 'CORRECTED' }, 'Corrected'),
    h('option', { value: 'RETRACTED' }, 'Retracted'),
    h('option', { value: 'UPDATED' }, 'Updated'),
  );
  const at = h('input', { id: 'change-at', name: 'at', placeholder: 'today', size: 12 });
  const note = h('textarea', { id: 'change-note', name: 'note', rows: 2 });
  const current = life.accounts.filter((a) => a.status === 'CURRENT');
  const supersedes = h(
    'fieldset',
    { className: 'supersedes' },
    h('legend', {}, 'Accounts the correction replaces'),
    current.length
      ? h('ul', { className: 'supersedes-list' }, ...current.map((a) =>
          h('li', {}, h('label', {}, h('input', { type: 'checkbox', name: 'supersedes', value: a.id }), ` ${a.eventTitle}: ${a.aspect.toLowerCase()} ${accountValue(a)}`)),
        ))
      : h('p', { className: 'empty' }, 'No current account rests on this source.'),
    errorFor('supersedes'),
  );
  const showSupersedes = () => (supersedes.hidden = kind.value !== 'CORRECTED');
  kind.addEventListener('change', showSupersedes);
  showSupersedes();
  const general = h('p', { className: 'field-error', role: 'alert' });
  const result = h('section', { className: 'change-result', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', className: 'primary', id: 'change-submit' }, 'Record');
  const form = h(
    'form',
    { className: 'change-form', novalidate: true },
    h('h2', { id: 'source-change-title' }, `A change to “${source.title}”`),
    h('p', { className: 'hint' }, `Now ${life.status.toLowerCase()}. A retraction marks every account resting on it retracted (they are kept, marked); a correction, the accounts it replaces superseded.`),
    h('label', { for: 'change-kind' }, 'What happened'), kind, errorFor('kind'),
    h('label', { for: 'change-at' }, 'When (a date, as precise as known)'), at, errorFor('at'),
    h('label', { for: 'change-note' }, 'Note (what the source said)'), note, errorFor('note'),
    supersedes,
    general,
    h('footer', {}, h('button', { type: 'button', className: 'quiet', id: 'change-close', onclick: () => dialog.close() }, 'Close'), submit),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const out of form.querySelectorAll('output.field-error')) out.textContent = '';
    general.textContent = '';
    const chosen = [...supersedes.querySelectorAll<HTMLInputElement>('input[name="supersedes"]:checked')].map((i) => i.value);
    const changeKind = kind.value as ChangeKind;
    submit.disabled = true;
    try {
      const done = await authorized(
        () => recordSourceChange({
          sourceId: source.id,
          kind: changeKind,
          ...(at.value.trim() ? { at: at.value.trim() } : {}),
          ...(note.value.trim() ? { note: note.value.trim() } : {}),
          ...(changeKind === 'CORRECTED' && chosen.length ? { supersedes: chosen } : {}),
        }),
        { rejected: (message) => (general.textContent = message) },
      );
      store.tell({ kind: 'changed', events: done.affected });
      store.say(`Recorded: “${source.title}” is now ${done.status.toLowerCase()}; ${done.affected.length} event${done.affected.length === 1 ? '' : 's'} affected.`);
      showResult(done.status, done.affected);
      options.recorded?.();
    } catch (error) {
      const fields = error instanceof ApiError ? error.byField() : new Map<string, string>();
      let placed = false;
      for (const [name, message] of fields) {
        const out = form.querySelector<HTMLElement>(`output[data-for="${name.replace(/\[\d+\]$/, '')}"]`);
        if (out) {
          out.textContent = `${name}: ${message}`;
          placed = true;
        }
      }
      if (!placed) general.textContent = errorText(error);
    } finally {
      submit.disabled = false;
    }
  });

  const showResult = (status: string, affected: { id: string; title: string; support: string; start: { value: string } }[]) => {
    result.replaceChildren(
      h('h3', {}, `Now ${status.toLowerCase()}: ${affected.length} event${affected.length === 1 ? '' : 's'} affected`),
      affected.length
        ? h('ul', { className: 'affected-events' }, ...affected.map((event) =>
            h('li', { 'data-event': event.id, 'data-support': event.support },
              options.onEvent
                ? h('button', { type: 'button', className: 'linklike', onclick: () => { dialog.close(); options.onEvent?.(event.id); } }, event.title)
                : h('a', { href: eventHref(event.id) }, event.title),
              ` (${event.start.value}) — `,
              h('span', { className: `support support-${event.support.toLowerCase()}` }, SUPPORT_WORDS[event.support] ?? event.support),
            ),
          ))
        : h('p', { className: 'empty' }, 'No event rests on it.'),
    );
  };

  dialog.replaceChildren(form, result);
  if (!dialog.open) dialog.showModal();
  kind.focus();
}
