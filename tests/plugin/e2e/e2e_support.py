"""Helpers shared by the scripts that run inside real QGIS (qgis.bin --code, via run_qgis_gui.sh):
where to write, the PASS/FAIL bookkeeping, a QTimer callback that reports its exception, the
normal way out, the message bar's text, and the start of a check with its time-out.

QGIS runs a --code script with exec(), so its folder is not on sys.path: each script puts it there
first, from $VELDWACHT_E2E_DIR (run_qgis_gui.sh sets it to the script's folder):

    import os, sys
    sys.path.insert(0, os.environ["VELDWACHT_E2E_DIR"])
    from e2e_support import OUT, SAMPLE, CLI, problems, notes, check, finish, guarded
"""
import os
import traceback

from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication
from qgis.core import QgsProject
from qgis.utils import iface

OUT = os.path.abspath(os.environ.get("VELDWACHT_E2E_OUT", "/tmp"))
SAMPLE = os.environ.get("VELDWACHT_E2E_SAMPLE", "")
CLI = os.environ.get("VELDWACHT_CLI", "")
# What failed, and what was checked and held: result.txt lists both. Append only (the scripts
# import these lists).
problems = []
notes = []


def check(condition, what):
    """Records `what` as held or failed; returns the condition."""
    (notes if condition else problems).append(("ok: " if condition else "") + what)
    return condition


def finish(clean_exit=True):
    """Writes $VELDWACHT_E2E_OUT/result.txt (PASS or FAIL, then the lines) and quits QGIS: normally,
    so that QGIS calls the plugin's unload() and the shell checks the exit status; after an
    exception at once (exit 1)."""
    with open(os.path.join(OUT, "result.txt"), "w") as f:
        f.write(("PASS" if not problems else "FAIL") + "\n")
        for p in problems:
            f.write("FAIL: %s\n" % p)
        for n in notes:
            f.write("%s\n" % n)
    if not clean_exit:
        os._exit(1)
    QgsProject.instance().clear()
    QgsProject.instance().setDirty(False)
    QTimer.singleShot(0, iface.actionExit().trigger)


def guarded(fn):
    """A QTimer callback that reports an exception instead of leaving QGIS hanging."""

    def run(*args):
        try:
            fn(*args)
        except Exception as e:
            problems.append("exception in %s: %s\n%s" % (fn.__name__, e, traceback.format_exc()))
            finish(clean_exit=False)

    return run


def message_bar_text():
    """The text of the message bar's current message ("" when none)."""
    item = iface.messageBar().currentItem()
    return item.text() if item is not None else ""


def start(main, timeout_ms):
    """Runs main() a second after QGIS has started and gives up after `timeout_ms`: an exception or
    the time-out is reported (the time-out with the visible windows and a screenshot,
    timeout.png) and QGIS exits at once, so that a check never hangs."""

    def timed_out():
        visible = [(type(w).__name__, w.windowTitle()) for w in QApplication.topLevelWidgets() if w.isVisible()]
        problems.append("timed out; visible windows: %s" % visible)
        QApplication.primaryScreen().grabWindow(0).save(os.path.join(OUT, "timeout.png"))
        finish(clean_exit=False)

    QTimer.singleShot(1000, guarded(main))
    QTimer.singleShot(timeout_ms, timed_out)
