"""What the recognizer may hear: the wake word's commands, the bare answers, and decoys that soak up the rest.

A closed grammar forces every sound onto one of its sentences: the coach's
own "Next: Bridges." would come out as some "coach …" command. So the grammar
also holds single decoy words, the words the coach itself says most, and
what falls on a decoy is dropped. Measured on the
46 sentences of core-strength spoken by espeak-ng: 15 false commands with the
commands alone, 1 with the answers and decoys beside them (bench/listen.py).
The wake word followed by something else falls on "coach" alone or on
"coach" and a filler (`FILLERS`): that is how the coach knows to say
"Say: coach help." rather than act on the nearest command.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from coach.timeline.phrases import english_texts

WAKE = "coach"


def decoys(commands: Iterable[str], answers: Iterable[str], known: Callable[[str], bool]) -> list[str]:
    """Single words for the garbage side of the grammar: the words the coach says most, minus any word of
    a command or an answer (a decoy that is also a command word would take the command's place)."""
    taken = {WAKE, *(word for phrase in (*commands, *answers) for word in phrase.split())}
    words = re.findall(r"[a-z]+", " ".join(english_texts()).lower())
    chosen = dict.fromkeys(w for w in words if len(w) > 1 and w not in taken and known(w))
    return list(chosen)[:DECOYS]


DECOYS = 12  # more decoys reject more, and recognise less (bench/listen.py)

# What else may follow the wake word: fillers, as people say them ("coach, um…"). Without them a made-up
# command fell on the nearest real one: "coach banana" was heard as "coach go on", "coach thank you" as "coach
# mute". Measured on espeak-ng's six voices at two rates (bench/listen.py): 12 made-up commands were taken for
# a command 81 times in 144, then 41, with the corpus heard as well (86.9 % right; wrong 2.1 %, then 1.8 %);
# 12 others, used for nothing else, 94 times in 144, then 54. The coach's own decoys in their place took less
# (49 in 144) but lost 2.7 points of the corpus; function words ("the", "and", …) 36, but lost 4.8.
FILLERS = ("um", "uh", "oh", "ah", "hey", "okay", "so", "well", "right", "sure", "just", "like")

# British pronunciations of the grammar's words that the recognizer's American dictionary lacks: without them
# a British "four" (no r) was heard as "no" or "zero" and "faster" as "pause". Measured on the corpus
# (bench/listen.py): espeak-ng's voices 86.6 % right and 10.4 % wrong without them, 89.0 % and 8.3 % with them.
# "back" with the British open a: without it, "coach back" was heard as "coach stop", "less" or "go on" in 6 of
# 24 British sayings, in 2 with it (bench/listen.py: 93.8 % right and 5.4 % wrong, then 94.9 % and 4.2 %).
BRITISH = {"four": "F AO", "more": "M AO", "slower": "S L OW AH", "faster": "F AA S T AH", "back": "B AA K"}


def add_british(add: Callable[[str, str], None], known: Callable[[str], bool]) -> None:
    """Give each word of `BRITISH` its pronunciation as one more variant ("four(2)", …) beside the dictionary's."""
    for word, phones in BRITISH.items():
        variant = next(f"{word}({n})" for n in range(2, 10) if not known(f"{word}({n})"))
        add(variant, phones)


def jsgf(
    commands: Iterable[str], answers: Iterable[str], decoy_words: Iterable[str], fillers: Iterable[str] = FILLERS
) -> str:
    """The grammar: `coach <command>` | `coach` alone or with a filler (something unknown after it) | `<answer>` |
    `<decoy>`."""
    alternatives = " | ".join(_word(c) for c in commands)
    decoy = " | ".join(_word(d) for d in decoy_words)
    answer = " | ".join(_word(a) for a in answers)
    filler = " | ".join(_word(f) for f in fillers)
    return (
        "#JSGF V1.0;\ngrammar coach;\n"
        f"public <heard> = {WAKE} <command> | {WAKE} | {WAKE} <filler> | <answer> | <decoy>;\n"
        f"<command> = {alternatives};\n<answer> = {answer};\n<decoy> = {decoy};\n<filler> = {filler};\n"
    )


def _word(phrase: str) -> str:
    if not re.fullmatch(r"[a-z]+( [a-z]+)*", phrase):
        raise ValueError(f"not a phrase the grammar can hold: {phrase!r}")
    return phrase
