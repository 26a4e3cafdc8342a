// Live updates: the `eventChanged` subscription over /graphql/ws (graphql-transport-ws protocol,
// through the graphql-ws client), reconnecting with backoff. The session's API token, if any, goes
// in the `connection_init` payload as `{"Authorization": "Bearer …"}`.

import { createClient } from 'graphql-ws';

import { EVENT_FIELDS, type TimelineEvent } from './api';
import { bearer, currentToken, forgetToken } from './session';

export interface EventChange {
  kind: 'CREATED' | 'UPDATED' | 'DELETED';
  eventId: string;
  version: number;
  event: TimelineEvent | null;
}

export type LiveState = 'connecting' | 'live' | 'offline';

export interface Live {
  /** Connects again, with the token kept now (after signing in or out). */
  reconnect(): void;
  stop(): void;
}

/** Subscribes; `resync` runs after a reconnection, since changes may have been missed meanwhile. */
export function subscribeToChanges(
  onChange: (change: EventChange) => void,
  onState: (state: LiveState) => void,
  resync: () => void,
): Live {
  let connectedBefore = false;
  /** The token the current connection sent, if any. */
  let sent: string | null = null;
  let timer: number | undefined;
  let dispose = () => {};
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const client = createClient({
    url: `${scheme}//${location.host}/graphql/ws`,
    lazy: false,
    keepAlive: 20_000,
    // Read at each connection, so a reconnection carries the token kept at that moment.
    connectionParams: () => {
      sent = currentToken();
      return sent ? { Authorization: bearer(sent) } : undefined;
    },
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
      closed: (event) => {
        // The server refuses a connection_init with an unknown or revoked token (close code 4403
        // Forbidden, the reason naming the token): forget it, so the next connection goes without it.
        const { code, reason } = event as { code?: number; reason?: string };
        if (sent && code === 4403 && /token/i.test(reason ?? '')) forgetToken(sent);
        onState('offline');
      },
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
  return {
    reconnect: () => {
      if (sent !== currentToken()) client.terminate();
    },
    stop: () => {
      clearTimeout(timer);
      dispose();
      void client.dispose();
    },
  };
}
