"""Coached in the patient's own language: Spanish, French and Chinese beside English.

A session says and shows its program's language (the phrases, the screen's labels, the keys' help), takes
answers and command words in it, and chooses the engine's voice for it; what is shown outside a session
follows the config file's `language`, else the locale.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coach.cli import main
from coach.i18n import cells, folded, interface_language, translation
from coach.program import Kind, Program
from coach.program import parse_program as parse_bytes
from coach.program.errors import ProgramError
from coach.session.clock import FakeClock
from coach.session.engine import Session
from coach.speech.engine import Voice, voice_for
from coach.speech.engines import SilentEngine
from coach.speech.speaker import Speaker
from coach.timeline import Phrases, Timeline, compile_program, estimate
from coach.timeline.phrases import ENGLISH, Plural
from coach.views.controls import KEYS, Controls, short_help
from coach.views.plain.wrapping import wrap_wide
from tests.helpers import SPANISH_CHECK_IN, bundled_programs, play

PROGRAMS = bundled_programs()


def parse_program(text: str) -> Program:
    return parse_bytes(text.encode())


TRANSLATED = {name: program for name, program in PROGRAMS.items() if program.language != "en"}


def english_patterns() -> list[re.Pattern[str]]:
    """Each English sentence of the phrase table as a pattern, its placeholders matching anything; those
    with no English word of their own ("{title}, {duration}.") are left out: they say only program text."""
    patterns = []
    for value in ENGLISH.values():
        for text in (value.one, value.many) if isinstance(value, Plural) else (value,):
            literal = re.sub(r"\{\w+\}", "", text)
            if re.search(r"[A-Za-z]{2}", literal):
                parts = re.split(r"\{\w+\}", text)
                patterns.append(re.compile(".*".join(re.escape(part) for part in parts)))
    return patterns


def test_each_language_has_its_demo_and_low_back_relief() -> None:
    assert {(program.language, name.rsplit("-", 1)[0]) for name, program in TRANSLATED.items()} >= {
        (language, base) for language in ("es", "fr", "zh") for base in ("demo", "low-back-relief")
    }
    for name, program in TRANSLATED.items():  # faithful to the same source: the same steps, the same numbers
        english = PROGRAMS[name.rsplit("-", 1)[0]]
        assert [(s.kind, s.hold, s.reps, s.duration, len(s.sides)) for s in program.steps] == [
            (s.kind, s.hold, s.reps, s.duration, len(s.sides)) for s in english.steps
        ]
        assert (program.source, program.pain_stop, len(program.safety)) == (
            english.source,
            english.pain_stop,
            len(english.safety),
        )


@pytest.mark.parametrize("name", sorted(TRANSLATED))
def test_preview_in_each_language_holds_no_english_sentence_of_the_coach(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["preview", name]) == 0
    said = [line.split("  ", 1)[1] for line in capsys.readouterr().out.splitlines() if "  " in line]
    assert len(said) > 20
    patterns = english_patterns()
    english = [text for text in said if any(pattern.fullmatch(text) for pattern in patterns)]
    assert english == []
    phrases = Phrases(PROGRAMS[name].language)
    assert (
        phrases("step", number=1, steps=len(PROGRAMS[name].exercises), title=PROGRAMS[name].steps[0].title)
        in {text for text in said}
        or PROGRAMS[name].steps[0].kind is Kind.REST
    )


@pytest.mark.parametrize("name", sorted(TRANSLATED))
def test_what_the_screen_shows_is_in_the_programs_language(name: str) -> None:
    """Every phase the player shows under the title ("Hold", "Rest", "Time left"), and the titles of the
    coach's own segments, in the program's language: none is an English label."""
    timeline = compile_program(PROGRAMS[name])
    english = {
        value for key, value in ENGLISH.items() if key.startswith(("phase_", "title_")) and isinstance(value, str)
    }
    labels = {phase.label for segment in timeline.segments for phase in segment.phases}
    titles = {segment.title for segment in timeline.segments}
    assert not (labels | titles) & english
    events, session = play(timeline)
    assert session.outcome == "completed" and events[-1].text == Phrases(PROGRAMS[name].language)("complete")


def checkin_at(timeline: Timeline) -> float:
    """A moment during the check-in that follows the welcome."""
    return timeline.segments[0].length + 1.0


@pytest.mark.parametrize("typed", ["siete", "Siete", "7"])
def test_siete_typed_at_the_check_in_of_a_spanish_program_stops_it_with_the_spanish_advice(typed: str) -> None:
    timeline = compile_program(parse_program(SPANISH_CHECK_IN))
    controls = Controls(Speaker(SilentEngine(), clock=FakeClock(0.0)), timeline.language)
    command = controls.word(typed + "\n")
    assert command is not None
    events, session = play(timeline, [(checkin_at(timeline), command)])
    assert session.outcome == "pain"
    stop = next(event for event in events if event.kind == "pain_stop")
    assert stop.text == (
        "Has dicho que tu dolor es 7 de 10. Para ahora y descansa. Si el dolor sigue o empeora, llama a tu médico."
        " Tu programa dice: Para si notas un dolor agudo."
    )


@pytest.mark.parametrize(
    ("language", "typed", "answer"),
    [
        ("es", "siete", 7),
        ("es", "diez", 10),
        ("es", "cero", 0),
        ("fr", "sept", 7),
        ("fr", "Zéro", 0),
        ("fr", "zero", 0),
        ("zh", "七", 7),
        ("zh", "qī", 7),
        ("zh", "qi", 7),
        ("zh", "两", 2),
        ("zh", "十", 10),
        ("es", "seven", 7),  # English always works too
    ],
)
def test_a_pain_answer_in_the_languages_words(language: str, typed: str, answer: int) -> None:
    timeline = compile_program(parse_program(SPANISH_CHECK_IN.replace('"es"', f'"{language}"')))
    controls = Controls(Speaker(SilentEngine(), clock=FakeClock(0.0)), language)
    command = controls.word(typed + "\n")
    assert command is not None, typed
    _, session = play(timeline, [(checkin_at(timeline), command)])
    if answer >= 6:
        assert session.outcome == "pain"
    else:
        assert session.outcome == "completed" and session.answers[0][1] == answer


@pytest.mark.parametrize(
    ("language", "typed", "did"),
    [
        ("es", "pausa", "paused"),
        ("fr", "pause", "paused"),
        ("zh", "暂停", "paused"),
        ("es", "dolor", "pain_stop"),
        ("fr", "douleur", "pain_stop"),
        ("zh", "疼", "pain_stop"),
        ("es", "parar", "stopped"),
        ("fr", "arrêter", "stopped"),
        ("zh", "停止", "stopped"),
    ],
)
def test_command_words_in_the_language(language: str, typed: str, did: str) -> None:
    program = parse_program(SPANISH_CHECK_IN.replace('"es"', f'"{language}"').replace("check_in = true", ""))
    timeline = compile_program(program)
    command = Controls(Speaker(SilentEngine(), clock=FakeClock(0.0)), language).word(typed + "\n")
    assert command is not None, typed
    events, _ = play(timeline, [(8.0, command)] + ([(9.0, Session.toggle_pause)] if did == "paused" else []))
    kinds = {event.kind for event in events}
    texts = {event.text for event in events}
    if did == "paused":
        assert Phrases(language)("paused") in texts
    elif did == "pain_stop":
        assert "pain_stop" in kinds
    else:
        assert Phrases(language)("stopped") in texts


def test_the_keys_line_and_the_stop_question_are_in_the_language() -> None:
    assert short_help(KEYS, "es") == (
        "Teclas: Espacio pausa, x dolor, q parar, ? ayuda, n siguiente, b atrás, r repetir, t estado.".replace(
            " ", "\u00a0"
        )
        .replace(",\u00a0", ", ")
        .replace(":\u00a0", ": ")
    )
    assert Controls(Speaker(SilentEngine(), clock=FakeClock(0.0)), "fr").stop_question.startswith(
        "Arrêter la séance\u00a0?"
    )
    assert "疼痛" in Controls(Speaker(SilentEngine(), clock=FakeClock(0.0)), "zh").help


@pytest.mark.parametrize(("language", "letter"), [("es", "la y griega"), ("fr", "y\u00a0(i\u00a0grec)")])
def test_the_stop_question_names_the_y_key_as_a_letter_where_y_alone_is_a_word(language: str, letter: str) -> None:
    """ "¿Detener la sesión? y (sí) / n (no)" is said by espeak-ng as "i (sí) barra ene (no)": "and (yes)". French
    "y" alone is a word too ("there"). Said, the key must be named as the letter it is."""
    asked = Controls(Speaker(SilentEngine(), clock=FakeClock(0.0)), language).stop_question
    assert letter in asked and " y / " not in asked


class Voiced(SilentEngine):
    """An engine with a list of voices, that says which it was asked for."""

    def __init__(self, voices: list[Voice]) -> None:
        self.listed = voices
        self.prepared: list[str | None] = []

    def prepare(self, voice: str | None) -> str | None:
        self.prepared.append(voice)
        return voice

    def voices(self) -> list[Voice]:
        return self.listed


ESPEAK = [Voice("en-us", "English", "en-us"), Voice("es", "Spanish", "es"), Voice("fr-fr", "French", "fr-fr")]
ESPEAK += [Voice("cmn-latn-pinyin", "Pinyin", "cmn-latn-pinyin"), Voice("cmn", "Chinese (Mandarin)", "cmn")]


@pytest.mark.parametrize(("language", "voice"), [("es", "es"), ("fr", "fr-fr"), ("zh", "cmn"), ("es-MX", "es")])
def test_the_engines_voice_for_the_language_is_chosen_by_itself(language: str, voice: str) -> None:
    assert voice_for(ESPEAK, language) == voice
    speaker = Speaker(Voiced(ESPEAK), clock=FakeClock(0.0))
    speaker.start()
    assert speaker.wait_ready(5)
    speaker.use_language(language)
    assert speaker.voice == voice and speaker.notices == []
    speaker.close()


def test_a_language_the_engine_cannot_speak_is_told_once_and_the_default_voice_reads_on() -> None:
    speaker = Speaker(Voiced(ESPEAK[:1]), clock=FakeClock(0.0))
    speaker.start()
    assert speaker.wait_ready(5)
    speaker.use_language("zh")
    speaker.use_language("zh")
    assert speaker.voice is None
    assert speaker.notices == ["这个语音引擎没有中文的声音，将用默认声音朗读。"]
    speaker.close()


def test_a_voice_the_person_chose_is_kept_whatever_the_language() -> None:
    speaker = Speaker(Voiced(ESPEAK), clock=FakeClock(0.0), voice="en-us")
    speaker.start()
    assert speaker.wait_ready(5)
    speaker.use_language("es")
    assert speaker.voice == "en-us"
    speaker.close()


def test_listening_says_in_the_sessions_language_that_it_understands_english_only() -> None:
    from coach.views.listening import Listening

    posted: list[object] = []
    speaker = Speaker(SilentEngine(), clock=FakeClock(0.0))
    listening = Listening(None, Controls(speaker, "fr"), speaker, posted.append, FakeClock(0.0))
    listening.listener.start = lambda: None  # type: ignore[method-assign]  # no recorder: the notice is the point
    listening.start()
    timeline = compile_program(parse_program(SPANISH_CHECK_IN.replace('"es"', '"fr"')))
    session = Session(timeline, FakeClock(0.0))
    session.start()
    [told] = posted
    assert [event.text for event in told(session)] == [  # type: ignore[operator]
        "L'écoute ne comprend que l'anglais\u00a0: dites coach pause, coach pain, ou un chiffre en anglais."
    ]


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "es_ES.UTF-8"}, "es"),
        ({"LC_ALL": "fr_CA.UTF-8", "LANG": "es_ES.UTF-8"}, "fr"),
        ({"LANGUAGE": "zh_CN:en", "LC_ALL": "fr_FR.UTF-8"}, "zh"),
        ({"LC_MESSAGES": "es_MX.UTF-8"}, "es"),
        ({"LC_ALL": "C", "LANG": "es_ES.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_interface_follows_the_locale(environ: dict[str, str], language: str) -> None:
    assert interface_language(None, environ) == language
    assert interface_language("fr", environ) == "fr"  # the config file's `language` first


def test_coach_history_and_list_speak_the_interfaces_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from coach.history.store import History

    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path))
    history = History()
    history.close()
    monkeypatch.setenv("LANGUAGE", "es")
    assert main(["list"]) == 0
    listed = capsys.readouterr().out
    assert re.search(r"^demo-zh\s+\d:\d\d\s+zh\s+示范$", listed, re.MULTILINE), listed
    config = tmp_path / "config.toml"
    config.write_text('language = "fr"\n')
    monkeypatch.setenv("COACH_CONFIG", str(config))
    assert main(["history"]) == 0
    capsys.readouterr()
    from coach.history import report
    from coach.history.store import SessionRecord

    record = SessionRecord(1, "demo", "Demo", "", 0.0, 60.0, "pain", 2, 8, 1, None, 0, 1, 30.0, steps=3)
    assert report.table([record]).splitlines()[0].split()[:3] == ["Quand", "Programme", "Fin"]


def test_a_chinese_sentence_is_estimated_by_its_characters() -> None:
    """espeak-ng's Mandarin takes about 0.4 s a character; the estimate is never shorter."""
    assert estimate("保持。") >= 1.14
    assert estimate("舒服地躺下，把热敷垫放在下背部。热敷能放松紧绷的肌肉，放松的肌肉更容易伸展。") >= 15.2
    assert estimate("第1步，共3步。抱膝至胸。") >= 4.46


