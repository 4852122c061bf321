"""Runs inside QGIS (qgis.bin --code, via run_qgis_gui.sh): the dock's route tool as a user uses it.

Opens a copy of the demo store (sample-data/eemsdelta.gpkg, with its road network) from the dock,
expands the dock's "Route between two points" section, activates the route tool with a mouse click
on its button and clicks start and end on the canvas (real mouse events on the canvas viewport, at
the pixels of known map points). Checks that the layer "route" appears with one line whose length,
time and wegvakken are those of `veldwacht route` ($VELDWACHT_CLI, on another copy of the store)
for the points the clicks landed on, and that the route between the clicked points is within the
click offset of the ground truth's known route (sample-data/eemsdelta/ground_truth.json). Also a
click far from every road (refused, message bar, nothing drawn). Saves veldwacht_route.png.
Writes PASS or FAIL lines to $VELDWACHT_E2E_OUT/result.txt."""
import json
import math
import os
import shutil
import sqlite3
import subprocess
import sys

from qgis.PyQt.QtCore import QPoint, Qt, QTimer
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QDockWidget, QFileDialog, QGroupBox, QLabel, QLineEdit, QPushButton, QToolButton
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject, QgsRectangle
from qgis.utils import iface

# The shared helpers (e2e_support.py, beside this script): QGIS runs --code scripts with exec().
sys.path.insert(0, os.environ.get("VELDWACHT_E2E_DIR") or os.path.dirname(os.path.abspath(__file__)))
from e2e_support import CLI, OUT, SAMPLE, check, finish, guarded, message_bar_text, notes, problems, start  # noqa: E402

RD = QgsCoordinateReferenceSystem("EPSG:28992")


def ground_truth(route_id):
    with open(os.path.join(SAMPLE, "ground_truth.json")) as f:
        return next(r for r in json.load(f)["routes"] if r["id"] == route_id)


def panel():
    return iface.mainWindow().findChild(QDockWidget, "veldwachtDock").widget()


def open_store_from_dock(dock, store, then):
    def pick():
        dialogs = [w for w in QApplication.topLevelWidgets() if w.isVisible() and isinstance(w, QFileDialog)]
        if not dialogs:
            QTimer.singleShot(200, pick)
            return
        dialogs[0].findChild(QLineEdit, "fileNameEdit").setText(store)
        dialogs[0].findChild(QDialogButtonBox, "buttonBox").button(QDialogButtonBox.Open).click()

    QTimer.singleShot(200, pick)
    dock.widget().findChild(QPushButton, "openStore").click()  # modal until pick()
    QTimer.singleShot(500, then)


def to_canvas(x, y):
    """An EPSG:28992 point in the canvas's CRS."""
    crs = iface.mapCanvas().mapSettings().destinationCrs()
    if crs == RD:
        return QgsPointXY(x, y)
    return QgsCoordinateTransform(RD, crs, QgsProject.instance()).transform(QgsPointXY(x, y))


def to_rd(p):
    crs = iface.mapCanvas().mapSettings().destinationCrs()
    if crs == RD:
        return QgsPointXY(p)
    return QgsCoordinateTransform(crs, RD, QgsProject.instance()).transform(p)


def show_points(points):
    """Zooms the canvas to the points (EPSG:28992) with a margin."""
    canvas = iface.mapCanvas()
    mapped = [to_canvas(x, y) for x, y in points]
    rect = QgsRectangle(mapped[0], mapped[0])
    for p in mapped[1:]:
        rect.combineExtentWith(p)
    canvas.setExtent(rect.buffered(max(rect.width(), rect.height()) * 0.15 + 1e-3))
    canvas.refresh()
    QApplication.processEvents()


def click_map(x, y):
    """A left click (press and release) on the canvas viewport at the pixel of the EPSG:28992
    point; returns the point the canvas turns that pixel into, in EPSG:28992."""
    canvas = iface.mapCanvas()
    m2p = canvas.mapSettings().mapToPixel()
    pixel = m2p.transform(to_canvas(x, y))
    px, py = int(round(pixel.x())), int(round(pixel.y()))
    viewport = canvas.viewport()
    if not (0 <= px < viewport.width() and 0 <= py < viewport.height()):
        raise RuntimeError("point %s,%s maps to pixel %d,%d outside the %dx%d canvas" % (x, y, px, py, viewport.width(), viewport.height()))
    landed = to_rd(m2p.toMapCoordinates(px, py))
    QTest.mouseClick(viewport, Qt.LeftButton, Qt.NoModifier, QPoint(px, py))
    QApplication.processEvents()
    return landed


