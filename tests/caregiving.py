"""A patient's history as a therapist would find it, made for the report's tests: twelve weeks of a
Monday-Wednesday-Friday program on the shelf, with holds that grew, pain that eased, a few days missed,
one session stopped for pain and one cut short."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from coach.history.store import History, StepRecord

NECK = """format = 1
[program]
title = "Neck and shoulders"
summary = "Gentle stretches for a stiff neck, after the heat pad."
author = "R. Jones, PT"
days = ["mon", "wed", "fri"]
pain_stop = 7
safety = ["Move slowly and never into sharp pain.", "Stop and rest if you feel dizzy."]

[[steps]]
kind = "timed"
title = "Heat pad"
say = "Put the heat pad around your neck and sit back."
duration = "5m"
end_say = "Take the heat pad off."

[[steps]]
kind = "hold"
title = "Chin tuck"
say = "Sit tall and draw your chin straight back."
hold = "5s"
reps = 5
[steps.progress]
hold = { to = "15s", by = "1s" }

[[steps]]
kind = "rest"
title = "Rest"
duration = "30s"

[[steps]]
kind = "reps"
title = "Shoulder rolls"
say = "Roll both shoulders slowly backwards."
reps = 8
sides = ["right", "left"]
[steps.progress]
reps = { to = 12, by = 1 }
every = 3
"""


def week_days(end: dt.date, weeks: int) -> list[dt.date]:
    """The Mondays, Wednesdays and Fridays of the `weeks` weeks up to `end`, oldest first."""
    monday = end - dt.timedelta(days=end.weekday()) - dt.timedelta(weeks=weeks - 1)
    days = [monday + dt.timedelta(days=offset) for offset in range(weeks * 7)]
    return [day for day in days if day.weekday() in (0, 2, 4) and day < end]


def fill(history: History, end: dt.date, *, weeks: int = 12, key: str = "neck", path: str = "/x/neck.toml") -> int:
    """Record the patient's sessions up to (not on) `end`; how many were recorded."""
    recorded = 0
    for number, day in enumerate(week_days(end, weeks)):
        if number % 7 == 3:  # a prescribed day missed now and then
            continue
        started = dt.datetime(day.year, day.month, day.day, 10, 0).timestamp()
        outcome: str | None = "pain" if number == 12 else None if number == 20 else "completed"
        session = history.begin(key, "Neck and shoulders", path, "0" * 64, started, 3)
        history.pain(session, before=True, pain=max(1, 7 - number // 5))
        hold, reps = 5 + min(10, number // 2), 8 + min(4, number // 6)
        history.step(session, 1, StepRecord(1, "Heat pad", "timed", True, None, None, None, 300, started + 300))
        history.step(session, 2, StepRecord(2, "Chin tuck", "hold", True, hold, 5, 1, None, started + 400))
        if outcome is not None:
            history.step(session, 3, StepRecord(3, "Shoulder rolls", "reps", True, None, reps, 1, None, started + 500))
            history.pain(
                session, before=False, pain=max(0, 8 - number // 4) if outcome == "pain" else max(0, 5 - number // 6)
            )
            history.end(session, outcome, started + 600)
        history.close()  # lets go of the session's lock, as its coach does when it ends: cut short, not playing
        recorded += 1
    return recorded


def shelve(into: str | Path) -> Path:
    folder = Path(into)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "neck.toml"
    path.write_text(NECK, encoding="utf-8")
    return path