def test_a_chinese_title_is_limited_in_characters_not_words() -> None:
    ok = SPANISH_CHECK_IN.replace('title = "Puente"\nlanguage', 'title = "' + "伸" * 120 + '"\nlanguage')
    assert parse_program(ok).title == "伸" * 120
    with pytest.raises(ProgramError, match="expected text of 1 to 120 characters"):
        parse_program(ok.replace("伸" * 120, "伸" * 121))


def test_right_to_left_text_is_kept_in_its_order_and_bidi_overrides_are_refused() -> None:
    hebrew, arabic = "מתיחת ברכיים", "تمدد الركبة"
    text = SPANISH_CHECK_IN.replace('title = "Puente"\nduration', f'title = "{hebrew}"\nsay = "{arabic}"\nduration')
    timeline = compile_program(parse_program(text))
    said = [cue.text for segment in timeline.segments for cue in segment.cues]
    assert arabic in said and any(hebrew in text for text in said)  # logical order, as written: never reordered
    with pytest.raises(ProgramError, match=r"\\u202e"):
        parse_program(text.replace(hebrew, "\u202e" + hebrew))


def test_chinese_lines_break_between_characters_never_before_a_closing_mark() -> None:
    text = "舒服地躺下，把热敷垫放在下背部。热敷能放松紧绷的肌肉，放松的肌肉更容易伸展。"
    lines = wrap_wide(text, 20)
    assert "".join(lines) == text and all(cells(line) <= 20 for line in lines)
    assert not any(line.startswith(("，", "。")) for line in lines)
    assert wrap_wide("Keys: Space 暂停, x 疼痛", 12) == ["Keys: Space", "暂停, x 疼痛"]


