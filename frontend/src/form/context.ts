// What one opening of the event form knows besides the event: the vocabulary, the actors and the
// sources (read when the form opens, and grown by the actors and sources the form creates), so
// every row picks from the same lists.

import type { ActorRef, SourceRef, Vocabulary } from '../api';

export class FormContext {
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly vocabulary: Vocabulary,
    readonly actors: ActorRef[],
    readonly sources: SourceRef[],
  ) {}

  actorByName(name: string): ActorRef | undefined {
    const wanted = name.trim().toLowerCase();
    return this.actors.find((a) => a.name.toLowerCase() === wanted);
  }

  addActor(actor: ActorRef): void {
    this.actors.push(actor);
    this.actors.sort((a, b) => a.name.localeCompare(b.name));
    this.changed();
  }

  addSource(source: SourceRef): void {
    this.sources.push(source);
    this.changed();
  }

  /** Calls `listener` when an actor or a source was added. */
  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
