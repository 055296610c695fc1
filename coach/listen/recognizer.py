"""The recognizer: pocketsphinx over a stream of raw PCM, cut into utterances by voice-activity detection.

pocketsphinx's `Endpointer` finds where speech starts and ends; each piece of
speech, with a little of the stream around it, is decoded whole against the
grammar (`coach.listen.grammar`). A piece longer than any command (a sentence
of the coach's, a conversation) is not even decoded, nor is speech that began
less than `QUIET_BEFORE` after other speech: that costs nothing and rejects
most of what is not for us.
Imported only in the listening worker's process: pocketsphinx is a compiled
library, and a crash in it must never take a session with it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass

from coach.listen import SAMPLE_BYTES, SAMPLE_RATE
from coach.listen.grammar import WAKE, add_british, decoys, jsgf

LONGEST = 3.0  # seconds: a command or an answer is shorter; longer speech is not decoded
# The end of speech is judged over END_WINDOW seconds of 10 ms frames, END_RATIO of them silent, by the strictest
# voice detector: the command acts about 0.2 s after the words end (0.38 s with pocketsphinx's defaults), and
# the corpus (bench/listen.py) was recognised as well as with them.
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
KEPT = LONGEST + PRE_ROLL + 2.0  # seconds of the stream kept for the decoder: the longest speech, and its margins
END_WINDOW, END_RATIO, FRAME, STRICTEST = 0.12, 0.75, 0.01, 3


@dataclass(frozen=True)
class Heard:
    """One utterance the grammar matched: a command (after the wake word), an answer, or "coach" and something
    unknown; `began` and `ended` are seconds from the start of the stream."""

    kind: str  # "command", "answer" or "unknown"
    phrase: str  # the command without the wake word ("go on"), or the answer ("seven"); "" when unknown
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
        grammar = jsgf(self.commands, self.answers, decoys(self.commands, self.answers, known))
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
        pcm = self._audio(began, ended)
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
        else:
            return []  # a decoy: something the coach says, or anything else
        return [Heard(kind, phrase, confidence, began, ended)]

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
        `coach listen`; not used to drop what is heard: the uncertain ones were right as often as wrong.
        """
        paths = [path for path in itertools.islice(self._decoder.nbest() or (), RIVALS) if path is not None]
        rival = next((path for path in paths if path.hypstr != sentence), None)
        if rival is None:
            return 1.0
        frames = max(1, self._decoder.n_frames())
        margin = (_log(paths[0].score) - _log(rival.score)) / frames
        return 1 / (1 + math.exp(-margin / CONFIDENCE_SCALE))


def _log(probability: float) -> float:
    """A score as pocketsphinx keeps it (log base 1.0001); its Python API hands it over as a probability."""
    return math.log(max(probability, 1e-300)) / LOG_BASE


LOG_BASE = math.log(1.0001)
RIVALS = 40  # lattice paths looked at for another sentence: many are the same sentence segmented otherwise
CONFIDENCE_SCALE = 2.6  # a margin of 5.8 a frame, the median of the right ones with a rival, is 0.9
