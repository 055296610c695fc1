"""The recognizer: pocketsphinx over a stream of raw PCM, cut into utterances by voice-activity detection.

pocketsphinx's `Endpointer` finds where speech starts and ends; each piece of
speech, with a little of the stream around it, is decoded whole against the
grammar (`coach.listen.grammar`). A piece longer than any command (a sentence
of the coach's, a conversation) is not even decoded, nor is speech that began
less than `QUIET_BEFORE` after other speech: that costs nothing and rejects
most of what is not for us. What the grammar matches is taken only if the
same utterance, played a little slower and faster, is still heard as it (`STEADY`):
what the recognizer is unsure of is dropped rather than taken for another
command. Speech in digital silence gets a quiet room's noise under it first
(`FLOOR`), as the acoustic model expects.
Imported only in the listening worker's process: pocketsphinx is a compiled
library, and a crash in it must never take a session with it.
"""

from __future__ import annotations

import array
import functools
import itertools
import math
import operator
import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass

from coach.listen import SAMPLE_BYTES, SAMPLE_RATE
from coach.listen.grammar import FILLERS, WAKE, add_british, decoys, jsgf

LONGEST = 3.0  # seconds: a command or an answer is shorter; longer speech is not decoded
# The end of speech is judged over END_WINDOW seconds of 10 ms frames, END_RATIO of them silent, by the strictest
# voice detector: the command acts about 0.2 s after the words end (0.38 s with pocketsphinx's defaults), and
# the corpus (bench/listen.py) was recognised as well as with them. 0.09 s rather than 0.12 since the checks of
# `STEADY` came: they cost 60 ms more, and the corpus was heard as well (86.9 % right, 1.5 % wrong; 86.3 %
# and 1.2 % with 0.12 s: one phrase, the noise's doing).
# Speech that follows other speech closely is part of something longer (a sentence with commas, the coach's
# own counts, a conversation): a command or an answer starts after at least this much quiet. Measured on the
# sources read aloud (19 min): 24.7 false commands an hour with none, 3 with 0.3 s, 0 with 0.5 s; the corpus
# recognised as before (bench/listen.py). The price: "coach pain" said less than half a second after other
# speech is not heard (the `x` key is).
QUIET_BEFORE = 0.5
# The voice detector starts speech late on a soft first sound ("five" was decoded from "AY IY" and heard as
# "nine"; "coach back" lost its "k"), so the decoder is given PRE_ROLL seconds of the stream before the start it
# found and POST_ROLL after the end. Measured on the corpus (bench/listen.py), espeak-ng's voices: 89.6 % right,
# 7.1 % wrong, 3.3 % missed without; 92.9 %, 6.2 %, 0.9 % with.
PRE_ROLL, POST_ROLL = 0.3, 0.1
# A command or an answer is only taken if it is heard the same with the utterance played a little slower and a
# little faster, at each of these speeds; what the recognizer is unsure of tips to another sentence at one of
# them, and is dropped: a miss, never another command. Decoded once, espeak-ng's voices of the corpus
# (bench/listen.py) were 95.2 % right and 3.9 % wrong. Checked at 3 % and 7 % faster, 86.3 % and 2.2 % (the
# mean of seven copies of the corpus, each with its own noise: 1.5 % to 3.0 %); at 3 % slower and 5 % faster,
# 87.7 % and 1.4 % (0.9 % to 1.8 %), and on six other voices at two other rates 91.1 % and 0.3 % (0.8 % with
# the faster pair). A slower speed drops the unsteady "nine" that a female voice's "five" becomes. No pair
# met both goals: 7 % faster with 3 % slower was 85.5 % and 0.9 %, 0.94 with 1.07 82.7 % and 0.5 %; what is
# left wrong ("coach stop" as "coach help", "five" as "nine", in the female voices) is heard so at every speed
# of theirs (the next check, `SURE`, drops most of the "nine"s).
# Each check is one more resampling and decoding of the utterance, about 30 ms.
STEADY = (0.97, 1.05)
# A sentence that won by little (its `confidence` under SURE: another sentence scored near it) must hold at
# DOUBTED too, 9 % slower. Chosen over six copies of the corpus (bench/listen.py), each with its own noise, and
# checked on two more: with `STEADY` alone 87.5 % right and 1.29 % wrong, then 87.9 % and 0.89 %; with this
# 86.5 % and 0.64 %, then 86.8 % and 0.45 %; six other voices at two other rates 88.7 % and none wrong
# (89.6 % before). "five" heard as "nine" went, and "coach slower" as "coach less". Dropping every such sentence
# instead cost more (84.1 % and 0.37 % over all eight copies), and so did checking every sentence at 9 % slower
# (81.9 % and 0.48 %). One sentence in twenty that holds at `STEADY` costs this third decoding.
SURE, DOUBTED = 0.8, 0.91
# A bare answer is taken from a voice only: three seconds of hiss, no word in it, was heard as "four" at full
# confidence and noted as pain 4 (a walk; white and pink noise at every level, a fan's or a rustle's). Voiced
# speech repeats itself at its pitch: of the utterance's `VOICED_FRAMES` loudest frames (30 ms, half overlapping,
# at 8 kHz), differenced so that brown noise turns white, the third best correlates with itself one pitch period
# later (70 to 400 Hz) by VOICED or more. Six espeak-ng voices' numbers and yes/no, clean and in a room's noise:
# 0.31 at least; white, pink and brown noise: 0.22 at most (the median of 3 frames overlapped, 0.26 and 0.23; the
# best of 5, 0.32 and 0.28). A whispered answer has no pitch and is not taken. About 15 ms an answer; commands,
# which begin with "coach", are not checked: noise was not heard so.
VOICED, VOICED_FRAMES, VOICED_RANK = 0.27, 8, 3
KEPT = LONGEST + PRE_ROLL + 2.0  # seconds of the stream kept for the decoder: the longest speech, and its margins
END_WINDOW, END_RATIO, FRAME, STRICTEST = 0.09, 0.75, 0.01, 3


