// The evidence of the selected event in the detail panel (issue 11): a notice when its support is
// weakened or it rests on a retracted source; its accounts, aspect by aspect, side by side (value,
// source, quote, status, preferred), with "Prefer" and "Add an account" for editors; and, for each
// source it cites, "everything that rests on it" and "record a correction or retraction".

import { ApiError, errorText, loadSources, type Account, type EventDetail } from '../api';
import { h } from '../dom';
import { accountValue, addAccount, preferAccount, type NewAccount } from '../evidence-api';
import type { PageStore } from '../store';
import { authorized } from '../token';
import { sourceHref } from '../url';
import { openSourceChange } from './source-change';

const ASPECTS: { aspect: Account['aspect']; label: string }[] = [
  { aspect: 'WHEN', label: 'When' },
  { aspect: 'WHERE', label: 'Where' },
  { aspect: 'WHO', label: 'Who' },
  { aspect: 'WHETHER', label: 'Whether it happened' },
];

/** The sources an event rests on (citations and accounts), each once. */
function sourcesOf(event: EventDetail): { id: string; title: string; status: string }[] {
  const seen = new Map<string, { id: string; title: string; status: string }>();
  for (const c of event.citations) if (c.source) seen.set(c.source.id, { id: c.source.id, title: c.source.title, status: c.source.status ?? 'PUBLISHED' });
  for (const a of event.accounts ?? []) if (a.citation.source) seen.set(a.citation.source.id, a.citation.source);
  return [...seen.values()];
}

/** The notice at the top of the panel: weakened or unsupported, resting on a retracted source. */
export function evidenceNotice(event: EventDetail): HTMLElement | null {
  const retracted = sourcesOf(event).filter((s) => s.status === 'RETRACTED');
  if (event.support === 'SUPPORTED' && !retracted.length && !event.disputed) return null;
  const lines: (Node | string)[] = [];
  if (event.support === 'WEAKENED') lines.push(h('strong', {}, 'Weakened: '), 'what it rests on was corrected or retracted; it stays where it was until an editor judges it. ');
  if (event.support === 'UNSUPPORTED') lines.push(h('strong', {}, 'Unsupported: '), 'its standing sources say it did not happen. ');
  if (retracted.length) lines.push(`Rests on a retracted source: ${retracted.map((s) => `“${s.title}”`).join(', ')}. `);
  if (event.disputed) lines.push(h('strong', {}, 'Disputed: '), `its sources disagree on ${event.disputedAspects.map((a) => a.toLowerCase()).join(' and ')}.`);
  return h('p', { className: `evidence-notice support-${event.support.toLowerCase()}`, role: 'note' }, ...lines);
}

/** Buttons beside a cited source: its events, and recording a change of it (editors). */
export function sourceActions(store: PageStore, source: { id: string; title: string }, editable: boolean): Node[] {
  return [
    h('button', { type: 'button', className: 'linklike rests-on', onclick: () => store.update({ restsOn: [source.id], event: null }) }, 'everything that rests on it'),
    editable ? h('button', { type: 'button', className: 'linklike record-change', 'data-source': source.id, onclick: () => void openSourceChange(store, source, { onEvent: (id) => store.select(id, true) }) }, 'record a correction or retraction') : null,
  ].filter((n): n is HTMLButtonElement => n !== null);
}

