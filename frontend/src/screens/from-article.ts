// "From an article" (editors): paste or drop an article, give its source (a stored one, or a new
// one) with its publication date and time zone; the server reads it (`extractFromText`) and the
// text comes back with its dates and actor names highlighted, the proposed events beside it. Each
// can be accepted as it is (one `createEvent` with the sentence as its citation and the known
// actors as participants), edited first in the event form, or rejected. Nothing is written until
// a candidate is accepted; a new source is created then, once. Candidates from the page's trailer
// (what follows the article on a scraped page) are listed apart and left unchecked.

import { ApiError, EVENT_DETAIL_FIELDS, errorText, gql, loadSources, type EventDetail, type SourceRef } from '../api';
import { $, h } from '../dom';
import { extractFromText, type Candidate, type Extraction } from '../extraction';
import { openEditor, type EventInput } from '../form/editor';
import { clearErrors, showErrors } from '../form/errors';
import { errorSlot } from '../form/fields';
import type { PageStore } from '../store';
import { authorized } from '../token';

/** Stands for the new source in the event form until the form saves (and the source is created). */
const PENDING_SOURCE = 'new-source-of-this-article';

/** A day written out (`2024-03-02`), as a source's published date may be. */
const DAY = /^\d{4}-\d\d-\d\d$/;

export function mountFromArticle(store: PageStore): void {
  $('#from-article').addEventListener('click', () => {
    if (store.state.asOf) {
      store.say('This is the timeline as it was known at an earlier instant: leave "As known at" empty to add events.');
      return;
    }
    void new ArticleReview(store).open();
  });
}

/** What the editor said of the source: a stored one, or the fields of a new one. */
type SourceChoice = { existing: SourceRef } | { fresh: { title: string; url: string | null; publisher: string | null; published: string | null } };

/** One opening of the screen: its text, its source and the candidates as reviewed. */
class ArticleReview {
  private readonly dialog = $('#article-review') as HTMLDialogElement;
  /** Accepting each open candidate, by its list item (for "Accept the checked ones"). */
  private readonly accepting = new Map<HTMLElement, () => Promise<void>>();
  private sources: SourceRef[] = [];
  /** The source the accepted events cite, once it exists. */
  private sourceId: string | null = null;
  private choice: SourceChoice | null = null;
  private zone: string | null = null;
  private tags: string[] = [];
  private readonly text = h('textarea', { id: 'article-text', rows: 9, 'data-field': 'input.text', placeholder: 'Paste the article here, or drop a text file on this box' });
  private readonly summary = h('p', { className: 'review-summary', role: 'status' });
  private readonly view = h('section', { className: 'article-view', id: 'article-view', tabindex: 0, 'aria-label': 'The article, its dates and names highlighted' });
  private readonly list = h('ol', { className: 'candidate-list', id: 'candidates' });
  private readonly trailer = h('details', { className: 'trailer-candidates', id: 'trailer-candidates' });
  private readonly result = h('div', { className: 'review-result', hidden: true });

  constructor(private readonly store: PageStore) {}

  async open(): Promise<void> {
    try {
      this.sources = await loadSources();
    } catch (error) {
      this.store.say(`Could not read the sources: ${errorText(error)}`);
      return;
    }
    this.dialog.replaceChildren(this.render());
    if (!this.dialog.open) this.dialog.showModal();
    this.text.focus();
  }

