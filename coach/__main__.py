"""The `coach` command's entry (the console script calls `run`), and `python -m coach`, which behaves alike.

Ctrl-C in the first tenths of a second, while the command line is still loading, came before `main` could
catch it and printed a traceback: here it is caught from the first import on.
"""

from __future__ import annotations

import gc
import os
import sys


def run() -> int:
    try:
        from coach.cli import main

        status = main()
    except KeyboardInterrupt:  # 128 + SIGINT, as a shell reports it, and nothing else
        return 130
    finally:
        _let_go_of_a_lost_terminal()
    # Python's exit ends with a full garbage collection over every object the imports made: about 3 ms of
    # `coach history`'s 50 (measured, bench/history.py). Frozen, they are left to the process's end instead;
    # atexit handlers and reference counting still run, and whatever had to be closed was closed where used.
    gc.freeze()
    return status


def _let_go_of_a_lost_terminal() -> None:
    """What is still to be written where nothing can be any more (a terminal hung up, its window closed: EIO)
    goes nowhere: Python's own last flush would fail, and turn the exit status (129 for the hang-up) into 120."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with it closed (`coach list >&-`): there is nothing to let go
            continue
        try:
            stream.flush()
        except ValueError:  # closed already
            pass
        except OSError:
            import contextlib  # here: every command's start would pay for it

            with contextlib.suppress(OSError, ValueError):  # no file behind it: nothing more can be done
                os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())


if __name__ == "__main__":
    raise SystemExit(run())
