// The form's "Part of" field: the affair (or any event) this event belongs to, shown by title,
// cleared with a button, or picked by searching (widgets/event-picker.ts). It holds the parent's
// ID; the form sends it only when it differs from what it showed.

import { h } from '../dom';
import { eventPicker } from '../widgets/event-picker';
import { errorSlot } from './fields';

export class ParentField {
  readonly element: HTMLElement;
  private id: string | null;
  private readonly shown: HTMLElement;
  private readonly clearButton: HTMLButtonElement;

  constructor(current: { id: string; title: string } | null, self: string | null) {
    this.id = current?.id ?? null;
    this.shown = h('span', { className: 'parent-title', 'data-field': 'parentId' });
    this.clearButton = h('button', { type: 'button', className: 'quiet', id: 'clear-parent', onclick: () => this.set(null) }, 'Clear');
    const picker = eventPicker({
      name: 'parent-search',
      label: 'Find the event this one is part of',
      exclude: (id) => id === self,
      picked: (event) => {
        this.set(event);
        picker.clear();
      },
    });
    this.element = h(
      'fieldset',
      { className: 'parent-field' },
      h('legend', {}, 'Part of'),
      h('p', {}, this.shown, ' ', this.clearButton),
      picker.element,
      errorSlot('parentId'),
    );
    this.set(current);
  }

  private set(event: { id: string; title: string } | null): void {
    this.id = event?.id ?? null;
    this.shown.textContent = event ? event.title : 'nothing (not part of another event)';
    this.shown.dataset.id = this.id ?? '';
    this.clearButton.hidden = event === null;
  }

  /** The parent's ID, or null for none. */
  value(): string | null {
    return this.id;
  }
}
