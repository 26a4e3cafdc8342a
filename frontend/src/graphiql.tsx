// GraphiQL at /graphiql: bundled (no CDN), schema docs from introspection, an example query as the
// default tab, and subscriptions over /graphql/ws (graphql-transport-ws).
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './graphiql.css';

import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

const EXAMPLE_QUERY = `# Chronik's GraphQL API: press the run button
# (or Ctrl-Enter). Every type is documented in the
# Docs panel (the book icon on the left).

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
        defaultTabs={[{ query: EXAMPLE_QUERY }, { query: SUBSCRIPTION_EXAMPLE }]}
        defaultEditorToolsVisibility={false}
      >
        <GraphiQL.Logo>
          <a href="/" className="chronik-logo">Chronik</a>
        </GraphiQL.Logo>
      </GraphiQL>
    </StrictMode>,
  );
}
