"""Listening end to end: a real coach, real pocketsphinx, espeak-ng's voice through the stand-in recorder.

The coach runs in plain mode with its output on a pipe, each line timed as
it arrives; the stand-in recorder logs when the words of each WAV ended, so
the time from the end of "coach pause" to "Paused." is measured, not guessed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path

import pytest

from tests.audio import played
from tests.conftest import BIN, PROGRAMS, ROOT, require_tool, stand_in_audio
from tests.processes import command_line, descendants, signal_another_thread, wait_until
from tests.spoken import AUDIO, recorder, spoken


class Lines:
    """A plain-mode coach's lines as they arrive, each with the moment it arrived."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.lines: list[tuple[float, str]] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coach", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def wait(self, timeout: float) -> int:
        status = self.process.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return status

    def ends_well(self, timeout: float) -> None:
        """Wait for the coach to exit 0; if it does not, say what it wrote, on both streams."""
        status = self.wait(timeout)
        assert self.process.stderr is not None
        assert status == 0, f"exit status {status}; lines: {self.texts}; standard error: {self.process.stderr.read()}"

    def at(self, text: str) -> float:
        return next(moment for moment, line in self.lines if line.startswith(text))

    def shown(self, text: str, limit: float = 30) -> None:
        """Wait until a line that starts with `text` has come."""
        wait_until(
            lambda: any(line.startswith(text) for _, line in self.lines),
            limit,
            lambda: f"{text!r} never came: {self.texts}",
        )

    @property
    def texts(self) -> list[str]:
        return [line for _, line in self.lines]


def _words_ended(log: Path) -> dict[str, float]:
    ended: dict[str, float] = {}
    for line in log.read_text().splitlines():
        moment, path = line.split(" ", 1)
        ended[Path(path).stem.split("-", 3)[3]] = float(moment)
    return ended


def _history(data: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "coach", "history", "--csv"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COACH_DATA_DIR": str(data)},
        check=True,
    )
    return done.stdout


def test_spoken_pause_go_on_and_a_pain_answer_over_pain_stop(tmp_path: Path) -> None:
    """ "coach pause" pauses soon after the words end, "coach go on" resumes, and "seven" at a check-in is
    recorded as 7 and, with pain_stop = 6, stops the session with the safety advice."""
    say = {text: spoken(AUDIO, text) for text in ("coach pause", "coach go on", "seven")}
    log = tmp_path / "recorder.log"
    script = recorder("quiet:8", say["coach pause"], "quiet:2", say["coach go on"], "quiet:1.5", say["seven"])
    coach = Lines(
        "run", str(PROGRAMS / "good" / "pain-six.toml"), "--plain", "--no-speech", "--listen", "--listen-command",
        script, env={"RECORDER_LOG": str(log)},
    )  # fmt: skip
    coach.ends_well(60)
    texts = coach.texts[1:]
    assert coach.texts[0].startswith("Say coach, then: pause, go on"), coach.texts  # what may be said, first
    assert "Say or press a number" in texts[1]
    assert texts[2:8] == [
        "Heard: pause.",
        "Paused. Say coach go on, or press Space.",
        "Heard: go on.",
        "Going on.",
        "Heard: seven.",
        texts[7],
    ], texts
    assert texts[7].startswith("You said your pain is 7 out of 10. Stop now and rest.")
    ended = _words_ended(log)
    lateness = coach.at("Paused.") - ended["coach-pause"]
    # Soon after the words, not at some time-out. How soon (300 ms at p95) is bench/run's goal to judge: a fresh
    # clone's CI, under load, measured 550 ms there once.
    assert 0 < lateness <= 1.5, f"paused {lateness:.3f} s after the words ended"
    history = _history(Path(os.environ["COACH_DATA_DIR"]))
    assert ",stopped for pain,7," in history, history


def test_coach_stop_then_yes_ends_it_recorded_as_stopped(tmp_path: Path) -> None:
    say = {text: spoken(AUDIO, text) for text in ("coach stop", "yes")}
    asked = tmp_path / "asked"  # the "yes" answers the question, once it is asked (not at a fixed time after
    # "coach stop": under load the question can come later than a person's quick "yes", which it then ignores)
    coach = Lines(
        "run", str(PROGRAMS / "good" / "short.toml"), "--plain", "--no-speech", "--listen", "--listen-command",
        recorder("quiet:3", say["coach stop"], f"wait:{asked}", "quiet:1", say["yes"]),
    )  # fmt: skip
    coach.shown("Stop the session? Say yes or no.")
    asked.touch()
    coach.ends_well(60)
    texts = coach.texts
    at = texts.index("Heard: stop.")
    assert texts[at + 1 : at + 4] == ["Stop the session? Say yes or no.", "Heard: yes.", "Session stopped."], texts
    assert ",stopped," in _history(Path(os.environ["COACH_DATA_DIR"]))


