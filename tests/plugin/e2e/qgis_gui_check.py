"""Runs inside QGIS (qgis.bin --code): checks what the Veldwacht plugin added, runs an
algorithm through Processing and one from the dock in the background, saves a screenshot, quits.
Writes PASS or FAIL lines to $VELDWACHT_E2E_OUT/result.txt."""
import os
import time

from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtWidgets import QAbstractItemView, QApplication, QComboBox, QDialog, QDockWidget, QMenu, QPushButton, QTableView, QToolBar
from qgis.core import QgsApplication, QgsFeature, QgsGeometry, QgsPointXY, QgsProject, QgsVectorLayer
from qgis.utils import iface

OUT = os.environ.get("VELDWACHT_E2E_OUT", "/tmp")
DUTCH = os.environ.get("VELDWACHT_E2E_LOCALE", "en").startswith("nl")
DONE, FAILED, CANCELLED = ("Klaar", "Mislukt", "Geannuleerd") if DUTCH else ("Done", "Failed", "Cancelled")
problems = []
notes = []


def check(condition, what):
    (notes if condition else problems).append(("ok: " if condition else "") + what)
    return condition


def finish(clean_exit=True):
    with open(os.path.join(OUT, "result.txt"), "w") as f:
        f.write(("PASS" if not problems else "FAIL") + "\n")
        for p in problems:
            f.write("FAIL: %s\n" % p)
        for n in notes:
            f.write("%s\n" % n)
    if not clean_exit:
        os._exit(1)
    # A normal exit, so QGIS calls the plugin's unload(); the shell checks the exit status.
    QgsProject.instance().clear()
    QgsProject.instance().setDirty(False)
    QTimer.singleShot(0, iface.actionExit().trigger)


def check_processing_dialog():
    """The dock's "Processing dialog..." button opens Processing's dialog for the algorithm."""
    dock = iface.mainWindow().findChild(QDockWidget, "veldwachtDock")
    dock.widget().findChild(QPushButton, "dialog").click()

    def look():
        dialogs = [
            w for w in QApplication.topLevelWidgets() if w.isVisible() and isinstance(w, QDialog) and "DBSCAN" in w.windowTitle()
        ]
        check(len(dialogs) == 1, "Processing dialog opened from the dock: %s" % [d.windowTitle() for d in dialogs])
        for d in dialogs:
            d.close()
        check_unload_and_reload()

    QTimer.singleShot(1500, look)


def veldwacht_parts():
    """What the plugin adds to QGIS, found afresh (None when absent)."""
    win = iface.mainWindow()
    menu = win.findChild(QMenu, "veldwachtMenu")
    return {
        "menu": menu if menu is not None and menu.menuAction() in win.menuBar().actions() else None,
        "toolbar": win.findChild(QToolBar, "veldwachtToolbar"),
        "dock": win.findChild(QDockWidget, "veldwachtDock"),
        "provider": QgsApplication.processingRegistry().providerById("veldwacht"),
    }


def check_unload_and_reload():
    """Unticks Veldwacht in the Plugin Manager (QGIS calls unload()), checks that everything the
    plugin added is gone, ticks it again and checks that it is back."""

    started = time.time()

    def in_manager():
        dialogs = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.objectName() == "QgsPluginManagerBase"]
        if not dialogs and time.time() - started < 15:
            QTimer.singleShot(300, in_manager)
            return
        try:
            dialog = dialogs[0]
            view = dialog.findChild(QAbstractItemView, "vwPlugins")
            model = view.model()
            row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(Qt.UserRole + 1) == "cpp:libveldwachtplugin")
            index = model.index(row, 0)
            check(index.data(Qt.CheckStateRole) == Qt.Checked, "Plugin Manager lists Veldwacht as a loaded C++ plugin")
            model.setData(index, Qt.Unchecked, Qt.CheckStateRole)
            QApplication.processEvents()
            gone = {k: v is None for k, v in veldwacht_parts().items()}
            check(all(gone.values()), "after unload nothing of Veldwacht is left: %s" % gone)
            model.setData(index, Qt.Checked, Qt.CheckStateRole)
            QApplication.processEvents()
            back = {k: v is not None for k, v in veldwacht_parts().items()}
            check(all(back.values()), "loaded again: %s" % back)
            dialog.reject()
        except Exception as e:  # report, never hang
            problems.append("plugin manager: %r; visible windows: %s" % (e, [(w.objectName(), w.windowTitle()) for w in QApplication.topLevelWidgets() if w.isVisible()]))
            for w in QApplication.topLevelWidgets():
                if isinstance(w, QDialog) and w.isVisible():
                    w.reject()
        QTimer.singleShot(500, finish)

    QTimer.singleShot(500, in_manager)
    iface.actionManagePlugins().trigger()  # modal: returns when in_manager() closes it


