"""The errors a person can cause, apart from the errors a bug causes.

Everything raised for bad input (an option, the config file, a program file,
the history file) is a `CoachError`, and `coach.cli.main` catches only that:
one line on stderr and exit status 2. Any other exception is a bug, and
escapes as a traceback, so that it gets reported instead of looking like a
typo of the person's.
"""

from __future__ import annotations


class CoachError(Exception):
    """Bad input, told to the person as one line (`str(error)`) and exit status 2."""


class UsageError(CoachError):
    """An option or argument on the command line that cannot be used: `--speech-command ""`, `--dir` no folder."""


class ConfigError(CoachError):
    """The config file (or its `theme`, `rate`, ...) cannot be used; the line names the file."""
