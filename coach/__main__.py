"""Lets `python -m coach` behave exactly like the `coach` console script."""

from coach.cli import main

raise SystemExit(main())
