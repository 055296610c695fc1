"""WCAG contrast between two colours, as the accessibility checks of the player and of NO_COLOR measure it."""

from __future__ import annotations

from rich.style import Style

RGB = tuple[int, int, int]


def luminance(colour: RGB) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """From 1 (the same) to 21 (black and white); text needs 4.5, and the high-contrast theme promises 7."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def style_contrast(style: Style) -> float:
    """The contrast of a Rich style's colour on its background, as a component of a widget is drawn."""
    assert style.color is not None and style.bgcolor is not None, style
    foreground, background = style.color.get_truecolor(), style.bgcolor.get_truecolor()
    return contrast(
        (foreground.red, foreground.green, foreground.blue), (background.red, background.green, background.blue)
    )
