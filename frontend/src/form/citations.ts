// The event form's citation rows: a source (picked, or created on the spot), the quote, what the
// quote supports (the event, its date, its place, or one actor's participation: then whose, among
// the form's participants). Inputs carry the API's field names (`citations[0].actorId`).

import { errorText, gql, type EventDetail, type SourceRef } from '../api';
import { h } from '../dom';
import { authorized } from '../token';
import type { FormContext } from './context';
import type { Problem } from './fields';

export interface CitationInput {
  sourceId: string;
  quote: string | null;
  supports: string;
  /** With `supports: "participation"`: whose; null otherwise. */
  actorId: string | null;
}

type Citation = EventDetail['citations'][number];
type ActorName = { id: string; name: string };

export class CitationRows {
  readonly element = h('div', { className: 'rows citations-rows' });
  private participants: ActorName[] = [];
  /** Names of actors a quote supported when the form opened, should they no longer take part. */
  private readonly names = new Map<string, string>();

  constructor(private readonly context: FormContext) {
    // A source created in one row can be picked in every row.
    context.onChange(() => {
      for (const select of this.element.querySelectorAll<HTMLSelectElement>('select.source')) this.sourceOptions(select, select.value);
    });
  }

  /** The actors taking part (whose participation a quote may support), as the form now has them. */
  setParticipants(participants: ActorName[]): void {
    this.participants = participants;
    for (const select of this.element.querySelectorAll<HTMLSelectElement>('select.supports-actor')) this.actorOptions(select, select.value);
  }

  private sourceOptions(select: HTMLSelectElement, chosen?: string): void {
    select.replaceChildren(
      h('option', { value: '' }, '— choose a source —'),
      ...this.context.sources.map((s) => h('option', { value: s.id, selected: s.id === chosen }, `${s.title}${s.publisher ? ` (${s.publisher})` : ''}`)),
      h('option', { value: '__new' }, '+ New source…'),
    );
  }

  private actorOptions(select: HTMLSelectElement, chosen: string): void {
    const options = this.participants.map((p) => h('option', { value: p.id, selected: p.id === chosen }, p.name));
    // The actor chosen stays chosen when they no longer take part: the server then says so.
    if (chosen && !this.participants.some((p) => p.id === chosen)) {
      options.push(h('option', { value: chosen, selected: true }, `${this.names.get(chosen) ?? chosen} (not taking part)`));
    }
    select.replaceChildren(h('option', { value: '' }, '— whose? —'), ...options);
    select.value = chosen;
  }

  add(citation: Citation | null = null): HTMLElement {
    const context = this.context;
    const row = h('div', { className: 'row citation-row' });
    const source = h('select', { className: 'source', 'aria-label': 'Source' });
    this.sourceOptions(source, citation?.source?.id);
    const quote = h('textarea', { className: 'quote', rows: 2, placeholder: 'The words of the source, verbatim', 'aria-label': 'Quote' });
    quote.value = citation?.quote ?? '';
    const chosen = citation?.supports ?? 'event';
    const terms = context.vocabulary.citationSupports.includes(chosen) ? context.vocabulary.citationSupports : [...context.vocabulary.citationSupports, chosen];
    const supports = h(
      'select',
      { className: 'supports', 'aria-label': 'What the quote supports' },
      ...terms.map((s) => h('option', { value: s, selected: chosen === s }, s)),
    );
    const whose = h('select', { className: 'supports-actor', 'aria-label': 'Whose participation the quote supports' });
    if (citation?.supportsActor) this.names.set(citation.supportsActor.id, citation.supportsActor.name);
    this.actorOptions(whose, citation?.supportsActor?.id ?? '');
    const showWhose = () => {
      whose.hidden = supports.value !== 'participation';
    };
    supports.addEventListener('change', showWhose);
    showWhose();
    const creator = h('div', { className: 'create-source', hidden: true });
    const sTitle = h('input', { placeholder: 'Title of the new source', 'aria-label': 'Source title' });
    const sUrl = h('input', { placeholder: 'https://… (optional)', 'aria-label': 'Source URL', type: 'url' });
    const sPublisher = h('input', { placeholder: 'Publisher (optional)', 'aria-label': 'Publisher' });
    const sError = h('output', { className: 'field-error' });
    const sCreate = h('button', { type: 'button' }, 'Create source');
    creator.append(sTitle, sUrl, sPublisher, sCreate, sError);
    source.addEventListener('change', () => {
      creator.hidden = source.value !== '__new';
      if (!creator.hidden) sTitle.focus();
    });
    sCreate.addEventListener('click', async () => {
      sError.textContent = '';
      try {
        const data = await authorized(
          () =>
            gql<{ createSource: { source: SourceRef } }>(
              'mutation($input: CreateSourceInput!) { createSource(input: $input) { source { id title url publisher author published { value } } } }',
              { input: { title: sTitle.value.trim(), url: sUrl.value.trim() || null, publisher: sPublisher.value.trim() || null } },
            ),
          { rejected: (message) => (sError.textContent = message) },
        );
        // This row picks the new source; the others keep their choice.
        context.addSource(data.createSource.source);
        source.value = data.createSource.source.id;
        creator.hidden = true;
      } catch (error) {
        sError.textContent = errorText(error);
      }
    });
    const remove = h('button', {
      type: 'button', className: 'quiet remove', 'aria-label': 'Remove this citation',
      onclick: () => {
        row.remove();
        this.renumber();
      },
    }, '×');
    row.append(source, h('div', { className: 'supports-pick' }, supports, whose), remove, quote, creator, h('output', { className: 'field-error row-error' }));
    this.element.append(row);
    this.renumber();
    return row;
  }

  /** The rows as the API takes them, and what is wrong with rows that lack a source or an actor. */
  read(): { citations: CitationInput[]; problems: Problem[] } {
    const citations: CitationInput[] = [];
    const problems: Problem[] = [];
    for (const row of this.element.querySelectorAll<HTMLElement>('.citation-row')) {
      const sourceId = row.querySelector<HTMLSelectElement>('.source')?.value ?? '';
      const quote = row.querySelector<HTMLTextAreaElement>('.quote')?.value.trim() ?? '';
      const supports = row.querySelector<HTMLSelectElement>('.supports')?.value ?? 'event';
      const actorId = supports === 'participation' ? row.querySelector<HTMLSelectElement>('.supports-actor')?.value || null : null;
      if (!sourceId && !quote) continue;
      const slot = row.querySelector('.row-error');
      if (!sourceId || sourceId === '__new') {
        problems.push({ slot, message: 'Choose a source (or create it first).' });
        continue;
      }
      if (supports === 'participation' && !actorId) {
        problems.push({ slot, message: 'Choose whose participation the quote supports.' });
        continue;
      }
      citations.push({ sourceId, quote: quote || null, supports, actorId });
    }
    return { citations, problems };
  }

  /** Error slots follow the rows' indexes, as the API names them (`citations[0].quote`). */
  private renumber(): void {
    this.element.querySelectorAll('.citation-row').forEach((row, i) => {
      row.querySelector('.source')?.setAttribute('data-field', `citations[${i}].sourceId`);
      row.querySelector('.supports')?.setAttribute('data-field', `citations[${i}].supports`);
      row.querySelector('.supports-actor')?.setAttribute('data-field', `citations[${i}].actorId`);
      row.querySelector('.quote')?.setAttribute('data-field', `citations[${i}].quote`);
      row.querySelector('.row-error')?.setAttribute('data-error-for', `citations[${i}]`);
    });
  }
}