  private render(): HTMLElement {
    const general = h('output', { className: 'form-errors', role: 'alert' });
    const file = h('input', { type: 'file', id: 'article-file', accept: '.txt,.md,text/plain' });
    const load = async (blob: Blob | undefined | null) => {
      if (blob) this.text.value = await blob.text();
    };
    file.addEventListener('change', () => void load(file.files?.[0]));
    this.text.addEventListener('dragover', (e) => e.preventDefault());
    this.text.addEventListener('drop', (e) => {
      const dropped = e.dataTransfer?.files?.[0];
      if (!dropped) return;
      e.preventDefault();
      void load(dropped);
    });

    const existing = h('input', { type: 'radio', name: 'source-mode', value: 'existing', id: 'source-existing', checked: this.sources.length > 0 });
    const fresh = h('input', { type: 'radio', name: 'source-mode', value: 'new', id: 'source-new', checked: this.sources.length === 0 });
    const picker = h(
      'select',
      { id: 'article-source', 'aria-label': 'The stored source', 'data-field': 'input.sourceId' },
      h('option', { value: '' }, '— choose a source —'),
      ...this.sources.map((s) => h('option', { value: s.id }, `${s.title}${s.publisher ? ` (${s.publisher})` : ''}${s.published ? `, ${s.published.value}` : ''}`)),
    );
    const title = h('input', { id: 'article-source-title', 'aria-label': 'Title of the new source', placeholder: 'Title' });
    const url = h('input', { id: 'article-source-url', type: 'url', 'aria-label': 'URL of the new source', placeholder: 'https://… (optional)' });
    const publisher = h('input', { id: 'article-source-publisher', 'aria-label': 'Publisher of the new source', placeholder: 'Publisher (optional)' });
    const published = h('input', { id: 'article-published', 'data-field': 'input.published', placeholder: '2024-03-02', autocomplete: 'off' });
    const zone = h('input', { id: 'article-zone', 'data-field': 'input.timeZone', placeholder: 'e.g. Europe/Berlin', autocomplete: 'off' });
    const tags = h('input', { id: 'article-tags', placeholder: 'comma, separated', autocomplete: 'off' });
    const newFields = h('div', { className: 'new-source' }, title, url, publisher);
    const showMode = () => {
      picker.disabled = !existing.checked;
      newFields.hidden = !fresh.checked;
    };
    existing.addEventListener('change', showMode);
    fresh.addEventListener('change', showMode);
    showMode();
    // A stored source's day is the article's publication date unless the editor says otherwise.
    picker.addEventListener('change', () => {
      const chosen = this.sources.find((s) => s.id === picker.value);
      if (chosen?.published && DAY.test(chosen.published.value)) published.value = chosen.published.value;
    });

    const find = h('button', { type: 'submit', className: 'primary', id: 'article-extract' }, 'Find dates and events');
    const form = h(
      'form',
      { className: 'review-input', novalidate: true },
      general,
      h('label', {}, 'The article’s text', this.text, errorSlot('input.text')),
      h('label', { className: 'file' }, 'or a text file', file),
      h('fieldset', {}, h('legend', {}, 'Its source'),
        h('label', { className: 'inline' }, existing, 'a stored source'), picker, errorSlot('input.sourceId'),
        h('label', { className: 'inline' }, fresh, 'a new source'), newFields, errorSlot('source')),
      h('div', { className: 'pair' },
        h('label', {}, 'Published on', published, errorSlot('input.published')),
        h('label', {}, 'Its time zone', zone, errorSlot('input.timeZone'))),
      h('label', {}, 'Tags for the events you accept', tags),
      h('footer', {}, find),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form, general);
      const sourceProblem = form.querySelector<HTMLElement>('[data-error-for="source"]');
      let choice: SourceChoice;
      if (existing.checked) {
        const chosen = this.sources.find((s) => s.id === picker.value);
        if (!chosen) {
          form.querySelector<HTMLElement>('[data-error-for="input.sourceId"]')!.textContent = 'Choose the source, or give a new one.';
          return;
        }
        choice = { existing: chosen };
      } else {
        if (!title.value.trim()) {
          if (sourceProblem) sourceProblem.textContent = 'A new source needs its title.';
          title.focus();
          return;
        }
        choice = { fresh: { title: title.value.trim(), url: url.value.trim() || null, publisher: publisher.value.trim() || null, published: published.value.trim() || null } };
      }
      find.disabled = true;
      try {
        const extraction = await authorized(
          () => extractFromText({
            text: this.text.value,
            published: published.value.trim() || null,
            timeZone: zone.value.trim() || null,
            sourceId: 'existing' in choice ? choice.existing.id : null,
          }),
          { purpose: 'read' },
        );
        // A new choice of source starts again: what was accepted before keeps its citation.
        if (JSON.stringify(choice) !== JSON.stringify(this.choice)) this.sourceId = 'existing' in choice ? choice.existing.id : null;
        this.choice = choice;
        this.zone = zone.value.trim() || null;
        this.tags = tags.value.split(',').map((t) => t.trim()).filter(Boolean);
        this.show(extraction);
      } catch (error) {
        showErrors(form, general, error);
      } finally {
        find.disabled = false;
      }
    });

    const close = h('button', { type: 'button', className: 'quiet', id: 'article-close', 'aria-label': 'Close', onclick: () => this.dialog.close() }, '×');
    const acceptChecked = h('button', { type: 'button', id: 'accept-checked', onclick: () => void this.acceptChecked() }, 'Accept the checked ones');
    this.result.replaceChildren(
      this.summary,
      h('div', { className: 'review-columns' },
        this.view,
        h('section', { className: 'candidates', 'aria-label': 'Proposed events' }, h('div', { className: 'bulk' }, acceptChecked), this.list, this.trailer)),
    );
    return h('div', { className: 'review' },
      h('header', {}, h('h2', { id: 'review-title' }, 'From an article'), close),
      h('p', { className: 'hint' }, 'Chronik proposes events with their dates; nothing is kept until you accept one.'),
      form,
      this.result);
  }

  /** The text with its dates and names marked, and the candidates beside it. */
  private show(extraction: Extraction): void {
    const article = extraction.events.filter((c) => !c.trailer);
    const trailer = extraction.events.filter((c) => c.trailer);
    this.summary.textContent = `Read against ${extraction.published}: ${extraction.dates.length} dates, ${article.length} proposed events${trailer.length ? ` (and ${trailer.length} from the page’s trailer, set apart)` : ''}. Nothing is kept until you accept.`;
    this.view.replaceChildren(...highlighted(this.text.value, extraction));
    this.accepting.clear();
    this.list.replaceChildren(...article.map((c) => this.card(c, true)));
    this.trailer.replaceChildren(
      h('summary', {}, `From the page’s trailer, not the article (${trailer.length})`),
      h('ol', { className: 'candidate-list' }, ...trailer.map((c) => this.card(c, false))),
    );
    this.trailer.hidden = trailer.length === 0;
    this.result.hidden = false;
    this.result.scrollIntoView({ block: 'start' });
  }

  private card(candidate: Candidate, checked: boolean): HTMLElement {
    const known = uniqueActors(candidate);
    const proposed = candidate.actors.filter((m) => !m.actor);
    const take = h('input', { type: 'checkbox', className: 'take', checked: checked && candidate.date !== null, disabled: candidate.date === null, 'aria-label': `Accept “${candidate.title}”` });
    const status = h('output', { className: 'c-status', role: 'status' });
    const item = h('li', { className: `candidate${candidate.trailer ? ' from-trailer' : ''}`, 'data-state': 'open' });
    const accept = h('button', { type: 'button', className: 'primary accept', disabled: candidate.date === null, title: candidate.date === null ? 'No date: edit it first' : null }, 'Accept');
    const edit = h('button', { type: 'button', className: 'edit' }, 'Edit first…');
    const reject = h('button', { type: 'button', className: 'quiet reject' }, 'Reject');
    const when = candidate.when
      ? `${candidate.when.description}${candidate.dateInherited ? ' — the date of the sentence before' : ''}`
      : 'No date found: give one in the form';
    item.append(
      h('div', { className: 'c-head' }, take, h('h3', { className: 'c-title' }, candidate.title)),
      h('p', { className: 'c-when' }, when),
      h('p', { className: 'c-actors' },
        ...known.map((a) => h('span', { className: 'chip known', title: 'A stored actor: taking part when accepted' }, a.name)),
        ...proposed.map((m) => h('span', { className: 'chip new', title: 'Not a stored actor yet: add them in the form if they took part' }, `new: ${m.name}`)),
        known.length + proposed.length === 0 ? 'No names' : null),
      h('blockquote', { className: 'c-quote' }, candidate.quote),
      h('p', { className: 'c-meta' }, `${candidate.kind} · confidence ${Math.round(candidate.confidence * 100)}%`),
      h('div', { className: 'c-actions' }, accept, edit, reject),
      status,
    );
    const accepted = (event: EventDetail) => {
      item.dataset.state = 'accepted';
      take.checked = false;
      take.disabled = true;
      for (const b of [accept, edit, reject]) b.disabled = true;
      status.replaceChildren(`Accepted: “${event.title}”, ${event.start.description}. `,
        h('button', { type: 'button', className: 'linklike', onclick: () => { this.dialog.close(); this.store.select(event.id, true); } }, 'Show it'));
      this.store.tell({ kind: 'saved', event, created: true });
      this.store.say(`Added “${event.title}” from the article: ${event.start.description}.`);
    };
    const run = async (work: () => Promise<void>) => {
      for (const b of [accept, edit, reject]) b.disabled = true;
      status.textContent = '';
      try {
        await work();
      } catch (error) {
        status.textContent = `Not accepted: ${errorText(error)}`;
      } finally {
        if (item.dataset.state === 'open') {
          accept.disabled = candidate.date === null;
          edit.disabled = false;
          reject.disabled = false;
        }
      }
    };
    accept.addEventListener('click', () => void run(async () => accepted(await this.accept(candidate))));
    edit.addEventListener('click', () => void run(() => this.edit(candidate, accepted)));
    reject.addEventListener('click', () => {
      const rejected = item.dataset.state === 'rejected';
      item.dataset.state = rejected ? 'open' : 'rejected';
      take.checked = false;
      take.disabled = !rejected || candidate.date === null;
      accept.disabled = !rejected || candidate.date === null;
      edit.disabled = !rejected;
      reject.textContent = rejected ? 'Reject' : 'Undo';
      status.textContent = rejected ? '' : 'Rejected: nothing is kept.';
    });
    this.accepting.set(item, () => run(async () => accepted(await this.accept(candidate))));
    return item;
  }

  /** Accepts every checked candidate still open, one after the other. */
  private async acceptChecked(): Promise<void> {
    for (const [item, accept] of this.accepting) {
      if (item.dataset.state === 'open' && item.querySelector<HTMLInputElement>('input.take')?.checked) await accept();
    }
  }

  /** The source the events cite: the stored one, or the new one, created at the first acceptance. */
  private async source(): Promise<string> {
    if (this.sourceId) return this.sourceId;
    const choice = this.choice;
    if (!choice) throw new ApiError([{ message: 'Read the article first.' }]);
    if ('existing' in choice) return (this.sourceId = choice.existing.id);
    const data = await authorized(() =>
      gql<{ createSource: { source: SourceRef } }>(
        'mutation($input: CreateSourceInput!) { createSource(input: $input) { source { id title url publisher author published { value } } } }',
        { input: choice.fresh },
      ),
    ).catch((error: unknown) => {
      throw new ApiError([{ message: `The new source could not be stored: ${errorText(error)}` }]);
    });
    this.sources.push(data.createSource.source);
    return (this.sourceId = data.createSource.source.id);
  }

  /** The event a candidate proposes, as `createEvent` takes it, citing `sourceId`. */
  private input(candidate: Candidate, sourceId: string): Record<string, unknown> {
    return {
      title: candidate.title,
      start: candidate.date,
      kind: candidate.kind,
      confidence: 'reported',
      ...(this.zone ? { timeZone: this.zone } : {}),
      ...(this.tags.length ? { tags: this.tags } : {}),
      participants: uniqueActors(candidate).map((a) => ({ actorId: a.id, role: this.role() })),
      citations: [{ sourceId, quote: candidate.quote, supports: 'event' }],
    };
  }

  private role(): string {
    const roles = this.store.state.vocabulary.roles;
    return roles.includes('participant') || roles.length === 0 ? 'participant' : roles[0];
  }

  /** Accepts a candidate as it is: the event and its citation in one mutation. */
  private async accept(candidate: Candidate): Promise<EventDetail> {
    const sourceId = await this.source();
    const data = await authorized(() =>
      gql<{ createEvent: { event: EventDetail } }>(
        `mutation($input: CreateEventInput!) { createEvent(input: $input) { event { ${EVENT_DETAIL_FIELDS} } } }`,
        { input: this.input(candidate, sourceId) },
      ),
    );
    return data.createEvent.event;
  }

  /** Opens the event form on the candidate; saving it accepts it. */
  private async edit(candidate: Candidate, accepted: (event: EventDetail) => void): Promise<void> {
    const choice = this.choice;
    const source: SourceRef | null = this.sourceId
      ? this.sources.find((s) => s.id === this.sourceId) ?? null
      : choice && 'fresh' in choice
        ? { id: PENDING_SOURCE, title: `${choice.fresh.title} (new: stored when you save)`, url: choice.fresh.url, publisher: choice.fresh.publisher, author: null, published: null }
        : null;
    const role = this.role();
    await openEditor($('#editor') as HTMLDialogElement, {
      vocabulary: this.store.state.vocabulary,
      saved: (event) => accepted(event),
      unchanged: () => undefined,
      prepare: async (input: EventInput) => {
        if (!input.citations.some((c) => c.sourceId === PENDING_SOURCE)) return input;
        const id = await this.source();
        return { ...input, citations: input.citations.map((c) => (c.sourceId === PENDING_SOURCE ? { ...c, sourceId: id } : c)) };
      },
    }, null, {
      title: candidate.title,
      start: candidate.date ?? '',
      kind: candidate.kind,
      timeZone: this.zone,
      tags: this.tags,
      participants: uniqueActors(candidate).map((actor) => ({ role, note: null, actor })),
      citations: source ? [{ id: '', quote: candidate.quote, supports: 'event', supportsActor: null, source }] : [],
      sources: source?.id === PENDING_SOURCE ? [source] : [],
    });
  }
}

