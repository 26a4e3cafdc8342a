// Small pieces of the event form: error slots named after the API's fields, datalists, and the
// preview of what a fuzzy date field understood.

import { h } from '../dom';
import { FuzzyError, understand } from '../fuzzy';

/** Where an API error for `name` (e.g. `start`, `participants[0]`) is written. */
export const errorSlot = (name: string) => h('output', { className: 'field-error', 'data-error-for': name });

export function datalist(id: string, values: string[]): HTMLDataListElement {
  return h('datalist', { id }, ...values.map((v) => h('option', { value: v })));
}

/** Says under a date field what it understood (and in which time zone a local time is read). */
export function datePreview(input: HTMLInputElement, zone: () => string, optional: boolean): HTMLElement {
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

/** Something wrong the form finds before asking the server, and where to say it. */
export interface Problem {
  slot: Element | null;
  message: string;
}
