// The page's state, in one place. Every screen reads it from the store, changes it with `update`,
// and subscribes to the keys it shows; no screen keeps a copy of what another one changes. The view
// (filters, lanes, window, selected event, "as known at") is part of it and follows the URL
// (src/url.ts). Things that happen rather than hold (an event saved here, a change announced
// live) go through `tell` and `listen`.

import type { ActorRef, EventDetail, SourceRef, TimelineEvent, Vocabulary } from './api';
import type { EventChange, LiveState } from './live';
import type { View } from './url';

/** The status line: a sentence, perhaps with one button (e.g. "Show it"). */
export interface Status {
  text: string;
  action?: { label: string; run(): void };
}

export interface PageState extends View {
  /** The suggested terms (event kinds, roles, …), read once at start. */
  vocabulary: Vocabulary;
  /** Every actor (`actors` is the actor filter), for the filter's list and the form's picker. */
  knownActors: ActorRef[];
  /** Every source (`restsOn` is the source filter), for the filter's list and the account form. */
  knownSources: SourceRef[];
  /** Event kinds and tags met so far (in loaded events), for the filters. */
  knownKinds: string[];
  knownTags: string[];
  /** The selected event (`event`), as read (as known at `asOf`); null until it has loaded. */
  opened: EventDetail | null;
  /** The events the timeline draws (its loaded period), for the screens that show the same window (the map). */
  drawn: TimelineEvent[];
  /** The selection asks to be brought into view once it has loaded (the timeline does it and clears this). */
  reveal: boolean;
  /** Whether this tab keeps an API token (src/session.ts keeps the token itself). */
  signedIn: boolean;
  status: Status;
  live: LiveState;
}

export type Key = keyof PageState;
export type Listener<S> = (state: Readonly<S>, changed: ReadonlySet<keyof S>) => void;

/** Something that happened to an event: written from this page, or announced by the server. */
export type News =
  | { kind: 'saved'; event: EventDetail; created: boolean }
  | { kind: 'deleted'; event: EventDetail }
  | { kind: 'live'; change: EventChange }
  /** Events this page changed by changing something else (a source's retraction, an account). */
  | { kind: 'changed'; events: TimelineEvent[] };

/** Arrays are equal when their items are (filters are lists of IDs), anything else when identical. */
function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}

/**
 * A state with subscriptions by key. Listeners run after each update that changed one of their
 * keys, in the order they subscribed; an update made by a listener is applied at once and its
 * listeners run after the current round, so every listener sees the updates in order. A listener
 * that throws is reported (as an uncaught error) and the others still run.
 */
export class Store<S extends object> {
  private current: S;
  private readonly subscriptions: { keys: ReadonlySet<keyof S> | null; listener: Listener<S> }[] = [];
  private readonly queue: Set<keyof S>[] = [];
  private notifying = false;

  constructor(initial: S) {
    this.current = { ...initial };
  }

  get state(): Readonly<S> {
    return this.current;
  }

  get<K extends keyof S>(key: K): S[K] {
    return this.current[key];
  }

  /** Changes some keys; listeners of the keys whose value really changed run. */
  update(change: Partial<S>): void {
    const changed = new Set<keyof S>();
    for (const key of Object.keys(change) as (keyof S)[]) {
      if (!same(this.current[key], change[key])) changed.add(key);
    }
    if (!changed.size) return;
    this.current = { ...this.current, ...change };
    this.queue.push(changed);
    if (this.notifying) return;
    this.notifying = true;
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      for (const { keys, listener } of [...this.subscriptions]) {
        if (keys && ![...next].some((k) => keys.has(k))) continue;
        // One screen's failure must not keep the others from following the state.
        try {
          listener(this.current, next);
        } catch (error) {
          reportError(error);
        }
      }
    }
    this.notifying = false;
  }

  /** Calls `listener` whenever one of `keys` (or, with '*', anything) changes; returns the unsubscribe. */
  subscribe(keys: readonly (keyof S)[] | '*', listener: Listener<S>): () => void {
    const entry = { keys: keys === '*' ? null : new Set(keys), listener };
    this.subscriptions.push(entry);
    return () => {
      const at = this.subscriptions.indexOf(entry);
      if (at >= 0) this.subscriptions.splice(at, 1);
    };
  }
}

/** The timeline page's store, with the few changes several screens make. */
export class PageStore extends Store<PageState> {
  private readonly newsListeners = new Set<(news: News) => void>();

  /** Selects an event (null: none); `reveal` brings it into view once it has loaded. */
  select(id: string | null, reveal = false): void {
    this.update({ event: id, reveal: id !== null && reveal });
  }

  /** Says something in the status line. */
  say(text: string, action?: Status['action']): void {
    this.update({ status: { text, action } });
  }

  /** Adds kinds and tags met in events to the known ones (for the filters). */
  meet(events: readonly TimelineEvent[]): void {
    const kinds = new Set(this.get('knownKinds'));
    const tags = new Set(this.get('knownTags'));
    for (const e of events) {
      kinds.add(e.kind);
      for (const t of e.tags) tags.add(t);
    }
    this.update({ knownKinds: [...kinds], knownTags: [...tags] });
  }

  /** Tells every screen that listens what happened to an event. */
  tell(news: News): void {
    for (const listener of [...this.newsListeners]) {
      try {
        listener(news);
      } catch (error) {
        reportError(error);
      }
    }
  }

  listen(listener: (news: News) => void): () => void {
    this.newsListeners.add(listener);
    return () => this.newsListeners.delete(listener);
  }
}

export const NO_VOCABULARY: Vocabulary = { eventKinds: [], actorKinds: [], roles: [], linkKinds: [], confidence: [], citationSupports: [] };

export function createPageStore(view: View): PageStore {
  return new PageStore({
    ...view,
    vocabulary: NO_VOCABULARY,
    knownActors: [],
    knownSources: [],
    knownKinds: [],
    knownTags: [],
    opened: null,
    drawn: [],
    reveal: false,
    signedIn: false,
    status: { text: '' },
    live: 'connecting',
  });
}