def test_the_sessions_words_come_from_its_catalog() -> None:
    assert translation("es-MX").pgettext("hold", "Hold.") == "Mantén."
    assert Phrases("zh").duration(90) == "1分钟30秒" and Phrases("fr").duration(3601) == "1 heure et 1 seconde"
    assert Phrases("es")("welcome", title="Demo", steps=1, minutes="1 minuto") == "Demo. 1 paso, cerca de 1 minuto."
    assert Phrases("pt")("hold") == "Hold."  # a language with no catalog is coached in English


# --- what a walk through the languages found ------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed"), [("fr", "j’ai mal"), ("fr", "J'ai mal"), ("zh", "好痛"), ("zh", "我疼"), ("zh", "七分")]
)
def test_pain_as_a_person_types_it_stops_the_session(language: str, typed: str) -> None:
    """A typographic apostrophe (autocorrect, macOS) is the apostrophe; "七分" (seven points) is seven."""
    timeline = compile_program(parse_program(SPANISH_CHECK_IN.replace('"es"', f'"{language}"')))
    command = Controls(Speaker(SilentEngine(), clock=FakeClock(0.0)), language).word(typed + "\n")
    assert command is not None, typed
    _, session = play(timeline, [(checkin_at(timeline), command)])
    assert session.outcome == "pain"


