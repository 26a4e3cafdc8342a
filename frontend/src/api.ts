// A small GraphQL client for /graphql: JSON POSTs, typed errors that keep `extensions.field`, and
// the session's API token (if any) as `Authorization: Bearer …` on every request.

import { bearer, currentToken, forgetToken } from './session';

export interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; field?: string; requestId?: string };
}

/** A failed request: transport errors, or the GraphQL errors of the response. */
export class ApiError extends Error {
  readonly errors: GraphQLErrorShape[];
  /** The HTTP status, when the server answered (401: an unknown or revoked token, or none where one is needed). */
  readonly status: number | undefined;
  constructor(errors: GraphQLErrorShape[], status?: number) {
    super(errors.map((e) => e.message).join('; ') || 'request failed');
    this.errors = errors;
    this.status = status;
  }
  /** The errors that name an input field, by field path (e.g. `start`, `participants[0].actorId`). */
  byField(): Map<string, string> {
    const out = new Map<string, string>();
    for (const e of this.errors) {
      const field = e.extensions?.field;
      if (field && !out.has(field)) out.set(field, e.message);
    }
    return out;
  }
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

/** What went wrong, in words: the API's messages, or the error itself. */
export function errorText(error: unknown): string {
  return error instanceof ApiError ? error.errors.map((e) => e.message).join('; ') : String(error);
}

const isMutation = (query: string) => /^\s*mutation\b/.test(query);

/**
 * Runs one operation; resolves to `data`, rejects with ApiError. A token the server refuses (401:
 * unknown or revoked) is forgotten at once; a query is then tried again without it, since reading
 * is public unless the server says otherwise.
 */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
  const token = currentToken();
  try {
    return await send<T>(query, variables, token, signal);
  } catch (error) {
    if (!token || !(error instanceof ApiError) || error.status !== 401) throw error;
    forgetToken(token);
    if (isMutation(query)) throw error;
    return send<T>(query, variables, null, signal);
  }
}

async function send<T>(query: string, variables: Record<string, unknown>, token: string | null, signal?: AbortSignal): Promise<T> {
  let response: Response;
  // application/json: GraphQL errors come with 200, so the browser logs no failed request.
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (token) headers.Authorization = bearer(token);
  try {
    response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }), signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError([{ message: `the server could not be reached (${String(error)})` }]);
  }
  let body: { data?: T | null; errors?: GraphQLErrorShape[] };
  try {
    body = await response.json();
  } catch {
    throw new ApiError([{ message: `the server answered ${response.status} without JSON` }], response.status);
  }
  if (body.errors && body.errors.length > 0) throw new ApiError(body.errors, response.status);
  if (!body.data) throw new ApiError([{ message: `the server answered ${response.status} without data` }], response.status);
  return body.data;
}

// ---- The shapes the page reads ----

export type Precision =
  | 'MILLENNIUM' | 'CENTURY' | 'DECADE' | 'YEAR' | 'SEASON' | 'MONTH' | 'WEEK' | 'DAY' | 'HOUR' | 'MINUTE' | 'SECOND';

export interface FuzzyDate {
  value: string;
  precision: Precision;
  /** Null when the start is open or unknown (`../2019-05`). */
  earliest: string | null;
  /** Null when the end is open or unknown (`2024-03/..`). */
  latest: string | null;
  approximate: boolean;
  uncertain: boolean;
  description: string;
}

export interface ActorRef {
  id: string;
  name: string;
  kind: string;
}

export type Support = 'SUPPORTED' | 'WEAKENED' | 'UNSUPPORTED';
export type AccountStatus = 'CURRENT' | 'SUPERSEDED' | 'RETRACTED';

/** A WHEN account as the timeline draws it: its span on the event's row. */
export interface AccountSpan {
  id: string;
  status: AccountStatus;
  preferred: boolean;
  stance: 'SUPPORTS' | 'DISPUTES';
  date: { value: string; earliest: string | null; latest: string | null } | null;
  end: { value: string; earliest: string | null; latest: string | null } | null;
}

export interface TimelineEvent {
  id: string;
  title: string;
  kind: string;
  confidence: string;
  tags: string[];
  version: number;
  start: FuzzyDate;
  end: FuzzyDate | null;
  participants: { role: string; actor: ActorRef | null }[];
  links: { id: string; kind: string; note: string | null; target: { id: string; title: string } | null }[];
  /** Computed from the accounts (issue 11): two current accounts of an aspect cannot both be true. */
  disputed: boolean;
  support: Support;
  /** When it became known; null when no source dates it. */
  firstReported: FuzzyDate | null;
  /** The WHEN accounts (the first few), drawn as spans on the event's row. */
  whenAccounts: AccountSpan[];
  /** Where it took place (the map shows those with coordinates). */
  place?: { name: string | null; latitude: number | null; longitude: number | null } | null;
  /** Where it happened, when the page places it by when it became known (src/axis.ts). */
  happened?: { start: FuzzyDate; end: FuzzyDate | null };
}

