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


class Parser(argparse.ArgumentParser):
    """argparse with a one-line error message (and exit code 2)."""

    def error(self, message: str):  # noqa: D401 - argparse API
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


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
    from smartgis.cli.plugins import register_cli_commands
    register_cli_commands(sub)
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
    """Run the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # Messages stay English (scripts parse them) unless SMARTGIS_LANG asks for Chinese;
    # set first: building the parser discovers plugins, which may warn.
    set_language(language_from_environment() or "en")
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
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"{prog}: error: {exc if get_language() == 'en' else exc.localized()}", file=sys.stderr)
        return EXIT_USAGE
    except Cancelled:
        print(f"{prog}: {localize(_('cancelled; nothing was changed'))}", file=sys.stderr)
        return EXIT_CANCELLED
    except KeyboardInterrupt:
        print(f"{prog}: {localize(_('interrupted; nothing was changed'))}", file=sys.stderr)
        return EXIT_CANCELLED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        log = _crash_log(exc)
        print(f"{prog}: " + localize(_("internal error: {error} (details in {log})",
                                        error=f"{type(exc).__name__}: {exc}", log=log)), file=sys.stderr)
        return EXIT_FAIL


def gui_main() -> int:
    """Entry point of the ``smartgis-gui`` launcher."""
    return main(["gui", *sys.argv[1:]])
