"""Python companion of the native Veldwacht plugin: registers its Processing provider.

qgis_process (QGIS 3.22) loads Python plugins only. This plugin loads libveldwachtplugin.so with
ctypes (the QGIS libraries it needs are already in the process) and calls its exported C function
veldwacht_register_provider(), which adds the C++ "veldwacht" provider to QGIS's registry.
"""
import ctypes
import os

_LIB_NAME = "libveldwachtplugin.so"


def _library_path():
    """The .so: $VELDWACHT_PLUGIN_LIBRARY, two folders up (as installed), or QGIS's plugin dir."""
    env = os.environ.get("VELDWACHT_PLUGIN_LIBRARY")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    candidate = os.path.join(os.path.dirname(os.path.dirname(here)), _LIB_NAME)
    if os.path.exists(candidate):
        return candidate
    try:
        from qgis.core import QgsApplication

        candidate = os.path.join(QgsApplication.pluginPath(), _LIB_NAME)
        if os.path.exists(candidate):
            return candidate
    except ImportError:
        pass
    return None


class VeldwachtProcessingPlugin:
    def __init__(self, iface=None):
        self.iface = iface
        self._lib = None
        self._registered = False

    def initProcessing(self):
        if self._registered:
            return
        path = _library_path()
        if path is None:
            from qgis.core import Qgis, QgsMessageLog

            QgsMessageLog.logMessage(
                "Veldwacht: %s not found" % _LIB_NAME, "Veldwacht", Qgis.Critical
            )
            return
        self._lib = ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
        self._lib.veldwacht_register_provider.restype = ctypes.c_int
        self._lib.veldwacht_unregister_provider.restype = ctypes.c_int
        # 0 means the native plugin (desktop) registered it already: then it is not ours to remove.
        self._registered = self._lib.veldwacht_register_provider() == 1

    def initGui(self):
        self.initProcessing()

    def unload(self):
        if self._registered and self._lib is not None:
            self._lib.veldwacht_unregister_provider()
            self._registered = False


def classFactory(iface):
    return VeldwachtProcessingPlugin(iface)