export interface SourceRef {
  id: string;
  title: string;
  url: string | null;
  publisher: string | null;
  author: string | null;
  published: { value: string } | null;
  /** PUBLISHED, UPDATED, CORRECTED or RETRACTED: the kind of its latest change. */
  status?: string;
}

/** One source's version of one aspect of an event, as the detail panel shows it. */
export interface Account {
  id: string;
  aspect: 'WHEN' | 'WHERE' | 'WHO' | 'WHETHER';
  stance: 'SUPPORTS' | 'DISPUTES';
  status: AccountStatus;
  preferred: boolean;
  date: { value: string; description: string } | null;
  end: { value: string; description: string } | null;
  place: { name: string | null; latitude: number | null; longitude: number | null } | null;
  actor: { id: string; name: string } | null;
  role: string | null;
  citation: { quote: string | null; source: { id: string; title: string; status: string } | null };
}

export interface EventDetail extends TimelineEvent {
  summary: string | null;
  parent: { id: string; title: string } | null;
  timeZone: string | null;
  place: { name: string | null; latitude: number | null; longitude: number | null } | null;
  participants: { role: string; note: string | null; actor: ActorRef | null }[];
  citations: {
    id: string;
    quote: string | null;
    supports: string;
    supportsActor: { id: string; name: string } | null;
    source: SourceRef | null;
  }[];
  backlinks: { id: string; kind: string; note: string | null; source: { id: string; title: string } | null }[];
  disputedAspects: Account['aspect'][];
  firstReportedSet: boolean;
  accounts: Account[];
}

const YEAR_MS = 365.25 * 86_400_000;

/** An instant the server wrote (RFC 3339, UTC ms). JavaScript's Date.parse reads years outside
 * 0000–9999 only in its own six-digit form (`-000044-…`), and the server writes `-0044-03-15T…`
 * for 45 BC: such years are read here. */
