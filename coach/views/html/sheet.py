"""`coach sheet`: a program on paper in large print, for the fridge door or the patient's folder.

The safety notes come first, in a box, before anything to do; then how often, then each step numbered as
the coach numbers it (a rest between steps is a line of its own, not a number), with what to do and its
holds, repetitions, sets, sides and rests in words. The file's own values: the sheet is the prescription,
not today's progression.
"""

from __future__ import annotations

from pathlib import Path

from coach.program import Kind, Program, Step
from coach.program.catalog import program_key
from coach.timeline import Phrases, compile_program
from coach.views.html.page import document, text

STYLE = """
body { font-size: 1.5rem; }
ol.steps { padding-left: 2.2em; }
ol.steps > li { margin: 0 0 .8rem; padding-left: .3em; }
h1 { font-size: 2.4rem; }
h2 { font-size: 2rem; }
ol.steps > li > h3 { font-size: 1.6rem; margin: 0; }
.note h2 { margin-top: .25rem; }
ol.steps p { margin: .1rem 0; }
ul.facts { list-style: none; padding: 0; margin: .1rem 0; }
p.rest { font-style: italic; }
.meta { font-size: 1em; }
main > p { margin: .4rem 0; }
@media print {
  body { font-size: 16pt; line-height: 1.3; orphans: 3; widows: 3; }
  ol.steps > li { break-inside: auto; }  /* a long step may go on over the page; its title stays with it */
  ol.steps > li > h3 { font-size: 18pt; }
  h1 { font-size: 28pt; } h2 { font-size: 21pt; margin-top: 12pt; }
  .meta { font-size: 14pt; }
}
"""


def _facts(step: Step, phrases: Phrases) -> list[str]:
    """The step's numbers in words: "Hold 30 seconds", "10 times", "2 sets, 30 seconds' rest between"."""
    facts: list[str] = []
    if step.kind is Kind.TIMED:
        facts.append(f"For {phrases.duration(step.duration)}.")
    if step.kind is Kind.READY:
        facts.append(
            "When you are ready, press Space or Enter" + ("." if step.timeout == 0 else ", or it goes on by itself.")
        )
    if step.kind is Kind.HOLD:
        facts.append(f"Hold {phrases.duration(step.hold)}, {step.reps} time{'s' if step.reps != 1 else ''}.")
        if step.reps > 1:
            facts.append(f"Rest {phrases.duration(step.rest)} between repetitions.")
    if step.kind is Kind.REPS:
        facts.append(f"{step.reps} time{'s' if step.reps != 1 else ''}, one every {phrases.duration(step.pace)}.")
    if step.kind in {Kind.HOLD, Kind.REPS} and step.sets > 1:
        between = step.set_rest if step.kind is Kind.HOLD else step.rest
        facts.append(f"{step.sets} sets, with {phrases.duration(between)} rest between sets.")
    if step.sides:
        facts.append(f"On each side, in turn: {', '.join(step.sides)}.")
    facts.extend(step.cues)
    return facts


def build(program: Program) -> str:
    phrases = Phrases(program.language)
    seconds = int(compile_program(program).length)
    length = phrases.duration(seconds if seconds < 120 else round(seconds / 60) * 60)  # "about 25 minutes"
    parts = [f"<h1>{text(program.title)}</h1>"]
    credits = [
        f"Prescribed by {program.author}." if program.author else "",
        f"Source: {program.source}." if program.source else "",
    ]
    said = " ".join(credit for credit in credits if credit)
    name = program_key(Path(program.path)) if program.path else ""
    run = f"To play it: coach run {name}" if name and "/" not in name else ""
    footer = " ".join(part for part in (said, run) if part)
    if footer:
        parts.append(f'<p class="meta">{text(footer)}</p>')  # under the title: who prescribed it, and its name
    if program.safety:
        notes = "".join(f"<li>{text(note)}</li>" for note in program.safety)
        parts.append(
            '<section class="note" aria-labelledby="safety">'
            f'<h2 id="safety">Safety first</h2><ul>{notes}</ul></section>'
        )
    about = [f"About {length} with the coach."]
    how_often = _how_often(program)
    if how_often:
        about.append(f"Do it {how_often}.")
    if program.summary:
        parts.append(f"<p>{text(program.summary)}</p>")
    parts.append(f"<p>{text(' '.join(about))}</p>")
    if program.pain_stop is not None:
        parts.append(f"<p>Stop if your pain reaches {program.pain_stop} out of 10.</p>")
    parts.append('<h2 id="steps">The steps</h2><ol class="steps">')
    opened = False
    for step in program.steps:
        if step.kind is Kind.REST:  # not a numbered step: a line at the end of the one before it
            rest = f"Then rest, {phrases.duration(step.duration)}." + (f" {step.say}" if step.say else "")
            parts.append(f'<p class="rest">{text(rest)}</p>')
            continue
        if opened:
            parts.append("</li>")
        facts = "".join(f"<li>{text(fact)}</li>" for fact in _facts(step, phrases))
        say = f"<p>{text(step.say)}</p>" if step.say else ""
        ending = f"<p>{text(step.end_say)}</p>" if step.end_say else ""
        parts.append(f'<li><h3>{text(step.title)}</h3>{say}<ul class="facts">{facts}</ul>{ending}')
        opened = True
    if opened:
        parts.append("</li>")
    parts.append("</ol>")
    return document(program.title, "\n".join(parts), style=STYLE)


FULL_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _how_often(program: Program) -> str:
    """How often, as the sheet says it: "on Monday, Wednesday and Friday", "5 times a week"; "" if unsaid."""
    if program.days:
        from coach.program.fields import WEEKDAYS

        names = [FULL_DAYS[WEEKDAYS.index(day)] for day in program.days]  # in full: the patient reads it
        return "on " + (names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}")
    if program.per_week:
        return "once a week" if program.per_week == 1 else f"{program.per_week} times a week"
    return ""
