"""A signal handler may post to the session loop while the code it interrupted is posting too.

`threading.Event.set` takes a lock, so a handler calling it while the interrupted code holds it waits
for ever (SIGHUP arriving while Ctrl-Z's handler posted its pause left a coach hanging for good).
`Inbox.put_from_signal` takes no lock. The stress runs in a child process, so that a deadlock is a
timeout, not a hung suite.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import ROOT

STRESS = textwrap.dedent(
    """
    import signal, time
    from coach.session.drive import Inbox
    inbox = Inbox()
    inbox.listen_for_signals()
    fired = 0
    def handler(signum, frame):
        global fired
        fired += 1
        inbox.put_from_signal(lambda session: [])  # what SIGTERM, SIGHUP and Ctrl-Z's handlers do
    signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, 0.0001, 0.0001)
    end = time.monotonic() + 15  # enough interruptions, however loaded the machine (a full run gave 908 in 1.5 s)
    while fired < 1500 and time.monotonic() < end:
        inbox.put(lambda session: [])  # what the key reader does, interrupted again and again
        inbox.wake.wait(0.0001)
        inbox.drain()
    signal.setitimer(signal.ITIMER_REAL, 0, 0)
    print(fired)
    """
)


def test_posting_from_a_signal_handler_that_interrupted_a_post_never_deadlocks() -> None:
    result = subprocess.run([sys.executable, "-c", STRESS], capture_output=True, text=True, timeout=20, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 1500  # the handler really did interrupt the loop, many times


OTHER_THREAD = textwrap.dedent(
    """
    import signal, threading, time
    from coach.session.clock import MonotonicClock
    from coach.session.drive import Inbox
    inbox = Inbox()
    inbox.listen_for_signals()
    handled = []
    signal.signal(signal.SIGUSR1, lambda signum, frame: handled.append(signum))
    def to_itself():
        time.sleep(0.2)
        signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)
    threading.Thread(target=to_itself).start()
    started = time.monotonic()
    MonotonicClock().wait_until(None, inbox.wake)  # paused: nothing scheduled
    took = time.monotonic() - started
    time.sleep(0.05)  # the main thread runs again: the handler has run by now
    inbox.stop_listening()
    print(round(took, 2), handled == [signal.SIGUSR1])
    """
)


def test_a_signal_given_to_another_thread_wakes_a_paused_session_loop_at_once() -> None:
    """The kernel may give a process's signal to any thread; CPython runs the handler in the main thread only
    when it next runs: a loop waiting with nothing scheduled (paused) never woke for it. Every signal now also
    writes to the inbox's pipe (`set_wakeup_fd`), from whichever thread takes it."""
    result = subprocess.run([sys.executable, "-c", OTHER_THREAD], capture_output=True, text=True, timeout=5, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    took, handled = result.stdout.split()
    assert float(took) < 0.2 + 0.5 and handled == "True"
