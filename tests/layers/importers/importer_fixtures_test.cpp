// Every importer against its fixture in sample-data/fixtures/ (made by make_fixtures.py, where
// the expected values below are written down): counts, values, derived fields, CRS results.
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "layers/importers/importer.h"
#include "layers/store/checksum.h"
#include "test_support.h"

using namespace veldwacht::layers;
using veldwacht::layers::testing::committedSha256;
using veldwacht::layers::testing::fixture;
using veldwacht::layers::testing::TempDir;

namespace {

// Lon/lat fixtures were made from RD points with PROJ (Helmert either way); going back may use
// the other operation when the grid is installed: RD -> WGS 84 -> RD agrees within 1 m.
constexpr double kRoundTripM = 1.0;

const Value& value(const LayerDef& def, const Record& r, const std::string& field) {
  const int i = def.fieldIndex(field);
  EXPECT_GE(i, 0) << field;
  return r.values.at(std::size_t(i));
}
std::string text(const LayerDef& def, const Record& r, const std::string& field) {
  const auto* s = std::get_if<std::string>(&value(def, r, field));
  return s ? *s : "<not text>";
}
std::int64_t integer(const LayerDef& def, const Record& r, const std::string& field) {
  const auto* i = std::get_if<std::int64_t>(&value(def, r, field));
  return i ? *i : -424242;
}
double real(const LayerDef& def, const Record& r, const std::string& field) {
  const auto* d = std::get_if<double>(&value(def, r, field));
  return d ? *d : -424242.0;
}
bool null(const LayerDef& def, const Record& r, const std::string& field) {
  return isNull(value(def, r, field));
}
OGRPoint pointOf(const Record& r) {
  EXPECT_TRUE(r.geometry);
  const auto* p = r.geometry ? dynamic_cast<const OGRPoint*>(r.geometry.get()) : nullptr;
  return p ? *p : OGRPoint(0, 0);
}

const ImportBatch& onlyBatch(const ValidationReport& v) {
  EXPECT_TRUE(v.ok()) << v.str();
  EXPECT_EQ(v.batches.size(), 1u) << v.str();
  return v.batches.at(0);
}

}  // namespace

TEST(ImporterFixtures, NwbShapefileWithUpperCaseFieldsKeepsJunctionIds) {
  ValidationReport v = validateFile(fixture("nwb_wegvakken.shp"), {});
  const ImportBatch& b = onlyBatch(v);
  EXPECT_EQ(b.layer, "wegvakken");
  EXPECT_EQ(v.sources[0].recognisedAs, "NWB wegvakken");
  EXPECT_EQ(b.sourceCrs, "EPSG:28992");
  EXPECT_NE(b.transformation.find("no transformation"), std::string::npos) << b.transformation;
  ASSERT_EQ(b.records.size(), 4u);
  const LayerDef& d = layerDef("wegvakken");
  EXPECT_EQ(integer(d, b.records[0], "wvk_id"), 600000001);
  EXPECT_EQ(integer(d, b.records[0], "jte_id_beg"), 700000001);
  EXPECT_EQ(integer(d, b.records[0], "jte_id_end"), 700000002);
  // Junction 700000002 joins three wegvakken: the graph survives.
  int atJunction = 0;
  for (const auto& r : b.records)
    atJunction +=
        integer(d, r, "jte_id_beg") == 700000002 || integer(d, r, "jte_id_end") == 700000002;
  EXPECT_EQ(atJunction, 3);
  EXPECT_EQ(text(d, b.records[1], "rijrichtng"), "H");
  EXPECT_EQ(text(d, b.records[2], "bst_code"), "FP");
  EXPECT_EQ(text(d, b.records[0], "wegnummer"), "N360");
  EXPECT_TRUE(null(d, b.records[0], "rijrichtng"));  // empty string -> NULL
  EXPECT_EQ(wkbFlatten(b.records[0].geometry->getGeometryType()), wkbLineString);
}

