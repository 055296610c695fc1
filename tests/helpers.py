"""Play a session on a fake clock, with scripted key presses at given times."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from coach.program import Program, load_program
from coach.program.catalog import bundled
from coach.session.clock import Clock, FakeClock
from coach.session.engine import Event, Session, SessionLog
from coach.speech.speaker import Backlog, Utterance
from coach.timeline import Timeline, compile_program, estimate

Action = Callable[[Session], list[Event]]


def bundled_programs() -> dict[str, Program]:
    return {name: load_program(path) for name, path in bundled().items()}


def play(
    timeline: Timeline, actions: Iterable[tuple[float, Action]] = (), log: SessionLog | None = None
) -> tuple[list[Event], Session]:
    """Every event of a session, hands-free apart from `actions` (seconds from the start), recorded in `log`."""
    clock = FakeClock(0.0)
    session = Session(timeline, clock, log)
    session.start()
    events: list[Event] = []
    pending = sorted(actions, key=lambda item: item[0])
    while True:
        events += session.due()
        if session.finished:
            return events, session
        deadline = session.next_deadline()
        if pending and (deadline is None or pending[0][0] <= deadline):
            at, act = pending.pop(0)
            clock.time = max(clock.time, at)
            events += session.due()
            events += act(session)
            continue
        assert deadline is not None, "the session waits for a key that no action gives"
        clock.time = deadline


def play_program(program: Program, actions: Iterable[tuple[float, Action]] = ()) -> list[Event]:
    return play(compile_program(program), actions)[0]


def play_with_speech(timeline: Timeline, lengths: dict[str, float]) -> list[tuple[Utterance, float | None]]:
    """Each utterance and when the one engine starts it (None: dropped), playing hands-free on a fake clock."""
    events: list[Event] = play(timeline)[0]
    backlog = Backlog()
    engine_free = float("-inf")
    started: dict[Utterance, float | None] = {}

    def run_engine_until(moment: float) -> None:
        nonlocal engine_free
        while backlog.waiting and max(engine_free, backlog.waiting[0].due) <= moment:
            now = max(engine_free, backlog.waiting[0].due)
            chosen, late = backlog.pop(now)
            started.update({u: None for u in late})
            if chosen is not None:
                started[chosen] = now
                engine_free = now + lengths[chosen.text]

    for event in events:
        run_engine_until(event.at)
        backlog.push(Utterance.of(event))
    run_engine_until(float("inf"))
    return [(Utterance.of(event), started[Utterance.of(event)]) for event in events]


# A Spanish program with a pain check-in that stops at 6: the answers and advice in the program's language.
SPANISH_CHECK_IN = """
format = 1
[program]
title = "Puente"
language = "es"
check_in = true
pain_stop = 6
safety = ["Para si notas un dolor agudo."]
[[steps]]
kind = "timed"
title = "Puente"
duration = "30s"
"""


def real(text: str) -> float:
    """A voice quicker than the estimates, as every real one is: three fifths of the estimate."""
    return round(estimate(text) * 0.6, 3)


class SlowVoice:
    """Rendered speech whose audio comes late (a cold cache): each segment's audio exists `delay` s after the
    segment is first due, on `clock`; segment 0's at once where `first_too` is False."""

    def __init__(self, clock: Clock, delay: float, *, first_too: bool = True) -> None:
        self.clock, self.delay, self.first_too = clock, delay, first_too
        self.asked: dict[int, float] = {}

    def ready(self, index: int, timeline: Timeline) -> Timeline | None:
        first = self.asked.setdefault(index, self.clock.now())
        if (index or self.first_too) and self.clock.now() - first < self.delay:
            return None
        return timeline.relay(real) if timeline.relay else timeline
