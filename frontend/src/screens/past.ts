// The notice above the timeline while it shows the past ("as known at" an instant), and the
// controls that cannot apply there: adding an event, and full-text search (which reads the present).

import { $, h } from '../dom';
import type { PageStore } from '../store';

export function mountPast(store: PageStore): void {
  const notice = $('#past');
  const render = () => {
    const { asOf } = store.state;
    const past = asOf !== '';
    document.body.dataset.past = String(past);
    ($('#add-event') as HTMLButtonElement).disabled = past;
    const search = $('#f-search') as HTMLInputElement;
    search.disabled = past;
    search.title = past ? 'Full-text search covers the records as they are now, not as they were known at an instant' : '';
    if (!past) {
      notice.hidden = true;
      notice.replaceChildren();
      return;
    }
    const at = new Date(asOf).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
    notice.replaceChildren(
      `As known at ${at}: every event as the database held it then, before later edits, corrections and deletions. Nothing can be changed here. `,
      h('button', { type: 'button', id: 'back-to-now', className: 'linklike', onclick: () => store.update({ asOf: '' }) }, 'Back to now'),
    );
    notice.hidden = false;
  };
  store.subscribe(['asOf'], render);
  render();
}
