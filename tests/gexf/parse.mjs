// Reads a GEXF file as a JavaScript user of Gephi's files would: graphology-gexf builds the graph
// (and refuses an edge whose end is no node), from a document xmldom parsed strictly (any XML
// error fails). graphology keeps no time intervals, so those are read from the same document:
// each node's and edge's `start` and `end`, as Gephi reads them in a dynamic graph.
// Usage: node parse.mjs FILE. Prints JSON: the graph's mode and time format, its order and size,
// nodes by `type` and edges by `relation`, and every node (label, type, interval) and edge
// (source, target, relation, interval).

import { readFileSync } from 'node:fs';
import Graph from 'graphology';
import gexf from 'graphology-gexf';
import { DOMParser } from '@xmldom/xmldom';

const text = readFileSync(process.argv[2], 'utf8');
const problems = [];
const document = new DOMParser({
  onError: (level, message) => problems.push(`${level}: ${message}`),
}).parseFromString(text, 'application/xml');
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
const graph = gexf.parse(Graph, text);

const interval = (element) => ({
  start: element.getAttribute('start') || null,
  end: element.getAttribute('end') || null,
});
const list = (name) => {
  const elements = document.getElementsByTagName(name);
  return Array.from({ length: elements.length }, (_, i) => elements.item(i));
};
const tally = (values) => values.reduce((counts, value) => ({ ...counts, [value]: (counts[value] ?? 0) + 1 }), {});

const nodes = {};
for (const element of list('node')) {
  const id = element.getAttribute('id');
  if (!graph.hasNode(id)) throw new Error(`graphology-gexf lost node ${id}`);
  const attributes = graph.getNodeAttributes(id);
  nodes[id] = { label: attributes.label, type: attributes.type, ...interval(element) };
}
const edges = list('edge').map((element) => {
  const id = element.getAttribute('id');
  if (!graph.hasEdge(id)) throw new Error(`graphology-gexf lost edge ${id}`);
  return {
    source: graph.source(id),
    target: graph.target(id),
    relation: graph.getEdgeAttribute(id, 'relation'),
    ...interval(element),
  };
});
const element = list('graph')[0];
console.log(JSON.stringify({
  mode: element.getAttribute('mode'),
  timeformat: element.getAttribute('timeformat'),
  order: graph.order,
  size: graph.size,
  types: tally(graph.mapNodes((_, attributes) => attributes.type)),
  relations: tally(graph.mapEdges((_, attributes) => attributes.relation)),
  nodes,
  edges,
}));