def _recorders_left(marker: str) -> list[int]:
    """The stand-in recorders given `marker` still running (not the coach, whose own command line names it)."""
    left = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                line = (entry / "cmdline").read_bytes().decode(errors="replace")
                if marker in line and "--listen-command" not in line:
                    left.append(int(entry.name))
            except OSError:
                continue
    return left


@pytest.mark.parametrize(
    ("script", "told"),
    [
        (
            "no-such-recorder-program",
            "Listening is off: the recorder no-such-recorder-program could not start (No such file or directory). "
            "Check the recorder program given with --listen-command.",  # not: install arecord
        ),
        (f"{recorder('--fail')}", "Listening is off: the recorder ("),
        (f"{recorder('--mute')}", "Listening is off: no sound came from the recorder"),
    ],
    ids=["missing", "no-microphone", "hung"],
)
def test_a_listening_fault_is_told_once_and_the_session_goes_on(script: str, told: str, tmp_path: Path) -> None:
    marker = str(tmp_path)
    coach = Lines(
        "run", str(PROGRAMS / "good" / "short.toml"), "--plain", "--no-speech", "--listen", "--listen-command",
        f"{script} tag:{marker}",
    )  # fmt: skip
    coach.ends_well(90)
    faults = [line for line in coach.texts if line.startswith("Listening is off")]
    assert len(faults) == 1 and faults[0].startswith(told), coach.texts
    # that the keys still work is one line, the one said: in the cause too, a screen reader read it twice (a walk)
    assert [line for line in coach.texts if "still work" in line] == [
        "Listening has stopped. The keys still work; listening is tried again at the next step."
    ]
    assert coach.texts[-1] == "Session complete. Well done."
    assert coach.process.stderr is not None and coach.process.stderr.read() == ""  # nothing of the recorder's
    time.sleep(0.5)
    assert _recorders_left(marker) == []


@pytest.mark.parametrize(
    ("language", "told", "hold_words"),
    [("en", "Listening has stopped", ("Hold.", "Release.")), ("fr", "L'écoute ne comprend", ("Tenez.", "Relâchez."))],
    ids=["fault", "english-only"],
)
def test_what_is_told_at_the_start_delays_the_program_and_costs_it_nothing(
    language: str, told: str, hold_words: tuple[str, str], tmp_path: Path
) -> None:
    """A walk's "Listening is off" at the start took 11 s of speech, and every sentence after it came late: the
    counts dropped, "Hold." and "Release." one second apart. As for a French session's note that listening
    understands English only. Now each sentence is said when it is shown, none is dropped, and a hold is
    held: the stand-in aplay logs when each WAV began."""
    audio, program = tmp_path / "audio", tmp_path / "tiny.toml"
    program.write_text(
        (PROGRAMS / "good" / "tiny.toml").read_text().replace("[program]", f'[program]\nlanguage = "{language}"')
    )
    script = "/bin/false" if language == "en" else recorder("quiet:60")
    started = time.time() - time.monotonic()  # the lines' clock to the wall clock that the stand-in logs
    coach = Lines(
        "run", str(program), "--plain", "--speech", "espeak", "--listen", "--listen-command",
        script, env=stand_in_audio(audio),
    )  # fmt: skip
    coach.ends_well(120)
    lines = [(started + moment, line) for moment, line in coach.lines if line]
    told_at = next(index for index, (_, line) in enumerate(lines) if line.startswith(told))
    said = lines[told_at + 1 :]  # the program's own lines after it: each has its WAV, the last ones played
    wavs = [(float(start), float(end)) for start, end in zip(_times(audio / "starts.log"), _times(audio / "ends.log"))]
    # When each sentence's WAV began: the tones left out by their sound, not by how long the stand-in took to play
    # them (a loaded CI run's 0.25 s tone took 0.57 s, and each sentence was paired with the WAV after its own).
    began = [float(path.stem) for path in played(audio)][-len(said) :]
    # Each is said as it is shown (the bug: 5 to 11 s late), and none was dropped (the pairs would not match).
    late = [(round(start - moment, 2), line) for (moment, line), start in zip(said, began)]
    assert len(began) == len(said) and all(abs(lateness) < 1.5 for lateness, _ in late), (late, wavs)
    hold, release = (began[[line for _, line in said].index(word)] for word in hold_words)
    assert release - hold >= 2.5, late  # a 3 s hold; the bug's were 1 s


