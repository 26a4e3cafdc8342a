// The GraphQL calls of the evidence (issue 11): adding and preferring accounts, recording a change
// in the life of a source, and reading a source's life and the accounts resting on it.

import { ACCOUNT_FIELDS, EVENT_DETAIL_FIELDS, EVENT_FIELDS, gql, type Account, type EventDetail, type TimelineEvent } from './api';

export interface NewAccount {
  eventId: string;
  aspect: Account['aspect'];
  stance?: Account['stance'];
  date?: string;
  end?: string;
  place?: { name: string };
  actorId?: string;
  role?: string;
  citation: { sourceId: string; quote?: string };
}

export async function addAccount(input: NewAccount): Promise<EventDetail> {
  const data = await gql<{ addAccount: { event: EventDetail } }>(
    `mutation AddAccount($input: AddAccountInput!) { addAccount(input: $input) { account { id } event { ${EVENT_DETAIL_FIELDS} } } }`,
    { input },
  );
  return data.addAccount.event;
}

export async function preferAccount(id: string): Promise<EventDetail> {
  const data = await gql<{ preferAccount: { event: EventDetail } }>(
    `mutation PreferAccount($id: ID!) { preferAccount(input: { id: $id }) { account { id } event { ${EVENT_DETAIL_FIELDS} } } }`,
    { id },
  );
  return data.preferAccount.event;
}

export type ChangeKind = 'UPDATED' | 'CORRECTED' | 'RETRACTED';

export interface NewSourceChange {
  sourceId: string;
  kind: ChangeKind;
  at?: string;
  note?: string;
  supersedes?: string[];
}

/** Records the change; returns the source's status and the events it affected, as the timeline draws them. */
export async function recordSourceChange(input: NewSourceChange): Promise<{ status: string; affected: TimelineEvent[] }> {
  const data = await gql<{ recordSourceChange: { source: { status: string }; affectedEvents: TimelineEvent[] } }>(
    `mutation RecordSourceChange($input: RecordSourceChangeInput!) { recordSourceChange(input: $input) {
      source { id status } affectedEvents { ${EVENT_FIELDS} } } }`,
    { input },
  );
  return { status: data.recordSourceChange.source.status, affected: data.recordSourceChange.affectedEvents };
}

export interface SourceChange {
  kind: ChangeKind;
  at: { value: string; description: string };
  note: string | null;
  supersedes: string[];
  recordedBy: string | null;
}

/** An account resting on a source, with its event: what a correction may supersede. */
export interface RestingAccount extends Account {
  eventTitle: string;
}

/** How many events resting on a source the source page reads the accounts of. */
const RESTING_EVENTS = 100;

/** A source's status and changes, and the accounts that rest on it (of the first events resting on it). */
export async function loadSourceLife(id: string): Promise<{ status: string; changes: SourceChange[]; accounts: RestingAccount[] }> {
  const data = await gql<{
    source: { status: string; changes: SourceChange[] } | null;
    events: { nodes: { id: string; title: string; accounts: Account[] }[] };
  }>(
    `query SourceLife($id: ID!, $ids: [ID!], $first: Int!) {
      source(id: $id) { status changes(first: 100) { kind at { value description } note supersedes recordedBy } }
      events(first: $first, filter: { sourceIds: $ids }) { nodes { id title accounts(first: 100) { ${ACCOUNT_FIELDS} } } } }`,
    { id, ids: [id], first: RESTING_EVENTS },
  );
  const accounts = data.events.nodes.flatMap((event) =>
    event.accounts.filter((a) => a.citation.source?.id === id).map((a) => ({ ...a, eventTitle: event.title })),
  );
  return { status: data.source?.status ?? 'PUBLISHED', changes: data.source?.changes ?? [], accounts };
}

/** An account in words: its value (date, place, actor and role, or stance). */
export function accountValue(account: Account): string {
  const denies = account.stance === 'DISPUTES';
  switch (account.aspect) {
    case 'WHEN': {
      const when = account.date ? `${account.date.value}${account.end ? ` – ${account.end.value}` : ''}` : '';
      return denies ? `not ${when}` : when;
    }
    case 'WHERE': {
      const place = account.place;
      const where = place ? place.name ?? `${place.latitude}, ${place.longitude}` : '';
      return denies ? `not at ${where}` : where;
    }
    case 'WHO':
      return `${account.actor?.name ?? '(deleted actor)'}${account.role ? ` as ${account.role}` : ''}${denies ? ' — disputes it' : ''}`;
    case 'WHETHER':
      return denies ? 'it did not happen' : 'it happened';
  }
}
