"""The report and the sheet in a real browser: Debian's chromium, driven through chromium-driver.

Each page is opened from its file as a person opens it, a screenshot is taken, it is printed to PDF on
A4 and on Letter (the page counts are checked), no request may leave the page, and axe-core (the copy
axe-playwright-python ships, 4.12, which knows WCAG 2.2) must find no violation of WCAG 2.0, 2.1 and 2.2
A and AA. The screenshots and PDFs are kept in the test's folder for a person to look at.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import subprocess
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from coach.history.store import History
from coach.program.catalog import bundled
from coach.program.shelf import shelf_dir
from tests.caregiving import fill, shelve
from tests.conftest import require_tool, run_coach

# One worker runs the module, so Chromium starts once (its fixture), not once on each of six workers.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("printed")]

A4 = (8.27, 11.69)  # inches
LETTER = (8.5, 11.0)
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_tool("chromium")
    driver_path = require_tool("chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = require_tool("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1000,1400"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def look(browser: Any, page: Path, keep: Path) -> dict[str, int]:
    """Open `page`, keep a screenshot and a PDF on A4 and on Letter, check its requests and run axe-core;
    the page count on each paper."""
    browser.get_log("performance")  # forget what came before
    browser.get(page.as_uri())
    browser.save_screenshot(str(keep.with_suffix(".png")))
    counted = {}
    for paper, (width, height) in (("a4", A4), ("letter", LETTER)):
        printed = browser.execute_cdp_cmd(
            "Page.printToPDF", {"paperWidth": width, "paperHeight": height, "printBackground": False}
        )
        pdf = base64.b64decode(printed["data"])
        keep.with_name(f"{keep.stem}-{paper}.pdf").write_bytes(pdf)
        counted[paper] = pages(pdf)
    asked = [
        json.loads(entry["message"])["message"]["params"].get("request", {}).get("url", "")
        for entry in browser.get_log("performance")
        if json.loads(entry["message"])["message"]["method"] == "Network.requestWillBeSent"
    ]
    assert asked and all(url.startswith("file://") for url in asked), asked  # the page itself, and nothing else
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert axe_violations(browser) == []
    return counted


def axe_violations(browser: Any) -> list[str]:
    """axe-core's WCAG 2.0-2.2 A and AA violations on the page open in `browser`."""
    axe = (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
    browser.execute_script(axe)
    assert browser.execute_script("return axe.version").startswith("4.")
    violations: list[str] = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' ' + v.nodes.map(n => n.target).join(' '))))"
        ".catch(e => done(['axe failed: ' + e]));",
        WCAG,
    )
    return violations


def test_axe_finds_what_it_should_on_a_page_made_to_fail(browser: Any, tmp_path: Path) -> None:
    """The check can fail: faint grey text, and a target too small for WCAG 2.2's 2.5.8."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>Bad</title></head><body><main>'
        '<p style="color:#ccc">faint</p><a href="#a" style="display:inline-block;width:8px;height:8px"></a>'
        '<a id="a" href="#" style="display:inline-block;width:8px;height:8px;margin-left:2px">b</a>'
        "</main></body></html>",
        encoding="utf-8",
    )
    browser.get(page.as_uri())
    found = {violation.split(":")[0] for violation in axe_violations(browser)}
    assert {"color-contrast", "link-name"} <= found


def test_the_report_renders_prints_on_a4_and_letter_loads_nothing_and_passes_axe(browser: Any, tmp_path: Path) -> None:
    path = shelve(shelf_dir())
    today = dt.date.today()
    history = History()
    try:
        fill(history, today - dt.timedelta(days=today.weekday()), path=str(path))  # up to this week's Monday
    finally:
        history.close()
    out = tmp_path / "report.html"
    made = run_coach("report", "--out", str(out), env={"COACH_CONFIG": str(tmp_path / "none.toml")})
    assert made.returncode == 0, made.stderr
    # Page 1: the program and its adherence chart; 2: the weeks' table and the pain chart; 3-4: the pain
    # table; 4-5: the two exercises; 5-6: the sessions not completed and the values now. The tables' smaller type
    # (11 pt) fits all of it in five A4 pages.
    assert look(browser, out, tmp_path / "report") == {"a4": 5, "letter": 6}


def page_texts(pdf: Path) -> list[str]:
    """The text of each page of `pdf`, as poppler's pdftotext reads it."""
    pdftotext = require_tool("pdftotext")
    read = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return read.stdout.split("\f")[:-1]  # each page ends with a form feed