@dataclass(frozen=True)
class Heard:
    """One utterance: a command (after the wake word), an answer, "coach" and something unknown, or speech that
    is neither; `began` and `ended` are seconds from the start of the stream."""

    # "command", "answer", "unknown"; "unsure": a command or answer not heard the same when faster; "other":
    # speech that fell on a decoy, which a session takes for nothing and `coach listen` answers, so that a
    # person whose "nine" is not heard as a number knows the microphone heard them
    kind: str
    phrase: str  # the command without the wake word ("go on"), or the answer ("seven"); "" when unknown; when
    # unsure or other, the whole sentence ("coach next", "seven", "breathe")
    confidence: float  # 0 to 1: how clearly its sentence beat the next best (`confidence`)
    began: float
    ended: float


class Recognizer:
    """Feed it PCM as it comes; it returns what it heard when an utterance ends."""

    def __init__(self, commands: Iterable[str], answers: Iterable[str]) -> None:
        from pocketsphinx import Decoder, Endpointer

        self.commands = tuple(commands)
        self.answers = tuple(answers)
        # bestpath=False keeps the grammar search's own best path: the lattice's rescoring turned more of
        # espeak-ng's commands into others (75.9 % right, 11.9 % wrong with it; 86.0 % and 10.7 % without);
        # topn=8 Gaussians a frame instead of 4 recognised a little more (86.6 %, 10.4 %) for a cost
        # that does not show beside the recorder's (bench/listen.py).
        self._decoder = Decoder(lm=None, loglevel="FATAL", bestpath=False, topn=8)
        lookup = self._decoder.lookup_word

        def known(word: str) -> bool:
            return lookup(word) is not None

        add_british(lambda word, phones: self._decoder.add_word(word, phones, False), known)
        fillers = [word for word in FILLERS if known(word)]
        grammar = jsgf(self.commands, self.answers, decoys(self.commands, self.answers, known), fillers)
        self._decoder.add_jsgf_string("coach", grammar)
        self._decoder.activate_search("coach")
        self._endpointer = Endpointer(
            window=END_WINDOW, ratio=END_RATIO, vad_mode=STRICTEST, sample_rate=SAMPLE_RATE, frame_length=FRAME
        )
        self._frame_bytes: int = self._endpointer.frame_bytes
        self._pending = b""
        self._stream = bytearray()  # the last KEPT seconds or more of the stream, for the decoder
        self._stream_start = 0  # where `_stream` begins, in bytes from the start of the stream
        self._frames = 0  # frames read, for the stream's clock
        self._last_end = -QUIET_BEFORE  # when the last piece of speech ended, in stream seconds

    @property
    def seconds(self) -> float:
        """How much of the stream has been read."""
        return self._frames * self._frame_bytes / SAMPLE_BYTES / SAMPLE_RATE

    def feed(self, pcm: bytes) -> list[Heard]:
        self._pending += pcm
        heard: list[Heard] = []
        while len(self._pending) >= self._frame_bytes:
            frame, self._pending = self._pending[: self._frame_bytes], self._pending[self._frame_bytes :]
            self._frames += 1
            self._keep(frame)
            speech = self._endpointer.process(frame)
            if speech is not None and not self._endpointer.in_speech:
                heard += self._utterance(self._endpointer.speech_start, self._endpointer.speech_end)
        return heard

    def _keep(self, frame: bytes) -> None:
        self._stream += frame
        kept = int(KEPT * SAMPLE_RATE) * SAMPLE_BYTES
        if len(self._stream) > 2 * kept:  # trimmed now and then, not at every frame
            dropped = len(self._stream) - kept
            del self._stream[:dropped]
            self._stream_start += dropped

    def _audio(self, began: float, ended: float) -> bytes:
        """The stream from PRE_ROLL before `began` to POST_ROLL after `ended` (seconds), as far as it is kept."""

        def at(seconds: float) -> int:
            return max(0, int(seconds * SAMPLE_RATE) * SAMPLE_BYTES - self._stream_start)

        return bytes(self._stream[at(began - PRE_ROLL) : at(ended + POST_ROLL)])

    def _utterance(self, began: float, ended: float) -> list[Heard]:
        after_quiet = began - self._last_end >= QUIET_BEFORE
        self._last_end = ended
        if ended - began > LONGEST or not after_quiet:
            return []
        pcm = with_floor(self._audio(began, ended))
        sentence = self._decode(pcm)
        if sentence is None:
            return []
        confidence = self._confidence(sentence)  # from this decoding's lattice
        words = sentence.split()
        if words[:1] == [WAKE]:
            phrase = " ".join(words[1:])
            kind = "command" if phrase in self.commands else "unknown"
            if kind == "unknown":  # "coach" and something else: only ever answered "Say: coach help."
                return [Heard(kind, "", confidence, began, ended)]
        elif sentence in self.answers:
            kind, phrase = "answer", sentence
            if voicing(self._audio(began, ended)) < VOICED:  # noise: a miss, never an answer
                return [Heard("unsure", sentence, confidence, began, ended)]
        else:  # a decoy: something the coach says, or anything else
            return [Heard("other", sentence, confidence, began, ended)]
        speeds = STEADY if confidence >= SURE else (*STEADY, DOUBTED)
        if not self._steady(pcm, sentence, speeds):  # only `coach listen` shows it; a session takes it for nothing
            return [Heard("unsure", sentence, confidence, began, ended)]
        return [Heard(kind, phrase, confidence, began, ended)]

    def _steady(self, pcm: bytes, sentence: str, speeds: tuple[float, ...]) -> bool:
        """Whether `sentence` is still what is heard with `pcm` played at every one of `speeds`."""
        return all(self._decode(played_at(pcm, speed)) == sentence for speed in speeds)

    def _decode(self, pcm: bytes) -> str | None:
        decoder = self._decoder
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
        hypothesis = decoder.hyp()
        return None if hypothesis is None else str(hypothesis.hypstr)

    def _confidence(self, sentence: str) -> float:
        """How clearly `sentence` won: its lattice score against the best different sentence, per frame.

        pocketsphinx's own posterior (`hyp().prob`) came out 1.0 for every utterance of the grammar, right
        or wrong. This compares the scores of the first different sentence among the lattice's best
        `RIVALS` paths with the best path's: 0.5 for a tie, under it where the lattice preferred another
        sentence, 1.0 where no other sentence is near. On the corpus (bench/listen.py) 73 % of the
        sentences heard right had no rival near (median 1.0), and those with one won by a median 5.8 a
        frame (0.9); of those heard as another sentence 71 % had a rival (median 0.55). Shown by
        `coach listen`, and a sentence that won by little must hold at one more speed (`SURE`): alone, it
        dropped too many of those heard right.
        """
        paths = [path for path in itertools.islice(self._decoder.nbest() or (), RIVALS) if path is not None]
        rival = next((path for path in paths if path.hypstr != sentence), None)
        if rival is None:
            return 1.0
        frames = max(1, self._decoder.n_frames())
        margin = (_log(paths[0].score) - _log(rival.score)) / frames
        return 1 / (1 + math.exp(-margin / CONFIDENCE_SCALE))


