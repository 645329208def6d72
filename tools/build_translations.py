#!/usr/bin/env python3
"""Build the Chinese translation Qt loads from the JSON files every area writes.

Each area keeps its strings in ``resources/i18n/zh_CN/<area>.json`` as
``{"QtContext": {"English source": "中文"}}`` (the context is the class name for
``self.tr()``, or the first argument of ``QCoreApplication.translate``).  This tool

1. merges all of them (a source translated differently in two files is an error),
2. writes ``resources/i18n/smartgis_zh_CN.ts`` (Qt Linguist XML, sorted, stable),
3. compiles it with ``pyside6-lrelease`` into ``resources/i18n/smartgis_zh_CN.qm``.

``--check`` also scans the Python sources for translatable strings (``self.tr("…")``,
``QCoreApplication.translate("Context", "…")`` and helpers that forward to them) and
lists those without a translation; the exit code is 1 when any is missing.

Usage::

    python tools/build_translations.py            # merge, write .ts, compile .qm
    python tools/build_translations.py --check    # also report untranslated strings
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
I18N = REPO / "resources" / "i18n"
JSON_DIR = I18N / "zh_CN"
TS_PATH = I18N / "smartgis_zh_CN.ts"
QM_PATH = I18N / "smartgis_zh_CN.qm"
SCAN_DIRS = [REPO / "smartgis" / "ui"]

_TRANSLATE_CALLS = {"translate"}  # QCoreApplication.translate / QApplication.translate / app.translate


class TranslationError(Exception):
    """The JSON files disagree, or lrelease failed."""


# == merging ===================================================================================
def merge(folder: Path = JSON_DIR) -> dict[str, dict[str, str]]:
    """All JSON files merged; raises :class:`TranslationError` on a conflicting translation."""
    merged: dict[str, dict[str, str]] = {}
    origin: dict[tuple[str, str], str] = {}
    problems = []
    for path in sorted(Path(folder).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise TranslationError(f"{path}: not valid JSON ({exc})") from None
        if not isinstance(data, dict):
            raise TranslationError(f"{path}: expected {{\"Context\": {{\"source\": \"译文\"}}}}")
        for context, messages in data.items():
            if not isinstance(messages, dict):
                raise TranslationError(f"{path}: context {context!r} must map sources to translations")
            ctx = merged.setdefault(context, {})
            for source, text in messages.items():
                key = (context, source)
                if source in ctx and ctx[source] != text:
                    problems.append(f"{context} / {source!r}: {origin[key]} says {ctx[source]!r}, "
                                    f"{path.name} says {text!r}")
                    continue
                ctx[source] = text
                origin[key] = path.name
    if problems:
        raise TranslationError("conflicting translations:\n  " + "\n  ".join(problems))
    return merged


# == .ts and .qm ===============================================================================
def write_ts(merged: dict[str, dict[str, str]], path: Path = TS_PATH) -> Path:
    """Write the Qt Linguist file (contexts and messages sorted, so diffs stay small)."""
    root = ET.Element("TS", version="2.1", language="zh_CN", sourcelanguage="en")
    for context in sorted(merged):
        c = ET.SubElement(root, "context")
        ET.SubElement(c, "name").text = context
        for source in sorted(merged[context]):
            m = ET.SubElement(c, "message")
            ET.SubElement(m, "source").text = source
            t = ET.SubElement(m, "translation")
            text = merged[context][source]
            if text:
                t.text = text
            else:
                t.set("type", "unfinished")
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")
    return path


def lrelease() -> str:
    """The ``pyside6-lrelease`` beside this Python, or on PATH."""
    here = Path(sys.executable).parent / "pyside6-lrelease"
    if here.exists():
        return str(here)
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if not found:
        raise TranslationError("pyside6-lrelease not found (it comes with PySide6-Essentials)")
    return found


def compile_qm(ts: Path = TS_PATH, qm: Path = QM_PATH) -> Path:
    r = subprocess.run([lrelease(), "-silent", str(ts), "-qm", str(qm)], capture_output=True, text=True)
    if r.returncode != 0 or not qm.exists():
        raise TranslationError(f"lrelease failed: {r.stdout}{r.stderr}")
    return qm


# == scanning the sources =====================================================================
@dataclass(frozen=True)
class Message:
    context: str
    source: str
    file: str
    line: int


def _const_str(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _forwarders(tree: ast.AST) -> dict[str, str]:
    """Helper functions that forward their first argument to ``translate("Ctx", arg)``.

    ``def _tr(text): return QCoreApplication.translate("Ctx", text)`` and
    ``tr = lambda s: QCoreApplication.translate("Ctx", s)`` both count.
    """
    out = {}

    def check(name: str, params: list[str], body_nodes):
        if not params:
            return
        for node in body_nodes:
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and \
                        call.func.attr in _TRANSLATE_CALLS and len(call.args) >= 2:
                    ctx = _const_str(call.args[0])
                    arg = call.args[1]
                    if ctx and isinstance(arg, ast.Name) and arg.id == params[0]:
                        out[name] = ctx
                        return

    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            check(node.name, [a.arg for a in node.args.args], node.body)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda) and \
                len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            lam = node.value
            check(node.targets[0].id, [a.arg for a in lam.args.args], [lam.body])
    return out


def scan_file(path: Path) -> list[Message]:
    """Translatable string literals of one Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    forward = _forwarders(tree)
    found: list[Message] = []
    rel = os.path.relpath(path, REPO)

    def visit(node, cls: str | None):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child.name)
                continue
            if isinstance(child, ast.Call):
                f = child.func
                if isinstance(f, ast.Attribute) and f.attr == "tr" and child.args and cls:
                    s = _const_str(child.args[0])
                    if s is not None:
                        found.append(Message(cls, s, rel, child.lineno))
                elif isinstance(f, ast.Attribute) and f.attr in _TRANSLATE_CALLS and len(child.args) >= 2:
                    ctx, s = _const_str(child.args[0]), _const_str(child.args[1])
                    if ctx is not None and s is not None:
                        found.append(Message(ctx, s, rel, child.lineno))
                elif isinstance(f, ast.Name) and f.id in forward and child.args:
                    s = _const_str(child.args[0])
                    if s is not None:
                        found.append(Message(forward[f.id], s, rel, child.lineno))
            visit(child, cls)

    visit(tree, None)
    return found


