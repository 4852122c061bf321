"""Shared set-up for the PyQGIS style tests: a private HOME/XDG_RUNTIME_DIR, the offscreen
platform, one QgsApplication per process, and exit code 77 (ctest SKIP_RETURN_CODE) when the
interpreter has no qgis module."""

import atexit
import os
import shutil
import sys
import tempfile

SKIP = 77
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
STYLES = os.path.join(REPO, "styles")

_tmp = tempfile.mkdtemp(prefix="veldwacht-styles-test-")
# Registered first, so it runs last (after _stop): nothing is left in /tmp after a run.
atexit.register(shutil.rmtree, _tmp, True)
os.environ["HOME"] = _tmp
os.environ["QGIS_CUSTOM_CONFIG_PATH"] = _tmp
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_xdg = os.path.join(_tmp, "xdg")
os.makedirs(_xdg, mode=0o700, exist_ok=True)
os.environ["XDG_RUNTIME_DIR"] = _xdg

try:
    from qgis.core import QgsApplication  # noqa: E402
except ImportError as e:  # pragma: no cover - depends on the machine
    print("SKIP: no PyQGIS in {} ({})".format(sys.executable, e))
    sys.exit(SKIP)

_app = None


def start():
    global _app
    if _app is None:
        _app = QgsApplication([], False)
        _app.initQgis()
        atexit.register(_stop)
    return _app


def _stop():
    from qgis.core import QgsProject
    QgsProject.instance().clear()
    # exitQgis() after unittest has dropped its references; a crash here would hide results,
    # so flush first.
    sys.stdout.flush()
    sys.stderr.flush()
    _app.exitQgis()


def tmpdir():
    return _tmp
