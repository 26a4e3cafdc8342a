// The timeline: vis-timeline for lanes, zoom, stacking and clustering; our own drawing for what it
// does not do: fuzzy extents (soft-edged spans), link arrows (an SVG overlay), the evidence drawn
// over the rows (widgets/evidence-overlay.ts) and the density strip of the zoomed-out view (a
// canvas fed by `timelineHistogram`).

import { DataSet } from 'vis-data/peer';
import { Timeline, type TimelineOptions } from 'vis-timeline/peer';

import { extent, instant, openSides, type Bucket, type Precision, type TimelineEvent } from '../api';
import type { AxisChoice, Grouping } from '../url';
import type { Cluster } from './clusters';
import { drawEvidence, evidenceClasses, evidenceMarks } from './evidence-overlay';
import { LaneChoice, OTHERS, type Lane } from './lanes';

const FINE: Precision[] = ['MINUTE', 'SECOND'];
const SVG = 'http://www.w3.org/2000/svg';
const MINUTE = 60_000;
const YEAR = 365.25 * 86_400_000;

interface Item {
  id: string;
  eventId: string;
  group: string;
  start: Date;
  end: Date;
  type: 'range' | 'box';
  className: string;
  style?: string;
  content: string;
  title: string;
}

interface Group {
  id: string;
  content: string;
  title?: string;
  order: number;
}

export interface TimelineHandlers {
  /** The user (or the keyboard) opened an event. */
  open(eventId: string | null): void;
  /** The visible window changed (after a pan or zoom ended). */
  windowChanged(start: number, end: number, byUser: boolean): void;
  /** The keyboard moved the selection to an event (Enter opens it). */
  moved(event: TimelineEvent): void;
  /** The events drawn changed (set, added, replaced or removed). */
  drawn?(events: TimelineEvent[]): void;
}

/** The first instant of a year, for any year (Date.UTC maps 0–99 to 1900–1999). */
function yearStart(year: number): Date {
  const at = new Date(0);
  at.setUTCFullYear(year, 0, 1);
  return at;
}

function ms(iso: string): number {
  return instant(iso);
}

function marks(event: TimelineEvent): { prefix: string; suffix: string } {
  const dates = [event.start, ...(event.end ? [event.end] : [])];
  const approximate = dates.some((d) => d.approximate);
  const uncertain = dates.some((d) => d.uncertain);
  return { prefix: approximate ? '~' : '', suffix: uncertain ? ' ?' : '' };
}

/** The vis-timeline items of one event, one per lane. */
function itemsOf(event: TimelineEvent, lanes: LaneChoice): Item[] {
  const [start, end] = extent(event);
  const fine = FINE.includes(event.start.precision) && (!event.end || FINE.includes(event.end.precision));
  const { prefix, suffix } = marks(event);
  const classes = ['ev', `kind-${event.kind.replace(/[^a-z0-9_-]/gi, '')}`, `conf-${event.confidence}`];
  if (prefix) classes.push('approximate');
  if (suffix) classes.push('uncertain');
  // An open side is drawn fading out to nothing: the event may reach any time beyond it.
  const open = openSides(event);
  if (open.start) classes.push('open-start');
  if (open.end) classes.push('open-end');
  classes.push(...evidenceClasses(event));
  let style: string | undefined;
  if (!fine || open.start || open.end) {
    classes.push('fuzzy');
    // Soft edges: the part of the bar covered by each fuzzy end fades in or out.
    const total = end - start;
    const span = (d: { earliest: string | null; latest: string | null }) =>
      d.earliest !== null && d.latest !== null ? ms(d.latest) + 1000 - ms(d.earliest) : total;
    const startSpan = span(event.start);
    const endSpan = event.end ? span(event.end) : startSpan;
    const soft = (span: number, precision: Precision) =>
      FINE.includes(precision) ? 0 : Math.min(event.end ? 45 : 35, Math.max(8, ((span / total) * 100) / (event.end ? 1 : 2.5)));
    // The open side's fade covers the whole part drawn beyond the known side.
    const fs = open.start ? 60 : soft(startSpan, event.start.precision);
    const fe = open.end ? 60 : soft(endSpan, (event.end ?? event.start).precision);
    style = `--fs:${fs.toFixed(1)}%;--fe:${fe.toFixed(1)}%`;
  }
  const when = event.end ? `${event.start.value} – ${event.end.value}` : event.start.value;
  return lanes.of(event).map((lane) => ({
    id: `${event.id}|${lane.id}`,
    eventId: event.id,
    group: lane.id,
    start: new Date(start),
    // A box has no end, but vis-timeline's focus() reads one from every item that has the key.
    end: fine && !open.start && !open.end ? new Date(start) : new Date(end),
    type: fine && !open.start && !open.end ? 'box' : 'range',
    className: classes.join(' '),
    style,
    content: `${prefix}${event.title}${suffix}${evidenceMarks(event).mark}`,
    title: `${event.title}\n${when} · ${event.start.description}${evidenceMarks(event).words}`,
  }));
}