def scan(dirs=None) -> list[Message]:
    """Translatable strings of every ``.py`` file under ``dirs`` (default: smartgis/ui)."""
    out: list[Message] = []
    for d in dirs or SCAN_DIRS:
        d = Path(d)
        files = [d] if d.is_file() else sorted(d.rglob("*.py"))
        for f in files:
            out.extend(scan_file(f))
    return out


def missing(merged: dict[str, dict[str, str]], messages: list[Message]) -> list[Message]:
    """Messages without a (non-empty) translation in ``merged``."""
    return [m for m in messages if not merged.get(m.context, {}).get(m.source)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="list strings in the sources without a translation")
    ap.add_argument("--no-compile", action="store_true", help="write the .ts only")
    args = ap.parse_args(argv)
    try:
        merged = merge()
        write_ts(merged)
        if not args.no_compile:
            compile_qm()
    except TranslationError as exc:
        print(f"build_translations: error: {exc}", file=sys.stderr)
        return 2
    n = sum(len(v) for v in merged.values())
    print(f"{n} translations in {len(merged)} contexts -> {TS_PATH.relative_to(REPO)}"
          + ("" if args.no_compile else f", {QM_PATH.relative_to(REPO)}"))
    if args.check:
        lost = missing(merged, scan())
        for m in lost:
            print(f"{m.file}:{m.line}: [{m.context}] {m.source!r} has no Chinese translation")
        if lost:
            print(f"{len(lost)} untranslated string(s)", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