def cli_route(store, start, end, mode, cost, output):
    """`veldwacht route` on `store`; its one route row (lengte_m, tijd_s, wegvakken)."""
    xy = lambda p: "%r,%r" % (p.x(), p.y())
    run = subprocess.run([CLI, "-q", "route", store, "--from-xy", xy(start), "--to-xy", xy(end), "--mode", mode, "--cost", cost, "-o", output], capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError("veldwacht route failed (%d): %s" % (run.returncode, run.stderr.strip()[:400]))
    with sqlite3.connect(store) as db:
        rows = db.execute('SELECT lengte_m, tijd_s, wegvakken FROM "%s_route"' % output).fetchall()
    if len(rows) != 1:
        raise RuntimeError("%s_route has %d rows" % (output, len(rows)))
    return rows[0]


def route_layer():
    layers = QgsProject.instance().mapLayersByName("route")
    return layers[0] if len(layers) == 1 else None


def drawn_route():
    layer = route_layer()
    if layer is None:
        return None
    features = list(layer.getFeatures())
    if len(features) != 1:
        return None
    f = features[0]
    return f["modus"], f["lengte_m"], f["tijd_s"], f["wegvakken"], f.geometry().length()


def set_choice(name, data):
    combo = panel().findChild(QComboBox, name)
    combo.setCurrentIndex(combo.findData(data))


def main():
    if not os.path.isdir(SAMPLE) or not os.path.isfile(SAMPLE + ".gpkg") or not os.access(CLI, os.X_OK):
        check(False, "needs the demo store (%s.gpkg) and the CLI (%s)" % (SAMPLE, CLI))
        finish()
        return
    dock = iface.mainWindow().findChild(QDockWidget, "veldwachtDock")
    check(dock is not None, "Veldwacht dock")
    dock.show()
    # The whole canvas on the screen (QGIS's first window is taller than Xvfb's screen), so the
    # clicks land where a user could click and the screenshot shows the route.
    # (No window manager under Xvfb: showMaximized() alone changes nothing.)
    iface.mainWindow().showMaximized()
    iface.mainWindow().setGeometry(QApplication.primaryScreen().availableGeometry())
    QApplication.processEvents()
    store = os.path.join(OUT, "eemsdelta.gpkg")
    shutil.copyfile(SAMPLE + ".gpkg", store)
    cli_store = os.path.join(OUT, "eemsdelta_cli.gpkg")
    shutil.copyfile(SAMPLE + ".gpkg", cli_store)
    open_store_from_dock(dock, store, lambda: activate(store, cli_store))


@guarded
def activate(store, cli_store):
    p = panel()
    check(p.findChild(QLineEdit, "routeStore").text() == store, "opening the store filled the route section's store: %r" % p.findChild(QLineEdit, "routeStore").text())
    group = p.findChild(QGroupBox, "routeGroup")
    button = p.findChild(QPushButton, "routePick")
    check(group is not None and not button.isVisible(), "the route section starts collapsed")
    # A user expands it with the arrow in its title.
    arrows = [b for b in group.findChildren(QToolButton) if b.objectName() == "collapseButton"]
    check(len(arrows) == 1, "the route section has its expand arrow (%s)" % [b.objectName() for b in group.findChildren(QToolButton)])
    QTest.mouseClick(arrows[0], Qt.LeftButton)
    QApplication.processEvents()
    check(button.isVisible() and button.isEnabled(), "the route button is visible once the section is expanded")
    QTest.mouseClick(button, Qt.LeftButton)
    QApplication.processEvents()
    tool = iface.mapCanvas().mapTool()
    check(tool is not None and tool.metaObject().className() == "veldwacht::ui::RouteMapTool", "the route tool is the canvas's map tool (%s)" % (tool.metaObject().className() if tool else None))
    QTimer.singleShot(300, lambda: first_route(store, cli_store))


@guarded
def first_route(store, cli_store):
    """Delfzijl -> Appingedam by car, fastest (the section's defaults)."""
    gt = ground_truth("delfzijl_appingedam_auto")
    show_points([gt["from_xy"], gt["to_xy"]])
    start = click_map(*gt["from_xy"])
    check(drawn_route() is None, "one click: no route yet")
    end = click_map(*gt["to_xy"])
    drawn = drawn_route()
    check(drawn is not None, "two clicks drew one route line in the layer 'route' (message bar: %r)" % message_bar_text())
    if drawn is None:
        finish()
        return
    node = QgsProject.instance().layerTreeRoot().findLayer(route_layer().id())
    check(node is not None and node.isVisible(), "the route layer is in the layer tree and shown")
    check(route_layer().crs() == RD and route_layer().renderer().type() == "singleSymbol" and route_layer().renderer().symbol().width() > 0.5, "the route layer is styled like the store's routes (%s)" % route_layer().renderer().type())
    cli = cli_route(cli_store, start, end, "auto", "time", "e2e_time")
    check(drawn[0] == "auto" and abs(drawn[1] - cli[0]) < 1e-6 and abs(drawn[2] - cli[1]) < 1e-6 and drawn[3] == cli[2], "auto/time: the dock's route %s equals veldwacht route %s" % (drawn[:4], cli))
    check(abs(drawn[4] - drawn[1]) < 0.01, "the line's length %.3f m is its lengte_m" % drawn[4])
    result = panel().findChild(QLabel, "routeResult").text()
    check("Route (auto)" in result, "the section shows the route: %r" % result)
    check("Route (auto)" in message_bar_text(), "message bar: %r" % message_bar_text())
    QTimer.singleShot(300, lambda: second_route(store, cli_store))


@guarded
def second_route(store, cli_store):
    """Loppersum -> Delfzijl by car, shortest: the ground truth's known length."""
    gt = ground_truth("loppersum_delfzijl_auto")
    set_choice("routeMode", gt["mode"])
    set_choice("routeCost", gt["cost"])
    show_points([gt["from_xy"], gt["to_xy"]])
    start = click_map(*gt["from_xy"])
    end = click_map(*gt["to_xy"])
    drawn = drawn_route()
    check(drawn is not None and route_layer().featureCount() == 1, "the second route replaced the first (message bar: %r; layers named route: %s)" % (message_bar_text(), [(l.id(), l.featureCount(), [f.attributes() for f in l.getFeatures()]) for l in QgsProject.instance().mapLayersByName("route")]))
    if drawn is None:
        finish()
        return
    cli = cli_route(cli_store, start, end, gt["mode"], gt["cost"], "e2e_length")
    check(abs(drawn[1] - cli[0]) < 1e-6 and abs(drawn[2] - cli[1]) < 1e-6 and drawn[3] == cli[2], "auto/length: the dock's route %s equals veldwacht route %s" % (drawn[:4], cli))
    # The clicks land up to half a pixel from the aimed points; each end of the route moves along
    # its road by at most that offset.
    offset = math.dist(gt["from_xy"], (start.x(), start.y())) + math.dist(gt["to_xy"], (end.x(), end.y()))
    aimed = cli_route(cli_store, QgsPointXY(*gt["from_xy"]), QgsPointXY(*gt["to_xy"]), gt["mode"], gt["cost"], "e2e_aimed")
    check(abs(aimed[0] - gt["length_m"]) < 0.01, "veldwacht route on the aimed points gives the ground truth's %.3f m: %.3f m" % (gt["length_m"], aimed[0]))
    check(abs(drawn[1] - gt["length_m"]) <= offset + 0.01, "the dock's route %.3f m is within the click offset %.2f m of the ground truth's %.3f m" % (drawn[1], offset, gt["length_m"]))
    iface.mapCanvas().refresh()
    QTimer.singleShot(2500, lambda: screenshot_and_refusal(store))


@guarded
def screenshot_and_refusal(store):
    path = os.path.join(OUT, "veldwacht_route.png")
    QApplication.primaryScreen().grabWindow(0).save(path)
    check(os.path.getsize(path) > 10000, "screenshot saved: " + path)
    print("SCREENSHOT " + path, flush=True)
    before = drawn_route()
    # 4 km north of 't Zandt's ground-truth point: in the Wadden Sea, far from every road.
    gt = ground_truth("zandt_termunterzijl_auto")
    far = (gt["from_xy"][0], gt["from_xy"][1] + 4000)
    show_points([gt["from_xy"], far])
    click_map(*gt["from_xy"])
    click_map(*far)
    text = message_bar_text()
    status = [l.text() for l in panel().findChildren(QLabel) if "road" in l.text() or "weg" in l.text()]
    check("from the nearest road" in text and "the limit is 500" in text, "a click far from every road is refused with the distance and the limit: %r" % text)
    check(drawn_route() == before, "the refused route left the drawn route as it was")
    notes.append("status line after the refusal: %s" % status)
    finish()


start(main, 120000)