def chinese_check_in() -> Session:
    """A Chinese session at its pain check-in, the question said."""
    timeline = compile_program(parse_program(SPANISH_CHECK_IN.replace('"es"', '"zh"')))
    session = Session(timeline, FakeClock(0.0))
    session.start()
    assert isinstance(session.clock, FakeClock)
    session.clock.time = checkin_at(timeline)
    session.due()
    return session


def test_a_chinese_answer_on_screen_has_no_comma_after_its_full_stop() -> None:
    session = chinese_check_in()
    session.answer(0)
    assert session.view().doing == "疼痛0分，已记下。再按一个数字可以更正。"  # no space between Chinese sentences


def test_chinese_sentences_follow_one_another_with_no_space() -> None:
    """A walk found "…满分10分。 请立刻…": the pain stop, the status and the repeat joined Chinese with spaces."""
    session = chinese_check_in()
    [stop] = session.answer(9)[:1]
    texts = [stop.text]
    assert session.outcome == "pain"
    session = Session(session.timeline, FakeClock(0.0))
    session.start()
    texts += [event.text for event in session.status() + session.repeat()]
    for text in texts:
        assert "。 " not in text and "? " not in text, text
    assert "9" in stop.text and stop.kind == "pain_stop"


def test_coach_history_in_chinese_lines_its_columns_up_by_screen_width(monkeypatch: pytest.MonkeyPatch) -> None:
    from coach.history import report
    from coach.history.store import SessionRecord
    from coach.i18n import use_interface

    use_interface("zh")
    try:
        records = [
            SessionRecord(1, "demo-zh", "示范", "", 0.0, 60.0, "pain", 2, 8, 1, None, 0, 1, 30.0, steps=3),
            SessionRecord(2, "demo", "Demo", "", 0.0, 60.0, "completed", 2, 1, 1, None, 3, 3, 30.0, steps=3),
        ]
        lines = report.table(records).splitlines()
        # Each left-aligned column starts at the same screen column on every line (minutes align right).
        starts = [match.start() for match in re.finditer(r"(?<=  )\S", lines[0])]
        del starts[3]
        for line in lines[1:]:
            columns = [cells(line[:index]) for index in range(len(line) + 1)]
            found = {columns[match.start()] for match in re.finditer(r"(?<=  )\S", line)}
            assert {cells(lines[0][:start]) for start in starts} <= found, lines
        summary = report.summary(records, [], 100.0)
        assert "1次因疼痛停止" in summary and "1次完成" in summary
    finally:
        use_interface("en")


