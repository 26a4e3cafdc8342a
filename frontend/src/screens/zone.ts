// The display time zone switch among the filters (a setting of the view, like the axis): the browser's zone, UTC, or an IANA zone typed in
// (checked against the browser's time zone data; a name it does not know is refused, named, and
// not applied). The choice is the store's `tz`, in the link and in saved views; the timeline's
// axis follows it here (`followZone`), the detail shows its instants in it.

import moment from 'moment';
import type { Timeline } from 'vis-timeline/peer';

import { h } from '../dom';
import type { PageStore } from '../store';
import { isZone, offsetMinutes } from '../zone';

export function mountZone(store: PageStore): void {
  const form = document.querySelector('#filters');
  if (!form) return;
  const choice = h('select', { id: 'f-zone', name: 'tz', 'aria-label': 'Show times in' },
    h('option', { value: 'browser' }, "this browser's zone"),
    h('option', { value: 'UTC' }, 'UTC'),
    h('option', { value: 'other' }, 'another zone…')) as HTMLSelectElement;
  const name = h('input', { id: 'f-zone-name', placeholder: 'Europe/Berlin', size: 14, autocomplete: 'off', 'aria-label': 'IANA time zone', hidden: true }) as HTMLInputElement;
  const error = h('output', { id: 'f-zone-error', className: 'field-error', for: 'f-zone-name', 'data-field': 'tz' }) as HTMLOutputElement;
  const apply = () => {
    error.textContent = '';
    if (choice.value === 'browser') store.update({ tz: '' });
    else if (choice.value === 'UTC') store.update({ tz: 'UTC' });
    else {
      name.hidden = false;
      const typed = name.value.trim();
      if (!typed) return;
      if (isZone(typed)) store.update({ tz: typed });
      else error.textContent = `${typed} is not a time zone this browser knows (e.g. Europe/Berlin)`;
    }
  };
  choice.addEventListener('change', () => {
    name.hidden = choice.value !== 'other';
    if (choice.value === 'other') name.focus();
    apply();
  });
  name.addEventListener('change', apply);
  name.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') apply();
  });
  const show = () => {
    const { tz } = store.state;
    choice.value = tz === '' ? 'browser' : tz === 'UTC' ? 'UTC' : 'other';
    name.hidden = choice.value !== 'other';
    if (choice.value === 'other') name.value = tz;
  };
  store.subscribe(['tz'], show);
  show();
  const label = h('label', { className: 'f-zone', title: 'The time zone the timeline and the details show times in' }, h('span', {}, 'Times in'), choice, name, error);
  const reset = form.querySelector('#f-reset');
  if (reset) reset.before(label);
  else form.append(label);
}

/** Makes the timeline's axis show `tz`'s wall clock, now and whenever it changes. */
export function followZone(timeline: Timeline, store: PageStore): void {
  const set = (tz: string) => {
    // vis-timeline asks this for every date it lays out; the offset is the zone's at that date.
    const inZone = (date: moment.MomentInput) => {
      const m = moment(date);
      return tz ? m.utcOffset(offsetMinutes(m.valueOf(), tz)) : m;
    };
    timeline.setOptions({ moment: inZone } as Parameters<Timeline['setOptions']>[0]);
  };
  set(store.state.tz);
  store.subscribe(['tz'], ({ tz }) => set(tz));
}