def test_the_sheet_of_every_bundled_program_keeps_each_step_on_one_page_and_passes_axe(
    browser: Any, tmp_path: Path
) -> None:
    """A caregiver's walk printed a five-step sheet whose last step's counts ("Hold 20 seconds, 2 times.") began
    page 2, away from its name and instruction; every bundled program's sheet of two pages did the same."""
    shelve(shelf_dir())
    counted = {}
    for name in ["neck", *bundled()]:
        out = tmp_path / f"{name}.html"
        made = run_coach("sheet", name, "--out", str(out), env={"COACH_CONFIG": str(tmp_path / "none.toml")})
        assert made.returncode == 0, made.stderr
        counted[name] = look(browser, out, tmp_path / name)
        for paper in ("a4", "letter"):
            later = page_texts(tmp_path / f"{name}-{paper}.pdf")[1:]
            begins = [page.strip().splitlines()[0] for page in later]
            assert all(re.match(r"\d+\.", line) for line in begins), (name, paper, begins)  # a step's number
    assert counted["neck"] == {"a4": 1, "letter": 1}
    # Whole steps take a page more where one does not fit: the seven long steps of core-strength take three.
    assert all(paper <= 3 for papers in counted.values() for paper in papers.values()), counted


def test_a_step_longer_than_a_page_goes_on_over_the_page_whole(browser: Any, tmp_path: Path) -> None:
    """Kept on one page where it fits, a step longer than a page is still printed whole, over two."""
    words = " ".join(f"Sentence {n} of the instruction, said slowly." for n in range(1, 43))  # 2,000 at most
    cues = ", ".join(f'"Cue {n}: keep breathing, slowly and evenly, and let your shoulders go down."' for n in range(9))
    program = tmp_path / "long.toml"
    program.write_text(
        f'format = 1\n[program]\ntitle = "Long"\n[[steps]]\ntitle = "Long step"\nkind = "hold"\nsay = "{words}"\n'
        f'cues = [{cues}]\nhold = "50s"\nreps = 2\n',
        encoding="utf-8",
    )
    out = tmp_path / "long.html"
    assert run_coach("sheet", str(program), "--out", str(out)).returncode == 0
    counted = look(browser, out, tmp_path / "long")
    assert counted["a4"] >= 2
    printed = " ".join(" ".join(page_texts(tmp_path / "long-a4.pdf")).split())
    assert "Sentence 42 of the instruction" in printed and "Cue 8:" in printed
    assert "Hold 50 seconds, 2 times." in printed