def test_the_summary_counts_agree_in_spanish() -> None:
    from coach.history import report
    from coach.history.store import SessionRecord
    from coach.i18n import use_interface

    use_interface("es")
    try:
        records = [
            SessionRecord(n, "demo", "Demo", "", 0.0, 60.0, "stopped", None, None, 1, None, 0, 1, 30.0, steps=3)
            for n in range(3)
        ]
        assert "(3 detenidas)" in report.summary(records, [], 100.0)
    finally:
        use_interface("en")


def test_the_sheet_and_the_pickers_preview_have_no_english_heading() -> None:
    from coach.i18n import use_interface
    from coach.program.catalog import bundled
    from coach.views.html.sheet import build
    from coach.views.plain.chooser import load_entries

    sheet = build(PROGRAMS["low-back-relief-es"])
    assert "Los pasos" in sheet and "Lo primero, la seguridad" in sheet and "The steps" not in sheet
    assert 'lang="es"' in sheet
    use_interface("fr")
    try:
        from coach.views.tui.picker import describe

        entry = next(entry for entry in load_entries(bundled(), 170) if entry.name == "demo")
        assert describe(entry).splitlines()[2:] == [
            "1. Knee to chest (maintien)",
            "2. Bridges (répétitions)",
            "3. Rest (minuté)",
        ]
    finally:
        use_interface("en")


@pytest.mark.parametrize(
    ("language", "shown"), [("en", "space"), ("es", "espacio"), ("fr", "espace"), ("zh", "空格键")]
)
def test_the_footer_names_the_space_bar_in_the_sessions_language(language: str, shown: str) -> None:
    """Textual's footer showed "space" under Spanish words; the keys shown as a word are the language's."""
    from textual.binding import Binding

    from coach.views.tui.player import player_bindings

    displays = {b.action: b.key_display for b in player_bindings(language) if isinstance(b, Binding)}
    assert displays["control(' ')"] == shown and displays["close"] == shown and displays["control('x')"] is None


