// The changes the page makes to an event: the form (add or edit) and deleting. Each tells the
// other screens what it wrote (`store.tell`), then selects the result.

import { errorText, gql, type EventDetail } from '../api';
import { $ } from '../dom';
import { openEditor } from '../form/editor';
import type { PageStore } from '../store';
import { authorized } from '../token';

/** Opens the form on an event (null: a new one, starting at `defaults.start`). */
export async function openEventForm(store: PageStore, event: EventDetail | null, defaults: { start?: string } = {}): Promise<void> {
  const saved = (result: EventDetail, created: boolean) => {
    store.tell({ kind: 'saved', event: result, created });
    store.say(`${created ? 'Added' : 'Saved'} “${result.title}”: ${result.start.description}.`);
    store.update({ event: result.id, opened: result, reveal: true });
  };
  const unchanged = (shown: EventDetail) => store.say(`Nothing to save: “${shown.title}” is as it was.`);
  try {
    await openEditor($('#editor') as HTMLDialogElement, { vocabulary: store.state.vocabulary, saved, unchanged }, event, defaults);
  } catch (error) {
    store.say(`Could not open the form: ${errorText(error)}`);
  }
}

/** Deletes an event (after asking), at the version read. */
export async function removeEvent(store: PageStore, event: EventDetail): Promise<void> {
  if (!confirm(`Delete “${event.title}”? It leaves every listing and search.`)) return;
  try {
    await authorized(
      () => gql('mutation($input: DeleteEventInput!) { deleteEvent(input: $input) { deletedId } }', { input: { id: event.id, version: event.version } }),
      { rejected: (message) => store.say(`Not deleted. ${message}`) },
    );
    store.tell({ kind: 'deleted', event });
    store.select(null);
    store.say(`Deleted “${event.title}”.`);
  } catch (error) {
    store.say(`Could not delete: ${errorText(error)}`);
  }
}
