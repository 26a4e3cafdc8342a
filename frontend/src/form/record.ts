// A small form for a record's own fields (an actor's, a source's): text, long text, a choice, or a
// comma-separated list. Like the event form it sends only the fields that differ from what it
// showed (null clears one), so saving it unchanged writes nothing; API errors land next to their
// field (`extensions.field`).

import { h } from '../dom';
import { clearErrors, showErrors } from './errors';
import { errorSlot } from './fields';

export type FieldValue = string | string[] | null;

export interface FieldSpec {
  /** The API's name of the field (e.g. `aliases`). */
  name: string;
  label: string;
  type: 'text' | 'textarea' | 'select' | 'list';
  value: FieldValue;
  options?: string[];
  required?: boolean;
}

export interface RecordForm {
  element: HTMLFormElement;
}

/** A form of `fields`; `save` gets the changed fields only and resolves once written. */
export function recordForm(options: {
  id: string;
  title: string;
  fields: FieldSpec[];
  save(changes: Record<string, FieldValue>): Promise<void>;
  unchanged(): void;
  cancel(): void;
}): RecordForm {
  const inputs = options.fields.map((field) => {
    const text = Array.isArray(field.value) ? field.value.join(', ') : (field.value ?? '');
    let input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    if (field.type === 'textarea') {
      input = h('textarea', { name: field.name, rows: 4 });
      input.value = text;
    } else if (field.type === 'select') {
      const choices = [...new Set([...(field.options ?? []), text])].filter(Boolean);
      input = h('select', { name: field.name }, ...choices.map((c) => h('option', { value: c, selected: c === text }, c)));
    } else {
      input = h('input', { name: field.name, value: text, autocomplete: 'off', required: field.required ?? false });
    }
    input.setAttribute('data-field', field.name);
    return { field, input };
  });
  const read = (): Record<string, FieldValue> =>
    Object.fromEntries(
      inputs.map(({ field, input }) => {
        const text = input.value.trim();
        if (field.type === 'list') return [field.name, text.split(',').map((t) => t.trim()).filter(Boolean)];
        return [field.name, text || null];
      }),
    );
  const shown = read();
  const general = h('div', { className: 'form-errors', role: 'alert' });
  const save = h('button', { type: 'submit', className: 'primary', id: `${options.id}-save` }, 'Save changes');
  const form = h(
    'form',
    { className: 'record-form', id: options.id, novalidate: true },
    h('h3', {}, options.title),
    general,
    ...inputs.map(({ field, input }) => h('label', {}, field.label, input, errorSlot(field.name))),
    h('footer', {}, h('button', { type: 'button', className: 'quiet', onclick: () => options.cancel() }, 'Cancel'), save),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form, general);
    const now = read();
    const changes = Object.fromEntries(Object.entries(now).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(shown[key])));
    if (!Object.keys(changes).length) {
      options.unchanged();
      return;
    }
    save.disabled = true;
    try {
      await options.save(changes);
    } catch (error) {
      showErrors(form, general, error);
    } finally {
      save.disabled = false;
    }
  });
  return { element: form };
}
