// Small pieces of the event form: error slots named after the API's fields, datalists, and the
// preview of what a fuzzy date field understood.

import { h } from '../dom';
import { describeDate } from '../dates';

/** Where an API error for `name` (e.g. `start`, `participants[0]`) is written. */
export const errorSlot = (name: string) => h('output', { className: 'field-error', 'data-error-for': name });

export function datalist(id: string, values: string[]): HTMLDataListElement {
  return h('datalist', { id }, ...values.map((v) => h('option', { value: v })));
}

/** Says under a date field what the server understood (and in which time zone a local time is
 * read): one `describeDate` round trip per pause in typing, so the page has no grammar of its own. */
export function datePreview(input: HTMLInputElement, zone: () => string, optional: boolean): HTMLElement {
  const out = h('output', { className: 'understood', 'aria-live': 'polite' });
  let timer: number | undefined;
  let asked = 0;
  const update = async () => {
    const text = input.value;
    const z = zone().trim();
    const mine = ++asked;
    if (!text && optional) {
      out.classList.remove('bad');
      out.textContent = '';
      return;
    }
    const answer = await describeDate(text, z);
    if (mine !== asked) return; // the user typed on; a later answer is coming
    out.classList.toggle('bad', answer.error !== undefined);
    if (answer.error !== undefined) out.textContent = `Not a date yet: ${answer.error}`;
    else {
      const local = z && text.includes('T') && !/[Zz+-]\d|Z$/.test(text.split('T')[1] ?? '');
      out.textContent = `Understood: ${answer.date.description}${local ? `, read in ${z}` : ''}`;
    }
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => void update(), 250);
  });
  void update();
  return out;
}

/** Something wrong the form finds before asking the server, and where to say it. */
export interface Problem {
  slot: Element | null;
  message: string;
}
