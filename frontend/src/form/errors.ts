// Puts the API's refusal next to the fields it names (`extensions.field`, e.g.
// `participants[1].role`), the rest at the top of the form.

import { ApiError } from '../api';

export function clearErrors(form: HTMLElement, general: HTMLElement): void {
  for (const out of form.querySelectorAll<HTMLElement>('.field-error')) out.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  general.textContent = '';
}

export function showErrors(form: HTMLElement, general: HTMLElement, error: unknown): void {
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
