"""The `coach` command's entry (the console script calls `run`), and `python -m coach`, which behaves alike.

Ctrl-C in the first tenths of a second, while the command line is still loading, came before `main` could
catch it and printed a traceback: here it is caught from the first import on.
"""

from __future__ import annotations


def run() -> int:
    try:
        from coach.cli import main

        return main()
    except KeyboardInterrupt:  # 128 + SIGINT, as a shell reports it, and nothing else
        return 130


if __name__ == "__main__":
    raise SystemExit(run())
