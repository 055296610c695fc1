"""Plain mode: one line per event for screen readers and pipes, its terminal input and its chooser."""
