"""The `coach` command line: parse the arguments, dispatch, and turn bad input (a CoachError) into one line and exit 2.

Textual and speech are imported only by the commands that need them, so
`coach --version`, `list`, `validate` and `preview` start fast.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable, Mapping, Sequence

from coach import __version__
from coach.speech import RATES, rates_told

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (or pathlib) at every start
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, NoReturn, TypeAlias

    from coach.history.recorder import Recorder
    from coach.history.store import SessionRecord
    from coach.program import Program
    from coach.session.engine import SessionLog
    from coach.settings import Settings
    from coach.speech.engine import Engine
    from coach.timeline import Timeline
    from coach.views.plain.chooser import Entry
    from coach.views.tui.app import CoachApp

    Commands: TypeAlias = "argparse._SubParsersAction[_Parser]"

EXIT_BAD_INPUT = 2
# argparse looks each of its own words up in the system's gettext catalogs, importing `locale` to do it:
# Python ships no translation of them, and the lookups were a twentieth of `coach history` (bench/history.py).
argparse._ = str  # type: ignore[attr-defined]
RECENT = 20  # sessions a history summary looks back over for each step's latest hold and reps


def _parser(only: str | None = None) -> _Parser:
    """The whole command line; with `only`, the top level and that one command's parser, all a line starting
    with that command needs: all thirteen, with the top level's options, were about 4 ms of `coach history`."""
    # `coach` alone takes the options of `coach run`: given before a command they are its own, given after it
    # they are the command's (SUPPRESS there: an option left out after the command must not undo one before it).
    # With `only`, the line starts with the command: no option of the top level can come before it.
    parents = [] if only else [_speech_options(under_command=False), _play_options(under_command=False)]
    parser = _Parser(
        prog="coach",
        description="A spoken exercise coach for the terminal. With no command: choose a program and play it.",
        parents=parents,
    )
    if not only:
        parser.add_argument("--version", action=_Version, help="show program's version number and exit")
        parser.add_argument("--dir", metavar="DIR", help="with no command: also offer the .toml programs in DIR")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    # one parser of the speech options for every command that takes them (preview too: cached audio gives real
    # lengths), made only if one does
    speech = functools.cache(lambda: _speech_options(under_command=True))
    for name, add in _COMMANDS.items():
        if only is None or name == only:
            add(commands, speech)
    return parser


def _command(commands: Commands, name: str, told: str, **options: Any) -> _Parser:
    """A command: its line in `coach --help`, and the same as a sentence heading its own --help (a caregiver's walk
    found that `coach add --help` said nothing of what add does)."""
    parser: _Parser = commands.add_parser(name, help=told, description=told[0].upper() + told[1:] + ".", **options)
    return parser


def _list_command(commands: Commands, speech: Callable[[], _Parser]) -> None:
    _command(commands, "list", "list the programs: the bundled ones, then those on the shelf")


def _validate_command(commands: Commands, speech: Callable[[], _Parser]) -> None:
    validate = _command(commands, "validate", "check program files and print every problem")
    validate.add_argument(
        "files", nargs="+", metavar="FILE", help="a .toml file, or a program's name as coach run takes it"
    )


def _preview_command(commands: Commands, speech: Callable[[], _Parser]) -> None:
    preview = _command(commands, "preview", "print what the coach will say, and when", parents=[speech()])
    preview.add_argument("program", metavar="PROGRAM", help="a bundled name, a name on the shelf, or a .toml file")
    preview.add_argument("--json", action="store_true", help="print a JSON list of {at, text, ...}")
    preview.add_argument("--no-progress", action="store_true", help="the file's own holds and reps, not grown ones")
    preview.add_argument("--no-tones", action="store_true", help="without the tone at the end of holds and timers")


def _run_command(commands: Commands, speech: Callable[[], _Parser]) -> None:
    run = _command(commands, "run", "play a program", parents=[speech(), _play_options(under_command=True)])
    run.add_argument("program", metavar="PROGRAM", help="a bundled name, a name on the shelf, or a .toml file")


def _say_command(commands: Commands, speech: Callable[[], _Parser]) -> None:
    told = "speak TEXT with the chosen engine and voice, to try them"
    say = _command(commands, "say", told, parents=[speech()])
    say.add_argument("text", metavar="TEXT", nargs="+")
    say.add_argument(
        "--language",
        type=_language,
        default=None,
        metavar="CODE",
        help="in the engine's voice for this language, as a session in it (default: the interface's)",
    )


def _voices_command(commands: Commands, speech: Callable[[], _Parser]) -> None:
    voices = _command(commands, "voices", "list the voices of the chosen engine", parents=[speech()])
    voices.add_argument(
        "--language", type=_language, default=None, metavar="CODE", help="the voices for this language (default: en)"
    )
    voices.add_argument("--program", metavar="NAME", help="the voices for this program's language, listed first")
    voices.add_argument("--all", action="store_true", help="every voice: those for the language first")


def _history_command(commands: Commands, speech: Callable[[], _Parser]) -> None:
    history = _command(commands, "history", "past sessions, newest first, and a summary per program")
    history.add_argument("--program", metavar="NAME", help="only this program: its bundled name, file or title")
    history.add_argument("--csv", action="store_true", help="write the sessions as CSV, for a spreadsheet")
    history.add_argument("--steps", action="store_true", help="with --csv: one row per step of each session")


