"""The bundled high-contrast theme: white on black, yellow for what matters now."""

from __future__ import annotations

from textual.theme import BUILTIN_THEMES, Theme

HIGH_CONTRAST = Theme(
    name="coach-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffff00",
    error="#ff6666",  # 7.3:1 on black, for the pain advice: #ff5555 was 6.7:1, under the 7:1 of the rest (a walk)
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#000000",
    dark=True,
    # Textual's text is white at 87 %, and its muted text at 60 %: a low-vision walk read the countdown, the time
    # left, the instruction and what comes next in grey. Here every line is white, or yellow.
    # And the highlighted row of a list (the picker's program, the palette's command) is black on yellow: it was
    # white on yellow, 1.1:1 (a walk's).
    variables={
        "text": "#ffffff",
        "text-muted": "#ffffff",
        "foreground-muted": "#ffffff",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
    },
)


def theme_problem(name: str) -> str | None:
    """What is wrong with a theme's name, or None. Here beside Textual, so that the settings import no view."""
    names = [HIGH_CONTRAST.name, *BUILTIN_THEMES]
    return None if name in names else f"expected one of {', '.join(names)}, got {name!r}"