def test_a_history_fault_in_a_spanish_session_is_told_in_spanish(tmp_path: Path) -> None:
    from coach.history.recorder import Recorder
    from coach.history.store import History

    broken = tmp_path / "history.sqlite3"
    broken.write_bytes(b"not a database at all" * 100)
    recorder = Recorder(History(broken), parse_program(SPANISH_CHECK_IN), "puente")
    told = recorder.started() or ""
    assert "not a database" in told  # the file's fault as SQLite gives it
    assert told.endswith("La sesión sigue; su registro se guarda y se escribirá cuando se pueda.")


@pytest.mark.parametrize(("language", "shown"), [("es", "en curso"), ("fr", "en cours"), ("zh", "进行中")])
def test_a_session_playing_now_is_said_so_in_the_interfaces_language(language: str, shown: str) -> None:
    """A walk found "playing now" in English in every language's `coach history`."""
    from coach.history import report
    from coach.history.store import SessionRecord
    from coach.i18n import use_interface

    use_interface(language)
    try:
        playing = SessionRecord(1, "demo", "Demo", "", 0.0, None, None, None, None, 1, None, 0, 0, 0.0, playing=True)
        assert shown in report.table([playing]).splitlines()[1]
    finally:
        use_interface("en")


def test_plain_lines_never_break_at_a_no_break_space_nor_inside_a_decomposed_word() -> None:
    """A walk found French's "séance ?" breakable where a line holds wide characters or accents written as
    e + U+0301 (these also broke "séance" into "sé" and "ance"), and a key apart from its word."""
    french = "Arrête\u0301 la se\u0301ance\u00a0? y (oui) / n (non) et encore\u00a0: ceci"
    for width in range(10, 40):
        lines = wrap_wide(french, width)
        assert not [line for line in lines if line[:1] in "?:\u00a0"], (width, lines)
        assert all(line.split()[0] not in {"ance", "ance\u00a0?"} for line in lines), (width, lines)
    assert any(line.startswith("的\u00a0:") for line in wrap_wide("语音。好的\u00a0: x", 4))
    keys = short_help(KEYS, "fr")
    assert "q\u00a0arrêter" in keys and "?\u00a0aide" in keys


def test_the_help_names_the_escape_key_as_the_language_does() -> None:
    """The French help named the keys "Espace" and "Entrée", and then "Esc": a French keyboard says "Échap"."""
    from coach.views.controls import KEYS, key_line

    catalog = translation("fr")
    stop = next(key for key in KEYS if key.control == "q")
    shown = key_line(catalog.gettext(stop.shown), stop, catalog)
    assert shown == "q Échap\u00a0: Arrêter la séance, après confirmation."


@pytest.mark.parametrize("language", ["en", "es", "fr", "zh"])
def test_the_typed_pause_line_names_the_word_that_goes_on_in_its_language(language: str) -> None:
    """A walk's Spanish pipe was told "Escribe resume para seguir.": the English word, in a Spanish sentence."""
    from coach.timeline import Phrases
    from coach.views.controls import typed_words

    word = translation(language).pgettext("command word", "resume").split(",")[0].strip()
    assert typed_words(language)[folded(word)] == "resume"
    for key in ("paused_typed", "still_paused_typed"):
        line = Phrases(language)(key)
        assert word in line and (language == "en" or "resume" not in line), (language, line)


@pytest.mark.parametrize(
    ("language", "asked", "no_such"),
    [
        ("fr", "Tapez un numéro ou un nom, puis Entrée.", "Il n'y a pas de programme 99."),
        ("zh", "输入编号或名称，然后按回车键。", "没有第99个练习计划。"),
    ],
)
def test_the_plain_chooser_asks_in_the_interface_s_language(language: str, asked: str, no_such: str) -> None:
    """A walk chose a program in plain mode with LANGUAGE=fr and read "Type a number or a name, then Enter." and
    "There is no program 99." in English; in Chinese the list read "1. 示范, 1分钟22秒. 不到…"."""
    import io

    from coach.i18n import use_interface
    from coach.program.catalog import bundled
    from coach.views.plain.chooser import choose, load_entries

    use_interface(language)
    try:
        entries = load_entries({name: path for name, path in bundled().items() if name.startswith("demo")}, 170)
        written: list[str] = []
        assert choose(entries, io.StringIO("99\n"), written.append) is None
        assert asked in written and written[-2].startswith(no_such) and written[-1] != "No program chosen."
        if language == "zh":
            line = next(line for line in written if "示范" in line)
            assert "，" in line and "。" in line and ", " not in line, line
    finally:
        use_interface("en")


