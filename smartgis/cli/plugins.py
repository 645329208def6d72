"""``smartgis plugins list|enable|disable`` — the installed plugins and switching them."""

from __future__ import annotations

ORDER = 95


def register(sub) -> None:
    p = sub.add_parser("plugins", help="list, enable or disable plugins",
                       description="Plugins add element types, standards, importers, analyses and window tools. "
                                   "They are found in the folders of SMARTGIS_PLUGIN_PATH, the user's plugin folder "
                                   "and the plugins shipped with SmartGIS, and in installed packages (entry point "
                                   "group 'smartgis.plugins'); never in a project file.")
    ps = p.add_subparsers(dest="action", metavar="ACTION")
    ls = ps.add_parser("list", help="list the plugins found and their state",
                       description="List every plugin found, its version, where it is, its state (enabled, "
                                   "disabled, failed, incompatible, invalid) and what it contributes.")
    ls.add_argument("--json", action="store_true", help="print one JSON object")
    ls.add_argument("--lang", choices=["zh", "en"],
                    help="language of titles (default: the command line's, English unless SMARTGIS_LANG=zh)")
    ls.set_defaults(func=run_list)
    for action, text in (("enable", "switch a plugin on"), ("disable", "switch a plugin off")):
        a = ps.add_parser(action, help=text, description=f"{text[0].upper()}{text[1:]} (a user setting, kept in "
                                                          "plugins.json in the SmartGIS configuration folder).")
        a.add_argument("name", metavar="NAME", help="plugin name (see 'smartgis plugins list')")
        a.add_argument("--json", action="store_true", help="print one JSON object")
        a.set_defaults(func=run_switch, enable=(action == "enable"))
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def locations() -> dict:
    """Where plugins are looked for, and where the state is kept."""
    import os
    from smartgis.plugins.config import state_path, user_plugin_dir
    from smartgis.plugins.discovery import ENTRY_POINT_GROUP, shipped_plugin_dir
    return {"plugin_path": [p for p in os.environ.get("SMARTGIS_PLUGIN_PATH", "").split(os.pathsep) if p],
            "user": str(user_plugin_dir()), "shipped": str(shipped_plugin_dir()),
            "entry_point_group": ENTRY_POINT_GROUP, "state_file": str(state_path())}


def run_list(args) -> int:
    """The plugins as a table: names, versions, states and sources as they are (scripts
    read them), titles in ``--lang``, problems and notes in the command line's language."""
    from smartgis.cli.common import print_json, say
    from smartgis.i18n import _, get_language, localize
    from smartgis.plugins.registry import registry
    plugins = registry().plugins()
    if args.json:
        print_json({"plugins": [p.to_dict() for p in plugins], "locations": locations()})
        return 0
    if not plugins:
        loc = locations()
        say(_("no plugins found (user folder {user}, shipped {shipped})", user=loc["user"], shipped=loc["shipped"]))
        return 0
    width = max(len(p.name) for p in plugins)
    for p in plugins:
        m = p.manifest
        version = m.version if m else "?"
        title = m.label(args.lang or get_language()) if m else ""
        print(f"{p.name:<{width}}  {version:<8} {p.state:<12} {p.found.source:<11} {title}")
        if m and m.summary():
            print(" " * (width + 2) + localize(_("contributes: {what}", what=", ".join(
                f"{k} {v}" for k, v in m.summary().items()))))
        if p.problem:
            print(" " * (width + 2) + localize(_("problem: {problem}", problem=p.problem)))
    say(_("(settings: {path})", path=locations()["state_file"]))
    return 0


def run_switch(args) -> int:
    from smartgis.cli.common import print_json, say
    from smartgis.i18n import _
    from smartgis.plugins.registry import registry
    reg = registry()
    p = reg.set_enabled(args.name, args.enable)
    if args.json:
        print_json({"name": p.name, "enabled": p.enabled, "state": p.state, "problem": p.problem})
        return 0
    if args.enable and p.problem:
        say(_("plugin {plugin!r} enabled (but it cannot be used: {problem})", plugin=p.name, problem=p.problem))
    elif args.enable:
        say(_("plugin {plugin!r} enabled", plugin=p.name))
    else:
        say(_("plugin {plugin!r} disabled", plugin=p.name))
    return 0


# -- commands contributed by plugins ------------------------------------------------------
def register_cli_commands(subparsers, reg=None) -> list[str]:
    """Add the enabled plugins' commands to the ``smartgis`` parser, without importing them."""
    import argparse

    from smartgis.i18n import _
    from smartgis.plugins.registry import registry
    reg = reg or registry()
    names = []
    taken = set(getattr(subparsers, "choices", {}) or {})
    for e in reg.contributions("cli_commands"):
        name = e.id
        if name in taken:
            reg.notify(f"{e.plugin.name}/{name}", _("plugin {plugin!r}: command {command!r} exists already; "
                                                    "the plugin's command is not added", plugin=e.plugin.name,
                                                    command=name))
            continue
        help_text = e.contribution.text("en") + f" (plugin {e.plugin.name})"
        p = subparsers.add_parser(name, help=help_text, add_help=False, prefix_chars="\0",
                                  description=help_text)
        # Arguments go to the plugin's own parser, built only when the command runs.
        p.add_argument("plugin_args", nargs=argparse.REMAINDER)
        p.set_defaults(func=_run_plugin_command, plugin_command=e)
        taken.add(name)
        names.append(name)
    return names


def _run_plugin_command(args) -> int:
    """Run a plugin's CLI command: import it, build its parser, parse, run (isolated)."""
    from smartgis.cli import EXIT_USAGE, Parser
    from smartgis.errors import PluginError
    from smartgis.i18n import _
    entry = args.plugin_command   # a smartgis.plugins.registry.LazyEntry
    reg = entry.registry
    name = entry.id
    parser = Parser(prog="smartgis")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    try:
        reg.call(entry.plugin, entry.contribution.entry, sub, _what=_("command {command!r}", command=name))
    except PluginError:
        return EXIT_USAGE  # a fault of the plugin, not a failed check; its warning line is printed already
    if name not in (sub.choices or {}):
        reg.fail(entry.plugin, _("command {command!r}: its register() added no {command!r} command", command=name))
        return EXIT_USAGE
    inner = parser.parse_args([name, *args.plugin_args])
    func = getattr(inner, "func", None)
    if func is None:
        sub.choices[name].print_help()
        return 2
    try:
        return int(reg.call(entry.plugin, func, inner, _what=_("command {command!r}", command=name)) or 0)
    except PluginError:
        return EXIT_USAGE