export class TimelineView {
  readonly timeline: Timeline;
  private readonly items = new DataSet<Item>();
  private readonly groups = new DataSet<Group>();
  private readonly events = new Map<string, TimelineEvent>();
  private readonly svg: SVGSVGElement;
  private readonly density: HTMLCanvasElement;
  private grouping: Grouping = 'actor';
  private onlyActors = new Set<string>();
  private lanes = new LaneChoice([], 'actor', new Set());
  private histogram: Bucket[] = [];
  /** "N more" boxes, in a lane of their own at the top, by item ID. */
  private clusters = new Map<string, Cluster>();
  private selected: string | null = null;
  private arrowsQueued = false;
  private axis: AxisChoice = 'happened';

  constructor(
    private readonly container: HTMLElement,
    densityHost: HTMLElement,
    private readonly handlers: TimelineHandlers,
    window: { start: number; end: number },
  ) {
    const options: TimelineOptions = {
      start: new Date(window.start),
      end: new Date(window.end),
      zoomMin: 5 * MINUTE,
      zoomMax: 300 * YEAR,
      // The years the page's window filters can say (dates.ts `isoSecond`), 45 BC included.
      // Not Date.UTC(0, …): it reads years 0–99 as 1900–1999, which kept every window after 1900.
      min: yearStart(-9999),
      max: yearStart(10000),
      stack: true,
      orientation: { axis: 'top', item: 'top' },
      margin: { item: { horizontal: 4, vertical: 6 }, axis: 6 },
      groupOrder: 'order',
      selectable: true,
      multiselect: false,
      showCurrentTime: false,
      verticalScroll: true,
      maxHeight: '100%',
      height: '100%',
      zoomKey: '',
      dataAttributes: ['id'],
      cluster: { maxItems: 4, titleTemplate: '{count} events here: zoom in to see them', showStipes: true, fitOnDoubleClick: true },
      tooltip: { followMouse: false, overflowMethod: 'cap', delay: 300 },
      xss: { disabled: false },
      template: (item: Item | undefined, _element: unknown, data: { uiItems?: unknown[] } | undefined) => {
        const el = document.createElement('span');
        el.className = 'ev-label';
        if (!item || data?.uiItems || (item as unknown as { uiItems?: unknown[] }).uiItems) {
          const count = data?.uiItems?.length ?? (item as unknown as { uiItems?: unknown[] })?.uiItems?.length ?? 0;
          el.textContent = `${count} events`;
          el.classList.add('cluster-label');
          return el;
        }
        el.textContent = item.content;
        return el;
      },
      groupTemplate: (group: Group | undefined) => {
        const el = document.createElement('span');
        el.className = 'lane-label';
        el.textContent = group?.content ?? '';
        if (group?.title) el.title = group.title;
        return el;
      },
    };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    this.timeline = new Timeline(container, this.items as any, this.groups as any, options);
    // vis-timeline lays a transparent "loading screen" over the lanes, which takes every click,
    // drag and wheel, until its window has changed once; a page opened on the window of its
    // options (any link or saved view) changes it only when something else moves it, up to a
    // second later. The window is settled: say so, before the page listens for changes.
    (this.timeline as unknown as { emit(name: string, props: object): void }).emit('rangechanged', {
      start: options.start,
      end: options.end,
      byUser: false,
    });
    // The lanes' labels scroll when there are many lanes: focusable, so a keyboard scrolls them too.
    const labels = container.querySelector<HTMLElement>('.vis-panel.vis-left');
    labels?.setAttribute('tabindex', '0');
    labels?.setAttribute('role', 'group');
    labels?.setAttribute('aria-label', 'Lanes');

    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.classList.add('arrows');
    this.svg.setAttribute('aria-hidden', 'true');
    this.svg.innerHTML =
      '<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">' +
      '<path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs><g class="evidence"></g><g class="links"></g>';
    // Inside the centre panel, which clips to the drawing area (lanes' labels stay clear).
    (container.querySelector('.vis-panel.vis-center') ?? container).appendChild(this.svg);

    this.density = densityHost.querySelector('canvas') ?? document.createElement('canvas');
    this.density.addEventListener('click', (e) => this.zoomToDensity(e));

    this.timeline.on('changed', () => this.queueOverlay());
    this.timeline.on('rangechanged', (props: { start: Date; end: Date; byUser: boolean }) =>
      this.handlers.windowChanged(props.start.getTime(), props.end.getTime(), props.byUser),
    );
    this.timeline.on('select', (props: { items: string[] }) => {
      const cluster = this.clusters.get(props.items[0]?.split('|')[0] ?? '');
      if (cluster) {
        this.timeline.setSelection([]);
        const pad = (cluster.end - cluster.start) * 0.05;
        this.setWindow(cluster.start - pad, cluster.end + pad, true);
        return;
      }
      const id = props.items[0]?.split('|')[0] ?? null;
      if (id && this.events.has(id)) {
        this.select(id);
        this.handlers.open(id);
      } else if (!id) {
        this.select(null);
        this.handlers.open(null);
      }
    });
    container.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver(() => this.queueOverlay()).observe(container);
  }

