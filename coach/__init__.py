"""coach: a spoken exercise coach for people who cannot or would rather not watch a screen."""

__version__ = "0.1.0"
