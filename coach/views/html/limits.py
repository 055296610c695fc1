"""How many weeks a report covers: here, so the command line checks `--weeks` without importing the report."""

DEFAULT_WEEKS = 12
MOST_WEEKS = 520  # ten years
