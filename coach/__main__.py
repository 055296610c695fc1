"""The `coach` command's entry (the console script calls `run`), and `python -m coach`, which behaves alike.

Ctrl-C in the first tenths of a second, while the command line is still loading, came before `main` could
catch it and printed a traceback: here it is caught from the first import on.
"""

from __future__ import annotations

import gc
import os
import sys


def run() -> int:
    _stacks_on_request()
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


def _stacks_on_request() -> None:
    """With $COACH_STACKS naming a folder, `kill -USR1` writes where every thread of this coach is to
    FOLDER/PID.txt. A coach that will not leave, seen once in a CI run and never again, can then be asked why
    (the tests do so when one does not exit); without the variable SIGUSR1 ends the process as usual."""
    folder = os.environ.get("COACH_STACKS")
    if folder and sys.platform != "win32":  # no SIGUSR1 on Windows
        import faulthandler
        import signal

        try:
            stacks = open(os.path.join(folder, f"{os.getpid()}.txt"), "w")  # noqa: SIM115 - open for the process's life
        except OSError:
            return
        faulthandler.register(signal.SIGUSR1, file=stacks, all_threads=True)


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
