"""A sentence in wide characters, or with no-break spaces, broken where a reader expects: never a closing mark at
a line's start.

Textual wraps text at spaces, and folds a run with none at its last cell. Chinese
has no spaces, so a sentence was cut wherever the width fell, and a walk read the
pain advice at 40 columns with a line that began "，或背痛越来越重". Text with a
wide character is broken here as plain mode breaks it (`wrap_wide`: between any
two characters, never before a closing mark), for the width it is drawn at;
every other text is left to Textual.
"""

from __future__ import annotations

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from coach.i18n import cells
from coach.views.plain.wrapping import lines_at


class Sentence(Visual):
    """`text` drawn in lines broken by `wrap_wide` at the width it is given; `then`, paragraphs after it, each
    with its own style (the picker's bold title, then the summary)."""

    def __init__(self, text: str, style: str = "", *, then: tuple[tuple[str, str], ...] = ()) -> None:
        self.paragraphs = ((text, style), *then)
        self.text = "\n".join(paragraph for paragraph, _ in self.paragraphs)
        self._lines: dict[int, Content] = {}  # by width: a repaint at the same width breaks nothing again

    def __str__(self) -> str:
        return self.text  # as Content gives its text

    def _content(self, width: int) -> Content:
        content = self._lines.get(width)
        if content is None:
            content = self._lines[width] = self._broken(width) if width > 1 else Content(self.text)
        return content

    def _broken(self, width: int) -> Content:
        lines = [(line, style) for text, style in self.paragraphs for line in lines_at(text, width)]
        return Content("\n").join(Content.styled(line, style) for line, style in lines)

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        pad = options.rules.get("line_pad", 0) * 2
        return self._content(width - pad).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return Content(self.text).get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return 2 + rules.get("line_pad", 0) * 2  # one wide character

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._content(width - rules.get("line_pad", 0) * 2).get_height(rules, width)


NO_BREAK = ("\u00a0", "\u202f")  # French puts one before ":" and "?"; Textual breaks there as at a space


def shown(text: str) -> Sentence | str:
    """`text` as a `Sentence` where it holds a wide character or a no-break space (a French walk read a line that
    began ": environ 24 minutes."); as it is, for Textual to wrap, elsewhere."""
    return Sentence(text) if cells(text) > len(text) or any(space in text for space in NO_BREAK) else text
