"""The questions planners ask of the graph, each answered as a DataFrame."""
