"""The bundled high-contrast theme: white on black, yellow for what matters now."""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="coach-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffff00",
    error="#ff5555",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#000000",
    dark=True,
)
