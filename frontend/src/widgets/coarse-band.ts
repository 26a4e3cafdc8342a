// The band above the timeline: the events overlapping the window whose dates are far wider than
// it (a year in a one-day window), counted per span class by the server, not drawn as rows. It
// opens into a list of them (most relevant first, a page at a time), filtered by class and text.

import { errorText, type EventFilterInput } from '../api';
import { BAND_PAGE, classWords, loadCoarse, type CoarseEvent, type SpanClassCount } from '../levels-api';

export interface BandHandlers {
  open(eventId: string): void;
}

/** The words for a set of classes, widest first: "a decade or a year". */
function words(classes: SpanClassCount[]): string {
  const seen: string[] = [];
  for (const c of [...classes].sort((a, b) => b.spanClass - a.spanClass)) {
    const w = classWords(c.spanClass);
    if (!seen.includes(w)) seen.push(w);
  }
  return seen.length <= 1 ? (seen[0] ?? '') : `${seen.slice(0, -1).join(', ')} or ${seen[seen.length - 1]}`;
}

export class CoarseBand {
  private readonly root: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly panel: HTMLElement;
  private classes: SpanClassCount[] = [];
  private filter: EventFilterInput = {};
  /** The classes ticked; empty for all of them. */
  private chosen = new Set<number>();
  /** Every box unticked: the list is empty (an empty `chosen` means all). */
  private none = false;
  private search = '';
  private offset = 0;
  private open = false;
  private request: AbortController | null = null;

  constructor(host: HTMLElement, private readonly handlers: BandHandlers) {
    this.root = host;
    this.root.classList.add('coarse-band');
    this.root.hidden = true;
    this.summary = document.createElement('span');
    this.summary.className = 'coarse-summary';
    this.toggle = document.createElement('button');
    this.toggle.type = 'button';
    this.toggle.className = 'coarse-toggle';
    this.toggle.textContent = 'show';
    this.toggle.setAttribute('aria-expanded', 'false');
    this.toggle.addEventListener('click', () => this.setOpen(!this.open));
    this.panel = document.createElement('div');
    this.panel.className = 'coarse-panel';
    this.panel.hidden = true;
    const line = document.createElement('p');
    line.className = 'coarse-line';
    line.append(this.summary, ' ', this.toggle);
    this.root.replaceChildren(line, this.panel);
  }

  /** The counts of a new window (`filter` is its period and the page's filters). */
  set(filter: EventFilterInput, classes: SpanClassCount[]): void {
    this.filter = filter;
    this.classes = classes.filter((c) => c.coarse && c.count > 0);
    const total = this.classes.reduce((n, c) => n + c.count, 0);
    this.root.hidden = total === 0;
    this.root.dataset.count = String(total);
    // The window counted, for whoever checks the counts against the API.
    this.root.dataset.from = filter.from ?? '';
    this.root.dataset.to = filter.to ?? '';
    this.summary.textContent = `${total.toLocaleString('en')} event${total === 1 ? '' : 's'} dated only to ${words(this.classes)} overlap this view, too coarse to draw as rows:`;
    const present = new Set(this.classes.map((c) => c.spanClass));
    this.chosen = new Set([...this.chosen].filter((c) => present.has(c)));
    this.offset = 0;
    if (this.open && total) void this.list();
    else if (!total) this.setOpen(false);
  }

  private setOpen(open: boolean): void {
    this.open = open;
    this.panel.hidden = !open;
    this.toggle.textContent = open ? 'hide' : 'show';
    this.toggle.setAttribute('aria-expanded', String(open));
    if (open) {
      this.offset = 0;
      void this.list();
    }
  }

  private controls(): HTMLElement {
    const bar = document.createElement('div');
    bar.className = 'coarse-filters';
    // One box per precision in words: several span classes can read as "a year".
    const groups = new Map<string, SpanClassCount[]>();
    for (const c of [...this.classes].sort((a, b) => b.spanClass - a.spanClass)) {
      const w = classWords(c.spanClass);
      groups.set(w, [...(groups.get(w) ?? []), c]);
    }
    for (const [w, members] of groups) {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = !this.none && (this.chosen.size === 0 || members.some((c) => this.chosen.has(c.spanClass)));
      box.dataset.spanClasses = members.map((c) => c.spanClass).join(' ');
      box.addEventListener('change', () => {
        const all = this.classes.map((k) => k.spanClass);
        const on = new Set(this.none ? [] : this.chosen.size ? this.chosen : all);
        for (const c of members) {
          if (box.checked) on.add(c.spanClass);
          else on.delete(c.spanClass);
        }
        this.none = on.size === 0;
        this.chosen = on.size === all.length ? new Set() : on;
        this.offset = 0;
        void this.list();
      });
      const count = members.reduce((n, c) => n + c.count, 0);
      label.append(box, ` ${w} (${count.toLocaleString('en')})`);
      bar.append(label);
    }
    const text = document.createElement('input');
    text.type = 'search';
    text.placeholder = 'Filter these events';
    text.setAttribute('aria-label', 'Filter the coarse events');
    text.value = this.search;
    text.addEventListener('change', () => {
      this.search = text.value.trim();
      this.offset = 0;
      void this.list();
    });
    bar.append(text);
    return bar;
  }

  private async list(): Promise<void> {
    this.request?.abort();
    const request = new AbortController();
    this.request = request;
    const classes = this.none ? [] : this.chosen.size ? [...this.chosen] : this.classes.map((c) => c.spanClass);
    const filter = this.search ? { ...this.filter, search: this.search } : this.filter;
    let page: { total: number; events: CoarseEvent[] };
    try {
      page = classes.length ? await loadCoarse(filter, classes, this.offset, request.signal) : { total: 0, events: [] };
    } catch (error) {
      if (request.signal.aborted) return;
      this.panel.replaceChildren(this.controls(), Object.assign(document.createElement('p'), { textContent: `Could not list them: ${errorText(error)}` }));
      return;
    }
    if (request.signal.aborted) return;
    const list = document.createElement('ol');
    list.className = 'coarse-list';
    list.start = this.offset + 1;
    for (const event of page.events) {
      const item = document.createElement('li');
      const link = document.createElement('button');
      link.type = 'button';
      link.className = 'coarse-event';
      link.dataset.id = event.id;
      link.textContent = event.title;
      link.addEventListener('click', () => this.handlers.open(event.id));
      const when = document.createElement('span');
      when.className = 'coarse-when';
      when.textContent = ` ${event.end ? `${event.start.value} – ${event.end.value}` : event.start.value} · ${event.kind}`;
      item.append(link, when);
      list.append(item);
    }
    const pager = document.createElement('p');
    pager.className = 'coarse-pager';
    const last = Math.min(page.total, this.offset + page.events.length);
    pager.append(page.total ? `${this.offset + 1}–${last} of ${page.total.toLocaleString('en')}, most relevant first ` : 'None match. ');
    const step = (label: string, offset: number, enabled: boolean) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.disabled = !enabled;
      b.addEventListener('click', () => {
        this.offset = offset;
        void this.list();
      });
      pager.append(b, ' ');
    };
    step('Previous', Math.max(0, this.offset - BAND_PAGE), this.offset > 0);
    step('Next', this.offset + BAND_PAGE, last < page.total);
    this.panel.replaceChildren(this.controls(), list, pager);
  }
}