def voicing(pcm: bytes) -> float:
    """How much `pcm` repeats itself at a voice's pitch (`VOICED`): 0 for none, 1 for a steady tone."""
    samples = _samples(pcm)
    halved = [a + b for a, b in zip(samples[::2], samples[1::2], strict=False)]  # 8 kHz: a pitch period is 20-115
    signal = [b - a for a, b in itertools.pairwise(halved)]  # differenced: brown noise turns white
    frame, longest = 240, 115
    starts = range(0, len(signal) - frame - longest, frame // 2)
    # The loudest before differencing: the vowels, where the pitch is (differenced, the hiss of an s is louder)
    loudest = sorted(starts, key=lambda at: -sum(map(operator.mul, halved[at : at + frame], halved[at : at + frame])))
    best = []
    for at in loudest[:VOICED_FRAMES]:
        here = signal[at : at + frame]
        power = sum(map(operator.mul, here, here)) or 1
        top = 0.0
        for lag in range(20, longest):
            there = signal[at + lag : at + lag + frame]
            similar = sum(map(operator.mul, here, there)) / math.sqrt(
                power * (sum(map(operator.mul, there, there)) or 1)
            )
            top = max(top, similar)
        best.append(top)
    best.sort()
    return best[-min(VOICED_RANK, len(best))] if best else 0.0


def with_floor(pcm: bytes) -> bytes:
    """`pcm` with as much of a quiet room's noise mixed in as it lacks: what its quiet parts are short of
    `FLOOR`, the same noise every time. A stream with a room's noise of its own is left nearly as it is."""
    samples = _samples(pcm)
    frame = int(SAMPLE_RATE * QUIET_FRAME)
    levels = sorted(_rms(samples[at : at + frame]) for at in range(0, len(samples) - frame + 1, frame))
    quietest = levels[len(levels) // 10] if levels else 0.0  # the tenth quietest of a hundred: no lull
    lacking = math.sqrt(max(0.0, FLOOR**2 - quietest**2))
    if lacking <= 0.1 * FLOOR:
        return pcm
    scale = lacking * 32767
    noise = itertools.cycle([round(x * scale) for x in _brown_noise()])
    mixed = [max(-32768, min(32767, a + b)) for a, b in zip(samples, noise, strict=False)]  # noise never ends
    return _pcm(array.array("h", mixed))


def _rms(samples: array.array[int]) -> float:
    """Root mean square, as a share of full scale."""
    return math.sqrt(sum(map(operator.mul, samples, samples)) / max(1, len(samples))) / 32767


# The recognizer hears speech in digital silence (a noise-suppressing microphone, a test's WAV) far worse
# than in a room: espeak-ng's British voice, 13 of its 28 commands and answers heard with nothing under
# them (with the checks of `STEADY`; 20 without, "seven" as "one"), 27 in a quiet room's noise. So an
# utterance quieter than a room is decoded with brown noise mixed in, up to this floor (root mean square,
# a share of full scale): 27 of 28 then. At the corpus's own level (0.0057) it made more mistakes there
# (1.5 % against 1.2 %), for a room's noise measured in quiet parts is lower than its average; at this
# level the corpus is left as it is (bench/listen.py).
FLOOR = 0.003
QUIET_FRAME = 0.05  # seconds: brown noise swings slowly, and a shorter piece of it can seem a lull


@functools.cache
def _brown_noise() -> array.array[float]:
    """A second of brown noise, root mean square 1: white noise through a leaky integrator, from a fixed seed."""
    chance = random.Random(0)
    level, noise = 0.0, array.array("d")
    for _ in range(SAMPLE_RATE):
        level = 0.98 * level + chance.uniform(-1, 1)
        noise.append(level)
    rms = math.sqrt(sum(x * x for x in noise) / len(noise))
    return array.array("d", (x / rms for x in noise))


def _samples(pcm: bytes) -> array.array[int]:
    samples = array.array("h", pcm)
    if sys.byteorder == "big":  # the stream is little-endian
        samples.byteswap()
    return samples


def _pcm(samples: array.array[int]) -> bytes:
    if sys.byteorder == "big":
        samples.byteswap()
    return samples.tobytes()


def played_at(pcm: bytes, speed: float) -> bytes:
    """16-bit PCM played `speed` times as fast, as a tape would (its pitch goes up with it): linear
    interpolation, which is all a check of the same utterance needs."""
    samples = _samples(pcm)
    out = array.array("h", bytes(2 * int((len(samples) - 1) / speed)))
    for i in range(len(out)):
        position = i * speed
        at = int(position)
        before = samples[at]
        out[i] = int(before + (samples[at + 1] - before) * (position - at))
    return _pcm(out)


def _log(probability: float) -> float:
    """A score as pocketsphinx keeps it (log base 1.0001); its Python API hands it over as a probability."""
    return math.log(max(probability, 1e-300)) / LOG_BASE


LOG_BASE = math.log(1.0001)
RIVALS = 40  # lattice paths looked at for another sentence: many are the same sentence segmented otherwise
CONFIDENCE_SCALE = 2.6  # a margin of 5.8 a frame, the median of the right ones with a rival, is 0.9
