// The timeline page: wires the URL view, the filters, the windowed loading, the detail panel, the
// form and the live subscription together.

import 'vis-timeline/styles/vis-timeline-graph2d.css';
import './style.css';

import { ApiError, gql, loadActors, loadDetail, loadEvents, loadVocabulary, loadWindow, PAGE, type ActorRef, type Bucket, type EventDetail, type EventFilterInput, type TimelineEvent, type Vocabulary } from './api';
import { renderDetail } from './detail';
import { $, h } from './dom';
import { openEditor } from './form';
import { FuzzyError, isoSecond, understand } from './fuzzy';
import { subscribeToChanges, type EventChange } from './live';
import { currentToken, forgetToken, onTokenChange } from './session';
import { readView, writeView, type Grouping, type View } from './state';
import { extent, TimelineView } from './timeline';
import { authorized } from './token';

const view: View = readView();
const statusLine = $('#status');
const detailPanel = $('#detail');
const dialog = $('#editor') as HTMLDialogElement;
let vocabulary: Vocabulary;
let timeline: TimelineView;
let actors: ActorRef[] = [];
const knownTags = new Set<string>();
const knownKinds = new Set<string>();

function status(text: string): void {
  statusLine.textContent = text;
}

function errorText(error: unknown): string {
  return error instanceof ApiError ? error.errors.map((e) => e.message).join('; ') : String(error);
}

// ---- the past: the timeline as known at an instant ----

/** The instant the page shows the timeline as known at, or null for now. */
function knownAt(): string | null {
  return view.asOf || null;
}

/** Whether the page shows a fixed past: nothing can be changed there, and nothing arrives. */
function inThePast(): boolean {
  return view.asOf !== '' && Date.parse(view.asOf) < Date.now();
}