/** The known actors a candidate names, each once. */
function uniqueActors(candidate: Candidate): { id: string; name: string; kind: string }[] {
  const seen = new Map<string, { id: string; name: string; kind: string }>();
  for (const m of candidate.actors) if (m.actor && !seen.has(m.actor.id)) seen.set(m.actor.id, m.actor);
  return [...seen.values()];
}

/** The text as nodes, its dates and the names of the candidates marked (offsets in code points);
 * a rule where the page's trailer begins. */
function highlighted(text: string, extraction: Extraction): Node[] {
  const points = Array.from(text);
  type Span = { start: number; end: number; className: string; title: string };
  const spans: Span[] = extraction.dates.map((d) => ({
    start: d.start,
    end: d.end,
    className: `date${d.trailer ? ' in-trailer' : ''}`,
    title: d.value ? `${d.value}: ${d.date?.description ?? d.precision ?? ''}` : `a reference to the ${(d.reference ?? 'past').toLowerCase()}, no date`,
  }));
  const named = new Set<string>();
  for (const c of extraction.events) {
    for (const m of c.actors) {
      const key = `${m.start}:${m.end}`;
      if (named.has(key)) continue;
      named.add(key);
      spans.push({ start: m.start, end: m.end, className: m.actor ? 'actor known' : 'actor new', title: m.actor ? `${m.actor.name} (a stored actor)` : `${m.name}: not a stored actor yet` });
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const trailerAt = Math.min(...extraction.events.filter((c) => c.trailer).map((c) => c.quoteStart));
  const out: Node[] = [];
  let at = 0;
  const plain = (to: number) => {
    if (to <= at) return;
    if (trailerAt > at && trailerAt <= to) {
      out.push(document.createTextNode(points.slice(at, trailerAt).join('')), h('hr', { className: 'trailer-break', title: 'Here the page’s trailer begins: not the article' }));
      at = trailerAt;
    }
    out.push(document.createTextNode(points.slice(at, to).join('')));
    at = to;
  };
  for (const span of spans) {
    if (span.start < at) continue;
    plain(span.start);
    out.push(h('mark', { className: span.className, title: span.title }, points.slice(span.start, span.end).join('')));
    at = span.end;
  }
  plain(points.length);
  return out;
}
