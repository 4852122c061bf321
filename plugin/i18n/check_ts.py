#!/usr/bin/env python3
"""Checks that plugin/i18n/veldwacht_nl.ts has a Dutch translation for every string of the plugin.

Runs lupdate over the plugin's sources into a temporary copy of the catalogue (with the same
context mapping as update_ts.sh), then fails, listing them, when any message is new, unfinished
or has an empty plural form. Exit 0: complete; 1: strings to translate; 77: lupdate missing.

    plugin/i18n/check_ts.py            # after changing a tr() string: run update_ts.sh,
                                       # translate the new entries, then this.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
PLUGIN = os.path.dirname(HERE)


def classes():
    """The class list of update_ts.sh (one source of truth for the context mapping)."""
    text = open(os.path.join(HERE, "update_ts.sh"), encoding="utf-8").read()
    return re.search(r'classes="([^"]*)"', text).group(1).split()


def main():
    lupdate = shutil.which("lupdate")
    if lupdate is None:
        print("lupdate not found (Qt 5 tools); skipped")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        ts = os.path.join(tmp, "veldwacht_nl.ts")
        text = open(os.path.join(HERE, "veldwacht_nl.ts"), encoding="utf-8").read()
        for c in classes():
            text = text.replace(f"<name>veldwacht::{c}</name>", f"<name>{c.split('::', 1)[1]}</name>")
        open(ts, "w", encoding="utf-8").write(text)
        sources = ["ui", "processing", "veldwachtplugin.cpp", "exports.cpp"]
        run = subprocess.run([lupdate, "-no-obsolete", "-locations", "none", *sources, "-ts", ts],
                             cwd=PLUGIN, capture_output=True, text=True)
        if run.returncode != 0:
            print(run.stdout, run.stderr)
            return 1
        root = ET.parse(ts).getroot()
    todo = []
    total = 0
    for ctx in root.findall("context"):
        name = ctx.find("name").text
        for m in ctx.findall("message"):
            total += 1
            tr = m.find("translation")
            forms = tr.findall("numerusform")
            empty = (not forms and not (tr.text or "").strip()) or any(
                not (f.text or "").strip() for f in forms)
            if tr.get("type") == "unfinished" or empty:
                todo.append((name, m.find("source").text))
    for name, source in todo:
        print(f"untranslated [{name}]: {source}")
    print(f"{total} messages, {len(todo)} without a Dutch translation")
    return 1 if todo else 0


if __name__ == "__main__":
    sys.exit(main())