def _times(log: Path) -> list[str]:
    return [line.split()[0] for line in log.read_text().splitlines()]


def test_pocketsphinx_failing_to_load_is_told_and_the_session_goes_on(tmp_path: Path) -> None:
    broken = tmp_path / "broken" / "pocketsphinx"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("raise ImportError('libpocketsphinx.so: cannot open shared object file')\n")
    coach = Lines(
        "run", str(PROGRAMS / "good" / "tiny.toml"), "--plain", "--no-speech", "--listen", "--listen-command",
        recorder(), env={"PYTHONPATH": str(tmp_path / "broken")},
    )  # fmt: skip
    coach.ends_well(60)
    faults = [line for line in coach.texts if line.startswith("Listening is off")]
    assert len(faults) == 1 and "pocketsphinx" in faults[0] and "cannot open shared object" in faults[0], coach.texts


def _check_lines(*options: str, lines: int, timeout: float, env: dict[str, str] | None = None) -> list[str]:
    """The first `lines` lines of `coach listen OPTIONS`, then Ctrl-C, which must end it with status 0. (Started
    with SIGINT at its default, as a terminal starts it.)"""
    check = subprocess.Popen(
        [sys.executable, "-m", "coach", "listen", *options],
        stdout=subprocess.PIPE, text=True, cwd=ROOT, stdin=subprocess.DEVNULL, env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    out = check.stdout
    assert out is not None
    read: list[str] = []
    reader = threading.Thread(target=lambda: read.extend(out.readline() for _ in range(lines)), daemon=True)
    reader.start()
    reader.join(timeout=timeout)  # a phrase not heard must fail the test, not hang it
    check.send_signal(signal.SIGINT)
    assert check.wait(10) == 0
    return read


def test_coach_listen_prints_what_it_hears_until_ctrl_c(tmp_path: Path) -> None:
    """The microphone check: each command and answer with its confidence; Ctrl-C ends it with status 0 and
    nothing left behind."""
    say = {text: spoken(AUDIO, text) for text in ("coach pause", "three")}
    marker = str(tmp_path)
    script = recorder("quiet:1", say["coach pause"], "quiet:1", say["three"], f"tag:{marker}")
    lines = _check_lines("--no-speech", "--listen-command", script, lines=3, timeout=30)
    assert lines[0].startswith('Listening. Say "coach" and a command')
    assert "Wait each time until I have finished speaking" in lines[0]  # it drops what it hears while it talks
    assert lines[1].startswith("Heard: coach pause (confidence ") and lines[2].startswith("Heard: three (confidence ")
    time.sleep(0.5)
    assert _recorders_left(marker) == []


def test_coach_listen_ends_on_ctrl_c_whichever_thread_the_kernel_gives_it_to(tmp_path: Path) -> None:
    """A CI run: Ctrl-C went to one of the check's other threads, and the main thread, waiting with no time
    limit, never ran the handler: the check went on listening."""
    check = subprocess.Popen(
        [sys.executable, "-m", "coach", "listen", "--no-speech", "--listen-command", recorder(f"tag:{tmp_path}")],
        stdout=subprocess.PIPE, text=True, cwd=ROOT, stdin=subprocess.DEVNULL,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    try:
        assert check.stdout is not None and check.stdout.readline().startswith("Listening.")
        time.sleep(0.5)  # its threads have started, and the main thread waits
        signal_another_thread(check.pid, signal.SIGINT)
        assert check.wait(5) == 0
    finally:
        check.kill()
        check.wait()
    time.sleep(0.5)
    assert _recorders_left(str(tmp_path)) == []


def test_coach_listen_does_not_hear_itself_say_what_it_heard(tmp_path: Path) -> None:
    """The check says "Heard: coach pause": through the speakers the microphone hears it, and it must not take
    that for a command, over and over. Each sentence here takes 2 s to say (the stand-in speech command)."""
    say = {text: spoken(AUDIO, text) for text in ("coach pause", "three", "coach status")}
    script: list[str | Path] = [
        "quiet:0.3", say["coach pause"],  # while it says its introduction
        "quiet:3", say["three"],  # heard: then it says so for 2 s
        "quiet:0.8", say["coach pause"],  # while it says "Heard: three"
        "quiet:3", say["coach status"], f"tag:{tmp_path}",
    ]  # fmt: skip
    env = {**os.environ, "COACH_TEST_LOG": str(tmp_path / "said.log"), "COACH_TEST_SPEAK_SECONDS": "2"}
    options = ("--speech", "command", "--speech-command", f"{BIN / 'say-log'} {{rate}} {{text}}")
    lines = _check_lines(*options, "--listen-command", recorder(*script), lines=3, timeout=40, env=env)
    assert [line.split(" (")[0] for line in lines[1:]] == ["Heard: three", "Heard: coach status"], lines


def test_coach_listen_says_what_it_was_not_sure_of_so_the_person_tries_again(tmp_path: Path) -> None:
    """espeak-ng's "coach next" is heard as "coach repeat" once, and otherwise a little slower: a session
    takes it for nothing, and the check says so instead of staying silent, without naming its wrong guess."""
    said = spoken(AUDIO, "coach next", room=True)
    lines = _check_lines("--no-speech", "--listen-command", recorder("quiet:1", said), lines=2, timeout=30)
    assert lines[1] == "Not sure what you said: a session would do nothing. Say it again.\n", lines


def test_coach_listen_says_it_heard_speech_that_was_no_command_nor_number(tmp_path: Path) -> None:
    """A walk said a British "nine", heard as none of the numbers, and the check said nothing: the person could
    not tell a microphone that hears nothing from a word it did not know. Here "how are you" (a decoy's)."""
    said = spoken(AUDIO, "how are you", room=True)
    lines = _check_lines("--no-speech", "--listen-command", recorder("quiet:1", said), lines=2, timeout=30)
    assert lines[1] == (
        'Heard you, but not a command or a number: a session would do nothing. Commands start with "coach".\n'
    ), lines


def test_coach_listen_breaks_its_lines_between_words_in_a_narrow_terminal(tmp_path: Path) -> None:
    """A walk read "Commands s" / "tart with" at 80 columns: the check's lines are broken as plain mode's are."""
    from coach.views.listen_check import INTRO
    from tests.pty_coach import PtyCoach

    said = spoken(AUDIO, "how are you", room=True)
    coach = PtyCoach("listen", "--no-speech", "--listen-command", recorder("quiet:1", said, "quiet:20"), columns=40)
    try:
        coach.wait_for_start("Commands start with", timeout=30)
        rows = coach.lines()
    finally:
        coach.close()
    heard = 'Heard you, but not a command or a number: a session would do nothing. Commands start with "coach".'
    assert all(len(row) <= 40 for row in rows) and len(rows) > 2, rows
    assert " ".join(rows).split() == f"{INTRO} {heard}".split(), "a word was split across two rows"


def test_a_made_up_command_is_heard_as_unknown_not_as_the_nearest_real_one(tmp_path: Path) -> None:
    """A walk's "coach banana" was heard as "coach go on", which would have resumed a paused session: after the wake
    word the grammar now holds fillers too, and what is no command falls on them ("Say: coach help." in a session)."""
    said = spoken(AUDIO, "coach banana", room=True)
    lines = _check_lines("--no-speech", "--listen-command", recorder("quiet:1", said), lines=2, timeout=30)
    assert lines[1].startswith("Heard: coach, and something unknown (confidence "), lines


def test_a_filler_between_the_wake_word_and_the_command_is_a_miss_as_the_readme_says() -> None:
    """The price of the fillers (measured in grammar.py): "coach, um, pause" is something unknown, not a pause;
    the README tells people to say the command straight after "coach"."""
    from coach.listen.recognizer import Recognizer
    from coach.views.controls import SPOKEN
    from coach.views.listening import ANSWERS

    with wave.open(str(spoken(AUDIO, "coach um pause", room=True))) as audio:
        pcm = audio.readframes(audio.getnframes())
    heard = [(item.kind, item.phrase) for item in Recognizer(tuple(SPOKEN), ANSWERS).feed(pcm) if item.kind != "other"]
    assert heard == [("unknown", "")]


def test_coach_listen_with_no_microphone_says_why_and_exits_1() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "coach", "listen", "--no-speech", "--listen-command", recorder("--fail")],
        capture_output=True, text=True, cwd=ROOT, timeout=30, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 1
    # Only why: a walk saw "Listening. Say "coach" and a command…" told first, then that it was not.
    [told] = done.stdout.splitlines()
    # named by its script, not its interpreter (a walk was told of "/usr/bin/python3")
    assert told.startswith(
        f"Listening is off: the recorder ({sys.executable} {BIN / 'recorder'}) stopped"
    ) and told.endswith("Check that a microphone is connected.")
    assert "Traceback" not in done.stderr


def test_coach_listen_with_no_recorder_program_says_what_to_install(tmp_path: Path) -> None:
    """Neither arecord nor sox on the PATH, and none named: what to install, and no word of listening first."""
    done = subprocess.run(
        [sys.executable, "-m", "coach", "listen", "--no-speech"], capture_output=True, text=True, cwd=ROOT,
        timeout=30, stdin=subprocess.DEVNULL, env={**os.environ, "PATH": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 1 and done.stderr == ""
    assert done.stdout.splitlines() == [
        "Listening is off: no recorder program was found (arecord or sox). "
        "Install alsa-utils (arecord) or sox, or name a recorder with --listen-command."
    ]


@pytest.mark.parametrize("ending", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGKILL], ids=lambda s: s.name)
def test_a_coach_ended_by_any_signal_leaves_no_recorder(ending: signal.Signals, tmp_path: Path) -> None:
    """However the coach ends, the recorder ends with it: by the coach itself, or by the reaper after SIGKILL."""
    marker = str(tmp_path)
    coach = subprocess.Popen(
        [sys.executable, "-m", "coach", "run", str(PROGRAMS / "good" / "short.toml"), "--plain", "--no-speech",
         "--listen", "--listen-command", recorder(f"tag:{marker}")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=ROOT,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    deadline = time.monotonic() + 40  # 0.25 s alone; eight workers on 2 cores once took over 20
    while not _recorders_left(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    if not _recorders_left(marker):  # seen under load a few times, never alone: say all there is to say why
        ended = coach.poll()
        children = {pid: command_line(pid) for pid in descendants(coach.pid)}
        if ended is None:
            coach.terminate()
            ended = coach.wait(10)
        told = coach.stderr.read().decode() if coach.stderr is not None else ""
        raise AssertionError(f"no recorder: the coach {ended=}, its children {children}, it said {told[-2000:]!r}")
    coach.send_signal(ending)
    status = coach.wait(10)
    assert status == (-9 if ending == signal.SIGKILL else 128 + ending)
    assert coach.stderr is not None and "Traceback" not in coach.stderr.read().decode()
    deadline = time.monotonic() + 5
    while _recorders_left(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _recorders_left(marker) == []


def test_listening_that_failed_is_tried_again_at_the_next_step_and_then_works(tmp_path: Path) -> None:
    """No microphone at first (told once), one plugged in by the next step: listening comes back by itself."""
    say = {text: spoken(AUDIO, text) for text in ("coach pause", "coach go on")}
    flag = tmp_path / "plugged-in"
    coach = Lines(
        "run", str(PROGRAMS / "good" / "short.toml"), "--plain", "--no-speech", "--listen", "--listen-command",
        recorder("--fail-once", flag, "quiet:1", say["coach pause"], "quiet:1.5", say["coach go on"]),
    )  # fmt: skip
    coach.ends_well(90)
    texts = coach.texts
    assert len([line for line in texts if line.startswith("Listening is off")]) == 1
    told = next(i for i, line in enumerate(texts) if line.startswith("Listening is off"))
    assert "Heard: pause." in texts[told:], texts
    assert texts[texts.index("Heard: pause.") + 1] == "Paused. Say coach go on, or press Space."


@pytest.mark.parametrize(
    ("text", "voice", "heard"),
    [
        ("four", "en-gb", ("answer", "four")),  # "three" with the American dictionary alone
        ("coach faster", "en-gb", ("command", "faster")),  # "pause"
        ("coach faster", "en-gb+f2", ("command", "faster")),
        ("coach slower", "en-gb", ("command", "slower")),  # the answer "ten"
    ],
)
def test_a_british_voice_is_heard_as_it_speaks(text: str, voice: str, heard: tuple[str, str]) -> None:
    """The words the American dictionary says only one way are also heard as a British voice says them."""
    from coach.listen.recognizer import Recognizer
    from coach.views.controls import SPOKEN
    from coach.views.listening import ANSWERS

    with wave.open(str(spoken(AUDIO, text, voice))) as audio:
        pcm = audio.readframes(audio.getnframes())
    quiet = bytes(2 * 16000)
    recognizer = Recognizer(tuple(SPOKEN), ANSWERS)
    assert [(item.kind, item.phrase) for item in recognizer.feed(quiet + pcm + quiet)] == [heard]


@pytest.mark.parametrize(
    ("text", "voice", "without"),
    [
        ("coach back", "en-us+f3", "coach next"),
        ("coach less", "en-us+f3", "coach repeat"),
        ("coach help", "en-us+f3", "coach pain"),
        ("eight", "en-us", "nothing"),
    ],
)
def test_the_first_sound_of_a_phrase_is_decoded_though_the_voice_detector_found_it_late(
    text: str, voice: str, without: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A soft first sound starts the detector's speech late; the decoder is given the stream from before it
    (`PRE_ROLL`). Heard in a quiet room's noise, the same every run; `without` is what each was heard as
    when only the detector's speech was decoded. The decoding alone: the female voice's phrases are then
    dropped by the checks at other speeds (`STEADY`, tested below), a miss they cost."""
    from coach.listen import recognizer
    from coach.listen.recognizer import Recognizer
    from coach.views.controls import SPOKEN
    from coach.views.listening import ANSWERS

    monkeypatch.setattr(recognizer, "STEADY", ())
    monkeypatch.setattr(recognizer, "SURE", 0.0)  # nor at the slower speed of a sentence that won by little
    with wave.open(str(spoken(AUDIO, text, voice, room=True))) as audio:
        pcm = audio.readframes(audio.getnframes())
    heard = Recognizer(tuple(SPOKEN), ANSWERS).feed(pcm)
    assert [f"coach {item.phrase}" if item.kind == "command" else item.phrase for item in heard] == [text]


def test_the_confidence_says_how_clearly_a_sentence_won() -> None:
    """`coach listen` shows it: pocketsphinx's own posterior was 1.0 for everything, right or wrong."""
    from coach.listen.recognizer import Recognizer
    from coach.views.controls import SPOKEN
    from coach.views.listening import ANSWERS

    recognizer = Recognizer(tuple(SPOKEN), ANSWERS)
    quiet = bytes(2 * 16000)

    def heard(text: str, voice: str) -> list[tuple[str, float]]:
        with wave.open(str(spoken(AUDIO, text, voice))) as audio:
            pcm = audio.readframes(audio.getnframes())
        return [(item.phrase, item.confidence) for item in recognizer.feed(quiet + pcm + quiet)]

    assert heard("coach pause", "en-us") == [("pause", 1.0)]  # no other sentence near
    [(phrase, confidence)] = heard("coach next", "en-us+f3")  # "next" and "repeat" scored alike
    assert phrase == "next" and 0.3 < confidence < 0.7


@pytest.mark.parametrize(
    ("text", "voice", "once"),
    [
        ("coach next", "en-us", "coach repeat"),
        # the next three were taken when the checks were 3 % and 7 % faster; a slower one drops them
        ("five", "en-us+f3", "nine"),
        ("five", "en-gb-x-rp+f4", "nine"),
        ("coach stop", "en-us+f3", "coach help"),
        # ("coach next" in en-us+m3, once "coach repeat", was dropped by those checks and is taken by these:
        # over the corpus, these take fewer wrong ones (bench/listen.py, `STEADY`'s comment))
    ],
)
def test_a_phrase_heard_otherwise_a_little_slower_or_faster_is_dropped_not_taken_for_another(
    text: str, voice: str, once: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Decoded once, each of these was another command or number (`once`); played 3 % slower or 5 % faster it
    is heard otherwise, so the recognizer was unsure: it is dropped, a miss, never the wrong one."""
    from coach.listen import recognizer
    from coach.listen.recognizer import Recognizer
    from coach.views.controls import SPOKEN
    from coach.views.listening import ANSWERS

    with wave.open(str(spoken(AUDIO, text, voice, room=True))) as audio:
        pcm = audio.readframes(audio.getnframes())

    def heard() -> list[tuple[str, str]]:
        return [(item.kind, item.phrase) for item in Recognizer(tuple(SPOKEN), ANSWERS).feed(pcm)]

    assert heard() == [("unsure", once)]  # only `coach listen` shows it
    monkeypatch.setattr(recognizer, "STEADY", ())
    monkeypatch.setattr(recognizer, "SURE", 0.0)  # nor at the slower speed of a sentence that won by little
    assert heard() == [("command", once.removeprefix("coach ")) if once.startswith("coach ") else ("answer", once)]


@pytest.mark.parametrize(("text", "once"), [("five", "nine"), ("coach slower", "coach less")])
def test_a_phrase_that_won_by_little_must_hold_at_a_slower_speed_too(
    text: str, once: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each of these, in the fast British female voice, was heard as another phrase (`once`) at every speed of
    `STEADY`, but only just (a confidence of 0.5: a tie); played 9 % slower (`DOUBTED`) it is heard otherwise,
    so it is dropped, a miss. A phrase heard clearly is not checked that third time (`SURE`)."""
    from coach.listen import recognizer
    from coach.listen.recognizer import Recognizer
    from coach.views.controls import SPOKEN
    from coach.views.listening import ANSWERS

    with wave.open(str(spoken(AUDIO, text, "en-gb-x-rp+f4", 190, room=True))) as audio:
        pcm = audio.readframes(audio.getnframes())

    def heard() -> list[tuple[str, str, float]]:
        return [(item.kind, item.phrase, item.confidence) for item in Recognizer(tuple(SPOKEN), ANSWERS).feed(pcm)]

    [(kind, phrase, confidence)] = heard()
    assert (kind, phrase) == ("unsure", once) and confidence < recognizer.SURE
    monkeypatch.setattr(recognizer, "SURE", 0.0)
    assert [(kind, phrase) for kind, phrase, _ in heard()] == [
        ("command", once.removeprefix("coach ")) if once.startswith("coach ") else ("answer", once)
    ]


@pytest.mark.parametrize("colour", ["whitenoise", "pinknoise", "brownnoise"])
@pytest.mark.parametrize("volume", ["0.01", "0.05", "0.2"])
def test_noise_alone_is_never_an_answer(colour: str, volume: str, tmp_path: Path) -> None:
    """A walk's three seconds of hiss, with no word in it, was heard as "four" at full confidence, and noted as
    pain 4 at the check-in. A bare answer is taken from a voice only."""
    from coach.listen.recognizer import Recognizer
    from coach.views.controls import SPOKEN
    from coach.views.listening import ANSWERS

    require_tool("sox")
    noise = tmp_path / "noise.wav"
    subprocess.run(
        ["sox", "-R", "-n", "-r", "16000", "-c", "1", "-b", "16", str(noise), "synth", "3", colour, "vol", volume],
        check=True,
    )
    with wave.open(str(noise)) as audio:
        pcm = audio.readframes(audio.getnframes())
    quiet = bytes(2 * 16000)
    heard = Recognizer(tuple(SPOKEN), ANSWERS).feed(quiet + pcm + quiet + pcm[: 16000 * 2] + quiet)
    assert [item for item in heard if item.kind in ("answer", "command")] == []


@pytest.mark.parametrize("text", ["coach status", "coach mute", "coach pain", "seven", "eight"])
def test_speech_in_digital_silence_is_heard_as_in_a_quiet_room(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Between the words a noise-suppressing microphone sends zeros; the recognizer hears such speech with a
    room's noise put under it (`FLOOR`). Without it the British voice's "seven" was heard as "one" and its
    "eight" as "nine", and each of the others was missed."""
    from coach.listen import recognizer
    from coach.listen.recognizer import Recognizer
    from coach.views.controls import SPOKEN
    from coach.views.listening import ANSWERS

    with wave.open(str(spoken(AUDIO, text, "en-gb"))) as audio:
        pcm = bytes(2 * 16000) + audio.readframes(audio.getnframes()) + bytes(2 * 16000)

    def heard() -> list[str]:
        found = Recognizer(tuple(SPOKEN), ANSWERS).feed(pcm)
        return [f"coach {item.phrase}" if item.kind == "command" else item.phrase for item in found
                if item.kind in ("command", "answer")]  # fmt: skip

    assert heard() == [text]
    monkeypatch.setattr(recognizer, "FLOOR", 0.0)
    assert heard() != [text]
