"""The report's charts: pygal draws them as SVG, which goes into the page as it is, as a picture with words.

pygal is imported here only, and this module only by `coach report`, so no other command pays for it. Each
chart is black and greys on white, told apart by line style as well as shade (a dashed line, a lighter
bar), so it survives a black-and-white printer; its lettering is large; and it is one image to a screen
reader (`role="img"` with a sentence that says what it shows), since the same figures are in a table
beside it. pygal writes a small script into every chart for its tooltips: it is taken out, and with it
anything that could fetch from elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pygal
from pygal.style import Style

from coach.i18n import interface
from coach.views.html.page import text

BLACK, GREY = "#000000", "#595959"  # grey: 7:1 on white, and 3:1 beside black
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_DESC = re.compile(r"<desc\b[^>]*>.*?</desc>", re.S)  # tooltips' text: no tooltips without the script
_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground=BLACK,
    foreground_strong=BLACK,
    foreground_subtle=GREY,
    colors=(BLACK, GREY, BLACK, GREY),
    font_family="DejaVu Sans, Verdana, Arial, sans-serif",
    label_font_size=20,
    major_label_font_size=20,
    legend_font_size=20,
    title_font_size=20,
    value_font_size=18,
    tooltip_font_size=18,
    stroke_width="3",
    stroke_width_hover="3",
    opacity="1",
    opacity_hover="1",
    transition="none",
)
LABEL_CHARACTER = 12  # px: the average width of a label's character at 20 px (DejaVu Sans)
MOST_DOTS = 60  # points: past this, a dot on each is a smudge, and slow to draw
DASHED: dict[str, object] = {"width": 3, "dasharray": "10, 6"}
SOLID: dict[str, object] = {"width": 3}


def _config(dates: Sequence[str], *, height: int = 380, most: int = 6) -> pygal.Config:
    """The shared look, and x labels for `dates` with no more than `most` shown, so that none overlap."""
    config = pygal.Config()
    config.style = _STYLE
    config.js = []
    config.disable_xml_declaration = True
    config.width, config.height = 800, height
    config.legend_at_bottom = True
    config.legend_box_size = 20
    config.show_x_guides = False
    config.truncate_label = -1
    config.truncate_legend = -1
    config.margin = 10
    # The last label is centred on the right edge: half of it needs room there, or "5 Dec 22:04" is cut to
    # "5 Dec 22" (a walk's chart). Longer labels ("5 Dec 21:57", sessions of one day) are spaced more widely.
    widest = max((len(date) for date in dates), default=0) * LABEL_CHARACTER
    config.margin_right = max(10, widest // 2)
    most = max(2, min(most, config.width * 4 // 5 // (widest + LABEL_CHARACTER * 2)))
    config.x_labels = list(dates)
    config.x_labels_major_every = max(1, -(-len(dates) // most))
    config.show_minor_x_labels = False
    # A session with no answer breaks its line: joined across it, 2, then 8 two sessions on, read as a trend.
    config.allow_interruptions = True
    return config


def _dots(series: Sequence[float | None]) -> bool:
    """A dot on each point where there are few, or where one stands alone between gaps: a line broken at every
    session with no answer draws nothing of a lone answer but its dot."""
    return len(series) <= MOST_DOTS or alone(series)


def alone(series: Sequence[float | None]) -> bool:
    """Whether a value stands alone between gaps (or an end), drawn as a dot and no line."""
    padded = [None, *series, None]
    return any(
        padded[at] is not None and padded[at - 1] is None and padded[at + 1] is None for at in range(1, len(padded) - 1)
    )


def _finish(svg: str, label: str) -> str:
    svg = _SCRIPT.sub("", svg)
    svg = _COMMENT.sub("", svg)
    svg = _DESC.sub("", svg)
    svg = svg.replace("<title>Pygal</title>", f"<title>{text(label)}</title>", 1)  # a browser shows it on hover
    return svg.replace("<svg ", f'<svg role="img" aria-label="{text(label)}" focusable="false" ', 1)


def adherence(weeks: Sequence[str], done: Sequence[int], prescribed: Sequence[int | None], label: str) -> str:
    """Sessions done each week (black bars) beside those prescribed (grey bars)."""
    config = _config(weeks)
    top = max([*done, *(value or 0 for value in prescribed), 1])
    words = interface()
    config.y_title, config.include_x_axis = words.gettext("sessions"), True
    config.y_labels = list(range(0, top + 1, max(1, -(-top // 6))))  # whole sessions, six lines at most
    chart = pygal.Bar(config)
    chart.add(words.gettext("Done"), list(done))
    if any(value is not None for value in prescribed):
        chart.add(words.gettext("Prescribed"), list(prescribed))
    return _finish(chart.render(is_unicode=True), label)


def pain(dates: Sequence[str], before: Sequence[float | None], after: Sequence[float | None], label: str) -> str:
    """Pain before (solid) and after (dashed) each session, 0 to 10."""
    config = _config(dates)
    words = interface()
    config.range, config.y_labels, config.y_title = (0, 10), [0, 2, 4, 6, 8, 10], words.gettext("pain")
    chart = pygal.Line(config)
    chart.add(words.gettext("Before"), list(before), stroke_style=SOLID, dots_size=4, show_dots=_dots(before))
    chart.add(words.gettext("After"), list(after), stroke_style=DASHED, dots_size=4, show_dots=_dots(after))
    return _finish(chart.render(is_unicode=True), label)


def values(dates: Sequence[str], holds: Sequence[int | None], reps: Sequence[int | None], label: str) -> str:
    """One exercise's hold (seconds, solid) and repetitions (dashed) session by session."""
    config = _config(dates, height=300)
    config.include_x_axis = True
    top = max([value for value in [*holds, *reps] if value is not None] + [1])
    config.y_labels = list(range(0, top + 1, max(1, -(-top // 6))))  # six lines at most, whole numbers
    chart = pygal.Line(config)
    words = interface()
    if any(value is not None for value in holds):
        chart.add(words.gettext("Hold, seconds"), list(holds), stroke_style=SOLID, dots_size=4, show_dots=_dots(holds))
    if any(value is not None for value in reps):
        chart.add(words.gettext("Repetitions"), list(reps), stroke_style=DASHED, dots_size=4, show_dots=_dots(reps))
    return _finish(chart.render(is_unicode=True), label)
