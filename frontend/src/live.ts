// Live updates: the `eventChanged` subscription over /graphql/ws (graphql-transport-ws protocol,
// through the graphql-ws client), reconnecting with backoff.

import { createClient } from 'graphql-ws';

import { EVENT_FIELDS, type TimelineEvent } from './api';

export interface EventChange {
  kind: 'CREATED' | 'UPDATED' | 'DELETED';
  eventId: string;
  version: number;
  event: TimelineEvent | null;
}

export type LiveState = 'connecting' | 'live' | 'offline';

/** Subscribes; `resync` runs after a reconnection, since changes may have been missed meanwhile. */
export function subscribeToChanges(
  onChange: (change: EventChange) => void,
  onState: (state: LiveState) => void,
  resync: () => void,
): () => void {
  let connectedBefore = false;
  let timer: number | undefined;
  let dispose = () => {};
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const client = createClient({
    url: `${scheme}//${location.host}/graphql/ws`,
    lazy: false,
    keepAlive: 20_000,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: async (retries) => {
      await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 500 * 2 ** Math.min(retries, 6))));
    },
    on: {
      connecting: () => onState('connecting'),
      connected: () => {
        onState('live');
        if (connectedBefore) resync();
        connectedBefore = true;
      },
      closed: () => onState('offline'),
      error: () => onState('offline'),
    },
  });
  // A subscription the server ends or refuses is started again after a pause.
  const again = () => {
    onState('offline');
    clearTimeout(timer);
    timer = window.setTimeout(start, 3000);
  };
  const start = () => {
    dispose = client.subscribe<{ eventChanged: EventChange }>(
      { query: `subscription Live { eventChanged { kind eventId version event { ${EVENT_FIELDS} } } }` },
      {
        next: (message) => {
          if (message.data?.eventChanged) onChange(message.data.eventChanged);
        },
        error: again,
        complete: again,
      },
    );
  };
  start();
  return () => {
    clearTimeout(timer);
    dispose();
    void client.dispose();
  };
}
