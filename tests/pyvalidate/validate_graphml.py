"""Reads a GraphML file with networkx's GraphML reader, which checks it against what GraphML
declares (every data value of a declared key, read as that key's type; edges between declared
nodes). Prints as JSON whether the graph is directed, its node and edge counts, the nodes by
their `type` and the edges by their `relation`, and each node's attributes; exits non-zero when
networkx refuses the file."""

import json
import sys
from collections import Counter

import networkx


def main(path):
    graph = networkx.read_graphml(path)
    print(json.dumps({
        "directed": graph.is_directed(),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "types": Counter(data.get("type") for _, data in graph.nodes(data=True)),
        "relations": Counter(data.get("relation") for *_, data in graph.edges(data=True)),
        "attributes": {node: data for node, data in graph.nodes(data=True)},
    }))


if __name__ == "__main__":
    main(sys.argv[1])
