"""Runs INSIDE QGIS desktop (`qgis.bin --code desktop_open_project.py`), driven by
test_project_desktop.py. Opens the project $VW_PROJECT the way File > Open does
(iface.addProject), records every modal dialog that shows up meanwhile (a picture of the first
one to $VW_SHOT_DIALOG, then closes it so QGIS never hangs), waits for the map to draw, saves a
screenshot of the whole screen to $VW_SHOT, writes what it saw to $VW_RESULT (JSON) and quits.
With $VW_DROP set it first drops that file onto the main window, as a user dragging it from a
file manager does (QgisApp opens dropped .qlr files as layer definitions).

A blocking dialog never stops this script: the poll timer runs inside the dialog's own event
loop too."""

import json
import os
import traceback

from qgis.core import QgsLayerTreeLayer, QgsProject
from qgis.PyQt.QtCore import QMimeData, QPoint, Qt, QTimer, QUrl
from qgis.PyQt.QtGui import QDragEnterEvent, QDropEvent
from qgis.PyQt.QtWidgets import QApplication, QDialog, QMessageBox
from qgis.utils import iface

_project = os.environ["VW_PROJECT"]
_result = os.environ["VW_RESULT"]
_shot = os.environ["VW_SHOT"]
_shot_dialog = os.environ.get("VW_SHOT_DIALOG", _shot + ".dialog.png")
_drop = os.environ.get("VW_DROP")
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


def _describe(node):
    d = {"name": node.name(), "checked": node.itemVisibilityChecked()}
    if isinstance(node, QgsLayerTreeLayer) and node.layer() is not None:
        d.update(provider=node.layer().providerType(), source=node.layer().source(),
                 crs=node.layer().crs().authid())
    return d


def _checked_results(project):
    group = project.layerTreeRoot().findGroup("Analyses")
    if group is None:
        return []
    return [n.layer().source().split("layername=")[-1].split("|")[0]
            for n in group.findLayers() if n.itemVisibilityChecked() and n.layer() is not None]


def _drop_file():
    win = iface.mainWindow()
    _drop_file.mime = QMimeData()  # kept alive: QGIS opens dropped files a moment later
    _drop_file.mime.setUrls([QUrl.fromLocalFile(_drop)])
    pos = QPoint(win.width() // 2, win.height() // 2)
    enter = QDragEnterEvent(pos, Qt.CopyAction, _drop_file.mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(win, enter)
    event = QDropEvent(pos, Qt.CopyAction, _drop_file.mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(win, event)
    _state["drop_accepted"] = [enter.isAccepted(), event.isAccepted()]
    _state["dropped"] = _drop
    QTimer.singleShot(2000, _finish)


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
            "tree": [_describe(n) for n in project.layerTreeRoot().children()],
            "checked_results": _checked_results(project),
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
    elif _drop and "dropped" not in _state:
        _drop_file()
    else:
        _finish()


def _load():
    try:
        _state["loaded"] = bool(iface.addProject(_project))
    except Exception:
        _state["errors"].append(traceback.format_exc())
    QTimer.singleShot(250, _wait_for_render)


QTimer.singleShot(1500, _load)