function accountItem(store: PageStore, account: Account, editable: boolean, problem: HTMLElement): HTMLElement {
  const status = account.status.toLowerCase();
  const source = account.citation.source;
  const prefer = async () => {
    problem.textContent = '';
    try {
      const fresh = await authorized(() => preferAccount(account.id), { rejected: (message) => (problem.textContent = message) });
      store.tell({ kind: 'saved', event: fresh, created: false });
      store.update({ opened: fresh });
      store.say(`Preferred: “${fresh.title}” now reads ${fresh.start.description}.`);
    } catch (error) {
      problem.textContent = errorText(error);
    }
  };
  return h(
    'li',
    { className: `account status-${status}${account.preferred ? ' preferred' : ''}`, 'data-account': account.id, 'data-status': account.status, 'data-preferred': String(account.preferred) },
    h('p', { className: 'account-value' }, h('strong', {}, accountValue(account) || '—'), account.date ? h('span', { className: 'understood' }, ` ${account.date.description}`) : null),
    h(
      'p',
      { className: 'account-marks' },
      h('span', { className: `status-badge status-${status}` }, status),
      account.preferred ? h('span', { className: 'preferred-badge' }, '★ preferred') : null,
    ),
    account.citation.quote ? h('blockquote', {}, account.citation.quote) : h('p', { className: 'empty' }, 'No quote.'),
    h(
      'p',
      { className: 'account-source' },
      source ? h('a', { href: sourceHref(source.id) }, source.title) : '(deleted source)',
      source && source.status !== 'PUBLISHED' ? h('span', { className: `source-status source-${source.status.toLowerCase()}` }, ` (${source.status.toLowerCase()})`) : null,
    ),
    source ? h('p', { className: 'source-actions' }, ...sourceActions(store, source, editable)) : null,
    editable && account.status === 'CURRENT' && !account.preferred
      ? h('button', { type: 'button', className: 'prefer-account', 'aria-label': `Prefer ${accountValue(account)} (${source?.title ?? ''})`, onclick: () => void prefer() }, 'Prefer')
      : null,
  );
}

/** The form adding an account to `event`; errors are shown next to the field they name. */
function addAccountForm(store: PageStore, event: EventDetail): HTMLElement {
  const errorFor = (name: string) => h('output', { className: 'field-error', 'data-for': name, 'aria-live': 'polite' });
  const field = (name: string, label: string, input: HTMLElement) => h('div', { className: 'acc-field', 'data-field': name }, h('label', { for: input.id }, label), input, errorFor(name));
  const aspect = h('select', { id: 'acc-aspect', name: 'aspect' }, ...ASPECTS.map((a) => h('option', { value: a.aspect }, a.label)));
  const stance = h('select', { id: 'acc-stance', name: 'stance' }, h('option', { value: 'SUPPORTS' }, 'supports it'), h('option', { value: 'DISPUTES' }, 'disputes it'));
  const date = h('input', { id: 'acc-date', name: 'date', placeholder: '2024-02-19' });
  const end = h('input', { id: 'acc-end', name: 'end', placeholder: '(optional)' });
  const place = h('input', { id: 'acc-place', name: 'place' });
  const actor = h('select', { id: 'acc-actor', name: 'actorId' }, h('option', { value: '' }, '—'), ...store.state.knownActors.map((a) => h('option', { value: a.id }, a.name)));
  const role = h('input', { id: 'acc-role', name: 'role', list: 'acc-roles', placeholder: 'participant' });
  const roles = h('datalist', { id: 'acc-roles' }, ...store.state.vocabulary.roles.map((r) => h('option', { value: r })));
  const source = h('select', { id: 'acc-source', name: 'citation.sourceId' }, h('option', { value: '' }, 'Choose a source'));
  const quote = h('textarea', { id: 'acc-quote', name: 'citation.quote', rows: 2 });
  const general = h('p', { className: 'field-error', role: 'alert' });
  const rows = {
    date: field('date', 'Date', date),
    end: field('end', 'Until', end),
    place: field('place.name', 'Place', place),
    actor: field('actorId', 'Actor', actor),
    role: field('role', 'Role', role),
  };
  const showFields = () => {
    rows.date.hidden = rows.end.hidden = aspect.value !== 'WHEN';
    rows.place.hidden = aspect.value !== 'WHERE';
    rows.actor.hidden = rows.role.hidden = aspect.value !== 'WHO';
  };
  aspect.addEventListener('change', showFields);
  showFields();
  const fillSources = async () => {
    try {
      // Read again at each opening: a source may have been added since the page loaded.
      const sources = await loadSources();
      store.update({ knownSources: sources });
      const chosen = source.value;
      source.replaceChildren(h('option', { value: '' }, 'Choose a source'), ...sources.map((s) => h('option', { value: s.id }, `${s.title}${s.status && s.status !== 'PUBLISHED' ? ` (${s.status.toLowerCase()})` : ''}`)));
      source.value = chosen;
    } catch (error) {
      general.textContent = `Could not load the sources: ${errorText(error)}`;
    }
  };
  const submit = h('button', { type: 'submit', className: 'primary', id: 'add-account' }, 'Add the account');
  const form = h(
    'form',
    { className: 'add-account-form', novalidate: true },
    field('aspect', 'Aspect', aspect),
    field('stance', 'Stance', stance),
    rows.date, rows.end, rows.place, rows.actor, rows.role, roles,
    field('citation.sourceId', 'Source', source),
    field('citation.quote', 'Quote', quote),
    general,
    submit,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const out of form.querySelectorAll('output.field-error')) out.textContent = '';
    general.textContent = '';
    const kind = aspect.value as Account['aspect'];
    const text = (input: HTMLInputElement | HTMLTextAreaElement) => input.value.trim() || undefined;
    const input: NewAccount = {
      eventId: event.id,
      aspect: kind,
      stance: stance.value as Account['stance'],
      citation: { sourceId: source.value, ...(text(quote) ? { quote: text(quote) } : {}) },
    };
    if (kind === 'WHEN') Object.assign(input, { date: text(date) ?? '', ...(text(end) ? { end: text(end) } : {}) });
    if (kind === 'WHERE') input.place = { name: text(place) ?? '' };
    if (kind === 'WHO') Object.assign(input, actor.value ? { actorId: actor.value } : {}, text(role) ? { role: text(role) } : {});
    if (!source.value) {
      const out = form.querySelector<HTMLElement>('output[data-for="citation.sourceId"]');
      if (out) out.textContent = 'citation.sourceId: choose the source this account rests on';
      source.focus();
      return;
    }
    submit.disabled = true;
    try {
      const fresh = await authorized(() => addAccount(input), { rejected: (message) => (general.textContent = message) });
      store.tell({ kind: 'saved', event: fresh, created: false });
      store.update({ opened: fresh });
      store.say(`Account added to “${fresh.title}”${fresh.disputed ? ': its sources now disagree' : ''}.`);
    } catch (error) {
      const fields = error instanceof ApiError ? error.byField() : new Map<string, string>();
      let placed = false;
      for (const [name, message] of fields) {
        const out = form.querySelector<HTMLElement>(`output[data-for="${name}"]`);
        if (out) {
          out.textContent = `${name}: ${message}`;
          out.previousElementSibling?.setAttribute('aria-invalid', 'true');
          placed = true;
        }
      }
      if (!placed) general.textContent = errorText(error);
    } finally {
      submit.disabled = false;
    }
  });
  const details = h('details', { className: 'add-account' }, h('summary', {}, 'Add an account'), form);
  details.addEventListener('toggle', () => {
    if (details.open) void fillSources();
  });
  return details;
}

