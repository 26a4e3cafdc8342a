// GraphiQL at /graphiql: bundled (no CDN), schema docs from introspection, an example query as the
// default tab, and subscriptions over /graphql/ws (graphql-transport-ws). The API token the timeline
// page keeps for this tab (sessionStorage, same origin) fills the Headers tab, which graphiql's
// fetcher also sends as the WebSocket's connection_init payload; without one, the Headers tab
// says how to add it.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './graphiql.css';

import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { bearer, currentToken } from './session';

const EXAMPLE_QUERY = `# Chronik's GraphQL API: press the run button
# (or Ctrl-Enter). Every type is documented in the
# Docs panel (the book icon on the left).
# Mutations need an API token: see the Headers tab.

# The events of the example affair in order of time,
# with who took part and the quotes behind them.
query AffairEvents {
  events(first: 50, filter: { from: "2024-02", to: "2024-03" }) {
    totalCount
    edges {
      node {
        id
        title
        kind
        start { value precision description }
        participants { role actor { name } }
        citations { quote source { title publisher } }
        links { kind target { title } }
      }
    }
  }
}
`;

const SUBSCRIPTION_EXAMPLE = `# Live changes: run this, then add or edit an event
# elsewhere (the timeline page, or another tab).
subscription Changes {
  eventChanged {
    kind
    eventId
    version
    event { title start { value } }
  }
}
`;

const token = currentToken();
// The headers editor reads JSON with comments.
const HEADERS = token
  ? `${JSON.stringify({ Authorization: bearer(token) }, null, 2)}\n`
  : `{
  // Mutations need an API token with the editor role
  // (admin for token management, merges and purges):
  //   chronik token create --name YOUR_NAME --role editor
  // prints it on its last line. Put it here, without the //:
  // "Authorization": "Bearer chronik_…"
  // (A token you entered on the timeline page in this tab
  // appears here by itself.)
}
`;

const wsScheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
const fetcher = createGraphiQLFetcher({
  url: `${location.origin}/graphql`,
  subscriptionUrl: `${wsScheme}//${location.host}/graphql/ws`,
});

const root = document.getElementById('graphiql');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <GraphiQL
        fetcher={fetcher}
        defaultQuery={EXAMPLE_QUERY}
        defaultHeaders={HEADERS}
        // The session's token wins over headers left from an earlier visit.
        initialHeaders={token ? HEADERS : undefined}
        defaultTabs={[
          { query: EXAMPLE_QUERY, headers: HEADERS },
          { query: SUBSCRIPTION_EXAMPLE, headers: HEADERS },
        ]}
        defaultEditorToolsVisibility={false}
      >
        <GraphiQL.Logo>
          <a href="/" className="chronik-logo">Chronik</a>
        </GraphiQL.Logo>
      </GraphiQL>
    </StrictMode>,
  );
}
