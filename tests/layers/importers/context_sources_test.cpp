// The context sources of schema version 4 (issue 13): BRP gewaspercelen and the police's crime
// figures per buurt in CBS StatLine's layout, imported without a mapping from files built here.
#include <gtest/gtest.h>

#include "layers/importers/importer.h"
#include "test_support.h"

using namespace veldwacht::layers;
using veldwacht::layers::testing::squarePolygon;
using veldwacht::layers::testing::TempDir;
using veldwacht::layers::testing::writeFile;
using veldwacht::layers::testing::writeVector;

namespace {

const Value& value(const Record& r, const std::string& layer, const std::string& field) {
  return r.values.at(std::size_t(layerDef(layer).fieldIndex(field)));
}

}  // namespace

// PDOK's BRP Gewaspercelen GeoPackage: category, gewas, gewascode, jaar, status; polygons.
TEST(ContextSources, BrpGewaspercelenFromPdoksGeoPackage) {
  TempDir d;
  const std::string f = d.file("brpgewaspercelen_definitief_2023.gpkg");
  writeVector(f, "GPKG", "brpgewas", 28992, wkbPolygon,
              {{"category", OFTString},
               {"gewas", OFTString},
               {"gewascode", OFTInteger},
               {"jaar", OFTInteger},
               {"status", OFTString}},
              {{{"Grasland", "Grasland, blijvend", "265", "2023", "Definitief"},
                squarePolygon(250000, 590000, 200)},
               {{"Bouwland", "Mais, snij-", "259", "2023", "Definitief"},
                squarePolygon(250300, 590000, 150)}});
  ValidationReport v = validateFile(f, {});
  ASSERT_TRUE(v.ok()) << v.str();
  ASSERT_EQ(v.batches.size(), 1u);
  EXPECT_EQ(v.batches[0].layer, "gewaspercelen");
  EXPECT_EQ(v.sources[0].recognisedAs, "BRP gewaspercelen");
  const auto& recs = v.batches[0].records;
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(std::get<std::int64_t>(value(recs[1], "gewaspercelen", "gewascode")), 259);
  EXPECT_EQ(std::get<std::string>(value(recs[1], "gewaspercelen", "gewas")), "Mais, snij-");
  EXPECT_EQ(std::get<std::string>(value(recs[0], "gewaspercelen", "categorie")), "Grasland");
  EXPECT_EQ(std::get<std::int64_t>(value(recs[0], "gewaspercelen", "jaar")), 2023);
  ASSERT_TRUE(recs[0].geometry);
  EXPECT_EQ(wkbFlatten(recs[0].geometry->getGeometryType()), wkbMultiPolygon);

  // Into a store: both years may live side by side (no key), a second file adds rows.
  auto store = Store::create(d.file("store.gpkg"));
  const std::vector<std::string> files = {f};
  const ImportReport r = importFiles(*store, files, {});
  ASSERT_EQ(r.rowsPerLayer.size(), 1u);
  EXPECT_EQ(r.rowsPerLayer[0], (std::pair<std::string, std::int64_t>{"gewaspercelen", 2}));
  const auto rows = store->query("SELECT gewascode, categorie FROM gewaspercelen ORDER BY fid");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0].value_or(""), "265");
  EXPECT_EQ(rows[1][1].value_or(""), "Bouwland");
}

// The old BRP shapefile names, and a required gewascode missing is named.
TEST(ContextSources, BrpOldNamesAndAMissingGewascode) {
  TempDir d;
  const std::string f = writeFile(
      d.file("brp.csv"),
      "GWS_GEWAS;GWS_GEWASC;CAT_GEWASC;wkt\n"
      "Grasland, tijdelijk;266;Grasland;\"POLYGON ((250000 590000, 250100 590000, 250100 590100, "
      "250000 590000))\"\n"
      "Wintertarwe;;Bouwland;\"POLYGON ((250200 590000, 250300 590000, 250300 590100, 250200 "
      "590000))\"\n");
  ValidationReport v = validateFile(f, {});
  ASSERT_EQ(v.sources.size(), 1u);
  EXPECT_EQ(v.sources[0].layer, "gewaspercelen");
  ASSERT_EQ(v.errors().size(), 1u) << v.str();
  EXPECT_EQ(v.errors()[0].where.row, 3);
  EXPECT_EQ(v.errors()[0].where.field, "gewascode");
}

