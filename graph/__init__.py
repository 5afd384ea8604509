"""hainet: the graph, its schema, stores, rendering and command line."""