def test_a_voice_slow_to_warm_up_still_gets_the_language_s_voice() -> None:
    """A screen-reader walk heard "no voice for French" in two runs of three: speech-dispatcher, slow to answer,
    was not ready when the session began, and the language's voice was not looked for at all (the French was
    read by the default voice, unsaid). It is chosen when the engine is ready."""
    import threading

    release = threading.Event()

    class Slow(Voiced):
        def prepare(self, voice: str | None) -> str | None:
            release.wait(10)
            return super().prepare(voice)

    speaker = Speaker(Slow(ESPEAK), clock=FakeClock(0.0))
    speaker.start()
    assert not speaker.wait_ready(0.05)
    speaker.use_language("fr")  # the session starts in text: the voice is not ready
    release.set()
    assert speaker.wait_ready(5)
    for _ in range(100):
        if speaker.voice == "fr-fr":
            break
        threading.Event().wait(0.02)
    assert speaker.voice == "fr-fr" and speaker.notices == []
    speaker.close()


@pytest.mark.parametrize(
    ("language", "empty", "unknown", "wrote"),
    [
        ("es", "Todavía no hay sesiones", "nosuch: no hay ningún programa con ese nombre (incluidos: ", "Escrito "),
        ("fr", "Pas encore de séance", "nosuch: aucun programme de ce nom (fournis\u00a0: ", "Écrit "),
        ("zh", "还没有练习记录", "nosuch: 没有这个名字的练习计划（自带：core-strength、demo、", "已写入 "),
    ],
)
def test_a_caregiver_s_commands_answer_in_the_interface_s_language(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    language: str,
    empty: str,
    unknown: str,
    wrote: str,
) -> None:
    """A caregiver's walk in Spanish: `coach history` with no sessions, `coach preview` of a name that is no
    program and the line after `coach sheet` were English, below Spanish pages."""
    config = tmp_path / "config.toml"
    config.write_text(f'language = "{language}"\n', encoding="utf-8")
    monkeypatch.setenv("COACH_CONFIG", str(config))
    assert main(["history"]) == 0
    assert capsys.readouterr().err.startswith(empty)
    assert main(["preview", "nosuch"]) == 2
    said = capsys.readouterr().err
    assert said.startswith(unknown) and said.count("\n") == 1, said
    assert main(["sheet", "demo", "--out", str(tmp_path / "sheet.html")]) == 0
    assert capsys.readouterr().err.startswith(wrote + str(tmp_path / "sheet.html"))
    assert main(["report"]) == 2  # another walk's: no sessions to report on
    said = capsys.readouterr().err
    assert said.startswith("coach report: ") and "each `coach run`" not in said and said.count("\n") == 1, said
    import shutil

    from coach.history.store import default_path

    shutil.copy(Path(__file__).parent / "data" / "history-v3.sqlite3", default_path())  # sessions of 2025
    assert main(["report", "--weeks", "2"]) == 2
    said = capsys.readouterr().err
    assert said.startswith("coach report: ") and "no sessions in the last" not in said and "2025" in said, said


def test_coach_say_speaks_in_the_voice_of_the_interfaces_language_or_the_one_asked_for(tmp_path: Path) -> None:
    """A Spanish caregiver's `coach say hola` was read by espeak-ng's English voice: a session in Spanish would
    have had its Spanish one. What `say` plays is what `--voice es` plays; in English, another clip."""
    from tests.conftest import run_coach, stand_in_audio

    def said(name: str, *args: str, lang: str = "es_ES.UTF-8") -> bytes:
        folder = tmp_path / name
        cache = str(tmp_path / f"{name}-cache")
        env = {**stand_in_audio(folder), "LANG": lang, "LANGUAGE": "", "LC_ALL": "", "COACH_CACHE_DIR": cache}
        result = run_coach("say", "--speech", "espeak", *args, "hola", env=env)
        assert result.returncode == 0, result.stderr
        [clip] = folder.glob("*[0-9].wav")
        return clip.read_bytes()

    spanish = said("locale")
    assert spanish == said("voice", "--voice", "es", lang="C.UTF-8")
    assert spanish == said("option", "--language", "es", lang="C.UTF-8")
    assert spanish != said("english", lang="C.UTF-8")