/** The accounts section of `event`; `editable` where the present is shown. */
export function accountsSection(store: PageStore, event: EventDetail, editable: boolean): HTMLElement {
  const accounts = event.accounts ?? [];
  const problem = h('output', { className: 'field-error', 'aria-live': 'polite' });
  const groups = ASPECTS.map(({ aspect, label }) => {
    const mine = accounts.filter((a) => a.aspect === aspect);
    if (!mine.length) return null;
    const disputed = event.disputedAspects.includes(aspect);
    return h(
      'div',
      { className: `aspect${disputed ? ' disputed' : ''}`, 'data-aspect': aspect },
      h('h4', {}, `${label} (${mine.length})`, disputed ? h('span', { className: 'disputed-badge' }, ' ≠ disputed') : null),
      h('ul', { className: 'account-list' }, ...mine.map((a) => accountItem(store, a, editable, problem))),
    );
  }).filter((g): g is HTMLDivElement => g !== null);
  return h(
    'section',
    { className: 'accounts', 'aria-labelledby': 'accounts-title' },
    h('h3', { id: 'accounts-title' }, `Accounts (${accounts.length})`),
    groups.length ? h('div', { className: 'aspects' }, ...groups) : h('p', { className: 'empty' }, 'No accounts: the event holds its own values.'),
    event.firstReported
      ? h('p', { className: 'first-reported' }, 'Became known ', h('strong', {}, event.firstReported.description), event.firstReportedSet ? ' (an editor’s date)' : ' (the earliest publication of its sources)')
      : null,
    problem,
    editable ? addAccountForm(store, event) : null,
  );
}