/** A `datetime-local` value (local time, to the second) for an instant. */
function localInput(iso: string): string {
  const d = new Date(iso);
  if (!Number.isFinite(d.getTime())) return '';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** The notice above the timeline while it shows the past, and the controls that cannot apply there. */
function renderPast(): void {
  const notice = $('#past');
  const past = view.asOf !== '';
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
  const at = new Date(view.asOf).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  notice.replaceChildren(
    `As known at ${at}: every event as the database held it then, before later edits, corrections and deletions. Nothing can be changed here. `,
    h('button', { type: 'button', id: 'back-to-now', className: 'linklike', onclick: () => changeView({ asOf: '' }) }, 'Back to now'),
  );
  notice.hidden = false;
}

// ---- filters ----

/** The filter without the period: what the server filters by besides time. */
function baseFilter(): EventFilterInput {
  const filter: EventFilterInput = {};
  if (view.actors.length) filter.actorIds = view.actors;
  if (view.kinds.length) filter.kinds = view.kinds;
  if (view.tags.length) filter.tags = view.tags;
  // The server searches the records as they are now only (see renderPast).
  if (view.q.trim() && !view.asOf) filter.search = view.q.trim();
  return filter;
}

/** The date-range filter as instants (null where open or unreadable). */
function dateLimits(): { lo: number | null; hi: number | null } {
  const read = (text: string, which: 'earliest' | 'latest') => {
    if (!text) return null;
    try {
      return understand(text)[which] + (which === 'latest' ? 999 : 0);
    } catch {
      return null;
    }
  };
  return { lo: read(view.from, 'earliest'), hi: read(view.to, 'latest') };
}

/** Whether an event passes the filters that can be checked here (not the full-text search). */
function passes(event: TimelineEvent): boolean {
  if (view.actors.length && !event.participants.some((p) => p.actor && view.actors.includes(p.actor.id))) return false;
  if (view.kinds.length && !view.kinds.includes(event.kind)) return false;
  if (view.tags.length && !event.tags.some((t) => view.tags.includes(t))) return false;
  const { lo, hi } = dateLimits();
  const [start, end] = extent(event);
  if (lo !== null && end < lo) return false;
  if (hi !== null && start > hi) return false;
  return true;
}

function renderPick(id: string, options: { value: string; label: string; title?: string }[], chosen: string[], onChange: (values: string[]) => void): void {
  const box = $(`#${id}`);
  const list = $('.pick-list', box);
  const search = box.querySelector<HTMLInputElement>('.pick-search');
  const count = $('.count', box);
  count.textContent = chosen.length ? String(chosen.length) : '';
  const term = search?.value.trim().toLowerCase() ?? '';
  const sorted = [...options].sort((a, b) => Number(chosen.includes(b.value)) - Number(chosen.includes(a.value)) || a.label.localeCompare(b.label));
  list.replaceChildren(
    ...sorted
      .filter((o) => !term || o.label.toLowerCase().includes(term) || chosen.includes(o.value))
      .map((o) => {
        const input = h('input', { type: 'checkbox', value: o.value, checked: chosen.includes(o.value) });
        input.addEventListener('change', () => {
          const next = input.checked ? [...chosen, o.value] : chosen.filter((v) => v !== o.value);
          onChange(next);
        });
        return h('li', {}, h('label', { title: o.title ?? o.label }, input, ' ', o.label));
      }),
  );
  if (search && !search.dataset.bound) {
    search.dataset.bound = '1';
    search.addEventListener('input', () => renderFilters());
  }
}

function renderFilters(): void {
  ($('#f-search') as HTMLInputElement).value = view.q;
  ($('#f-group') as HTMLSelectElement).value = view.group;
  ($('#f-from') as HTMLInputElement).value = view.from;
  ($('#f-to') as HTMLInputElement).value = view.to;
  ($('#f-asof') as HTMLInputElement).value = view.asOf ? localInput(view.asOf) : '';
  renderPick(
    'f-actors',
    actors.map((a) => ({ value: a.id, label: a.name, title: `${a.name} (${a.kind})` })),
    view.actors,
    (values) => changeView({ actors: values }),
  );
  for (const k of vocabulary.eventKinds) knownKinds.add(k);
  for (const k of view.kinds) knownKinds.add(k);
  renderPick('f-kinds', [...knownKinds].map((k) => ({ value: k, label: k })), view.kinds, (values) => changeView({ kinds: values }));
  for (const t of view.tags) knownTags.add(t);
  renderPick('f-tags', [...knownTags].map((t) => ({ value: t, label: `#${t}` })), view.tags, (values) => changeView({ tags: values }));
}

function changeView(change: Partial<View>): void {
  const otherTime = 'asOf' in change && change.asOf !== view.asOf;
  Object.assign(view, change);
  writeView(view, true);
  renderFilters();
  renderPast();
  timeline.setGrouping(view.group, view.actors);
  void refresh(true);
  if (otherTime && openId) void openEvent(openId, false);
}

function bindFilters(): void {
  let searchTimer: number | undefined;
  $('#f-search').addEventListener('input', (e) => {
    clearTimeout(searchTimer);
    const value = (e.target as HTMLInputElement).value;
    searchTimer = window.setTimeout(() => changeView({ q: value }), 300);
  });
  $('#f-group').addEventListener('change', (e) => changeView({ group: (e.target as HTMLSelectElement).value as Grouping }));
  const dateError = $('#f-date-error');
  const dateChanged = () => {
    const from = ($('#f-from') as HTMLInputElement).value.trim();
    const to = ($('#f-to') as HTMLInputElement).value.trim();
    dateError.textContent = '';
    for (const [label, text] of [['From', from], ['To', to]] as const) {
      if (!text) continue;
      try {
        understand(text);
      } catch (error) {
        dateError.textContent = `${label}: ${error instanceof FuzzyError ? error.message : String(error)}`;
        return;
      }
    }
    Object.assign(view, { from, to });
    const { lo, hi } = dateLimits();
    if (lo !== null || hi !== null) {
      const w = timeline.window;
      const a = lo ?? Math.min(w.start, (hi ?? w.end) - (w.end - w.start));
      const b = hi ?? Math.max(w.end, a + (w.end - w.start));
      const pad = (b - a) * 0.03;
      timeline.setWindow(a - pad, b + pad);
    }
    changeView({});
  };
  $('#f-asof').addEventListener('change', (e) => {
    const value = (e.target as HTMLInputElement).value;
    const at = value ? new Date(value) : null;
    if (at && !Number.isFinite(at.getTime())) return;
    changeView({ asOf: at ? at.toISOString() : '' });
  });
  $('#f-from').addEventListener('change', dateChanged);
  $('#f-to').addEventListener('change', dateChanged);
  $('#filters').addEventListener('submit', (e) => {
    e.preventDefault();
    dateChanged();
  });
  const toggle = $('#toggle-filters');
  toggle.addEventListener('click', () => {
    const open = document.body.dataset.filters !== 'open';
    document.body.dataset.filters = open ? 'open' : 'closed';
    toggle.setAttribute('aria-expanded', String(open));
  });
  $('#f-reset').addEventListener('click', () => {
    dateError.textContent = '';
    changeView({ actors: [], kinds: [], tags: [], from: '', to: '', q: '', asOf: '' });
  });
}

// ---- windowed loading ----

let generation = 0;
let inflight: AbortController | null = null;
/** The period whose events are loaded, and the zoom it was loaded at. */
let loaded: { from: number; to: number; span: number } | null = null;
let dense = false;

function needsLoad(start: number, end: number): boolean {
  if (!loaded || dense) return true;
  const span = end - start;
  return start < loaded.from || end > loaded.to || span < loaded.span / 3 || span > loaded.span * 3;
}

async function refresh(force = false): Promise<void> {
  const { start, end } = timeline.window;
  if (!force && !needsLoad(start, end)) return;
  const gen = ++generation;
  inflight?.abort();
  const controller = new AbortController();
  inflight = controller;
  const span = end - start;
  const { lo, hi } = dateLimits();
  let from = start - span / 2;
  let to = end + span / 2;
  if (lo !== null) from = Math.max(from, lo);
  if (hi !== null) to = Math.min(to, hi);
  try {
    if (from > to) {
      timeline.setEvents([]);
      timeline.setHistogram([]);
      loaded = { from: start, to: end, span };
      status('No events here: this period is outside the date range filter.');
      return;
    }
    const base = baseFilter();
    const buckets = Math.max(10, Math.min(1000, Math.round(((to - from) / span) * (timeline.width / 6))));
    const { histogram } = await loadWindow({ ...base, from: isoSecond(from), to: isoSecond(to) }, buckets, knownAt(), controller.signal);
    if (gen !== generation) return;
    timeline.setHistogram(histogram);
    const total = sum(histogram);
    if (total > PAGE) {
      const visible = sum(histogram.filter((b) => Date.parse(b.end) >= start && Date.parse(b.start) <= end));
      if (visible > PAGE) {
        dense = true;
        loaded = null;
        timeline.setEvents([]);
        status(`${visible.toLocaleString('en')} events in view, too many to draw: zoom in (or click a bar of the density strip).`);
        document.body.dataset.dense = 'true';
        return;
      }
      from = Math.max(start, lo ?? start);
      to = Math.min(end, hi ?? end);
    }
    const { events, more } = await loadEvents({ ...base, from: isoSecond(from), to: isoSecond(to) }, knownAt(), controller.signal);
    if (gen !== generation) return;
    dense = false;
    document.body.dataset.dense = 'false';
    loaded = { from, to, span };
    timeline.setEvents(events);
    for (const e of events) {
      for (const t of e.tags) knownTags.add(t);
      knownKinds.add(e.kind);
    }
    renderFilters();
    const shown = events.filter((e) => {
      const [s, f] = extent(e);
      return f >= start && s <= end;
    }).length;
    status(
      events.length === 0
        ? 'No events in this period match. Zoom out, move, or change the filters.'
        : `${shown} event${shown === 1 ? '' : 's'} in view${more ? ` (the first ${PAGE} of this period: zoom in for the rest)` : ''}.`,
    );
  } catch (error) {
    if (controller.signal.aborted) return;
    status(`Could not load the timeline: ${errorText(error)}`);
  } finally {
    if (inflight === controller) inflight = null;
    document.body.dataset.loading = 'false';
  }
}

function sum(buckets: Bucket[]): number {
  return buckets.reduce((n, b) => n + b.count, 0);
}

/** Where the events are: narrows the whole timeline to where most of it happens. */
async function defaultWindow(): Promise<{ start: number; end: number }> {
  const fallback = { start: Date.now() - 365 * 86_400_000, end: Date.now() + 30 * 86_400_000 };
  const base = baseFilter();
  const { lo, hi } = dateLimits();
  let range: [number, number] | null = null;
  if (lo !== null && hi !== null) range = [lo, hi];
  const filter = (r: [number, number] | null): EventFilterInput =>
    r ? { ...base, from: isoSecond(r[0]), to: isoSecond(r[1]) } : { ...base, ...(view.from ? { from: view.from } : {}), ...(view.to ? { to: view.to } : {}) };
  for (let round = 0; round < 5; round++) {
    const { histogram } = await loadWindow(filter(range), 60, knownAt());
    const total = sum(histogram);
    if (!total) return range ? { start: range[0], end: range[1] } : fallback;
    // The shortest run of buckets holding 80% of the events.
    const want = Math.ceil(total * 0.8);
    let best: [number, number] = [0, histogram.length - 1];
    let i = 0;
    let running = 0;
    for (let j = 0; j < histogram.length; j++) {
      running += histogram[j].count;
      while (running - histogram[i].count >= want) running -= histogram[i++].count;
      if (running >= want && j - i < best[1] - best[0]) best = [i, j];
    }
    const next: [number, number] = [Date.parse(histogram[best[0]].start), Date.parse(histogram[best[1]].end) + 1000];
    if (range && (next[1] - next[0] > (range[1] - range[0]) * 0.9 || next[1] - next[0] < 6 * 3_600_000)) break;
    range = next;
  }
  if (!range) return fallback;
  // More room on the right, where the labels of the last events run.
  const pad = Math.max((range[1] - range[0]) * 0.06, 3_600_000);
  return { start: range[0] - pad, end: range[1] + pad * 7 };
}

// ---- the selected event ----

let openId: string | null = null;

async function openEvent(id: string | null, reveal = true): Promise<void> {
  openId = id;
  view.event = id;
  writeView(view, true);
  if (!id) {
    detailPanel.hidden = true;
    detailPanel.replaceChildren();
    timeline.select(null);
    document.body.dataset.detail = 'closed';
    return;
  }
  try {
    const event = await loadDetail(id, knownAt());
    if (openId !== id) return;
    if (!event) {
      status(view.asOf ? 'That event did not exist at that instant (or had been deleted then).' : 'That event no longer exists.');
      void openEvent(null);
      return;
    }
    showDetail(event);
    timeline.select(id);
    if (reveal && !timeline.has(id)) {
      const [s, e] = extent(event);
      const w = timeline.window;
      const span = w.end - w.start;
      if (e - s < span) timeline.setWindow((s + e) / 2 - span / 2, (s + e) / 2 + span / 2);
      else timeline.setWindow(s - (e - s) * 0.1, e + (e - s) * 0.1);
    } else if (reveal) timeline.reveal(id);
  } catch (error) {
    status(`Could not load the event: ${errorText(error)}`);
  }
}

function showDetail(event: EventDetail): void {
  const close = () => {
    void openEvent(null);
    $('#timeline').focus();
  };
  const openTarget = (target: string) => void openEvent(target);
  renderDetail(
    detailPanel,
    event,
    view.asOf
      ? { openEvent: openTarget, close }
      : { openEvent: openTarget, edit: (e) => void edit(e), remove: (e) => void removeEvent(e), close },
  );
  detailPanel.hidden = false;
  document.body.dataset.detail = 'open';
}

async function edit(event: EventDetail | null, defaults: { start?: string } = {}): Promise<void> {
  try {
    await openEditor(dialog, { vocabulary, saved }, event, defaults);
  } catch (error) {
    status(`Could not open the form: ${errorText(error)}`);
  }
}

function saved(event: EventDetail, created: boolean): void {
  if (passes(event)) timeline.upsert(event);
  status(`${created ? 'Added' : 'Saved'} “${event.title}”: ${event.start.description}.`);
  showDetail(event);
  openId = event.id;
  view.event = event.id;
  writeView(view, true);
  timeline.select(event.id);
  timeline.reveal(event.id);
  void loadActors().then((list) => {
    actors = list;
    renderFilters();
  });
}

async function removeEvent(event: EventDetail): Promise<void> {
  if (!confirm(`Delete “${event.title}”? It leaves every listing and search.`)) return;
  try {
    await authorized(
      () => gql('mutation($input: DeleteEventInput!) { deleteEvent(input: $input) { deletedId } }', { input: { id: event.id, version: event.version } }),
      { rejected: (message) => status(`Not deleted. ${message}`) },
    );
    timeline.remove(event.id);
    void openEvent(null);
    status(`Deleted “${event.title}”.`);
  } catch (error) {
    status(`Could not delete: ${errorText(error)}`);
  }
}

// ---- the API token ----

/** The sign-out button shows while this tab keeps a token; it forgets the token. */
function bindSession(): void {
  const signOut = $('#sign-out') as HTMLButtonElement;
  const show = (token: string | null) => {
    signOut.hidden = !token;
  };
  show(currentToken());
  onTokenChange((token) => show(token));
  signOut.addEventListener('click', () => {
    forgetToken();
    status('Signed out: this tab no longer keeps the API token, and the next change asks for one.');
    $('#add-event').focus();
  });
}

// ---- live ----

let resyncTimer: number | undefined;
function resyncSoon(delay = 800): void {
  clearTimeout(resyncTimer);
  resyncTimer = window.setTimeout(() => void refresh(true), delay);
}

function applyChange(change: EventChange): void {
  // What was known at a past instant does not change with later writes.
  if (inThePast()) return;
  const event = change.event;
  if (change.kind === 'DELETED' || !event) {
    timeline.remove(change.eventId);
    if (openId === change.eventId) {
      void openEvent(null);
      status('The event you were reading was deleted.');
    }
  } else if (dense || view.q.trim()) {
    // Only the server can tell whether it matches the search, or how dense the view is now.
    resyncSoon(200);
    return;
  } else {
    const [s, e] = extent(event);
    const inLoaded = loaded && e >= loaded.from && s <= loaded.to;
    if (passes(event) && inLoaded) {
      timeline.upsert(event);
      timeline.flash(event.id);
      if (change.kind === 'CREATED') announce(event);
    } else timeline.remove(event.id);
    if (openId === event.id) void loadDetail(event.id).then((d) => d && openId === d.id && showDetail(d));
    for (const t of event.tags) knownTags.add(t);
  }
  // The density strip follows a little later.
  clearTimeout(histogramTimer);
  histogramTimer = window.setTimeout(() => void refreshHistogram(), 1000);
}

/** Says in the status line that an event arrived, with a button to show it. */
function announce(event: TimelineEvent): void {
  statusLine.replaceChildren(
    `New: “${event.title}” (${event.start.description}). `,
    h('button', { type: 'button', className: 'linklike', onclick: () => void openEvent(event.id) }, 'Show it'),
  );
}

let histogramTimer: number | undefined;
async function refreshHistogram(): Promise<void> {
  if (!loaded) return;
  try {
    const { start, end } = timeline.window;
    const span = end - start;
    const from = loaded.from;
    const to = loaded.to;
    const buckets = Math.max(10, Math.min(1000, Math.round(((to - from) / span) * (timeline.width / 6))));
    const { histogram } = await loadWindow({ ...baseFilter(), from: isoSecond(from), to: isoSecond(to) }, buckets, knownAt());
    timeline.setHistogram(histogram);
  } catch {
    // The next full refresh brings it back.
  }
}

// ---- start ----

async function main(): Promise<void> {
  bindFilters();
  bindSession();
  try {
    // Reading is public unless the server wants a token for it: then this asks for one.
    [vocabulary, actors] = await authorized(() => Promise.all([loadVocabulary(), loadActors()]), { purpose: 'read' });
  } catch (error) {
    status(`Could not reach the server: ${errorText(error)}`);
    return;
  }
  renderFilters();
  renderPast();
  const window0 = view.start !== null && view.end !== null ? { start: view.start, end: view.end } : await defaultWindow();
  timeline = new TimelineView($('#timeline'), $('#density'), {
    open: (id) => void openEvent(id, false),
    windowChanged: (start, end) => {
      view.start = start;
      view.end = end;
      writeView(view);
      void refresh();
    },
  }, window0);
  view.start = window0.start;
  view.end = window0.end;
  timeline.setGrouping(view.group, view.actors);
  writeView(view, true);
  await refresh(true);
  if (view.event) await openEvent(view.event, false);

  $('#add-event').addEventListener('click', () => {
    if (view.asOf) return;
    const w = timeline.window;
    const mid = new Date((w.start + w.end) / 2).toISOString().slice(0, 10);
    void edit(null, { start: mid });
  });
  $('#copy-link').addEventListener('click', async () => {
    writeView(view, true);
    try {
      await navigator.clipboard.writeText(location.href);
      status('Link to this view copied.');
    } catch {
      prompt('Copy this link to the view:', location.href);
    }
  });
  const live = $('#live');
  const changes = subscribeToChanges(applyChange, (state) => {
    live.dataset.state = state;
    live.title = `Live updates: ${state}`;
  }, () => resyncSoon(0));
  // The live connection presents the token once the server has accepted it, and drops it when it is gone.
  onTokenChange((_, change) => {
    if (change !== 'set') changes.reconnect();
  });
  document.body.dataset.ready = 'true';
}

void main();
