// The timeline screen: loads the events of the visible window (or, where there are too many, only
// the density strip), follows the store's filters, lanes, window and selection, and applies the
// changes this page writes and the ones the server announces live. The drawing itself is
// widgets/timeline-view.ts. Events are placed on the axis the view chose (src/axis.ts).

import { errorText, extent, instant, loadEvents, loadWindow, PAGE, type Bucket, type EventFilterInput, type TimelineEvent } from '../api';
import { $ } from '../dom';
import { placeAll, placed } from '../axis';
import { isoSecond } from '../dates';
import type { EventChange } from '../live';
import type { PageStore } from '../store';
import { baseFilter, dateLimits, inThePast, knownAt, passes, serverAxis, serverOnly } from '../view';
import { loadLevels, classWords, type Levels } from '../levels-api';
import { clustersOf } from '../widgets/clusters';
import { CoarseBand } from '../widgets/coarse-band';
import { TimelineView } from '../widgets/timeline-view';
import { followZone } from './zone';

/** The keys of the view that change which events the server returns. */
const FILTER_KEYS = ['actors', 'kinds', 'tags', 'from', 'to', 'q', 'asOf', 'axis', 'disputed', 'weak', 'restsOn'] as const;

function sum(buckets: Bucket[]): number {
  return buckets.reduce((n, b) => n + b.count, 0);
}

/** Where the events are: narrows the whole timeline to where most of it happens. */
export async function defaultWindow(store: PageStore): Promise<{ start: number; end: number }> {
  const view = store.state;
  const fallback = { start: Date.now() - 365 * 86_400_000, end: Date.now() + 30 * 86_400_000 };
  const base = baseFilter(view);
  const { lo, hi } = dateLimits(view);
  let range: [number, number] | null = null;
  if (lo !== null && hi !== null) range = [lo, hi];
  const filter = (r: [number, number] | null): EventFilterInput =>
    r ? { ...base, from: isoSecond(r[0]), to: isoSecond(r[1]) } : { ...base, ...(view.from ? { from: view.from } : {}), ...(view.to ? { to: view.to } : {}) };
  for (let round = 0; round < 5; round++) {
    const { histogram } = await loadWindow(filter(range), 60, knownAt(view), undefined, serverAxis(view));
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
    const next: [number, number] = [instant(histogram[best[0]].start), instant(histogram[best[1]].end) + 1000];
    if (range && (next[1] - next[0] > (range[1] - range[0]) * 0.9 || next[1] - next[0] < 6 * 3_600_000)) break;
    range = next;
  }
  if (!range) return fallback;
  // More room on the right, where the labels of the last events run.
  const pad = Math.max((range[1] - range[0]) * 0.06, 3_600_000);
  return { start: range[0] - pad, end: range[1] + pad * 7 };
}

export class TimelineScreen {
  private readonly timeline: TimelineView;
  private readonly band: CoarseBand;
  private generation = 0;
  private inflight: AbortController | null = null;
  /** The period whose events are loaded, and the zoom it was loaded at. */
  private loaded: { from: number; to: number; span: number } | null = null;
  /** The same for the load in flight: a window it covers needs no other (vis reports its first window late). */
  private loading: { from: number; to: number; span: number } | null = null;
  /** Too many events in view to draw: only the density strip shows. */
  private dense = false;
  private resyncTimer: number | undefined;
  private histogramTimer: number | undefined;