  get window(): { start: number; end: number } {
    const w = this.timeline.getWindow();
    return { start: w.start.getTime(), end: w.end.getTime() };
  }

  setWindow(start: number, end: number, animate = false): void {
    this.timeline.setWindow(new Date(start), new Date(end), { animation: animate });
  }

  /** The width of the drawing area in pixels (for choosing a histogram resolution). */
  get width(): number {
    const center = this.container.querySelector<HTMLElement>('.vis-panel.vis-center')?.clientWidth ?? 0;
    // Before the first redraw the panel has no width yet: estimate from the container.
    return Math.max(center, this.container.clientWidth * 0.8, 200);
  }

  /** Which date the events were placed by: the overlay draws the lag for `reported` and `both`. */
  setAxis(axis: AxisChoice): void {
    this.axis = axis;
    this.queueOverlay();
  }

  setGrouping(grouping: Grouping, onlyActors: string[]): void {
    this.grouping = grouping;
    this.onlyActors = new Set(onlyActors);
    this.rebuild();
  }

  /** Replaces the events shown, and the "N more" boxes when given: one rebuild for both. */
  setEvents(events: TimelineEvent[], clusters?: Cluster[]): void {
    this.events.clear();
    for (const e of events) this.events.set(e.id, e);
    if (clusters) this.clusters = new Map(clusters.map((c) => [c.id, c]));
    this.rebuild();
    this.handlers.drawn?.([...this.events.values()]);
  }

  has(id: string): boolean {
    return this.events.has(id);
  }

  get(id: string): TimelineEvent | undefined {
    return this.events.get(id);
  }

  get size(): number {
    return this.events.size;
  }

  /** Adds or replaces one event (live updates) without touching the others. */
  upsert(event: TimelineEvent): void {
    this.events.set(event.id, event);
    if (this.lanes.capped || this.chooseLanes().capped) {
      // Which lanes are kept may change with it: draw them all again.
      this.rebuild();
      this.handlers.drawn?.([...this.events.values()]);
      return;
    }
    const fresh = itemsOf(event, this.lanes);
    const keep = new Set(fresh.map((i) => i.id));
    const stale = this.items.getIds({ filter: (i) => i.eventId === event.id && !keep.has(i.id) });
    this.syncGroups();
    this.items.remove(stale);
    this.items.update(fresh);
    if (this.selected === event.id) this.select(event.id);
    this.handlers.drawn?.([...this.events.values()]);
  }

  remove(id: string): void {
    this.events.delete(id);
    if (this.lanes.capped) {
      this.rebuild();
      if (this.selected === id) this.select(null);
      this.handlers.drawn?.([...this.events.values()]);
      return;
    }
    this.items.remove(this.items.getIds({ filter: (i) => i.eventId === id }));
    this.syncGroups();
    if (this.selected === id) this.select(null);
    this.handlers.drawn?.([...this.events.values()]);
  }

