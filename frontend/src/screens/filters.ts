// The filters in the header: search, lanes, actors, kinds, tags, the date range and the "as known
// at" instant, and the evidence (issue 11): the axis (when it happened, when it became known, both),
// disputed only, weakened or unsupported, and the sources events rest on. They show the store's
// view and change it; everything else follows from the store.

import { loadActors } from '../api';
import { $, h } from '../dom';
import { describeDate } from '../dates';
import type { PageStore } from '../store';
import type { AxisChoice, Grouping } from '../url';
import { dateLimits } from '../view';

interface Option {
  value: string;
  label: string;
  title?: string;
}

/** A datetime-local value (local time, to the second) for an instant. */
function localInput(iso: string): string {
  const d = new Date(iso);
  if (!Number.isFinite(d.getTime())) return '';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** A list of checkboxes, the chosen ones first, narrowed by its search box (if it has one). */
function renderPick(box: HTMLElement, options: Option[], chosen: string[], onChange: (values: string[]) => void): void {
  const search = box.querySelector<HTMLInputElement>('.pick-search');
  $('.count', box).textContent = chosen.length ? String(chosen.length) : '';
  const term = search?.value.trim().toLowerCase() ?? '';
  const sorted = [...options].sort((a, b) => Number(chosen.includes(b.value)) - Number(chosen.includes(a.value)) || a.label.localeCompare(b.label));
  $('.pick-list', box).replaceChildren(
    ...sorted
      .filter((o) => !term || o.label.toLowerCase().includes(term) || chosen.includes(o.value))
      .map((o) => {
        const input = h('input', { type: 'checkbox', value: o.value, checked: chosen.includes(o.value) });
        input.addEventListener('change', () => onChange(input.checked ? [...chosen, o.value] : chosen.filter((v) => v !== o.value)));
        return h('li', {}, h('label', { title: o.title ?? o.label }, input, ' ', o.label));
      }),
  );
}

/** Binds a pick list to the store: it shows `options()` and writes the chosen values with `choose`. */
function pick(store: PageStore, id: string, keys: Parameters<PageStore['subscribe']>[0], options: () => Option[], chosen: () => string[], choose: (values: string[]) => void): void {
  const box = $(`#${id}`);
  const render = () => renderPick(box, options(), chosen(), choose);
  box.querySelector('.pick-search')?.addEventListener('input', render);
  store.subscribe(keys, render);
  render();
}

const union = (...lists: string[][]) => [...new Set(lists.flat())];

export function mountFilters(store: PageStore): void {
  const search = $('#f-search') as HTMLInputElement;
  const group = $('#f-group') as HTMLSelectElement;
  const from = $('#f-from') as HTMLInputElement;
  const to = $('#f-to') as HTMLInputElement;
  const asOf = $('#f-asof') as HTMLInputElement;
  const dateError = $('#f-date-error');
  const axis = $('#f-axis') as HTMLSelectElement;
  const disputed = $('#f-disputed') as HTMLInputElement;
  const weak = $('#f-weak') as HTMLInputElement;

  const renderFields = () => {
    const s = store.state;
    search.value = s.q;
    group.value = s.group;
    from.value = s.from;
    to.value = s.to;
    asOf.value = s.asOf ? localInput(s.asOf) : '';
    axis.value = s.axis;
    disputed.checked = s.disputed;
    weak.checked = s.weak;
    // The revisions hold no evidence: as known at an instant, the axis and these filters do not apply.
    for (const input of [axis, disputed, weak]) input.disabled = s.asOf !== '';
  };
  store.subscribe(['q', 'group', 'from', 'to', 'asOf', 'axis', 'disputed', 'weak'], renderFields);
  renderFields();

  // A kind or tag once chosen stays in its list (it may come from a link, before any event has it).
  const keepChosen = () => {
    const s = store.state;
    store.update({ knownKinds: union(s.knownKinds, s.kinds), knownTags: union(s.knownTags, s.tags) });
  };
  store.subscribe(['kinds', 'tags'], keepChosen);
  keepChosen();

  pick(store, 'f-actors', ['actors', 'knownActors'],
    () => store.state.knownActors.map((a) => ({ value: a.id, label: a.name, title: `${a.name} (${a.kind})` })),
    () => store.state.actors,
    (actors) => store.update({ actors }));
  pick(store, 'f-kinds', ['kinds', 'knownKinds', 'vocabulary'],
    () => union(store.state.vocabulary.eventKinds, store.state.knownKinds).map((k) => ({ value: k, label: k })),
    () => store.state.kinds,
    (kinds) => store.update({ kinds }));
  pick(store, 'f-tags', ['tags', 'knownTags'],
    () => store.state.knownTags.map((t) => ({ value: t, label: `#${t}` })),
    () => store.state.tags,
    (tags) => store.update({ tags }));
  pick(store, 'f-sources', ['restsOn', 'knownSources'],
    () => store.state.knownSources.map((s) => ({ value: s.id, label: s.title, title: `${s.title}${s.status && s.status !== 'PUBLISHED' ? ` (${s.status.toLowerCase()})` : ''}` })),
    () => store.state.restsOn,
    (restsOn) => store.update({ restsOn }));
  axis.addEventListener('change', () => store.update({ axis: axis.value as AxisChoice }));
  disputed.addEventListener('change', () => store.update({ disputed: disputed.checked }));
  weak.addEventListener('change', () => store.update({ weak: weak.checked }));

  let searchTimer: number | undefined;
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    const value = search.value;
    searchTimer = window.setTimeout(() => store.update({ q: value }), 300);
  });
  group.addEventListener('change', () => store.update({ group: group.value as Grouping }));

  /** A new date range: checked as the server would, then the window moves to show it. */
  const dateChanged = async () => {
    const range = { from: from.value.trim(), to: to.value.trim() };
    dateError.textContent = '';
    for (const [label, text] of [['From', range.from], ['To', range.to]] as const) {
      if (!text) continue;
      const answer = await describeDate(text);
      if (answer.error !== undefined) {
        dateError.textContent = `${label}: ${answer.error}`;
        return;
      }
    }
    const { lo, hi } = dateLimits(range);
    const { start, end } = store.state;
    if ((lo !== null || hi !== null) && start !== null && end !== null) {
      const a = lo ?? Math.min(start, (hi ?? end) - (end - start));
      const b = hi ?? Math.max(end, a + (end - start));
      const pad = (b - a) * 0.03;
      store.update({ ...range, start: a - pad, end: b + pad });
    } else store.update(range);
  };
  asOf.addEventListener('change', () => {
    const at = asOf.value ? new Date(asOf.value) : null;
    if (at && !Number.isFinite(at.getTime())) return;
    store.update({ asOf: at ? at.toISOString() : '' });
  });
  from.addEventListener('change', () => void dateChanged());
  to.addEventListener('change', () => void dateChanged());
  $('#filters').addEventListener('submit', (e) => {
    e.preventDefault();
    void dateChanged();
  });
  const toggle = $('#toggle-filters');
  toggle.addEventListener('click', () => {
    const open = document.body.dataset.filters !== 'open';
    document.body.dataset.filters = open ? 'open' : 'closed';
    toggle.setAttribute('aria-expanded', String(open));
  });
  $('#f-reset').addEventListener('click', () => {
    dateError.textContent = '';
    store.update({ actors: [], kinds: [], tags: [], from: '', to: '', q: '', asOf: '', axis: 'happened', disputed: false, weak: false, restsOn: [] });
  });

  // An event saved here may name an actor the form has just created.
  store.listen((news) => {
    if (news.kind === 'saved') void loadActors().then((knownActors) => store.update({ knownActors }));
  });
}
