"""Sources into a store: the built-in dataset and planners' spreadsheets."""