  /** Replaces the "N more" boxes (none when everything of the window's scale is drawn). */
  setClusters(clusters: Cluster[]): void {
    this.clusters = new Map(clusters.map((c) => [c.id, c]));
    this.rebuild();
  }

  private clusterItems(): Item[] {
    return [...this.clusters.values()].map((c) => ({
      id: `${c.id}|more`,
      eventId: c.id,
      group: 'more',
      start: new Date(c.start),
      end: new Date(c.end),
      type: 'range',
      className: 'more-cluster',
      content: `${c.count.toLocaleString('en')} more`,
      title: `${c.count.toLocaleString('en')} more events of this scale begin here: click to zoom in`,
    }));
  }

  /** The lanes of the events held now (all of them, or the busiest and "Other …"). */
  private chooseLanes(): LaneChoice {
    this.lanes = new LaneChoice(this.events.values(), this.grouping, this.onlyActors);
    return this.lanes;
  }

  private rebuild(): void {
    const lanes = this.chooseLanes();
    const items = [...this.events.values()].flatMap((e) => itemsOf(e, lanes)).concat(this.clusterItems());
    const keep = new Set(items.map((i) => i.id));
    this.syncGroups();
    this.items.remove(this.items.getIds({ filter: (i) => !keep.has(i.id) }));
    this.items.update(items);
    if (this.selected) this.select(this.selected);
  }

  /** Lanes: the ones the current events are drawn in, in name order, "Other …" and "(none)" last. */
  private syncGroups(): void {
    const lanes = new Map<string, Lane>();
    for (const e of this.events.values()) for (const l of this.lanes.of(e)) lanes.set(l.id, l);
    const last = (id: string) => (id === 'none' ? 2 : id === OTHERS ? 1 : 0);
    const sorted = [...lanes.values()].sort(
      (a, b) => last(a.id) - last(b.id) || a.label.localeCompare(b.label, 'en', { sensitivity: 'base' }),
    );
    const groups: Group[] = sorted.map(({ id, label, title }, order) => ({ id, content: label, title, order }));
    if (this.clusters.size) groups.unshift({ id: 'more', content: 'More here', title: 'Events not drawn at this zoom: click a box to zoom in', order: -1 });
    const keep = new Set(groups.map((g) => g.id));
    this.groups.remove(this.groups.getIds({ filter: (g) => !keep.has(g.id) }));
    this.groups.update(groups);
  }

  /** Highlights every copy of an event (one per lane). */
  select(id: string | null): void {
    this.selected = id;
    const ids = id ? this.items.getIds({ filter: (i) => i.eventId === id }) : [];
    this.timeline.setSelection(ids as string[]);
    this.queueOverlay();
  }

  /**
   * Brings an event into view: scrolls to its lane, and moves the window only if the event is
   * outside it (keeping the zoom unless the event does not fit).
   */
  reveal(id: string): void {
    const event = this.events.get(id);
    if (!event) return;
    const [start, end] = extent(event);
    const w = this.window;
    const span = w.end - w.start;
    const itemId = this.items.getIds({ filter: (i) => i.eventId === id })[0];
    if (itemId === undefined) return;
    if (end >= w.start && start <= w.end) {
      // Visible in time: only scroll to its lane (focus centres it; put the window back).
      this.timeline.focus(itemId, { animation: false, zoom: false });
      this.setWindow(w.start, w.end);
    } else if (end - start < span * 0.9) {
      this.timeline.focus(itemId, { animation: { duration: 300, easingFunction: 'easeInOutQuad' }, zoom: false });
    } else {
      this.setWindow(start - span * 0.1, start + span * 0.9, true);
    }
  }

  /** Marks an event that just arrived live, for a few seconds. */
  flash(id: string): void {
    const ids = this.items.getIds({ filter: (i) => i.eventId === id });
    const items = this.items.get(ids as string[]);
    this.items.update(items.map((i) => ({ ...i, className: `${i.className} fresh` })));
    window.setTimeout(() => {
      const current = this.items.get(ids as string[]).filter(Boolean);
      this.items.update(current.map((i) => ({ ...i, className: i.className.replace(/ fresh\b/g, '') })));
    }, 4000);
  }

  setHistogram(buckets: Bucket[]): void {
    this.histogram = buckets;
    this.queueOverlay();
  }

  // ---- keyboard ----

  /** Events in time order (visible first), for arrow-key navigation. */
  private ordered(): TimelineEvent[] {
    return [...this.events.values()].sort((a, b) => extent(a)[0] - extent(b)[0] || a.title.localeCompare(b.title));
  }

