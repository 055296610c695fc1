"""The `coach` command line: parse the arguments, dispatch, and turn errors into one line and exit 2.

Textual and speech are imported only by the commands that need them, so
`coach --version`, `list`, `validate` and `preview` start fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from coach import __version__

EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coach", description="A spoken exercise coach for the terminal.")
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("list", help="list the bundled programs")
    validate = commands.add_parser("validate", help="check program files and print every problem")
    validate.add_argument("files", nargs="+", metavar="FILE")
    preview = commands.add_parser("preview", help="print what the coach will say, and when")
    preview.add_argument("program", metavar="PROGRAM", help="a bundled name or a .toml file")
    preview.add_argument("--json", action="store_true", help="print a JSON list of {at, text, ...}")
    run = commands.add_parser("run", help="play a program")
    run.add_argument("program", metavar="PROGRAM", help="a bundled name or a .toml file")
    run.add_argument("--plain", action="store_true", help="screen-reader mode: one line per event")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from coach.program import ProgramError

    try:
        if args.command == "validate":
            return _validate(args.files)
        if args.command == "preview":
            return _preview(args.program, as_json=args.json)
        if args.command == "run":
            return _run(args.program)
        return _list()
    except ProgramError as error:
        print(error, file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


def _list() -> int:
    from coach.catalog import bundled
    from coach.program import load_program
    from coach.program.durations import format_clock
    from coach.timeline import compile_program

    for name, path in bundled().items():
        program = load_program(path)
        print(f"{name:<24} {format_clock(compile_program(program).length):>7}  {program.title}")
    return 0


def _validate(files: list[str]) -> int:
    from coach.program import ProgramError, load_program
    from coach.program.durations import format_clock
    from coach.program.text import escape
    from coach.timeline import compile_program

    status = 0
    for name in files:
        try:
            program = load_program(name)
        except ProgramError as error:
            print(error)
            status = EXIT_BAD_INPUT
            continue
        length = format_clock(compile_program(program).length)
        print(f"{escape(name)}: ok, {len(program.steps)} steps, {length}")
    return status


def _preview(name: str, *, as_json: bool) -> int:
    from coach import preview
    from coach.catalog import resolve
    from coach.program import load_program
    from coach.timeline import compile_program

    timeline = compile_program(load_program(resolve(name)))
    print(preview.as_json(timeline) if as_json else preview.as_text(timeline))
    return 0


def _run(name: str) -> int:
    from coach.catalog import resolve
    from coach.plain import play_plain
    from coach.program import load_program
    from coach.timeline import compile_program

    play_plain(compile_program(load_program(resolve(name))))
    return 0
