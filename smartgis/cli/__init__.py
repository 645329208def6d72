"""The ``smartgis`` command: one entry point, one module per subcommand.

Each subcommand module in this package has ``register(subparsers)`` adding its parser
with ``func=run``.  User errors (:class:`smartgis.errors.UserError`) are printed as one
line naming the file and the problem, with exit code 2; no traceback reaches a user.

Messages are English (scripts compare them) unless ``SMARTGIS_LANG=zh`` asks for
Chinese; the language is set before anything runs, plugin discovery included, so
every message and warning follows it.  argparse's own usage text stays English.
"""

from __future__ import annotations

import argparse
import importlib
import math
import os
import sys
import traceback

from smartgis import __version__
from smartgis.errors import Cancelled, UserError
from smartgis.i18n import _, get_language, language_from_environment, localize, set_language
from smartgis.session import start as start_session

def command_modules() -> list:
    """Subcommand modules of this package, in their ``ORDER`` (how --help lists them).

    A module is a subcommand when it defines ``register(subparsers)``; adding a command
    is adding a module here, nothing else changes.
    """
    import pkgutil
    mods = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == "common":
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(mod, "register"):
            mods.append(mod)
    return sorted(mods, key=lambda m: (getattr(m, "ORDER", 50), m.__name__))

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130


#: Exit code of an internal error (a fault of SmartGIS, written to crash.log): BSD's EX_SOFTWARE.
EXIT_INTERNAL = 70


def finite_float(text: str) -> float:
    """argparse type of every float option: a number, never NaN or infinity."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return value


class Parser(argparse.ArgumentParser):
    """argparse with a one-line error message (and exit code 2); float options take
    finite numbers only (``--angle nan``, ``--radius inf`` are usage errors)."""

    def error(self, message: str):  # noqa: D401 - argparse API
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")

    def add_argument(self, *args, **kwargs):
        if kwargs.get("type") is float:
            kwargs["type"] = finite_float
        return super().add_argument(*args, **kwargs)

    def add_argument_group(self, *args, **kwargs):
        group = super().add_argument_group(*args, **kwargs)
        _finite_floats(group)
        return group

    def add_mutually_exclusive_group(self, **kwargs):
        group = super().add_mutually_exclusive_group(**kwargs)
        _finite_floats(group)
        return group


def _finite_floats(group) -> None:
    add = group.add_argument

    def add_argument(*args, **kwargs):
        if kwargs.get("type") is float:
            kwargs["type"] = finite_float
        return add(*args, **kwargs)
    group.add_argument = add_argument
    sub_group = group.add_mutually_exclusive_group

    def add_mutually_exclusive_group(**kwargs):
        g = sub_group(**kwargs)
        _finite_floats(g)
        return g
    group.add_mutually_exclusive_group = add_mutually_exclusive_group


def build_parser() -> Parser:
    p = Parser(prog="smartgis",
               description="SmartGIS — top-level design of smart cities: place sensors, networks and "
                           "facilities, check them against the standards. Without a command, opens the "
                           "desktop window.",
               epilog="Run 'smartgis COMMAND --help' for the options of a command.")
    p.add_argument("--version", action="version", version=f"SmartGIS {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for mod in command_modules():
        mod.register(sub)
    try:
        from smartgis.cli.plugins import register_cli_commands
        register_cli_commands(sub)
    except Exception as exc:  # noqa: BLE001 - a broken plugin set-up must not stop SmartGIS itself
        print("smartgis: " + localize(_("warning: plugins were not loaded ({error})",
                                        error=f"{type(exc).__name__}: {exc}")), file=sys.stderr)
    return p


def _crash_log(exc: BaseException) -> str:
    """Write the traceback of an unexpected error to a log file; return its path."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "smartgis")
    try:
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "crash.log")
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"--- SmartGIS {__version__}: {' '.join(sys.argv)}\n")
            fh.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
        return path
    except OSError:
        return _("(no log written)")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Exit codes: 0 success, 1 a check failed, 2 a fault of the input or the environment
    (bad file, bad option, permissions, disk full ...; one line naming the file), 70 an
    internal error (details in ``crash.log``), 130 cancelled.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    prog = "smartgis"
    args = None
    try:
        # Messages stay English (scripts parse them) unless SMARTGIS_LANG asks for Chinese;
        # set first: building the parser discovers plugins, which may warn.
        set_language(language_from_environment() or "en")
        _sweep_temporary_files()
        start_session()
        parser = build_parser()
        commands = next((a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)), {})
        if not argv or (argv[0] not in commands and argv[0].lower().endswith(".gpkg")):
            argv = ["gui", *argv]   # bare `smartgis` or `smartgis PROJECT.gpkg` opens the window
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return EXIT_USAGE
        prog = f"smartgis {args.command}"
        return int(args.func(args) or 0)
    except SystemExit as exc:   # argparse (--help, --version, usage errors)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_USAGE)
    except BaseException as exc:  # noqa: BLE001 - the last line of defence for users
        code, message = classify(exc, args)
        if message:
            print(f"{prog}: {message}", file=sys.stderr)
        return code


def classify(exc: BaseException, args=None) -> tuple[int, str]:
    """(exit code, one-line message) for an error that ended a command.

    Faults of the input or the environment are exit 2 with a line naming the file;
    only what SmartGIS itself got wrong is an internal error (exit 70, ``crash.log``).
    """
    import sqlite3
    path = getattr(args, "project", None) or getattr(args, "path", None)
    if isinstance(exc, UserError):
        return EXIT_USAGE, f"error: {exc if get_language() == 'en' else exc.localized()}"
    if isinstance(exc, Cancelled):
        return EXIT_CANCELLED, localize(_("cancelled; nothing was changed"))
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_CANCELLED, localize(_("interrupted; nothing was changed"))
    if isinstance(exc, BrokenPipeError):
        return EXIT_OK, ""
    if isinstance(exc, OSError):
        where = exc.filename or path
        text = exc.strerror or str(exc)
        return EXIT_USAGE, "error: " + (f"{where}: {text}" if where else text)
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, (sqlite3.ProgrammingError,
                                                                         sqlite3.InterfaceError)):
        problem = localize(_("the database cannot be read or written ({error})", error=str(exc)))
        return EXIT_USAGE, "error: " + (f"{path}: {problem}" if path else problem)
    if isinstance(exc, MemoryError):
        problem = localize(_("not enough memory for this command; ask for less (a smaller size, fewer layers)"))
        return EXIT_USAGE, "error: " + (f"{path}: {problem}" if path else problem)
    if isinstance(exc, RecursionError):
        problem = localize(_("the input is nested too deeply to be read"))
        return EXIT_USAGE, "error: " + (f"{path}: {problem}" if path else problem)
    if isinstance(exc, SystemExit):
        return EXIT_USAGE, ""
    log = _crash_log(exc)
    return EXIT_INTERNAL, localize(_("internal error: {error} (details in {log})",
                                     error=f"{type(exc).__name__}: {exc}", log=log))


def _sweep_temporary_files() -> None:
    """Remove the temporary folders of SmartGIS runs that were killed (at most once a run)."""
    try:
        from smartgis.core import tempfiles
        tempfiles.sweep()
    except OSError:
        pass


def gui_main() -> int:
    """Entry point of the ``smartgis-gui`` launcher."""
    return main(["gui", *sys.argv[1:]])