export function instant(iso: string): number {
  const quick = Date.parse(iso);
  if (Number.isFinite(quick)) return quick;
  const m = /^([+-]?)(\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(iso);
  if (!m) return NaN;
  const at = new Date(0);
  at.setUTCFullYear((m[1] === '-' ? -1 : 1) * Number(m[2]), Number(m[3]) - 1, Number(m[4]));
  at.setUTCHours(Number(m[5]), Number(m[6]), Number(m[7]), 0);
  const zone = m[8];
  const offset = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return at.getTime() - offset * 60_000;
}

/** Which sides of an event are open or unknown: nothing is known of them but that they lie beyond. */
export function openSides(event: Pick<TimelineEvent, 'start' | 'end'>): { start: boolean; end: boolean } {
  return { start: event.start.earliest === null, end: (event.end ?? event.start).latest === null };
}

/** Where an event is drawn (UTC ms): from the start's earliest to the end's (or start's) latest.
 * An open side has no instant: it is drawn as a fade of a year (or the event's known length)
 * beyond the known side, see `openSides`; filters treat it as reaching without end. */
export function extent(event: Pick<TimelineEvent, 'start' | 'end'>): [number, number] {
  const last = event.end ?? event.start;
  const known = [event.start.earliest, event.start.latest, event.end?.earliest, event.end?.latest]
    .filter((iso): iso is string => iso !== null && iso !== undefined)
    .map(instant);
  const first = Math.min(...known);
  const final = Math.max(...known) + 1000;
  const fade = Math.max(YEAR_MS, final - first);
  const start = event.start.earliest !== null ? instant(event.start.earliest) : first - fade;
  const end = last.latest !== null ? instant(last.latest) + 1000 : final + fade;
  return [start, Math.max(end, start + 1000)];
}

const DATE = 'value precision earliest latest approximate uncertain description';

/** How many WHEN accounts of an event the timeline draws (a page: the window's cost stays bounded). */
export const DRAWN_ACCOUNTS = 8;

/** What the timeline draws of an event's evidence: loaded for a whole page at once by the server. */
const EVIDENCE_FIELDS = `disputed support firstReported { ${DATE} }
  whenAccounts: accounts(aspect: WHEN, first: ${DRAWN_ACCOUNTS}) { id status preferred stance
    date { value earliest latest } end { value earliest latest } }`;

/** The fields the timeline draws. */
export const EVENT_FIELDS = `
  id title kind confidence tags version
  start { ${DATE} } end { ${DATE} }
  participants { role actor { id name kind } }
  links { id kind note target { id title } }
  place { name latitude longitude }
  ${EVIDENCE_FIELDS}`;

/** The most accounts the detail panel shows of an event. */
export const SHOWN_ACCOUNTS = 100;

export const ACCOUNT_FIELDS = `id aspect stance status preferred date { value description } end { value description }
  place { name latitude longitude } actor { id name } role citation { quote source { id title status } }`;

export const EVENT_DETAIL_FIELDS = `
  id title kind confidence tags version summary timeZone
  parent { id title }
  start { ${DATE} } end { ${DATE} }
  place { name latitude longitude }
  participants { role note actor { id name kind } }
  links { id kind note target { id title } }
  backlinks { id kind note source { id title } }
  citations { id quote supports supportsActor { id name }
    source { id title url publisher author published { value } status } }
  ${EVIDENCE_FIELDS} disputedAspects firstReportedSet
  accounts(first: ${SHOWN_ACCOUNTS}) { ${ACCOUNT_FIELDS} }`;

export interface EventFilterInput {
  from?: string;
  to?: string;
  actorIds?: string[];
  kinds?: string[];
  tags?: string[];
  search?: string;
  disputed?: boolean;
  support?: Support[];
  sourceIds?: string[];
}

/** Which date places events: when they happened, or when they became known (the server's TimeAxis). */
export type Axis = 'HAPPENED' | 'REPORTED';

export interface Bucket {
  start: string;
  end: string;
  count: number;
}

/** The most events the page asks for at once (the server's cap is 500). */
export const PAGE = 500;

/** `asOf` (an ISO instant, or null for now): the timeline as the database held it then. */
export async function loadWindow(
  filter: EventFilterInput,
  buckets: number,
  asOf: string | null,
  signal?: AbortSignal,
  axis: Axis = 'HAPPENED',
): Promise<{ histogram: Bucket[] }> {
  const data = await gql<{ timelineHistogram: Bucket[] }>(
    `query Histogram($filter: EventFilter, $buckets: Int!, $asOf: DateTime, $axis: TimeAxis) {
      timelineHistogram(filter: $filter, buckets: $buckets, asOf: $asOf, axis: $axis) { start end count } }`,
    { filter, buckets, asOf, axis },
    signal,
  );
  return { histogram: data.timelineHistogram };
}

export async function loadEvents(
  filter: EventFilterInput,
  asOf: string | null,
  signal?: AbortSignal,
  axis: Axis = 'HAPPENED',
): Promise<{ events: TimelineEvent[]; more: boolean }> {
  const data = await gql<{
    events: { pageInfo: { hasNextPage: boolean }; nodes: TimelineEvent[] };
  }>(
    `query Window($filter: EventFilter, $first: Int!, $asOf: DateTime, $axis: TimeAxis) {
      events(first: $first, filter: $filter, asOf: $asOf, axis: $axis) { pageInfo { hasNextPage } nodes { ${EVENT_FIELDS} } } }`,
    { filter, first: PAGE, asOf, axis },
    signal,
  );
  return { events: data.events.nodes, more: data.events.pageInfo.hasNextPage };
}

export async function loadDetail(id: string, asOf: string | null = null): Promise<EventDetail | null> {
  const data = await gql<{ event: EventDetail | null }>(
    `query Detail($id: ID!, $asOf: DateTime) { event(id: $id, asOf: $asOf) { ${EVENT_DETAIL_FIELDS} } }`,
    { id, asOf },
  );
  return data.event;
}

export interface Vocabulary {
  eventKinds: string[];
  actorKinds: string[];
  roles: string[];
  linkKinds: string[];
  confidence: string[];
  citationSupports: string[];
}

export async function loadVocabulary(): Promise<Vocabulary> {
  const data = await gql<{ vocabulary: Vocabulary }>(
    '{ vocabulary { eventKinds actorKinds roles linkKinds confidence citationSupports } }',
  );
  return data.vocabulary;
}

export async function loadActors(search?: string): Promise<ActorRef[]> {
  const data = await gql<{ actors: { nodes: ActorRef[] } }>(
    'query Actors($search: String) { actors(first: 500, search: $search) { nodes { id name kind } } }',
    { search: search || null },
  );
  return data.actors.nodes;
}

export async function loadSources(search?: string): Promise<SourceRef[]> {
  const data = await gql<{ sources: { nodes: SourceRef[] } }>(
    'query Sources($search: String) { sources(first: 500, search: $search) { nodes { id title url publisher author published { value } status } } }',
    { search: search || null },
  );
  return data.sources.nodes;
}
