"""Runs INSIDE QGIS desktop (`qgis.bin --code desktop_open_project.py`), driven by
test_project_desktop.py. Opens the project $VW_PROJECT the way File > Open does
(iface.addProject), records every modal dialog that shows up meanwhile (a picture of the first
one to $VW_SHOT_DIALOG, then closes it so QGIS never hangs), waits for the map to draw, saves a
screenshot of the whole screen to $VW_SHOT, writes what it saw to $VW_RESULT (JSON) and quits.

A blocking dialog never stops this script: the poll timer runs inside the dialog's own event
loop too."""

import json
import os
import traceback

from qgis.core import QgsProject
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication, QDialog, QMessageBox
from qgis.utils import iface

_project = os.environ["VW_PROJECT"]
_result = os.environ["VW_RESULT"]
_shot = os.environ["VW_SHOT"]
_shot_dialog = os.environ.get("VW_SHOT_DIALOG", _shot + ".dialog.png")
_state = {"dialogs": [], "loaded": None, "errors": []}


def _grab(path):
    QApplication.primaryScreen().grabWindow(0).save(path)


def _poll():
    w = QApplication.activeModalWidget()
    if w is None:
        return
    text = w.text() if isinstance(w, QMessageBox) else ""
    info = {"class": w.metaObject().className(), "title": w.windowTitle(), "text": text}
    if not _state["dialogs"]:
        w.grab().save(_shot_dialog)  # the dialog itself (it may not be on screen yet)
    if info not in _state["dialogs"]:
        _state["dialogs"].append(info)
    if isinstance(w, QDialog):
        w.reject()
    else:
        w.close()


_poller = QTimer()
_poller.timeout.connect(_poll)
_poller.start(200)


def _finish():
    try:
        _poll()
        canvas = iface.mapCanvas()
        _grab(_shot)
        project = QgsProject.instance()
        layers = list(project.mapLayers().values())
        _state.update({
            "title": project.title(),
            "crs": project.crs().authid(),
            "layers": len(layers),
            "invalid": sorted(lyr.name() for lyr in layers if not lyr.isValid()),
            "providers": sorted({lyr.providerType() for lyr in layers}),
            "canvas_layers": len(canvas.layers()),
            "canvas_extent": [canvas.extent().xMinimum(), canvas.extent().yMinimum(),
                              canvas.extent().xMaximum(), canvas.extent().yMaximum()],
            "layouts": [lyt.name() for lyt in project.layoutManager().layouts()],
        })
    except Exception:  # report, never hang
        _state["errors"].append(traceback.format_exc())
    with open(_result, "w", encoding="utf-8") as f:
        json.dump(_state, f, indent=1)
    _poller.stop()
    QgsProject.instance().setDirty(False)  # no "save changes?" question on exit
    QApplication.instance().exit(0)


def _wait_for_render():
    canvas = iface.mapCanvas()
    # Give the canvas time to start and finish drawing every visible layer.
    _wait_for_render.tries = getattr(_wait_for_render, "tries", 0) + 1
    if (canvas.isDrawing() or _wait_for_render.tries < 8) and _wait_for_render.tries < 60:
        QTimer.singleShot(250, _wait_for_render)
    else:
        _finish()


def _load():
    try:
        _state["loaded"] = bool(iface.addProject(_project))
    except Exception:
        _state["errors"].append(traceback.format_exc())
    QTimer.singleShot(250, _wait_for_render)


QTimer.singleShot(1500, _load)