def screenshot():
    path = os.path.join(OUT, "veldwacht_qgis.png")
    QApplication.primaryScreen().grabWindow(0).save(path)
    check(os.path.getsize(path) > 10000, "screenshot saved: " + path)
    print("SCREENSHOT " + path, flush=True)
    check_processing_dialog()


def signal_layer():
    layer = QgsVectorLayer("Point?crs=EPSG:28992&field=id:integer", "signalen (test)", "memory")
    feats = []
    for i in range(10):
        f = QgsFeature(layer.fields())
        f.setAttributes([i])
        x = 256984 + (0 if i < 5 else 800) + 15 * (i % 5)
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, 594814 + 10 * (i % 2))))
        feats.append(f)
    f = QgsFeature(layer.fields())
    f.setAttributes([10])
    f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(258000, 596000)))
    feats.append(f)
    layer.dataProvider().addFeatures(feats)
    QgsProject.instance().addMapLayer(layer)
    return layer


def main():
    win = iface.mainWindow()
    menu = win.findChild(QMenu, "veldwachtMenu")
    check(menu is not None and menu.menuAction() in win.menuBar().actions(), "Veldwacht menu in the menu bar")
    if menu is not None:
        check(len(menu.actions()) >= 3, "menu has %d actions" % len(menu.actions()))
    check(win.findChild(QToolBar, "veldwachtToolbar") is not None, "Veldwacht toolbar")
    dock = win.findChild(QDockWidget, "veldwachtDock")
    check(dock is not None, "Veldwacht dock")
    provider = QgsApplication.processingRegistry().providerById("veldwacht")
    check(provider is not None, "provider 'veldwacht' registered")
    if provider is not None:
        ids = sorted(a.id() for a in provider.algorithms())
        check("veldwacht:dbscan" in ids, "algorithms: " + ", ".join(ids))

    layer = signal_layer()
    import processing

    result = processing.run("veldwacht:dbscan", {"INPUT": layer, "EPS": 40, "MIN_PTS": 3, "OUTPUT": "memory:"})
    check(result["NUM_CLUSTERS"] == 2, "processing.run veldwacht:dbscan -> %s clusters" % result["NUM_CLUSTERS"])
    out = result["OUTPUT"]
    check(out.featureCount() == 11, "output has %d features" % out.featureCount())
    out.setName("clusters (processing.run)")
    QgsProject.instance().addMapLayer(out)

    if dock is None:
        finish()
        return
    dock.show()
    panel = dock.widget()
    alg_combo = panel.findChild(QComboBox, "algorithm")
    input_combo = panel.findChild(QComboBox, "inputLayer")
    alg_combo.setCurrentIndex(alg_combo.findData("veldwacht:dbscan"))
    input_combo.setCurrentIndex(input_combo.findData(layer.id()))
    run_button = panel.findChild(QPushButton, "run")
    expected = "Uitvoeren" if DUTCH else "Run"
    check(run_button.text() == expected, "dock's run button reads %r" % run_button.text())
    run_button.click()
    table = panel.findChild(QTableView, "results")
    started = time.time()

    def poll():
        model = table.model()
        status = model.index(0, 4).data() if model.rowCount() else None
        if status in (DONE, FAILED, CANCELLED) or time.time() - started > 30:
            check(status == DONE, "background run from the dock: %s (%s)" % (status, model.index(0, 5).data()))
            iface.mapCanvas().setExtent(layer.extent().buffered(300))
            iface.mapCanvas().refresh()
            QTimer.singleShot(2500, screenshot)
        else:
            QTimer.singleShot(200, poll)

    QTimer.singleShot(200, poll)


def safe_main():
    try:
        main()
    except Exception as e:  # report, never hang
        import traceback

        problems.append("exception: %s\n%s" % (e, traceback.format_exc()))
        finish(clean_exit=False)


QTimer.singleShot(1000, safe_main)
QTimer.singleShot(100000, lambda: (problems.append("timed out"), finish(clean_exit=False)))