def test_a_word_longer_than_the_page_is_broken_not_run_off_the_sheet(browser: Any, tmp_path: Path) -> None:
    """A walk put a 130-letter word in a summary and a long address in `source`: they ran past the right edge,
    and a printer would have cut them."""
    word = "Supercalifragilistic" * 7
    program = tmp_path / "long.toml"
    program.write_text(
        f'format = 1\n[program]\ntitle = "Long"\nsummary = "{word}"\n'
        f'source = "https://example.org/{word}/exercises"\n'
        '[[steps]]\nkind = "timed"\ntitle = "Warm"\nduration = "1m"\n'
    )
    out = tmp_path / "long.html"
    made = run_coach("sheet", str(program), "--out", str(out), env={"COACH_CONFIG": str(tmp_path / "none.toml")})
    assert made.returncode == 0, made.stderr
    browser.get(out.as_uri())
    for media in ("screen", "print"):
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (media, overflow)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_a_long_word_in_a_step_title_breaks_in_the_report_and_a_program_speaks_its_language(
    browser: Any, tmp_path: Path
) -> None:
    """A walk: a 100-letter title made "What the next session plays" 1,498 px wide on A4, its last columns cut on
    paper; and a Chinese program's titles were marked English, for a screen reader to read with an English voice."""
    word = "Supercalifragilistic" * 5
    program = tmp_path / "long.toml"
    program.write_text(
        f'format = 1\n[program]\ntitle = "Long"\ncheck_in = false\n'
        f'[[steps]]\nkind = "hold"\ntitle = "{word}"\nhold = "1s"\nreps = 1\n'
    )
    chinese = tmp_path / "zh.toml"
    chinese.write_text(
        'format = 1\n[program]\ntitle = "示范"\nlanguage = "zh"\ncheck_in = false\n'
        '[[steps]]\nkind = "hold"\ntitle = "抱膝"\nhold = "1s"\nreps = 1\n',
        encoding="utf-8",
    )
    env = {"COACH_CONFIG": str(tmp_path / "none.toml")}
    for played in (program, chinese):
        done = run_coach("run", str(played), "--plain", "--speech", "none", "--rate", "450", env=env)
        assert done.returncode == 0, done.stderr
    out = tmp_path / "report.html"
    assert run_coach("report", "--out", str(out), env=env).returncode == 0
    page = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in page and re.search(r'<h2 id="[^"]+" lang="zh">示范</h2>', page)
    assert 'class="title" lang="zh"' in page and f'<td class="title long">{word}</td>' in page
    browser.get(out.as_uri())
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    browser.set_window_size(794, 1123)  # A4 at 96 dpi
    widest = browser.execute_script(
        "return Math.max(...[...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().right))"
    )
    assert widest <= browser.execute_script("return document.documentElement.clientWidth"), widest
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    browser.set_window_size(1000, 1400)


# The words of each step title that a line break cut in two, and the tables wider than the box they sit in.
BROKEN_WORDS = """return [...document.querySelectorAll('td.title')].flatMap(cell => {
  const node = cell.firstChild, broken = [];
  let at = 0;
  for (const word of node.textContent.split(' ')) {
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    if (new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size > 1) broken.push(word);
    at += word.length + 1;
  }
  return broken;
})"""
WIDER_THAN_BOX = """return [...document.querySelectorAll('table')]
  .filter(table => table.getBoundingClientRect().width > table.parentElement.getBoundingClientRect().width + 0.5)
  .map(table => table.caption.textContent)"""


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_the_report_s_tables_fit_and_keep_each_title_s_words_whole_on_screen_and_on_a4(
    browser: Any, tmp_path: Path, language: str
) -> None:
    """A walk of the Spanish report at 1000 px: the table of what the next session plays, in seven columns, was
    774 px in a 736 px box, and its step titles broke inside words: "Almohadil" over "la térmica"."""
    history = History()
    try:
        for name in (f"low-back-relief-{language}" if language != "en" else "low-back-relief", "core-strength"):
            path = bundled()[name]
            session = history.begin(name, name, str(path), "0" * 64, dt.datetime.now().timestamp() - 3600)
            history.end(session, "completed", dt.datetime.now().timestamp() - 2000)
    finally:
        history.close()
    config = tmp_path / "config.toml"
    config.write_text(f'language = "{language}"\n')
    out = tmp_path / "report.html"
    assert run_coach("report", "--out", str(out), env={"COACH_CONFIG": str(config)}).returncode == 0
    browser.get(out.as_uri())
    try:
        for media, size in (("", (1000, 1400)), ("print", (794, 1123))):  # a laptop's window; A4 at 96 dpi
            browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})
            browser.set_window_size(*size)
            assert browser.execute_script(WIDER_THAN_BOX) == [], (media, size)
            assert browser.execute_script(BROKEN_WORDS) == [], (media, size)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        browser.set_window_size(1000, 1400)