TEST(ImporterFixtures, CbsPre2021BuurtenWithSuppressedValuesAndCpg) {
  ValidationReport v = validateFile(fixture("cbs_buurten_2020.shp"), {});
  const ImportBatch& b = onlyBatch(v);
  EXPECT_EQ(b.layer, "buurten");
  EXPECT_NE(v.sources[0].recognisedAs.find("pre-2021"), std::string::npos);
  EXPECT_EQ(v.sources[0].encoding, "UTF-8");  // from the .cpg
  ASSERT_EQ(b.records.size(), 3u);
  const LayerDef& d = layerDef("buurten");
  EXPECT_EQ(text(d, b.records[0], "code"), "BU19790101");
  EXPECT_EQ(text(d, b.records[0], "wijkcode"), "WK197901");
  EXPECT_EQ(text(d, b.records[0], "gemeentecode"), "GM1979");
  EXPECT_EQ(integer(d, b.records[0], "aantal_inwoners"), 2315);
  EXPECT_EQ(text(d, b.records[1], "naam"),
            "Krewerd\xE2\x80\x93Oosterwijtwerd");            // en dash via .cpg
  EXPECT_TRUE(null(d, b.records[1], "aantal_inwoners"));     // -99997
  EXPECT_TRUE(null(d, b.records[1], "aantal_huishoudens"));  // -99997
  EXPECT_EQ(integer(d, b.records[0], "water"), 0);
  EXPECT_EQ(integer(d, b.records[2], "water"), 1);
  EXPECT_DOUBLE_EQ(real(d, b.records[1], "oppervlakte_land_ha"), 612.0);
  EXPECT_EQ(wkbFlatten(b.records[0].geometry->getGeometryType()), wkbMultiPolygon);  // promoted
}

TEST(ImporterFixtures, SignalenGeoJsonInWgs84IsTransformedToRd) {
  ValidationReport v = validateFile(fixture("signalen_wgs84.geojson"), {});
  const ImportBatch& b = onlyBatch(v);
  EXPECT_EQ(b.layer, "signalen");
  EXPECT_EQ(b.sourceCrs, "EPSG:4326");
  EXPECT_TRUE(b.transformation.find("Helmert") != std::string::npos ||
              b.transformation.find("RDNAPTRANS2018") != std::string::npos)
      << b.transformation;
  ASSERT_EQ(b.records.size(), 3u);
  const LayerDef& d = layerDef("signalen");
  const double expected[3][2] = {{254100, 595300}, {257400, 594100}, {247900, 595800}};
  for (int i = 0; i < 3; ++i) {
    const OGRPoint p = pointOf(b.records[std::size_t(i)]);
    EXPECT_NEAR(p.getX(), expected[i][0], kRoundTripM);
    EXPECT_NEAR(p.getY(), expected[i][1], kRoundTripM);
  }
  EXPECT_EQ(text(d, b.records[0], "signaal_id"), "SIG-2024-0101");
  EXPECT_EQ(text(d, b.records[0], "waargenomen_van"), "2024-03-02T23:30:00");
  EXPECT_EQ(text(d, b.records[0], "waargenomen_tot"), "2024-03-03T06:00:00");
  EXPECT_TRUE(null(d, b.records[1], "waargenomen_tot"));
  EXPECT_EQ(integer(d, b.records[0], "terugkoppeling"), 0);
  EXPECT_EQ(text(d, b.records[1], "categorie"), "HENNEP");
}

