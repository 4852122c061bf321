"""Runs inside QGIS (qgis.bin --code): checks what the Veldwacht plugin added, runs an
algorithm through Processing and one from the dock in the background, saves a screenshot, quits.
Writes PASS or FAIL lines to $VELDWACHT_E2E_OUT/result.txt."""
import os
import sys
import time

from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtWidgets import QAbstractItemView, QApplication, QComboBox, QDialog, QDialogButtonBox, QDockWidget, QFileDialog, QLineEdit, QMenu, QPushButton, QTableView, QToolBar
from qgis.core import QgsApplication, QgsLayerTreeGroup, QgsFeature, QgsGeometry, QgsPointXY, QgsProject, QgsVectorLayer
from qgis.utils import iface

# The shared helpers (e2e_support.py, beside this script): QGIS runs --code scripts with exec().
sys.path.insert(0, os.environ.get("VELDWACHT_E2E_DIR") or os.path.dirname(os.path.abspath(__file__)))
from e2e_support import OUT, SAMPLE, check, finish, notes, problems, start  # noqa: E402

DUTCH = os.environ.get("VELDWACHT_E2E_LOCALE", "en").startswith("nl")
DONE, FAILED, CANCELLED = ("Klaar", "Mislukt", "Geannuleerd") if DUTCH else ("Done", "Failed", "Cancelled")


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

    memory = signal_layer()
    import processing

    result = processing.run("veldwacht:dbscan", {"INPUT": memory, "EPS": 40, "MIN_PTS": 3, "OUTPUT": "memory:"})
    clusters = {f["cluster_id"] for f in result["OUTPUT"].getFeatures() if f["cluster_id"] >= 0}
    check(len(clusters) == 2, "processing.run veldwacht:dbscan -> %s clusters" % len(clusters))
    check(result["OUTPUT"].featureCount() == 11, "output has %d features" % result["OUTPUT"].featureCount())
    if dock is None:
        finish()
        return
    dock.show()
    store = import_sample_store(processing)
    if store:
        QgsProject.instance().removeMapLayer(memory.id())
        open_store_from_dock(dock, store, lambda: run_from_dock(dock, "Signalen"))
    else:
        run_from_dock(dock, memory.name())


def import_sample_store(processing):
    """Imports the sample region (signals CSV, CBS, IBIS, VAB, partners) into a new store with
    veldwacht:import; returns its path, or None without sample data."""
    if not os.path.isdir(SAMPLE):
        notes.append("no sample data at %s: store steps skipped" % SAMPLE)
        return None
    store = os.path.join(OUT, "eemsdelta.gpkg")
    total = 0
    for name in ["cbs_wijkenbuurten_2024.gpkg", "ibis_bedrijventerreinen.shp", "vab.geojson", "partners.geojson", "signalen.csv"]:
        result = processing.run("veldwacht:import", {"INPUT": os.path.join(SAMPLE, name), "STORE": store})
        total += result["ROWS"]
    check(total > 600, "veldwacht:import wrote %d sample rows into %s" % (total, store))
    return store


def open_store_from_dock(dock, store, then):
    """Clicks the dock's "Open a Veldwacht store" button and picks `store` in the file dialog."""

    def pick():
        dialogs = [w for w in QApplication.topLevelWidgets() if w.isVisible() and isinstance(w, QFileDialog)]
        if not dialogs:
            QTimer.singleShot(200, pick)
            return
        # Type the path and press Open (QFileDialog.accept() is protected in PyQt).
        dialogs[0].findChild(QLineEdit, "fileNameEdit").setText(store)
        dialogs[0].findChild(QDialogButtonBox, "buttonBox").button(QDialogButtonBox.Open).click()

    def after():
        root = QgsProject.instance().layerTreeRoot()
        groups = [g.name() for g in root.children() if isinstance(g, QgsLayerTreeGroup)]
        check(groups[:3] == ["Signalen", "Panden & VAB", "Bedrijventerreinen"], "store opened in groups %s" % groups)
        signalen = QgsProject.instance().mapLayersByName("Signalen")
        check(len(signalen) == 1 and signalen[0].featureCount() == 600, "Signalen layer with 600 features")
        if signalen:
            check(signalen[0].renderer().type() == "categorizedSymbol", "Signalen styled from the store: %s" % signalen[0].renderer().type())
        then()

    QTimer.singleShot(200, pick)
    dock.widget().findChild(QPushButton, "openStore").click()  # modal file dialog until pick()
    QTimer.singleShot(500, after)


def run_from_dock(dock, layer_name):
    panel = dock.widget()
    layer = QgsProject.instance().mapLayersByName(layer_name)[0]
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
        if status in (DONE, FAILED, CANCELLED) or time.time() - started > 60:
            check(status == DONE, "background run from the dock on %s: %s (%s)" % (layer_name, status, model.index(0, 5).data()))
            extent = layer.extent()
            gemeenten = QgsProject.instance().mapLayersByName("Gemeenten")
            if gemeenten:
                extent = gemeenten[0].extent()
            iface.mapCanvas().setExtent(extent.buffered(extent.width() * 0.05 + 300))
            iface.mapCanvas().refresh()
            QTimer.singleShot(3000, screenshot)
        else:
            QTimer.singleShot(200, poll)

    QTimer.singleShot(200, poll)


start(main, 100000)