  constructor(private readonly store: PageStore, window0: { start: number; end: number }) {
    this.timeline = new TimelineView($('#timeline'), $('#density'), {
      open: (id) => store.select(id),
      windowChanged: (start, end) => {
        store.update({ start, end });
        void this.refresh();
      },
      moved: (event) => store.say(`${event.title} — ${event.start.description}. Enter opens it.`),
      drawn: (events) => store.update({ drawn: events }),
    }, window0);
    this.band = new CoarseBand($('#coarse-band'), { open: (id) => store.select(id, true) });
    const state = store.state;
    this.timeline.setGrouping(state.group, state.actors);
    this.timeline.setAxis(state.axis);
    store.subscribe(['axis'], ({ axis }) => this.timeline.setAxis(axis));
    followZone(this.timeline.timeline, store);

    // Someone else moved the window (the date range filter, a link): follow it.
    store.subscribe(['start', 'end'], ({ start, end }) => {
      const w = this.timeline.window;
      if (start !== null && end !== null && (Math.abs(w.start - start) > 1 || Math.abs(w.end - end) > 1)) this.timeline.setWindow(start, end);
    });
    store.subscribe(['group', 'actors'], ({ group, actors }) => this.timeline.setGrouping(group, actors));
    store.subscribe(FILTER_KEYS, () => void this.refresh(true));
    store.subscribe(['event'], ({ event }) => {
      if (!event) this.timeline.select(null);
    });
    store.subscribe(['opened'], ({ opened, event, reveal }) => {
      if (!opened || opened.id !== event) return;
      this.timeline.select(opened.id);
      if (!reveal) return;
      store.update({ reveal: false });
      this.reveal(placed(opened, store.state) ?? opened);
    });
    store.listen((news) => {
      if (news.kind === 'saved') {
        const event = placed(news.event, store.state);
        if (event && passes(store.state, event)) this.timeline.upsert(event);
        else if (!event) this.timeline.remove(news.event.id);
      } else if (news.kind === 'deleted') this.timeline.remove(news.event.id);
      else if (news.kind === 'live') this.applyChange(news.change);
      else if (news.kind === 'changed') {
        // What this page changed through a source or an account: as if announced live (the
        // announcement follows, and changes nothing more).
        for (const event of news.events) this.applyChange({ kind: 'UPDATED', eventId: event.id, version: event.version, event });
      }
    });
  }

  /** Brings an event into view: moves the window to it if it is not drawn, else scrolls to it. */
  private reveal(event: TimelineEvent): void {
    if (this.timeline.has(event.id)) {
      this.timeline.reveal(event.id);
      return;
    }
    const [s, e] = extent(event);
    const w = this.timeline.window;
    const span = w.end - w.start;
    if (e - s < span) this.timeline.setWindow((s + e) / 2 - span / 2, (s + e) / 2 + span / 2);
    else this.timeline.setWindow(s - (e - s) * 0.1, e + (e - s) * 0.1);
  }

  private needsLoad(start: number, end: number): boolean {
    const have = this.loading ?? (this.dense ? null : this.loaded);
    if (!have) return true;
    const span = end - start;
    if (serverAxis(this.store.state) === 'HAPPENED' && !knownAt(this.store.state)) {
      // The level of detail is the window's own: any other window has other counts and ranks.
      const slack = span * 0.01;
      return Math.abs(start - have.from) > slack || Math.abs(end - have.to) > slack;
    }
    return start < have.from || end > have.to || span < have.span / 3 || span > have.span * 3;
  }

  /** How many histogram buckets a period gets: about one per six pixels. */
  private buckets(from: number, to: number, span: number): number {
    return Math.max(10, Math.min(1000, Math.round(((to - from) / span) * (this.timeline.width / 6))));
  }

