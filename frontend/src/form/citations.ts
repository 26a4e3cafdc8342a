// The event form's citation rows: a source (picked, or created on the spot), the quote, and what
// the quote supports. Inputs carry the API's field names (`citations[0].quote`).

import { errorText, gql, type EventDetail, type SourceRef } from '../api';
import { h } from '../dom';
import { authorized } from '../token';
import type { FormContext } from './context';

export interface CitationInput {
  sourceId: string;
  quote: string | null;
  supports: string;
}

type Citation = EventDetail['citations'][number];

export class CitationRows {
  readonly element = h('div', { className: 'rows citations-rows' });

  constructor(private readonly context: FormContext) {
    // A source created in one row can be picked in every row.
    context.onChange(() => {
      for (const select of this.element.querySelectorAll<HTMLSelectElement>('select.source')) this.sourceOptions(select, select.value);
    });
  }

  private sourceOptions(select: HTMLSelectElement, chosen?: string): void {
    select.replaceChildren(
      h('option', { value: '' }, '— choose a source —'),
      ...this.context.sources.map((s) => h('option', { value: s.id, selected: s.id === chosen }, `${s.title}${s.publisher ? ` (${s.publisher})` : ''}`)),
      h('option', { value: '__new' }, '+ New source…'),
    );
  }

  add(citation: Citation | null = null): HTMLElement {
    const context = this.context;
    const row = h('div', { className: 'row citation-row' });
    const source = h('select', { className: 'source', 'aria-label': 'Source' });
    this.sourceOptions(source, citation?.source?.id);
    const quote = h('textarea', { className: 'quote', rows: 2, placeholder: 'The words of the source, verbatim', 'aria-label': 'Quote' });
    quote.value = citation?.quote ?? '';
    const supports = h(
      'select',
      { className: 'supports', 'aria-label': 'What the quote supports' },
      ...context.vocabulary.citationSupports.filter((s) => s !== 'participation').map((s) => h('option', { value: s, selected: (citation?.supports ?? 'event') === s }, s)),
    );
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
    row.append(source, supports, remove, quote, creator, h('output', { className: 'field-error row-error' }));
    this.element.append(row);
    this.renumber();
    return row;
  }

  /** The rows as the API takes them; a row without a source says so, and makes `missing` true. */
  read(): { citations: CitationInput[]; missing: boolean } {
    const citations: CitationInput[] = [];
    let missing = false;
    for (const row of this.element.querySelectorAll<HTMLElement>('.citation-row')) {
      const sourceId = row.querySelector<HTMLSelectElement>('.source')?.value ?? '';
      const quote = row.querySelector<HTMLTextAreaElement>('.quote')?.value.trim() ?? '';
      const supports = row.querySelector<HTMLSelectElement>('.supports')?.value ?? 'event';
      if (!sourceId && !quote) continue;
      if (!sourceId || sourceId === '__new') {
        missing = true;
        const out = row.querySelector('.row-error');
        if (out) out.textContent = 'Choose a source (or create it first).';
        continue;
      }
      citations.push({ sourceId, quote: quote || null, supports });
    }
    return { citations, missing };
  }

  /** Error slots follow the rows' indexes, as the API names them (`citations[0].quote`). */
  private renumber(): void {
    this.element.querySelectorAll('.citation-row').forEach((row, i) => {
      row.querySelector('.source')?.setAttribute('data-field', `citations[${i}].sourceId`);
      row.querySelector('.quote')?.setAttribute('data-field', `citations[${i}].quote`);
      row.querySelector('.row-error')?.setAttribute('data-error-for', `citations[${i}]`);
    });
  }
}
