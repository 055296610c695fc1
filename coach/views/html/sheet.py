"""`coach sheet`: a program on paper in large print, for the fridge door or the patient's folder.

The safety notes come first, in a box, before anything to do; then how often, then each step numbered as
the coach numbers it (a rest between steps is a line of its own, not a number), with what to do and its
holds, repetitions, sets, sides and rests in words. The file's own values: the sheet is the prescription,
not today's progression.
"""

from __future__ import annotations

from gettext import NullTranslations
from pathlib import Path

from coach.i18n import N_
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
  /* A step on one page: its title, instruction and counts together. Every bundled program's sheet printed the
     last counts of a step at the top of page 2, away from its name. One longer than a page still goes on. */
  ol.steps > li { break-inside: avoid; }
  ol.steps > li > h3 { font-size: 18pt; }
  h1 { font-size: 28pt; } h2 { font-size: 21pt; margin-top: 12pt; }
  .meta { font-size: 14pt; }
}
"""


def _facts(step: Step, phrases: Phrases) -> list[str]:
    """The step's numbers in words: "Hold 30 seconds", "10 times", "2 sets, 30 seconds' rest between"."""
    words, said = phrases.catalog, phrases.duration
    facts: list[str] = []
    if step.kind is Kind.TIMED:
        facts.append(words.gettext("For {duration}.").format(duration=said(step.duration)))
    if step.kind is Kind.READY:
        facts.append(
            words.gettext("When you are ready, press Space or Enter.")
            if step.timeout == 0
            else words.gettext("When you are ready, press Space or Enter, or it goes on by itself.")
        )
    if step.kind is Kind.HOLD:
        held = words.ngettext("Hold {duration}, {reps} time.", "Hold {duration}, {reps} times.", step.reps)
        facts.append(held.format(duration=said(step.hold), reps=step.reps))
        if step.reps > 1:
            facts.append(words.gettext("Rest {duration} between repetitions.").format(duration=said(step.rest)))
    if step.kind is Kind.REPS:
        paced = words.ngettext("{reps} time, one every {duration}.", "{reps} times, one every {duration}.", step.reps)
        facts.append(paced.format(reps=step.reps, duration=said(step.pace)))
    if step.kind in {Kind.HOLD, Kind.REPS} and step.sets > 1:
        between = step.set_rest if step.kind is Kind.HOLD else step.rest
        told = words.gettext("{sets} sets, with {duration} rest between sets.")
        facts.append(told.format(sets=step.sets, duration=said(between)))
    if len(step.sides) == 1:  # "On each side, in turn: right leg." read oddly to a caregiver's walk
        facts.append(words.gettext("On one side only: {side}.").format(side=step.sides[0]))
    elif step.sides:
        sides = phrases("comma").join(step.sides)
        facts.append(words.gettext("On each side, in turn: {sides}.").format(sides=sides))
    grows = step.progress
    if grows is not None and grows.hold is not None and grows.hold.to > step.hold:  # the sheet's values grow
        told = words.gettext("As your sessions go well, the hold grows, up to {duration}.")
        facts.append(told.format(duration=said(grows.hold.to)))
    if grows is not None and grows.reps is not None and grows.reps.to > step.reps:
        facts.append(
            words.gettext("As your sessions go well, the repetitions grow, up to {reps}.").format(reps=grows.reps.to)
        )
    facts.extend(step.cues)
    return facts


def build(program: Program, *, tones: bool = True) -> str:
    phrases = Phrases(program.language)  # the patient's sheet, in the program's language
    words = phrases.catalog
    seconds = int(compile_program(program, tones=tones).length)
    length = phrases.duration(seconds if seconds < 120 else round(seconds / 60) * 60)  # "about 25 minutes"
    parts = [f"<h1>{text(program.title)}</h1>"]
    credits = [
        words.gettext("Prescribed by {author}.").format(author=program.author) if program.author else "",
        words.gettext("Source: {source}.").format(source=program.source) if program.source else "",
    ]
    said = " ".join(credit for credit in credits if credit)
    name = program_key(Path(program.path)) if program.path else ""
    run = words.gettext("To play it: coach run {name}").format(name=name) if name and "/" not in name else ""
    footer = " ".join(part for part in (said, run) if part)
    if footer:
        parts.append(f'<p class="meta">{text(footer)}</p>')  # under the title: who prescribed it, and its name
    if program.safety:
        safety_first = words.gettext("Safety first")
        notes = "".join(f"<li>{text(note)}</li>" for note in program.safety)
        parts.append(
            '<section class="note" aria-labelledby="safety">'
            f'<h2 id="safety">{text(safety_first)}</h2><ul>{notes}</ul></section>'
        )
    about = [words.gettext("About {duration} with the coach.").format(duration=length)]
    how_often = _how_often(program, words)
    if how_often:
        about.append(how_often)
    if program.summary:
        parts.append(f"<p>{text(program.summary)}</p>")
    parts.append(f"<p>{text(' '.join(about))}</p>")
    if program.pain_stop is not None:
        told = words.gettext("Stop if your pain reaches {pain} out of 10.").format(pain=program.pain_stop)
        parts.append(f"<p>{text(told)}</p>")
    the_steps = words.gettext("The steps")  # outside the f-string, where the catalog's extractor finds it
    parts.append(f'<h2 id="steps">{text(the_steps)}</h2><ol class="steps">')
    opened = False
    for step in program.steps:
        if step.kind is Kind.REST:  # not a numbered step: a line at the end of the one before it
            rest = words.gettext("Then rest, {duration}.").format(duration=phrases.duration(step.duration))
            rest += f" {step.say}" if step.say else ""
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
    return document(program.title, "\n".join(parts), style=STYLE, language=program.language)


FULL_DAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))


def _how_often(program: Program, words: NullTranslations) -> str:
    """How often, as the sheet says it: "Do it on Monday, Wednesday and Friday.", "Do it 5 times a week."; ""
    if the file does not say."""
    if program.days:
        from coach.program.fields import WEEKDAYS

        names = [words.gettext(FULL_DAYS[WEEKDAYS.index(day)]) for day in program.days]  # in full: the patient reads it
        if len(names) == 1:
            return words.gettext("Do it on {day}.").format(day=names[0])
        between = words.pgettext("list separator", ", ")  # the sheet's language's, not the interface's: "、"
        return words.gettext("Do it on {days} and {last}.").format(days=between.join(names[:-1]), last=names[-1])
    if program.per_week:
        told = words.ngettext("Do it once a week.", "Do it {count} times a week.", program.per_week)
        return told.format(count=program.per_week)
    return ""