// CBS StatLine's typed data set of 47022NED as CSV: padded codes, "." for unavailable, years
// and months; the key regiocode|soort|periode is derived, a bad period is named.
TEST(ContextSources, PoliceFiguresPerBuurtInStatLinesLayout) {
  TempDir d;
  const std::string f = writeFile(
      d.file("47022NED_TypedDataSet.csv"),
      "\"ID\";\"SoortMisdrijf\";\"WijkenEnBuurten\";\"Perioden\";\"GeregistreerdeMisdrijven_1\"\n"
      "0;\"0.0.0   \";\"BU19790101\";\"2023JJ00\";12\n"
      "1;\"1.1.1   \";\"BU19790101\";\"2023JJ00\";3\n"
      "2;\"1.1.1   \";\"BU19790102\";\"2023JJ00\";.\n"
      "3;\"1.1.1   \";\"GM1979    \";\"2024MM03\";7\n");
  ValidationReport v = validateFile(f, {});
  ASSERT_TRUE(v.ok()) << v.str();
  ASSERT_EQ(v.batches.size(), 1u);
  EXPECT_EQ(v.batches[0].layer, "misdrijven_per_buurt");
  const auto& recs = v.batches[0].records;
  ASSERT_EQ(recs.size(), 4u);
  const std::string L = "misdrijven_per_buurt";
  EXPECT_EQ(std::get<std::string>(value(recs[1], L, "sleutel")), "BU19790101|1.1.1|2023JJ00");
  EXPECT_EQ(std::get<std::string>(value(recs[1], L, "soort_misdrijf")), "1.1.1");
  EXPECT_EQ(std::get<std::int64_t>(value(recs[1], L, "aantal")), 3);
  EXPECT_EQ(std::get<std::int64_t>(value(recs[1], L, "jaar")), 2023);
  EXPECT_TRUE(isNull(value(recs[1], L, "maand")));
  EXPECT_TRUE(isNull(value(recs[2], L, "aantal")));  // "." = not available
  EXPECT_EQ(std::get<std::string>(value(recs[3], L, "regiocode")), "GM1979");
  EXPECT_EQ(std::get<std::int64_t>(value(recs[3], L, "jaar")), 2024);
  EXPECT_EQ(std::get<std::int64_t>(value(recs[3], L, "maand")), 3);

  auto store = Store::create(d.file("store.gpkg"));
  const std::vector<std::string> files = {f};
  importFiles(*store, files, {});
  const auto rows = store->query(
      "SELECT SUM(aantal) FROM misdrijven_per_buurt WHERE soort_misdrijf = '1.1.1' AND jaar = "
      "2023");
  EXPECT_EQ(rows.at(0).at(0).value_or(""), "3");
  // The same figures again are duplicates by the derived key.
  EXPECT_THROW(importFiles(*store, files, {}), ValidationError);

  const std::string bad = writeFile(d.file("bad.csv"),
                                    "SoortMisdrijf;RegioS;Perioden;GeregistreerdeMisdrijven_1\n"
                                    "1.1.1;BU19790101;2023;4\n");
  ValidationReport b = validateFile(bad, {});
  ASSERT_EQ(b.errors().size(), 1u) << b.str();
  EXPECT_EQ(b.errors()[0].where.row, 2);
  EXPECT_EQ(b.errors()[0].where.field, "periode");
  EXPECT_NE(b.errors()[0].message.find("expected a StatLine period such as 2023JJ00"),
            std::string::npos)
      << b.errors()[0].message;
}
