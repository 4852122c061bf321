#!/usr/bin/python3
"""styles/layouts/kennissessie_a4.qpt loads into a QGIS print layout with the items the README
promises, linked to the map, on an A4 landscape page, with the Dutch date and the credits."""

import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qgis_env  # noqa: E402

from qgis.core import (  # noqa: E402
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsPrintLayout,
    QgsProject,
    QgsReadWriteContext,
    QgsUnitTypes,
)
from qgis.PyQt.QtXml import QDomDocument  # noqa: E402

QPT = os.path.join(qgis_env.STYLES, "layouts", "kennissessie_a4.qpt")
EXPECTED_ITEMS = {
    "kaart": QgsLayoutItemMap, "legenda": QgsLayoutItemLegend,
    "schaalbalk": QgsLayoutItemScaleBar, "noordpijl": QgsLayoutItemPicture,
    "titel": QgsLayoutItemLabel, "ondertitel": QgsLayoutItemLabel,
    "datum": QgsLayoutItemLabel, "bron": QgsLayoutItemLabel, "privacy": QgsLayoutItemLabel,
}
MONTHS_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
             "september", "oktober", "november", "december"]


class Template(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        qgis_env.start()
        cls.project = QgsProject()
        cls.project.setTitle("Testtitel")
        cls.layout = QgsPrintLayout(cls.project)
        doc = QDomDocument()
        with open(QPT, "rb") as f:
            assert doc.setContent(f.read())
        cls.items, cls.ok = cls.layout.loadFromTemplate(doc, QgsReadWriteContext())

    @classmethod
    def tearDownClass(cls):
        del cls.items
        del cls.layout
        del cls.project

    def test_loads_with_every_expected_item(self):
        self.assertTrue(self.ok)
        for item_id, cls in EXPECTED_ITEMS.items():
            with self.subTest(item=item_id):
                item = self.layout.itemById(item_id)
                self.assertIsInstance(item, cls)

    def test_page_is_a4_landscape(self):
        page = self.layout.pageCollection().page(0)
        size = page.pageSize()
        self.assertEqual(size.units(), QgsUnitTypes.LayoutMillimeters)
        self.assertAlmostEqual(size.width(), 297, places=3)
        self.assertAlmostEqual(size.height(), 210, places=3)

    def test_items_stay_on_the_page_and_do_not_overlap_the_map(self):
        page = self.layout.pageCollection().page(0).sceneBoundingRect()
        kaart = self.layout.itemById("kaart").sceneBoundingRect()
        for item_id in EXPECTED_ITEMS:
            r = self.layout.itemById(item_id).sceneBoundingRect()
            with self.subTest(item=item_id):
                self.assertTrue(page.contains(r), r)
                if item_id not in ("kaart", "noordpijl"):  # the arrow sits on the map
                    self.assertFalse(kaart.intersects(r.adjusted(0.01, 0.01, -0.01, -0.01)))

    def test_map_is_rd_new_with_a_real_extent(self):
        m = self.layout.itemById("kaart")
        self.assertEqual(m.crs().authid(), "EPSG:28992")
        e = m.extent()
        self.assertFalse(e.isEmpty())
        self.assertTrue(0 < e.xMinimum() < 300000 and 300000 < e.yMinimum() < 625000)

    def test_legend_scale_bar_and_north_arrow_follow_the_map(self):
        m = self.layout.itemById("kaart")
        self.assertIs(self.layout.itemById("legenda").linkedMap(), m)
        self.assertIs(self.layout.itemById("schaalbalk").linkedMap(), m)
        self.assertIs(self.layout.itemById("noordpijl").linkedMap(), m)
        self.assertEqual(self.layout.itemById("schaalbalk").units(),
                         QgsUnitTypes.DistanceKilometers)
        self.assertTrue(os.path.exists(self.layout.itemById("noordpijl").picturePath()))

    def test_date_title_and_credits(self):
        today = datetime.date.today()
        date = self.layout.itemById("datum").currentText()
        self.assertEqual(date, "Datum: {} {} {}".format(today.day, MONTHS_NL[today.month - 1],
                                                        today.year))
        self.assertEqual(self.layout.itemById("titel").currentText(), "Testtitel")
        self.assertEqual(self.layout.itemById("bron").currentText(),
                         "Bron: CBS / PDOK; synthetische gegevens Veldwacht")
        privacy = self.layout.itemById("privacy").currentText()
        self.assertIn("Vertrouwelijk", privacy)
        self.assertIn("5 meldingen", privacy)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