def _listen_command(commands: Commands, speech: Callable[[], _Parser]) -> None:
    listen = _command(
        commands, "listen", "a microphone check: print and say each command it hears (Ctrl-C ends)", parents=[speech()]
    )
    listen.add_argument(
        "--listen-command",
        metavar="TEMPLATE",
        default=argparse.SUPPRESS,
        help="the recorder: raw 16-bit mono 16 kHz PCM to stdout (default: arecord, else sox); never run by a shell",
    )


def _schema_command(commands: Commands, speech: Callable[[], _Parser]) -> None:
    _command(commands, "schema", "print the JSON Schema of program files, for editors")


def _add_command(commands: Commands, speech: Callable[[], _Parser]) -> None:
    add = _command(commands, "add", "check program files and put them on the patient's shelf")
    add.add_argument(
        "files", nargs="+", metavar="FILE", help="a program file (.toml): the shelf knows it by its name, without .toml"
    )


def _remove_command(commands: Commands, speech: Callable[[], _Parser]) -> None:
    remove = _command(commands, "remove", "take a program off the shelf, after asking; its history stays")
    remove.add_argument("name", metavar="NAME", help="a program's name on the shelf (see coach list)")
    remove.add_argument("--yes", action="store_true", help="do not ask (for scripts)")


def _report_command(commands: Commands, speech: Callable[[], _Parser]) -> None:
    report = _command(commands, "report", "write a printable HTML report for a caregiver or therapist")
    report.add_argument("--program", metavar="NAME", help="only this program: its name, file or title")
    report.add_argument(
        "--weeks",
        type=_weeks,
        default=None,
        metavar="N",
        help="the last N weeks (default: 12; never before the first session)",
    )
    report.add_argument(
        "--out",
        metavar="FILE",
        help="the HTML file to write (default: coach-report-DATE.html, with --program coach-report-DATE-NAME.html;"
        " - for stdout)",
    )


def _sheet_command(commands: Commands, speech: Callable[[], _Parser]) -> None:
    sheet = _command(commands, "sheet", "write a program as a large-print HTML sheet to print")
    sheet.add_argument("program", metavar="PROGRAM", help="a bundled name, a name on the shelf, or a .toml file")
    sheet.add_argument("--out", metavar="FILE", help="the HTML file to write (default: NAME-sheet.html; - for stdout)")


# The commands in the order `coach --help` lists them.
_COMMANDS: dict[str, Callable[[Commands, Callable[[], _Parser]], None]] = {
    "list": _list_command,
    "validate": _validate_command,
    "preview": _preview_command,
    "run": _run_command,
    "say": _say_command,
    "voices": _voices_command,
    "history": _history_command,
    "listen": _listen_command,
    "schema": _schema_command,
    "add": _add_command,
    "remove": _remove_command,
    "report": _report_command,
    "sheet": _sheet_command,
}


class _Parser(argparse.ArgumentParser):
    """argparse, with a mistake told in one line: its usage block before the error is five lines of noise
    to a screen reader, and `--help` is one word away. Its subcommands' parsers are of this class too."""

    def error(self, message: str) -> NoReturn:
        if message.endswith("required: PROGRAM"):
            # A walk typed `coach run` alone, not knowing that `coach` alone opens the list to choose from.
            choose = ", or run coach alone to choose one" if self.prog.endswith(" run") else ""
            message = f"name a program (coach list shows them){choose}"
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")

    def _get_formatter(self) -> argparse.HelpFormatter:
        """argparse's formatter, told the width as argparse would find it, so that it does not import `shutil`
        (and bz2, lzma and zlib with it) for that: argparse makes one at every `add_argument`."""
        return argparse.HelpFormatter(prog=self.prog, width=_columns() - 2)  # the coach sets no other class

    def parse(self, args: Sequence[str] | None) -> argparse.Namespace:
        """`parse_args`, but an option no command knows is told as the command's ("coach run: unrecognized
        arguments: --bogus"), whose help lists its options; argparse told it as the top level's."""
        parsed, extras = self.parse_known_args(args)
        if extras:
            where = f"{self.prog} {parsed.command}" if getattr(parsed, "command", None) else self.prog
            self.exit(2, f"{where}: unrecognized arguments: {' '.join(extras)} (see {where} --help)\n")
        return parsed


