"""Textual's stylesheets, parsed once per test worker rather than once per app a test starts.

Every app parses the same CSS: the coach's own, each widget's defaults and each screen's, on every start and
again at every theme change. Textual caches a parse within one app only. Profiled, that parse was a sixth of
the CPU a player test's app took to start, and the fast subset starts some 300 of them. The key is Textual's
own (the text, where it was read, its rank and scope) with the theme's variables, which a parse substitutes:
a rule parsed under one theme is never handed to another. Tests only; the player parses as Textual does.
"""

from __future__ import annotations

from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from textual.css.types import CSSLocation

_parse = Stylesheet._parse_rules
_parsed: dict[tuple[object, ...], list[RuleSet]] = {}


def _parse_rules(
    self: Stylesheet,
    css: str,
    read_from: CSSLocation,
    is_default_rules: bool = False,
    tie_breaker: int = 0,
    scope: str = "",
) -> list[RuleSet]:
    key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(sorted(self._variables.items())))
    if key not in _parsed:
        _parsed[key] = _parse(self, css, read_from, is_default_rules, tie_breaker, scope)
    return _parsed[key]


def install() -> None:
    Stylesheet._parse_rules = _parse_rules  # type: ignore[method-assign]
