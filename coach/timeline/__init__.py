"""Compile a program into timed cues: what is said, when, and what is shown meanwhile."""

from coach.timeline.compile import compile_program, offer_resume
from coach.timeline.estimate import DEFAULT_RATE, estimate
from coach.timeline.events import DROPPABLE, Cue, Phase, Priority, Segment, Timeline
from coach.timeline.phrases import Phrases

__all__ = [
    "DEFAULT_RATE",
    "DROPPABLE",
    "Cue",
    "Phase",
    "Phrases",
    "Priority",
    "Segment",
    "Timeline",
    "compile_program",
    "estimate",
    "offer_resume",
]