  private onKey(e: KeyboardEvent): void {
    if (e.target !== this.container || e.altKey || e.ctrlKey || e.metaKey) return;
    const order = this.ordered();
    const current = this.selected ? order.findIndex((ev) => ev.id === this.selected) : -1;
    const w = this.window;
    const span = w.end - w.start;
    let next: TimelineEvent | undefined;
    switch (e.key) {
      case 'ArrowRight':
        next = current < 0 ? order.find((ev) => extent(ev)[1] >= w.start) ?? order[0] : order[Math.min(order.length - 1, current + 1)];
        break;
      case 'ArrowLeft':
        next = current < 0 ? [...order].reverse().find((ev) => extent(ev)[0] <= w.end) ?? order[0] : order[Math.max(0, current - 1)];
        break;
      case 'ArrowUp':
      case 'ArrowDown':
        next = this.neighbourLane(e.key === 'ArrowUp' ? -1 : 1) ?? (current < 0 ? order[0] : undefined);
        break;
      case 'Enter':
        if (this.selected) this.handlers.open(this.selected);
        e.preventDefault();
        return;
      case 'Escape':
        this.select(null);
        this.handlers.open(null);
        return;
      case '+':
      case '=':
        this.setWindow(w.start + span / 4, w.end - span / 4, true);
        e.preventDefault();
        return;
      case '-':
      case '_':
        this.setWindow(w.start - span / 2, w.end + span / 2, true);
        e.preventDefault();
        return;
      default:
        return;
    }
    e.preventDefault();
    if (next) {
      this.select(next.id);
      this.reveal(next.id);
      this.announce(next);
    }
  }

  /** The event nearest in time to the selected one, in the lane above or below. */
  private neighbourLane(direction: -1 | 1): TimelineEvent | undefined {
    if (!this.selected) return undefined;
    const selectedItems = this.items.get({ filter: (i) => i.eventId === this.selected });
    if (!selectedItems.length) return undefined;
    const laneOrder = this.groups.get({ order: 'order' }).map((g) => g.id);
    const lane = laneOrder.indexOf(selectedItems[0].group);
    const time = selectedItems[0].start.getTime();
    for (let l = lane + direction; l >= 0 && l < laneOrder.length; l += direction) {
      const candidates = this.items.get({ filter: (i) => i.group === laneOrder[l] && i.eventId !== this.selected });
      if (!candidates.length) continue;
      candidates.sort((a, b) => Math.abs(a.start.getTime() - time) - Math.abs(b.start.getTime() - time));
      return this.events.get(candidates[0].eventId);
    }
    return undefined;
  }

  private announce(event: TimelineEvent): void {
    this.container.setAttribute('aria-activedescendant', '');
    this.handlers.moved(event);
  }

  // ---- overlays: link arrows and the density strip ----

  private queueOverlay(): void {
    if (this.arrowsQueued) return;
    this.arrowsQueued = true;
    requestAnimationFrame(() => {
      this.arrowsQueued = false;
      this.drawArrows();
      this.drawDensity();
    });
  }

