"""Rendered sentences kept on disk, so that a voice is made once and a warm session starts at once.

A clip is found by a key made of the engine (and its version or model), the
voice, the rate and the text. It is written under a temporary name and
renamed, so that a coach killed mid-write never leaves a truncated clip to be
played. The folder is bounded: when it grows past its limit, the clips used
longest ago go first (using a clip touches it). Where the cache folder cannot
be written (a read-only home), clips go to a private temporary folder for the
session instead, and speech goes on.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
import time
import wave
from pathlib import Path

LIMIT = 256 * 1024 * 1024  # bytes: a 20-minute session's clips take about 10 MB; this keeps many voices and rates
STALE_PART = 60.0  # seconds: a partial clip older than this was left by a coach that died writing it
KEEP = 0.9  # a trim goes down to this share of the limit, so that it does not run again at the next clip


def cache_folder() -> Path:
    """`COACH_CACHE_DIR`, else the speech folder in the user cache folder (coach.folders)."""
    named = os.environ.get("COACH_CACHE_DIR")
    if named:
        return Path(named).expanduser()  # as COACH_DATA_DIR (coach.folders.data_folder)
    from coach.folders import user_folder

    return Path(user_folder("cache"), "speech")


def clip_key(engine: str, voice: str | None, rate: int, text: str) -> str:
    return hashlib.sha256("\0".join((engine, voice or "", str(rate), text)).encode()).hexdigest()


def wav_seconds(path: Path) -> float | None:
    """How long a WAV plays; None if it is not a whole WAV."""
    try:
        with wave.open(str(path)) as audio:
            rate = audio.getframerate()
            return audio.getnframes() / rate if rate else None
    except (OSError, EOFError, wave.Error):
        return None


class ClipCache:
    """One folder of WAV clips by key, bounded to `limit` bytes."""

    def __init__(self, folder: Path | None = None, limit: int = LIMIT) -> None:
        self.folder = folder or cache_folder()
        self.limit = limit
        self._lock = threading.Lock()
        self._size: int | None = None  # bytes in the folder, counted once, then kept up to date
        self._private: Path | None = None  # a temporary folder, when the cache folder cannot be written

    def find(self, key: str) -> Path | None:
        """The clip's file, touched as used; None if there is none."""
        path = self._path(key)
        try:
            os.utime(path)
        except OSError:
            return None
        return path

    def put(self, key: str, wav: bytes) -> Path:
        """Keep `wav` under `key`: written to a temporary name, then renamed, then the folder trimmed."""
        path = self._path(key)
        try:
            self._write(path, wav)
        except OSError:
            path = self._fallback() / path.name
            self._write(path, wav)
            return path
        self._grew(len(wav))
        return path

    def close(self) -> None:
        if self._private is not None:
            shutil.rmtree(self._private, ignore_errors=True)

    def _path(self, key: str) -> Path:
        return (self._private or self.folder) / f"{key}.wav"

    def _fallback(self) -> Path:
        if self._private is None:
            self._private = Path(tempfile.mkdtemp(prefix="coach-speech-"))
        return self._private

    @staticmethod
    def _write(path: Path, wav: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(wav)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _grew(self, added: int) -> None:
        with self._lock:
            if self._size is None:
                self._size = sum(size for _, size, _ in self._clips())
            else:
                self._size += added
            if self._size > self.limit:
                self._size = self._trim()

    def _clips(self) -> list[tuple[float, int, Path]]:
        found = []
        for path in self.folder.glob("*.wav"):
            try:
                status = path.stat()
            except OSError:
                continue
            found.append((status.st_mtime, status.st_size, path))
        return found

    def _trim(self) -> int:
        """Remove the clips used longest ago until the folder is within KEEP of its limit; returns its size."""
        clips = sorted(self._clips())
        size = sum(clip[1] for clip in clips)
        for _, bytes_, path in clips:
            if size <= self.limit * KEEP:
                break
            path.unlink(missing_ok=True)
            size -= bytes_
        for leftover in self.folder.glob(".*.part"):  # what a coach killed mid-write left behind
            try:
                if leftover.stat().st_mtime < time.time() - STALE_PART:
                    leftover.unlink()
            except OSError:
                continue
        return size