  /**
   * Loads the window (and half a window each side), unless what is loaded already covers it.
   * `quiet`: a load in the background (after a reconnection) leaves the status line as it is.
   */
  async refresh(force = false, quiet = false): Promise<void> {
    const store = this.store;
    const timeline = this.timeline;
    const { start, end } = timeline.window;
    if (!force && !this.needsLoad(start, end)) return;
    const gen = ++this.generation;
    this.inflight?.abort();
    const controller = new AbortController();
    this.inflight = controller;
    const view = store.state;
    const span = end - start;
    const { lo, hi } = dateLimits(view);
    let from = start - span / 2;
    let to = end + span / 2;
    if (lo !== null) from = Math.max(from, lo);
    if (hi !== null) to = Math.min(to, hi);
    const levelled = serverAxis(view) === 'HAPPENED' && !knownAt(view);
    this.loading = levelled ? { from: start, to: end, span } : { from, to, span };
    try {
      if (from > to) {
        timeline.setEvents([]);
        timeline.setHistogram([]);
        this.loaded = { from: start, to: end, span };
        store.say('No events here: this period is outside the date range filter.');
        return;
      }
      const base = baseFilter(view);
      const axis = serverAxis(view);
      if (levelled) {
        await this.refreshLevels(gen, controller.signal, { start, end }, Math.max(start, lo ?? start), Math.min(end, hi ?? end), quiet);
        return;
      }
      this.showLevels(null);
      const { histogram } = await loadWindow({ ...base, from: isoSecond(from), to: isoSecond(to) }, this.buckets(from, to, span), knownAt(view), controller.signal, axis);
      if (gen !== this.generation) return;
      timeline.setHistogram(histogram);
      if (sum(histogram) > PAGE) {
        const visible = sum(histogram.filter((b) => instant(b.end) >= start && instant(b.start) <= end));
        if (visible > PAGE) {
          this.dense = true;
          this.loaded = null;
          timeline.setEvents([]);
          store.say(`${visible.toLocaleString('en')} events in view, too many to draw: zoom in (or click a bar of the density strip).`);
          document.body.dataset.dense = 'true';
          return;
        }
        from = Math.max(start, lo ?? start);
        to = Math.min(end, hi ?? end);
      }
      const loaded = await loadEvents({ ...base, from: isoSecond(from), to: isoSecond(to) }, knownAt(view), controller.signal, axis);
      const { more } = loaded;
      const events = placeAll(loaded.events, view);
      if (gen !== this.generation) return;
      this.dense = false;
      document.body.dataset.dense = 'false';
      this.loaded = { from, to, span };
      timeline.setEvents(events);
      store.meet(events);
      const shown = events.filter((e) => {
        const [s, f] = extent(e);
        return f >= start && s <= end;
      }).length;
      if (!quiet) store.say(
        events.length === 0
          ? 'No events in this period match. Zoom out, move, or change the filters.'
          : `${shown} event${shown === 1 ? '' : 's'} in view${more ? ` (the first ${PAGE} of this period: zoom in for the rest)` : ''}.`,
      );
    } catch (error) {
      if (controller.signal.aborted) return;
      store.say(`Could not load the timeline: ${errorText(error)}`);
    } finally {
      if (this.inflight === controller) {
        this.inflight = null;
        this.loading = null;
      }
      document.body.dataset.loading = 'false';
    }
  }

  /**
   * The level of detail of the window `[from, to]` (see ARCHITECTURE.md): the events of its
   * scale, the most relevant first, "N more" boxes where the page does not draw them all, the
   * band of coarser events and the density strip at this scale.
   */
  private async refreshLevels(
    gen: number,
    signal: AbortSignal,
    window: { start: number; end: number },
    from: number,
    to: number,
    quiet: boolean,
  ): Promise<void> {
    const store = this.store;
    const view = store.state;
    const filter = { ...baseFilter(view), from: isoSecond(from), to: isoSecond(to) };
    const buckets = Math.max(10, Math.min(1000, Math.round(this.timeline.width / 6)));
    const asked = performance.now();
    const levels = await loadLevels(filter, buckets, signal);
    if (gen !== this.generation) return;
    const events = placeAll(levels.events, view);
    this.dense = false;
    document.body.dataset.dense = 'false';
    this.loaded = { from: window.start, to: window.end, span: window.end - window.start };
    this.timeline.setEvents(events, levels.total > events.length ? clustersOf(levels.density.buckets, events) : []);
    this.timeline.setHistogram(levels.density.buckets);
    this.band.set(filter, levels.classes);
    this.showLevels(levels);
    store.meet(events);
    // From the request to the frame that shows the result: what bench/page-levels.mjs reports.
    requestAnimationFrame(() => {
      if (gen !== this.generation) return;
      document.body.dataset.levelsMs = String(Math.round(performance.now() - asked));
      document.body.dataset.drawn = String(events.length);
    });
    if (quiet) return;
    const more = levels.total - events.length;
    const widened =
      levels.drawnClass > levels.scaleClass && levels.total ? ` Nothing here is dated as finely as this zoom: drawn are the events dated to ${classWords(levels.drawnClass)}.` : '';
    const coarse = levels.coarseCount ? `; ${levels.coarseCount.toLocaleString('en')} coarser in the band above` : '';
    store.say(
      levels.total === 0 && levels.coarseCount === 0
        ? 'No events in this period match. Zoom out, move, or change the filters.'
        : more > 0
          ? `${levels.total.toLocaleString('en')} events of this scale in view: the ${events.length} most relevant drawn${levels.sampled ? ' (ranked from a sample spread over the view)' : ''}, ${more.toLocaleString('en')} more in the boxes of the top lane (click one to zoom in)${coarse}.`
          : `${events.length} event${events.length === 1 ? '' : 's'} in view${coarse}.${widened}`,
    );
  }