  private drawArrows(): void {
    const layer = this.svg.querySelector('g.links');
    if (!layer) return;
    layer.replaceChildren();
    const center = this.container.querySelector<HTMLElement>('.vis-panel.vis-center');
    if (!center) return;
    if (this.svg.parentElement !== center) center.appendChild(this.svg);
    const rect = center.getBoundingClientRect();
    // Children of the panel are placed from inside its border.
    const host = { left: rect.left + center.clientLeft, top: rect.top + center.clientTop };
    this.svg.setAttribute('width', String(center.clientWidth));
    this.svg.setAttribute('height', String(center.clientHeight));

    const boxes = new Map<string, DOMRect[]>();
    for (const el of this.container.querySelectorAll<HTMLElement>('.vis-item[data-id]')) {
      const eventId = (el.dataset.id ?? '').split('|')[0];
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      const list = boxes.get(eventId) ?? [];
      list.push(rect);
      boxes.set(eventId, list);
    }
    const evidence = this.svg.querySelector<SVGGElement>('g.evidence');
    const w = this.window;
    if (evidence) drawEvidence(evidence, this.events.values(), { boxes, host, start: w.start, scale: center.clientWidth / (w.end - w.start) }, this.axis);
    for (const event of this.events.values()) {
      const from = boxes.get(event.id);
      if (!from) continue;
      for (const link of event.links) {
        const to = link.target && boxes.get(link.target.id);
        if (!to) continue;
        const pair = nearestPair(from, to);
        if (!pair) continue;
        const [a, b] = pair;
        const sx = clamp((b.left + b.right) / 2, a.left, a.right) - host.left;
        const tx = clamp((a.left + a.right) / 2, b.left, b.right) - host.left;
        const sy = (a.top + a.bottom) / 2 - host.top;
        const ty = (b.top + b.bottom) / 2 - host.top;
        const bend = Math.max(24, Math.abs(tx - sx) / 3);
        const c1y = sy + (ty >= sy ? bend : -bend) * 0.5;
        const path = document.createElementNS(SVG, 'path');
        path.setAttribute('d', `M${sx},${sy} C${sx},${c1y} ${tx},${ty + (ty >= sy ? -bend : bend) * 0.5} ${tx},${ty}`);
        path.setAttribute('marker-end', 'url(#arrowhead)');
        const involved = this.selected === event.id || this.selected === link.target?.id;
        path.setAttribute('class', `link link-${link.kind.replace(/[^a-z0-9_-]/gi, '')}${involved ? ' active' : ''}`);
        const label = document.createElementNS(SVG, 'text');
        label.setAttribute('x', String((sx + tx) / 2));
        label.setAttribute('y', String((sy + ty) / 2 - 3));
        label.setAttribute('class', `link-label${involved ? ' active' : ''}`);
        label.textContent = link.kind.replace(/_/g, ' ');
        const title = document.createElementNS(SVG, 'title');
        title.textContent = `${event.title} — ${link.kind} → ${link.target?.title ?? ''}${link.note ? `\n${link.note}` : ''}`;
        path.appendChild(title);
        layer.append(path, label);
      }
    }
  }

  private drawDensity(): void {
    const canvas = this.density;
    const host = canvas.parentElement;
    const center = this.container.querySelector<HTMLElement>('.vis-panel.vis-center');
    if (!host || !center) return;
    const ratio = window.devicePixelRatio || 1;
    const width = host.clientWidth;
    const height = host.clientHeight;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const offset = center.getBoundingClientRect().left - host.getBoundingClientRect().left;
    const w = this.window;
    const scale = center.clientWidth / (w.end - w.start);
    const max = Math.max(1, ...this.histogram.map((b) => b.count));
    const styles = getComputedStyle(host);
    ctx.fillStyle = styles.getPropertyValue('--density').trim() || '#5b8def';
    for (const b of this.histogram) {
      if (!b.count) continue;
      const x0 = offset + (ms(b.start) - w.start) * scale;
      const x1 = offset + (ms(b.end) + 1000 - w.start) * scale;
      if (x1 < offset || x0 > offset + center.clientWidth) continue;
      const h = Math.max(2, (Math.sqrt(b.count) / Math.sqrt(max)) * (height - 2));
      ctx.fillRect(Math.max(offset, x0), height - h, Math.max(1, Math.min(x1, offset + center.clientWidth) - Math.max(offset, x0) - 0.5), h);
    }
  }

  /** A click on the density strip zooms into that slice. */
  private zoomToDensity(e: MouseEvent): void {
    const center = this.container.querySelector<HTMLElement>('.vis-panel.vis-center');
    if (!center) return;
    const x = e.clientX - center.getBoundingClientRect().left;
    const w = this.window;
    const t = w.start + (x / center.clientWidth) * (w.end - w.start);
    const bucket = this.histogram.find((b) => ms(b.start) <= t && t <= ms(b.end) + 1000);
    if (bucket && bucket.count) {
      const pad = (ms(bucket.end) - ms(bucket.start)) * 0.25;
      this.setWindow(ms(bucket.start) - pad, ms(bucket.end) + pad, true);
    }
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function nearestPair(a: DOMRect[], b: DOMRect[]): [DOMRect, DOMRect] | null {
  let best: [DOMRect, DOMRect] | null = null;
  let bestDistance = Infinity;
  for (const x of a) {
    for (const y of b) {
      const d = Math.hypot((x.left + x.right) / 2 - (y.left + y.right) / 2, (x.top + x.bottom) / 2 - (y.top + y.bottom) / 2);
      if (d < bestDistance) {
        bestDistance = d;
        best = [x, y];
      }
    }
  }
  return best;
}