TEST(ImporterFixtures, DutchExcelCsvWithBomSemicolonsDecimalCommasAndDutchDates) {
  ValidationReport v = validateFile(fixture("signalen_excel.csv"), {});
  const ImportBatch& b = onlyBatch(v);
  EXPECT_EQ(b.layer, "signalen");
  EXPECT_EQ(v.sources[0].encoding, "UTF-8 with BOM");
  EXPECT_EQ(b.sourceCrs, "EPSG:28992");
  ASSERT_EQ(b.records.size(), 4u);
  const LayerDef& d = layerDef("signalen");
  const auto& r0 = b.records[0];
  EXPECT_EQ(r0.sourceRow, 2);
  EXPECT_EQ(text(d, r0, "waargenomen_van"), "2024-04-03T22:15:00");
  EXPECT_EQ(text(d, r0, "waargenomen_tot"), "2024-04-04T05:00:00");
  EXPECT_DOUBLE_EQ(real(d, r0, "locatie_precisie_m"), 25.5);
  EXPECT_EQ(integer(d, r0, "terugkoppeling"), 0);
  EXPECT_DOUBLE_EQ(pointOf(r0).getX(), 256984.5);  // RD in, RD out: exact
  EXPECT_DOUBLE_EQ(pointOf(r0).getY(), 594814.25);
  EXPECT_EQ(text(d, b.records[1], "waargenomen_van"), "2024-04-05T00:00:00");  // d-m-jjjj
  EXPECT_EQ(integer(d, b.records[1], "terugkoppeling"), 1);
  EXPECT_EQ(text(d, b.records[1], "omschrijving"), "Huur contant; tussenpersoon");
  EXPECT_EQ(text(d, b.records[2], "waargenomen_van"), "2024-04-12T09:30:00");  // dd/mm/jjjj
  EXPECT_EQ(text(d, b.records[2], "omschrijving"), "Vaten bij loods \xE2\x80\x93 Oosterhorn");
  EXPECT_EQ(text(d, b.records[3], "waargenomen_van"), "2024-04-20T00:00:00");  // ISO
  EXPECT_TRUE(null(d, b.records[3], "betrouwbaarheid"));
  EXPECT_TRUE(null(d, b.records[3], "locatie_precisie_m"));
}

TEST(ImporterFixtures, BagLightGeoPackageGivesPandenAndVerblijfsobjectenWithDerivedBarns) {
  ValidationReport v = validateFile(fixture("bag_light.gpkg"), {});
  ASSERT_TRUE(v.ok()) << v.str();
  ASSERT_EQ(v.batches.size(), 2u);
  const ImportBatch& panden = v.batches[0].layer == "panden" ? v.batches[0] : v.batches[1];
  const ImportBatch& vbos = v.batches[0].layer == "panden" ? v.batches[1] : v.batches[0];
  ASSERT_EQ(panden.layer, "panden");
  ASSERT_EQ(vbos.layer, "verblijfsobjecten");
  ASSERT_EQ(panden.records.size(), 4u);
  ASSERT_EQ(vbos.records.size(), 3u);
  const LayerDef& p = layerDef("panden");
  // Footprints 10x12, 20x30, 16x25, 15x20 m; is_schuur by the documented rule.
  const double area[4] = {120, 600, 400, 300};
  const std::int64_t schuur[4] = {0, 1, 1, 0};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(real(p, panden.records[i], "oppervlakte_m2"), area[i], 1e-6) << i;
    EXPECT_EQ(integer(p, panden.records[i], "is_schuur"), schuur[i]) << i;
  }
  EXPECT_EQ(text(p, panden.records[0], "bag_id"), "1979109990000001");
  EXPECT_EQ(integer(p, panden.records[1], "bouwjaar"), 1968);
  EXPECT_EQ(text(p, panden.records[2], "status"), "Pand buiten gebruik");
  const LayerDef& vd = layerDef("verblijfsobjecten");
  EXPECT_EQ(text(vd, vbos.records[1], "bag_pand_id"), "1979109990000003");
  EXPECT_EQ(integer(vd, vbos.records[0], "huisnummer"), 12);
  EXPECT_EQ(text(vd, vbos.records[1], "huisletter"), "a");
  EXPECT_DOUBLE_EQ(real(vd, vbos.records[2], "oppervlakte_m2"), 210.0);
  EXPECT_EQ(text(vd, vbos.records[2], "postcode"), "9919AA");
}

