"""The frame both printed pages share: the HTML around them, their style, and writing them whole or not at all.

One style for the report and the sheet: black on white, one plain large typeface, a column narrow enough
for A4 (the narrower of A4 and Letter), and print rules that keep a heading with what follows it and a
table row on one page. Everything from a program file or the history goes through `text` (HTML-escaped).
"""

from __future__ import annotations

import html
import os
import sys
import tempfile
from pathlib import Path

from coach.errors import UsageError

STYLE = """
:root { color: #000; background: #fff; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; font-size: 1.25rem; line-height: 1.5;
       max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem;
       overflow-wrap: break-word; }  /* a word longer than the line (an address) breaks rather than runs off paper */
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 .5rem; }
h2 { font-size: 1.6rem; line-height: 1.25; margin: 2rem 0 .5rem; border-bottom: 3px solid #000; }
h3 { font-size: 1.3rem; margin: 1.5rem 0 .25rem; }
h4 { font-size: 1.15rem; margin: 1rem 0 .25rem; }
p, li { max-width: 40em; }
/* The browser's own size: at the text's 1.25rem, Spanish's seven columns ran 774 px in a 736 px box (a walk). */
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: 1rem; }
caption { text-align: left; font-weight: bold; padding: .25rem 0; }
th, td { border: 1px solid #000; padding: .2rem .5rem; text-align: left; vertical-align: top; }
td.title.long, caption { overflow-wrap: anywhere; }  /* a 100-letter word broke nowhere: 1,498 px wide on A4 */
td.number, th.number { text-align: right; }
figure { margin: 1rem 0; }
div.scroll { overflow-x: auto; }
div.scroll:focus { outline: 3px solid #000; outline-offset: 2px; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 1.1rem; }
.note { border: 3px solid #000; padding: .5rem 1rem; margin: 1rem 0; }
.meta { font-size: 1.1rem; }
dl.values { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; }
dl.values dt { font-weight: bold; }
dl.values dd { margin: 0; }
@page { margin: 15mm; }
@media print {
  body { font-size: 13pt; max-width: none; margin: 0; padding: 0; }
  div.scroll { overflow: visible; }
  h1 { font-size: 22pt; } h2 { font-size: 17pt; } h3 { font-size: 14pt; }
  figcaption, .meta, table { font-size: 11pt; }
  h1, h2, h3, h4, caption { break-after: avoid; }
  tr, figure, .note, li, table.short { break-inside: avoid; }
  section.program + section.program { break-before: page; }
}
"""


def text(value: object) -> str:
    """Any text from a program file or the history, safe in HTML (quotes too, for attributes)."""
    return html.escape(str(value), quote=True)


def document(title: str, body: str, *, style: str = "", language: str = "en") -> str:
    """A whole page: language, title, the style inline; no script and nothing that loads from elsewhere."""
    return (
        f'<!DOCTYPE html>\n<html lang="{text(language)}">\n'
        '<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{text(title)}</title>\n<style>{STYLE}{style}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n"
        "</body>\n</html>\n"
    )


def write(page: str, out: str) -> Path | None:
    """Write `page` to `out` whole or not at all (a temporary file beside it, then a rename); `-` is standard
    output (None returned). UsageError (one line) when the place cannot take it."""
    if out == "-":
        sys.stdout.write(page)
        return None
    target = Path(out).expanduser()
    if target.is_dir():
        raise UsageError(f"--out {out}: is a folder; give a file name ending in .html")
    folder = target.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as error:
        raise UsageError(f"--out {out}: cannot write there: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(page)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise UsageError(f"--out {out}: cannot write there: {error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