  /** The line under the density strip: what its bars count, and what they leave out. */
  private showLevels(levels: Levels | null): void {
    const note = document.querySelector<HTMLElement>('#density-note');
    if (!note) return;
    if (!levels) {
      this.band.set({}, []);
      this.timeline.setClusters([]);
      note.textContent = 'Bars: events by when they begin (those running in from before the period count in the first bar).';
      return;
    }
    note.dataset.drawnClass = String(levels.drawnClass);
    const finest = classWords(levels.drawnClass);
    const apart = [
      levels.density.runningIn ? `${levels.density.runningIn.toLocaleString('en')} that began before the view` : '',
      levels.density.coarse ? `${levels.density.coarse.toLocaleString('en')} dated more coarsely (the band above: they overlap every bar alike)` : '',
    ].filter(Boolean);
    note.textContent = `Bars: events of this zoom's scale (spans up to about ${finest}) by when they begin.${apart.length ? ` Not in the bars: ${apart.join('; ')}.` : ''}`;
    note.dataset.runningIn = String(levels.density.runningIn);
    note.dataset.coarse = String(levels.density.coarse);
  }

  /**
   * Loads again a little later (after a reconnection, when changes may have been missed, or after a
   * change only the server can place); `quiet` leaves the status line as it is.
   */
  resyncSoon(delay = 800, quiet = false): void {
    clearTimeout(this.resyncTimer);
    this.resyncTimer = window.setTimeout(() => void this.refresh(true, quiet), delay);
  }

  private applyChange(change: EventChange): void {
    const store = this.store;
    // What was known at a past instant does not change with later writes.
    if (inThePast(store.state)) return;
    const event = change.event && placed(change.event, store.state);
    if (change.kind === 'DELETED' || !event) {
      this.timeline.remove(change.eventId);
    } else if (this.dense || serverOnly(store.state)) {
      // Only the server can tell whether it matches the search or rests on the chosen sources,
      // or how dense the view is now.
      this.resyncSoon(200);
      return;
    } else {
      const [s, e] = extent(event);
      const inLoaded = this.loaded && e >= this.loaded.from && s <= this.loaded.to;
      if (passes(store.state, event) && inLoaded) {
        this.timeline.upsert(event);
        this.timeline.flash(event.id);
        if (change.kind === 'CREATED') {
          store.say(`New: “${event.title}” (${event.start.description}). `, { label: 'Show it', run: () => store.select(event.id, true) });
        }
      } else this.timeline.remove(event.id);
      store.meet([event]);
    }
    // The density strip follows a little later.
    clearTimeout(this.histogramTimer);
    this.histogramTimer = window.setTimeout(() => void this.refreshHistogram(), 1000);
  }

  private async refreshHistogram(): Promise<void> {
    if (!this.loaded) return;
    try {
      const { start, end } = this.timeline.window;
      const { from, to } = this.loaded;
      const view = this.store.state;
      const { histogram } = await loadWindow({ ...baseFilter(view), from: isoSecond(from), to: isoSecond(to) }, this.buckets(from, to, end - start), knownAt(view), undefined, serverAxis(view));
      this.timeline.setHistogram(histogram);
    } catch {
      // The next full refresh brings it back.
    }
  }
}