TEST(ImporterFixtures, IbisShapefile) {
  ValidationReport v = validateFile(fixture("ibis_bedrijventerreinen.shp"), {});
  const ImportBatch& b = onlyBatch(v);
  EXPECT_EQ(b.layer, "bedrijventerreinen");
  ASSERT_EQ(b.records.size(), 2u);
  const LayerDef& d = layerDef("bedrijventerreinen");
  EXPECT_EQ(text(d, b.records[0], "rin_nummer"), "1979010");
  EXPECT_EQ(text(d, b.records[0], "plan_naam"), "Oosterhorn");
  EXPECT_EQ(integer(d, b.records[0], "jaar"), 2024);
  EXPECT_DOUBLE_EQ(real(d, b.records[0], "ha_bruto"), 1200.5);
  EXPECT_DOUBLE_EQ(real(d, b.records[1], "ha_netto"), 38.5);
  EXPECT_EQ(text(d, b.records[1], "wloc_type"), "Gemengd terrein");
}

TEST(ImporterFixtures, OwnExportWithJsonMappingAndLatLonColumns) {
  ImportOptions o;
  o.mappingFile = fixture("meldingen_mapping.json");
  ValidationReport v = validateFile(fixture("meldingen_export.csv"), o);
  const ImportBatch& b = onlyBatch(v);
  EXPECT_EQ(b.layer, "signalen");
  EXPECT_EQ(b.sourceCrs, "EPSG:4326");
  ASSERT_EQ(b.records.size(), 2u);
  const LayerDef& d = layerDef("signalen");
  EXPECT_EQ(text(d, b.records[0], "signaal_id"), "M-1");
  EXPECT_EQ(text(d, b.records[0], "categorie"), "DRUGSAFVAL");
  EXPECT_EQ(text(d, b.records[1], "status"), "doorgezet");  // same-name column, any case
  EXPECT_EQ(text(d, b.records[1], "waargenomen_van"), "2024-05-06T13:45:00");
  EXPECT_NEAR(pointOf(b.records[0]).getX(), 253900.0, kRoundTripM);
  EXPECT_NEAR(pointOf(b.records[0]).getY(), 595100.0, kRoundTripM);
}

TEST(ImporterFixtures, AllFixturesImportInOneTransactionAndReadBack) {
  TempDir dir;
  const std::string storePath = dir.file("store.gpkg");
  auto store = Store::create(storePath);
  const std::vector<std::string> files = {
      fixture("nwb_wegvakken.shp"),      fixture("cbs_buurten_2020.shp"),
      fixture("signalen_wgs84.geojson"), fixture("signalen_excel.csv"),
      fixture("bag_light.gpkg"),         fixture("ibis_bedrijventerreinen.shp")};
  ImportReport report = importFiles(*store, files, {});
  std::map<std::string, std::int64_t> rows(report.rowsPerLayer.begin(), report.rowsPerLayer.end());
  EXPECT_EQ(rows["wegvakken"], 4);
  EXPECT_EQ(rows["buurten"], 3);
  EXPECT_EQ(rows["signalen"], 7);
  EXPECT_EQ(rows["panden"], 4);
  EXPECT_EQ(rows["verblijfsobjecten"], 3);
  EXPECT_EQ(rows["bedrijventerreinen"], 2);
  EXPECT_EQ(store->read("signalen").size(), 7u);
  EXPECT_EQ(store->read("panden", compileFilter(layerDef("panden"), "is_schuur = 1")).size(), 2u);
  EXPECT_EQ(
      store->read("buurten", compileFilter(layerDef("buurten"), "aantal_inwoners IS NULL")).size(),
      1u);
  // One veldwacht_imports row per batch, with the source's sha256 and the CRS note.
  const auto imports = store->imports();
  ASSERT_EQ(imports.size(), 7u);
  for (const auto& i : imports) {
    if (i.sourceFile == fixture("signalen_wgs84.geojson")) {
      EXPECT_EQ(i.sourceCrs, "EPSG:4326");
      EXPECT_EQ(i.sourceSha256, fileSha256(fixture("signalen_wgs84.geojson")));
      EXPECT_FALSE(i.transformation.empty());
    }
  }
  // Importing the same signalen again is refused as duplicates against the store.
  const std::string before = committedSha256(*store);
  const std::vector<std::string> again = {fixture("signalen_excel.csv")};
  EXPECT_THROW(importFiles(*store, again, {}), ValidationError);
  EXPECT_EQ(committedSha256(*store), before);
}