class _Version(argparse.Action):
    """`--version` as argparse's own prints it, without loading its help formatter (and shutil, textwrap and
    locale with it): a third of the command's start-up."""

    def __init__(self, option_strings: list[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, argparse.SUPPRESS, default=argparse.SUPPRESS, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"coach {__version__}")
        parser.exit()


def _columns() -> int:
    """The terminal's width as `shutil.get_terminal_size` finds it: $COLUMNS, else stdout's terminal, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    stream = sys.__stdout__
    try:
        return (os.get_terminal_size(stream.fileno()).columns if stream else 0) or 80
    except (ValueError, OSError):  # closed, or not a terminal
        return 80


def _speech_options(*, under_command: bool) -> _Parser:
    from coach.speech import ENGINES

    unset, off = (argparse.SUPPRESS, argparse.SUPPRESS) if under_command else (None, False)
    options = _Parser(add_help=False)
    group = options.add_argument_group("speech")
    group.add_argument("--speech", choices=ENGINES, default=unset, help="the speech engine (default: pyttsx3)")
    group.add_argument(
        "--speech-command",
        metavar="TEMPLATE",
        default=unset,
        help="with --speech command: a command line with {text} (also {rate}, {voice}), never run by a shell",
    )
    group.add_argument("--no-speech", action="store_true", default=off, help="the same as --speech none")
    told = f"speech rate in words per minute ({RATES.start} to {RATES.stop - 1})"
    group.add_argument("--rate", type=_rate, metavar="WPM", default=unset, help=told)
    group.add_argument("--voice", metavar="ID", default=unset, help="a voice listed by `coach voices`")
    return options


def _play_options(*, under_command: bool) -> _Parser:
    unset, off = (argparse.SUPPRESS, argparse.SUPPRESS) if under_command else (None, False)
    options = _Parser(add_help=False)
    group = options.add_argument_group("playing")
    group.add_argument("--plain", action="store_true", default=off, help="screen-reader mode: one line per event")
    group.add_argument(
        "--no-progress",
        action="store_true",
        default=off,
        help="play the file's own holds and reps, not those grown from history",
    )
    group.add_argument("--theme", metavar="NAME", default=unset, help="a Textual theme; coach-high-contrast is bundled")
    group.add_argument(
        "--listen", action="store_true", default=off, help="also take spoken commands and answers (offline)"
    )
    group.add_argument(
        "--no-tones", action="store_true", default=off, help="no tone at the end of holds and timed steps"
    )
    group.add_argument(
        "--listen-command",
        metavar="TEMPLATE",
        default=unset,
        help="the recorder: raw 16-bit mono 16 kHz PCM to stdout (default: arecord, else sox); never run by a shell",
    )
    return options


def _rate(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value not in RATES:
        raise argparse.ArgumentTypeError(f"expected {rates_told()}, got {text!r}")
    return value


def _weeks(text: str) -> int:
    from coach.views.html.limits import MOST_WEEKS

    if not text.isdigit() or not 1 <= int(text) <= MOST_WEEKS:
        raise argparse.ArgumentTypeError(f"expected a number of weeks from 1 to {MOST_WEEKS}, got {text!r}")
    return int(text)


def _language(text: str) -> str:
    """A language as programs give it: `en`, `pt-BR`."""
    primary = text.split("-")[0].split("_")[0]
    if not (2 <= len(primary) <= 3 and primary.isascii() and primary.isalpha()):
        raise argparse.ArgumentTypeError(f"expected a language code such as en or pt-BR, got {text!r}")
    return text


def main(argv: Sequence[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    # A line that starts with a command is parsed by that command's parser alone; anything else (options
    # first, no command, a command misspelt) by the whole command line, which tells the choices.
    args = _parser(given[0] if given and given[0] in _COMMANDS else None).parse(given)
    from coach.errors import CoachError

    try:
        if args.command in {None, "run", "say", "voices", "listen", "preview"}:
            from coach.settings import load_settings

            settings = load_settings(vars(args))
            _use_interface(settings.language)
        else:
            _use_interface(_configured_language())
        if args.command == "validate":
            return _validate(args.files)
        if args.command == "preview":
            return _preview(args.program, settings, as_json=args.json, use_progress=not args.no_progress)
        if args.command == "history":
            return _history(args.program, as_csv=args.csv, steps=args.steps)
        if args.command == "schema":
            return _schema()
        if args.command == "add":
            return _add(args.files)
        if args.command == "remove":
            return _remove(args.name, yes=args.yes)
        if args.command == "report":
            return _report(args.program, weeks=args.weeks, out=args.out)
        if args.command == "sheet":
            return _sheet(args.program, out=args.out)
        if args.command == "run":
            return _run(args.program, settings)
        if args.command == "say":
            return _say(args.text, settings, args.language)
        if args.command == "listen":
            return _listen_check(settings)
        if args.command == "voices":
            return _voices(settings, language=_voices_language(args.language, args.program), everything=args.all)
        if args.command is None:  # the picker needs keys: with no terminal to read them from, the plain chooser
            plain = wants_plain(settings.plain, os.environ, sys.stdout.isatty()) or not sys.stdin.isatty()
            return _choose(args.dir, settings) if plain else _pick(args.dir, settings)
        return _list()
    except CoachError as error:  # bad input only: anything else is a bug, and its traceback gets it reported
        print(error, file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `coach list | head`: the reader has what it wanted (what is left: `coach.__main__`)
        return 0


def _use_interface(configured: str | None) -> None:
    from coach.i18n import interface_language, use_interface

    use_interface(interface_language(configured))


def _configured_language() -> str | None:
    """The config file's `language`, for commands that read nothing else there; a broken file is not theirs to
    report (`coach history` works whatever the config says), so it means the locale's. With no config file
    nothing is imported to read one: these commands start fast."""
    from coach.config_file import config_path
    from coach.errors import ConfigError

    path = config_path()
    if not os.path.exists(path):
        return None
    from coach.settings import load_config

    try:
        language = load_config(path).get("language")
    except ConfigError:
        return None
    return language if isinstance(language, str) else None


def _offered(folder_name: str | None, settings: Settings, broken: list[str]) -> list[Entry]:
    """The programs `coach` alone offers: the bundled ones, those on the shelf (marked), and those in --dir (one
    named as a bundled or shelved one is marked with its file's name: a walk's demo.toml hid the bundled Demo).
    The files among them that do not load go to `broken`, with their first problem."""
    from coach.program.catalog import bundled
    from coach.program.shelf import MARK, shelved
    from coach.views.plain.chooser import load_entries

    paths = dict(bundled())
    shelf = {name: path for name, path in shelved().items() if name not in paths}
    paths.update(shelf)
    marks = dict.fromkeys(shelf, MARK)
    if folder_name:
        from pathlib import Path

        folder = Path(folder_name)
        if not folder.is_dir():
            from coach.errors import UsageError

            raise UsageError(f"--dir {folder_name}: not a folder")
        for path in sorted(folder.glob("*.toml")):  # added, never in place of one of the same name
            name = path.stem if path.stem not in paths else str(path)
            paths[name] = path
            if name != path.stem:
                marks[name] = path.name  # told apart by its file's name
    entries = load_entries(paths, settings.rate, marks=marks, broken=broken, tones=settings.sounds)
    return _told_apart(entries, set(bundled()) | set(shelf))


def _told_apart(entries: list[Entry], known: set[str]) -> list[Entry]:
    """A file of --dir whose title another program has is marked with its file's name too: a caregiver's walk
    kept two versions of one program in a folder and was offered two identical rows."""
    import dataclasses
    from collections import Counter

    titles = Counter(entry.program.title for entry in entries)
    return [
        dataclasses.replace(entry, mark=entry.path.name)
        if titles[entry.program.title] > 1 and not entry.mark and entry.name not in known and entry.path is not None
        else entry
        for entry in entries
    ]


def _choose(folder: str | None, settings: Settings) -> int:
    """`coach` alone in plain mode: the plain chooser, then the program plays just as `coach run` plays it."""
    from coach.program.text import escape
    from coach.views.plain.chooser import choose
    from coach.views.plain.wrapping import fit

    def write(text: str) -> None:
        print(fit(escape(text), sys.stdout), flush=True)

    import dataclasses

    broken: list[str] = []
    entries = _offered(folder, settings, broken)
    entry = choose(entries, sys.stdin, write, broken)
    if entry is None:
        return 0
    return _run(str(entry.path), dataclasses.replace(settings, plain=True))  # chosen in plain lines, played so


def _pick(folder: str | None, settings: Settings) -> int:
    """`coach` alone in a terminal: the picker, then the player."""
    from coach.views.tui.app import make_app

    theme = _theme(settings)
    broken: list[str] = []
    entries = _offered(folder, settings, broken)
    _tell_unoffered(broken)  # before the picker takes the screen (its own), so it is there again when it ends
    rate = settings.rate
    recorders: list[Recorder] = []

    def plan(entry: Entry) -> tuple[Timeline, SessionLog | None]:
        from coach.plan import plan_session
        from coach.program import ProgramError

        assert entry.path is not None
        try:
            planned = plan_session(entry.path, rate=rate, listening=settings.listen, tones=settings.sounds)
        except ProgramError:  # the file changed since the list was made: play it as it was listed
            return entry.timeline, None
        recorders.append(planned.recorder)
        return planned.timeline, planned.recorder

    listen = _listen(settings)
    app = make_app(
        entries=entries,
        engine=_engine(settings),
        voice=settings.voice,
        theme=theme,
        plan=plan,
        listen=listen,
        tones=settings.sounds,
    )
    try:
        app.run()
    finally:
        for recorder in recorders:
            _report_unsaved(recorder.close())
    # As `coach run` leaves them: a walk started from the picker, stopped for pain, and the advice was gone.
    _leave_last_words(app)
    if app.ended_by is not None:  # Ctrl-C or a signal: the same status as `coach run` gives
        raise SystemExit(128 + app.ended_by)
    return app.return_code or 0  # 1 if the app failed: a traceback is never a success


def _theme(settings: Settings) -> str | None:
    """The theme, checked before Textual takes the terminal: one line and exit 2 for an unknown one. Only
    the commands that start Textual anyway check it, so the others never import it."""
    from coach.errors import ConfigError, UsageError
    from coach.views.tui.themes import theme_problem

    problem = theme_problem(settings.theme) if settings.theme else None
    if problem:
        raise (UsageError if settings.theme_from == "--theme" else ConfigError)(f"{settings.theme_from}: {problem}")
    return settings.theme


def _tell_unoffered(broken: list[str]) -> None:
    from coach.program.text import escape
    from coach.views.plain.chooser import unoffered

    for line in unoffered(broken):
        print(escape(line), file=sys.stderr)


def _list() -> int:
    """The bundled programs, then the shelf's, marked; a shelf file that does not load is listed with its
    first problem (on stdout, in the list where it is looked for), never left out."""
    from coach.i18n import base, interface
    from coach.program import ProgramError, load_program
    from coach.program.catalog import bundled
    from coach.program.durations import format_clock
    from coach.program.shelf import MARK, shelf_dir, shelved
    from coach.program.text import escape
    from coach.timeline import compile_program
    from coach.views.plain.chooser import first_problem

    folder = shelf_dir()  # first: a broken config file is its one line, not a list cut short
    shelf = shelved(folder)
    tones = _tones_as_run()
    for name, path in bundled().items():
        program = load_program(path)
        length = format_clock(compile_program(program, tones=tones).length)
        print(f"{name:<24} {length:>7}  {base(program.language):<2}  {program.title}")
    if not shelf:
        return 0
    print("\n" + interface().gettext("Yours, on the shelf in {folder}:").format(folder=escape(str(folder))))
    for name, path in shelf.items():
        if name in bundled():
            print(escape(f"{name:<24} {'':>7}      not offered: a bundled program has this name; rename {path.name}"))
            continue
        try:
            program = load_program(path)
        except ProgramError as error:
            print(escape(f"{name:<24} {'':>7}      does not load: {first_problem(error)}"))
            continue
        length = format_clock(compile_program(program, tones=tones).length)
        print(
            escape(
                f"{name:<24} {length:>7}  {base(program.language):<2}  {program.title} ({interface().gettext(MARK)})"
            )
        )
    return 0


def _add(files: list[str]) -> int:
    """Check every file first and add none unless all are good; then copy each onto the shelf whole."""
    from pathlib import Path  # here: not every command pays for pathlib at start

    from coach.errors import UsageError
    from coach.program import ProgramError, parse_program
    from coach.program.catalog import bundled
    from coach.program.reading import Unreadable, read_bounded
    from coach.program.shelf import name_problem, place, shelf_dir, shelved
    from coach.program.text import escape
    from coach.timeline import compile_program

    problems: list[str] = []
    ready: dict[str, tuple[str, bytes, Program]] = {}  # name -> file, bytes, program
    on_shelf = list(shelved(shelf_dir()))
    for file in files:
        name = Path(file).name.removesuffix(".toml")
        try:
            data = read_bounded(file)
            program = parse_program(data, file=file)
        except Unreadable as error:
            problems.append(f"{escape(file)}: {error}")
            continue
        except ProgramError as error:
            problems.extend(str(error).splitlines())
            continue
        wrong = name_problem(name, bundled())
        if wrong is None and name in ready:
            wrong = f"{name!r} is given twice ({escape(ready[name][0])} and this file): one program per name"
        # One name to a person who types it, two files on a disk, one file on a case-blind synced folder.
        same = next(
            (taken for taken in [*on_shelf, *ready] if taken != name and taken.casefold() == name.casefold()), None
        )
        if wrong is None and same is not None:
            wrong = (
                f"{name!r} is the program {same!r} but for case: name the file {same}.toml to replace it, or rename it"
            )
        if wrong is not None:
            problems.append(f"{escape(file)}: {wrong}")
            continue
        ready[name] = (file, data, program)
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        print(f"Nothing added: {len(problems)} problem{'s' if len(problems) > 1 else ''}.", file=sys.stderr)
        return EXIT_BAD_INPUT
    folder = shelf_dir()
    was = shelved(folder)
    for name, (file, data, program) in ready.items():
        title = program.title
        old = _loaded(was.get(name))  # read before the new version is put in its place
        afresh = _progress_afresh(old, data, name)
        retitled = old.title if old is not None else None
        try:
            placed = place(data, name, folder)
        except OSError as error:
            raise UsageError(f"coach add: cannot write to {folder}: {error.strerror or error}") from None
        said = "Replaced" if placed.replaced or name in was else "Added"
        after = "; its history and progression go on" if said == "Replaced" else ""
        if retitled is not None and retitled != title:  # a walk replaced a program with another in silence
            after = f"; it was {retitled}, and its history and progression go on under the new title"
        print(escape(f"{said} {name} ({title}){after}. Play it with: coach run {name}"))
        for note in _notes(program, compile_program(program, tones=_tones_as_run())):
            print(f"  {note[0].upper()}{note[1:]}.")
        if afresh:  # progression is kept by a step's title: a step renamed, or new, starts from its own values
            print(
                escape(
                    f"  Progression starts from this file's values for steps never played before: {', '.join(afresh)}."
                )
            )
        before = _recorded_at(str(Path(file).resolve()))
        if before and said == "Added":  # played from its file before: those sessions stay under the file's path
            print(
                escape(
                    f"  Its {before} session{'s' if before > 1 else ''} played from {Path(file).resolve()}"
                    f" {'stay' if before > 1 else 'stays'} in the"
                    f" history under that file: coach history --program {Path(file).resolve()}"
                )
            )
    return 0


def _recorded_at(key: str) -> int:
    """How many sessions the history holds under `key` (a file's absolute path, as files off the shelf are kept)."""
    from coach.history.store import History, HistoryError

    history = History()
    try:
        return len(history.sessions(key))
    except HistoryError:
        return 0
    finally:
        history.close()


def _loaded(path: os.PathLike[str] | None) -> Program | None:
    """The program at `path`; None where there is none, or it does not load."""
    from coach.program import ProgramError, load_program

    if path is None:
        return None
    try:
        return load_program(path)
    except ProgramError:
        return None


def _progress_afresh(old: Program | None, data: bytes, name: str) -> list[str]:
    """The titles of the new version's growing steps that are new to it: in neither the old version (if any, and
    loadable) nor the history, where a step's progression is kept by its title. A walk renamed a step and then
    named it back: told it started afresh, it went on from its recorded sessions."""
    from coach.history.store import History, HistoryError
    from coach.program import parse_program

    if old is None:
        return []
    history = History()
    try:
        played = {title for steps in history.done(name).values() for title in steps}
    except HistoryError:
        played = set()
    finally:
        history.close()
    before = {step.title for step in old.steps} | played
    return [step.title for step in parse_program(data).steps if step.progress is not None and step.title not in before]


def _remove(name: str, *, yes: bool) -> int:
    """Take NAME off the shelf after a yes (or with --yes); the history is never touched."""
    from coach.errors import UsageError
    from coach.program.shelf import shelved
    from coach.program.text import escape

    shelf = shelved()
    path = shelf.get(name)
    if path is None:
        from coach.program.catalog import bundled

        if name in bundled():
            raise UsageError(f"coach remove: {escape(name)} is a bundled program; only those added with coach add go")
        yours = ", ".join(escape(taken) for taken in shelf) or "none"
        # Asked for as its file or in other capitals: named, not removed (a caregiver's walk's Neck and neck.toml)
        meant = [taken for taken in shelf if taken.casefold() == name.removesuffix(".toml").casefold()]
        hint = f"; did you mean {escape(meant[0])}?" if meant else ""
        raise UsageError(f"coach remove: no program named {escape(name)!r} on the shelf{hint} (yours: {yours})")
    if not yes:  # a line of its own, answered with a line, as the plain chooser asks; the end of input is a no
        print(f"Take {escape(name)} off the shelf? Its history stays. Type y and Enter to remove it.", flush=True)
        if sys.stdin.readline().strip().casefold() not in {"y", "yes"}:
            print(f"Not removed. (Without asking: coach remove {escape(name)} --yes)")
            return 1
    try:
        path.unlink()
    except FileNotFoundError:
        pass  # gone meanwhile: what was asked is done
    except OSError as error:
        raise UsageError(f"coach remove: cannot remove {path}: {error.strerror or error}") from None
    print(f"Removed {escape(name)} from the shelf. Its history stays: coach history --program {escape(name)}")
    return 0


def _tones_as_run() -> bool:
    """Whether a length shown outside a session (list, validate, the sheet) counts the tone at each hold's end:
    as `coach run` plays it with no options. `preview` counted it and `list` did not (0:58 against 0:57)."""
    from coach.settings import Settings

    return Settings().sounds


def _validate(files: list[str]) -> int:
    from pathlib import Path

    from coach.program import ProgramError, load_program
    from coach.program.catalog import resolve
    from coach.program.durations import format_clock
    from coach.program.text import escape
    from coach.timeline import compile_program

    status, tones = 0, _tones_as_run()
    for name in files:
        try:
            # A name, as `coach run` takes one: a caregiver's walk checked `coach validate mrsmith` and was
            # told there was no such file. A path is a path, whatever it names.
            program = load_program(resolve(name) if Path(name).suffix != ".toml" else name)
        except ProgramError as error:
            print(error)
            status = EXIT_BAD_INPUT
            continue
        timeline = compile_program(program, tones=tones)
        steps = len(program.exercises)
        notes = "".join(f"; {note}" for note in _notes(program, timeline))
        print(f"{escape(name)}: ok, {steps} step{'' if steps == 1 else 's'}, {format_clock(timeline.length)}{notes}")
    return status


def _notes(program: Program, timeline: Timeline) -> list[str]:
    """What a valid program is told with, by `validate` and by `add` alike: a caregiver's walk added a program
    whose `ready` step waits for ever, and only `validate` would have said so."""
    notes = (_language_note(program.language), _unsaid_note(program, timeline), _forever_note(program))
    return [note for note in notes if note]


def _unsaid_note(program: Program, timeline: Timeline) -> str:
    """The cues the timeline found no room for: valid, but a walk's cue in 5-second holds was never said, and
    only `coach preview` showed it."""
    from coach.program.text import literal

    said = {cue.text for segment in timeline.segments for cue in segment.cues}
    unsaid = [
        f"{literal(cue)} in {literal(step.title)} (line {step.line})"
        for step in program.steps
        for cue in step.cues
        if cue not in said
    ]
    if not unsaid:
        return ""
    return f"never said, no room for it (shorten it, or give its step more time): {', '.join(unsaid)}"


def _forever_note(program: Program) -> str:
    """The `ready` steps with `timeout = "0s"`: valid, and they wait for a key for ever, so its length is not the
    session's. A walk's such step hung a session fed no input, after `validate` had said it took 0:18."""
    from coach.program import Kind
    from coach.program.text import literal

    forever = [
        f"{literal(step.title)} (line {step.line})"
        for step in program.steps
        if step.kind == Kind.READY and not step.timeout
    ]
    if not forever:
        return ""
    return f"waits for a key for ever, not counted in its length (hands-free, give it a timeout): {', '.join(forever)}"


def _language_note(language: str) -> str:
    """Said where a program's language is one the coach has no sentences in: valid, but a walk found it accepted
    in silence, and a session then says "Hold." and "Release." in English."""
    from coach.i18n import LANGUAGES, base

    if base(language) in LANGUAGES:
        return ""
    spoken = ", ".join(LANGUAGES)
    return f'language "{language}": the coach\'s own sentences will be in English (it has them in {spoken})'


def _preview(name: str, settings: Settings, *, as_json: bool, use_progress: bool) -> int:
    from coach.plan import preview_timeline, resolve_named
    from coach.views import preview

    path = resolve_named(name)
    timeline = preview_timeline(path, use_progress=use_progress, rate=settings.rate, tones=settings.sounds)
    lengths = _cached_lengths(settings, timeline.language)  # the engine's voice for the program's language
    if lengths is not None and timeline.relay is not None:
        timeline = timeline.relay(lengths)
    print(preview.as_json(timeline) if as_json else preview.as_text(timeline))
    if lengths is not None and not as_json and (note := preview.estimated(timeline)):
        print(note, file=sys.stderr)
    return 0


def _cached_lengths(settings: Settings, language: str) -> Callable[[str], float | None] | None:
    """For a rendering engine: the real length of each sentence whose audio is in the cache (None for the rest);
    None for an engine that speaks by itself, or one that cannot render here."""
    from coach.i18n import base
    from coach.speech.engine import SpeechFailed, voice_for
    from coach.speech.rendering import RenderingEngine

    engine = _engine(settings)
    if not isinstance(engine, RenderingEngine) or not engine.renders:
        return None
    try:
        engine.identify()  # nothing is started: no worker, no model loaded
    except SpeechFailed:
        return None
    voice = settings.voice
    if voice is None and base(language) != "en":  # as the speaker chooses it for the session
        try:
            voice = voice_for(engine.voices(), language)
        except (SpeechFailed, OSError):
            voice = None
    return lambda text: engine.length(text, rate=settings.rate, voice=voice)


def _engine(settings: Settings) -> Engine:
    from coach.speech.engines import make_engine

    return make_engine(settings.speech, settings.speech_command, settings.piper_model)


def _listen(settings: Settings) -> str | None:
    """The recorder's template when listening ("" for the default recorder), None when not; checked here so a
    template that cannot be split is one line before anything starts."""
    if not settings.listen:
        return None
    if settings.listen_command is not None:  # given, even empty: an empty one is an error, as --speech-command's is
        from coach.listen.recorder import split_template

        split_template(settings.listen_command)
    return settings.listen_command or ""


def _run(program: str, settings: Settings) -> int:
    from coach.plan import plan_session, resolve_named

    plain = wants_plain(settings.plain, os.environ, sys.stdout.isatty())
    if not plain:
        _theme(settings)
    plan = plan_session(
        resolve_named(program),
        rate=settings.rate,
        use_progress=settings.use_progress,
        listening=settings.listen,
        tones=settings.sounds,
        typed=plain and not sys.stdin.isatty(),  # as plain mode reads it: words from a pipe
    )
    try:
        return _play(settings, plan.timeline, plan.recorder)
    finally:
        _report_unsaved(plan.recorder.close())


def _play(settings: Settings, timeline: Timeline, log: SessionLog) -> int:
    from coach.views.plain.play import play_plain

    engine = _engine(settings)
    if wants_plain(settings.plain, os.environ, sys.stdout.isatty()):
        play_plain(
            timeline,
            keys=sys.stdin,
            engine=engine,
            voice=settings.voice,
            log=log,
            listen=_listen(settings),
            tones=settings.sounds,
        )
        return 0
    from coach.views.tui.app import make_app

    app = make_app(
        timeline,
        engine=engine,
        voice=settings.voice,
        theme=settings.theme,
        log=log,
        listen=_listen(settings),
        tones=settings.sounds,
    )
    app.run()
    _leave_last_words(app)
    if app.ended_by is not None:
        raise SystemExit(128 + app.ended_by)
    return 0


def _leave_last_words(app: CoachApp) -> None:
    if app.player is not None and app.player.last_words:  # left in the terminal once the screen is gone
        _leave_in_terminal(app.player.last_words)


def _leave_in_terminal(words: str) -> None:
    """The player's last words, printed once its screen is gone; nowhere if the terminal went with it (its
    window closed: SIGHUP), where the print failed (EIO) and turned exit status 129 into 1 or 120."""
    import contextlib

    from coach.program.text import escape
    from coach.views.plain.wrapping import fit

    with contextlib.suppress(OSError):  # what is left unwritten is let go at the exit (`coach.__main__`)
        # broken at spaces as plain mode's lines are: the terminal itself cut "goes on o / r gets worse" at 40
        print("\n".join(fit(line, sys.stdout) for line in escape(words).split("\n")), flush=True)


def _report_unsaved(failure: str | None) -> None:
    if failure:
        from coach.program.text import escape

        print(escape(failure), file=sys.stderr)


def _history(name: str | None, *, as_csv: bool, steps: bool) -> int:
    """The records on stdout (a table or CSV); what is said about them (there are none) on stderr."""
    import time

    from coach.errors import UsageError
    from coach.history import adherence, report
    from coach.history.store import History
    from coach.i18n import interface

    if steps and not as_csv:
        raise UsageError("coach history: --steps goes with --csv (one row per step, for a spreadsheet)")
    history = History()
    try:
        records = history.sessions()
        if name is not None:
            records = report.chosen(records, name, "coach history", none_yet=True)
        if not records:
            words = interface()
            told = (
                words.gettext("No sessions of that program yet.")
                if name
                else words.gettext("No sessions yet: each `coach run` is recorded here.")
            )
            print(told, file=sys.stderr)
        ids = [record.id for record in records]
        if as_csv:  # the header, even alone: a spreadsheet opens it
            if steps:
                sys.stdout.write(report.steps_csv(records, history.steps(ids)))
            else:
                sys.stdout.write(report.as_csv(records, history.steps(ids, notable=True)))
            return 0
        if not records:
            return 0
        print(report.table(records, history.steps(ids, notable=True)))
        programs: dict[str, list[SessionRecord]] = {}
        for record in records:
            programs.setdefault(record.program, []).append(record)
        for key, sessions in programs.items():
            recent = history.steps([record.id for record in sessions[:RECENT]])
            counted = adherence.lines(sessions, adherence.how_often(key, sessions), time.time())
            print()
            print(report.summary(sessions, report.latest_values(recent.values(), done=True), time.time(), counted))
    finally:
        history.close()
    return 0


def _report(name: str | None, *, weeks: int | None, out: str | None) -> int:
    """The report, written whole to --out (or a dated file here); one line on stderr saying where."""
    import time

    from coach.history.store import History
    from coach.views.html.limits import DEFAULT_WEEKS
    from coach.views.html.page import write
    from coach.views.html.report import build

    history = History()
    try:
        page = build(history, name, weeks or DEFAULT_WEEKS)
    finally:
        history.close()
    target = write(page, out or _report_name(name, time.strftime("%Y-%m-%d")))
    if target is not None:
        _wrote(target)
    return 0


def _report_name(program: str | None, day: str) -> str:
    """coach-report-DAY.html, or for one program coach-report-DAY-NAME.html: a caregiver's walk wrote one
    program's report, then another's the same day over it. A file's or a title's name is made a file name."""
    import re

    if not program:
        return f"coach-report-{day}.html"
    name = re.sub(r"[^\w-]+", "-", os.path.splitext(os.path.basename(program.rstrip("/")))[0]).strip("-")
    return f"coach-report-{day}-{name or 'program'}.html"


def _sheet(name: str, *, out: str | None) -> int:
    from coach.plan import grown_program, resolve_named
    from coach.views.html.page import write
    from coach.views.html.sheet import build

    path = resolve_named(name)
    page = build(grown_program(path), tones=_tones_as_run())
    target = write(page, out or f"{path.stem}-sheet.html")
    if target is not None:
        _wrote(target)
    return 0


def _wrote(target: Path) -> None:
    """Where a printable page was written, in the interface's language (a walk's Spanish report said "Wrote")."""
    from coach.i18n import interface
    from coach.program.text import escape

    told = interface().gettext("Wrote {path}: open it in a web browser, and print it from there.")
    print(escape(told.format(path=target.resolve())), file=sys.stderr)


def _schema() -> int:
    import json

    from coach.program.jsonschema import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return 0


def wants_plain(plain_flag: bool, environ: Mapping[str, str], stdout_is_terminal: bool) -> bool:
    """--plain, or ACCESSIBLE set (and not 0), or TERM=dumb, or output that is not a terminal."""
    accessible = environ.get("ACCESSIBLE", "")
    return plain_flag or accessible not in {"", "0"} or environ.get("TERM") == "dumb" or not stdout_is_terminal


def _listen_check(settings: Settings) -> int:
    import dataclasses

    from coach.program.text import escape
    from coach.session.clock import MonotonicClock
    from coach.speech.speaker import Speaker
    from coach.views.listen_check import check_microphone

    template = _listen(dataclasses.replace(settings, listen=True))
    speaker = Speaker(
        _engine(settings),
        clock=MonotonicClock(),
        rate=settings.rate,
        voice=settings.voice,
        on_notice=lambda notice: print(escape(notice), file=sys.stderr),
    )
    from coach.views.plain.wrapping import fit

    # Broken between words, as plain mode's lines are: a walk read "Commands s" / "tart with" at 80 columns.
    return check_microphone(template, speaker, lambda text: print(fit(escape(text), sys.stdout), flush=True))


def _say(words: list[str], settings: Settings, language: str | None) -> int:
    """TEXT in the voice a session in `language` would have: a Spanish caregiver's `coach say hola` was read by
    the English voice (the interface's language when none is given; `--voice` wins, as in a session)."""
    from coach.errors import UsageError
    from coach.i18n import interface_code
    from coach.program.text import escape
    from coach.session.clock import MonotonicClock
    from coach.session.engine import Event
    from coach.speech.speaker import Speaker
    from coach.timeline import Priority

    text = " ".join(words).strip()
    if not text:
        raise UsageError("coach say: nothing to say; give the words to speak")
    if settings.speech == "none":  # a walk's `coach say --no-speech Hello.` said nothing, printed nothing, exit 0
        raise UsageError("coach say: with --speech none nothing is said; leave it out, or choose another engine")
    clock = MonotonicClock()
    speaker = Speaker(
        _engine(settings),
        clock=clock,
        rate=settings.rate,
        voice=settings.voice,
        on_notice=lambda notice: print(escape(notice), file=sys.stderr),
    )
    speaker.start()
    try:
        speaker.wait_ready(15)
        speaker.use_language(language or interface_code())
        speaker.say(Event(clock.now(), text, Priority.ANNOUNCE, "say", 0, 0))
        speaker.finish()
    finally:
        speaker.close()
    return 0 if any(record.outcome == "spoken" for record in speaker.records) else 1


def _voices_language(language: str | None, program: str | None) -> str:
    """`--language`, else the language of `--program` (a bundled name, a shelf name or a file), else English."""
    if language is not None:
        return language
    if program is None:
        return "en"
    from coach.plan import resolve_named
    from coach.program import load_program

    return load_program(resolve_named(program)).language


def _voices(settings: Settings, *, language: str, everything: bool) -> int:
    """The voices for one language (English unless asked), or with --all every voice, that language's first.

    An engine such as speech-dispatcher knows thousands of voices; a person looking for one to use
    wants those that speak their program's language, and is told how many others there are.
    """
    from coach.program.text import escape
    from coach.speech.engine import OTHER_LANGUAGE, SpeechFailed, language_rank

    engine = _engine(settings)
    try:
        voices = engine.voices()
    except SpeechFailed as failure:
        print(escape(str(failure)), file=sys.stderr)
        return 1
    finally:
        engine.close()
    if not voices:
        print(f"The {engine.name} engine has no list of voices.", file=sys.stderr)
        return 0

    def rank(languages: str) -> int:
        return language_rank(languages, language)

    ranked = sorted(voices, key=lambda voice: rank(voice.languages))  # stable: the engine's order within
    shown = ranked if everything else [voice for voice in ranked if rank(voice.languages) < OTHER_LANGUAGE]
    for voice in shown:
        print(escape(f"{voice.id:<24} {voice.name:<28} {voice.languages}".rstrip()))
    others = len(voices) - len(shown)
    if others:
        sys.stdout.flush()  # the note comes last in a terminal, too
        print(
            f"{len(shown)} voices for {escape(language)}; {others} more for other languages: coach voices --all"
            f" (or --language CODE)",
            file=sys.stderr,
        )
    return 0
