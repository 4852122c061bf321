// Importer behaviour beyond the fixtures: CBS 2021+ names in a GeoPackage, padded codes, integer
// natural keys against the store, cancellation, options validation, multi-file transactions.
#include "layers/importers/importer.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "geo/core/error.h"
#include "layers/store/checksum.h"
#include "test_support.h"
#include "tests/geo/expect_error.h"

using namespace veldwacht::layers;
using veldwacht::layers::testing::committedSha256;
using veldwacht::layers::testing::fixture;
using veldwacht::layers::testing::squarePolygon;
using veldwacht::layers::testing::TempDir;
using veldwacht::layers::testing::writeFile;
using veldwacht::layers::testing::writeVector;

namespace {

template <class T>
T get(const Record& r, const std::string& layer, const std::string& field) {
  return std::get<T>(r.values.at(std::size_t(layerDef(layer).fieldIndex(field))));
}

bool null(const Record& r, const std::string& layer, const std::string& field) {
  return isNull(r.values.at(std::size_t(layerDef(layer).fieldIndex(field))));
}

}  // namespace

TEST(Importer, Cbs2021GemeentenInAGeoPackageWithWaterJaNeeAndSuppressedValues) {
  TempDir d;
  const std::string f = d.file("wijkenbuurten_2023.gpkg");
  writeVector(f, "GPKG", "gemeenten", 28992, wkbPolygon,
              {{"gemeentecode", OFTString},
               {"gemeentenaam", OFTString},
               {"water", OFTString},
               {"aantal_inwoners", OFTInteger},
               {"aantal_huishoudens", OFTInteger},
               {"oppervlakte_land_in_ha", OFTInteger}},
              {{{"  GM1979 ", "Eemsdelta", "NEE", "45000", "-99997", "23000"},
                squarePolygon(245000, 590000, 17000)},
               {{"GM0000", "Waddenzee", "JA", "-99997", "-99997", "0"},
                squarePolygon(230000, 600000, 5000)}});
  ValidationReport v = validateFile(f, {});
  ASSERT_TRUE(v.ok()) << v.str();
  ASSERT_EQ(v.batches.size(), 1u);
  const auto& recs = v.batches[0].records;
  EXPECT_EQ(v.batches[0].layer, "gemeenten");
  EXPECT_NE(v.sources[0].recognisedAs.find("2021+"), std::string::npos);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(get<std::string>(recs[0], "gemeenten", "code"), "GM1979");  // padding trimmed
  EXPECT_EQ(get<std::string>(recs[0], "gemeenten", "gemeentecode"), "GM1979");
  EXPECT_EQ(get<std::int64_t>(recs[0], "gemeenten", "water"), 0);
  EXPECT_EQ(get<std::int64_t>(recs[1], "gemeenten", "water"), 1);
  EXPECT_EQ(get<std::int64_t>(recs[0], "gemeenten", "aantal_inwoners"), 45000);
  EXPECT_TRUE(null(recs[0], "gemeenten", "aantal_huishoudens"));
  EXPECT_TRUE(null(recs[1], "gemeenten", "aantal_inwoners"));
  EXPECT_DOUBLE_EQ(get<double>(recs[0], "gemeenten", "oppervlakte_land_ha"), 23000.0);
}

TEST(Importer, NwbLowerCaseGeoPackageAndIntegerKeysAgainstTheStore) {
  TempDir d;
  const std::string f = d.file("nwb.gpkg");
  auto line = [](double x) {
    auto* l = new OGRLineString();
    l->addPoint(x, 594000);
    l->addPoint(x + 100, 594100);
    return l;
  };
  writeVector(
      f, "GPKG", "wegvakken", 28992, wkbLineString,
      {{"wvk_id", OFTInteger64},
       {"jte_id_beg", OFTInteger64},
       {"jte_id_end", OFTInteger64},
       {"wegbehsrt", OFTString}},
      {{{"600000001", "1", "2", "G"}, line(250000)}, {{"600000099", "2", "3", "P"}, line(251000)}});
  const std::string storePath = d.file("store.gpkg");
  auto store = Store::create(storePath);
  const std::vector<std::string> shp = {fixture("nwb_wegvakken.shp")};
  importFiles(*store, shp, {});
  const std::string before = committedSha256(*store);
  const std::vector<std::string> gpkg = {f};
  try {
    importFiles(*store, gpkg, {});
    FAIL() << "a wvk_id already in the store was accepted";
  } catch (const ValidationError& e) {
    ASSERT_EQ(e.problems().size(), 1u) << e.what();
    EXPECT_EQ(e.problems()[0].where.row, 1);
    EXPECT_EQ(e.problems()[0].where.field, "wvk_id");
    EXPECT_NE(e.problems()[0].message.find("'600000001' is already in the store"),
              std::string::npos);
  }
  EXPECT_EQ(committedSha256(*store), before);
  EXPECT_EQ(store->read("wegvakken").size(), 4u);
}

TEST(Importer, OneBadFileRefusesTheWholeImport) {
  TempDir d;
  const std::string storePath = d.file("store.gpkg");
  auto store = Store::create(storePath);
  const std::string before = committedSha256(*store);
  const std::string bad =
      writeFile(d.file("bad.csv"), "vab_id;leegstand;x;y\nVAB-1;half;250000;594000\n");
  const std::vector<std::string> files = {fixture("ibis_bedrijventerreinen.shp"), bad};
  try {
    importFiles(*store, files, {});
    FAIL();
  } catch (const ValidationError& e) {
    ASSERT_EQ(e.problems().size(), 1u) << e.what();
    EXPECT_EQ(e.problems()[0].where.field, "leegstand");
    EXPECT_NE(e.problems()[0].message.find("'half' is not allowed"), std::string::npos);
  }
  EXPECT_EQ(committedSha256(*store), before);
  EXPECT_TRUE(store->read("bedrijventerreinen").empty());
}

TEST(Importer, CancelledImportWritesNothing) {
  TempDir d;
  const std::string storePath = d.file("store.gpkg");
  auto store = Store::create(storePath);
  const std::string before = committedSha256(*store);
  veldwacht::geo::CancellableProgress progress;
  progress.cancel();
  const std::vector<std::string> files = {fixture("signalen_excel.csv")};
  EXPECT_THROW(importFiles(*store, files, {}, progress), veldwacht::geo::CancelledError);
  EXPECT_EQ(committedSha256(*store), before);
}

TEST(Importer, OptionsAreValidatedBeforeAnyWork) {
  ImportOptions o;
  o.layer = "schuren";
  EXPECT_OPTION_ERROR(o.validate(), "layer");
  o = {};
  o.sourceCrs = "EPSG:123456789";
  EXPECT_OPTION_ERROR(o.validate(), "sourceCrs");
  o = {};
  o.mapping = "a=categorie";  // a mapping without a target layer
  EXPECT_THROW_WITH(o.validate(), veldwacht::geo::OptionError,
                    "layer: a field mapping needs a target layer");
  o.layer = "signalen";
  EXPECT_NO_THROW(o.validate());
  o.csvDelimiter = 'x';
  EXPECT_OPTION_ERROR(o.validate(), "csvDelimiter");
}

TEST(Importer, CrsOverrideTurnsRdColumnsIntoLonLat) {
  TempDir d;
  // Columns named x/y imply RD; --crs EPSG:4326 says they are degrees.
  const std::string f = writeFile(d.file("s.csv"),
                                  "signaal_id;categorie;brontype;waargenomen_van;status;x;y\nS-1;"
                                  "HENNEP;boer;01-01-2024;nieuw;6,9190;53,3300\n");
  ImportOptions o;
  o.sourceCrs = "EPSG:4326";
  ValidationReport v = validateFile(f, o);
  ASSERT_TRUE(v.ok()) << v.str();
  EXPECT_EQ(v.sources[0].sourceCrs, "EPSG:4326");
  const auto* p = dynamic_cast<const OGRPoint*>(v.batches[0].records[0].geometry.get());
  ASSERT_TRUE(p);
  EXPECT_NEAR(p->getX(), 256984.0, 300.0);  // Delfzijl, DOMAIN.md
  EXPECT_NEAR(p->getY(), 594814.0, 300.0);
}

TEST(Importer, UnrecognisedLayersOfAGeoPackageAreSkippedWithAWarning) {
  TempDir d;
  const std::string f = d.file("mixed.gpkg");
  std::filesystem::copy_file(fixture("bag_light.gpkg"), f);
  {
    veldwacht::geo::DatasetPtr ds = veldwacht::geo::openDataset(f, GDAL_OF_VECTOR | GDAL_OF_UPDATE);
    OGRSpatialReference rd;
    rd.importFromEPSG(28992);
    OGRLayer* l = ds->CreateLayer("ligplaats", &rd, wkbPolygon, nullptr);
    OGRFieldDefn fd("identificatie", OFTString);
    l->CreateField(&fd);
  }
  ValidationReport v = validateFile(f, {});
  ASSERT_TRUE(v.ok()) << v.str();
  EXPECT_EQ(v.batches.size(), 2u);
  bool warned = false;
  for (const auto& s : v.sources)
    for (const auto& w : s.warnings)
      warned =
          warned || w.message.find("not recognised and skipped: ligplaats") != std::string::npos;
  EXPECT_TRUE(warned) << v.str();
}

TEST(Importer, SyntheticMarksEveryRowAndOtherwiseTheDefaultApplies) {
  ImportOptions o;
  ValidationReport plain = validateFile(fixture("ibis_bedrijventerreinen.shp"), o);
  ASSERT_TRUE(plain.ok()) << plain.str();
  for (const auto& r : plain.batches[0].records)
    EXPECT_TRUE(null(r, "bedrijventerreinen", "synthetisch"));
  o.synthetic = true;
  ValidationReport marked = validateFile(fixture("ibis_bedrijventerreinen.shp"), o);
  ASSERT_TRUE(marked.ok()) << marked.str();
  for (const auto& r : marked.batches[0].records)
    EXPECT_EQ(get<std::int64_t>(r, "bedrijventerreinen", "synthetisch"), 1);
}

TEST(Importer, CoordinateColumnsWithDiaeresisAreFound) {
  TempDir d;
  const std::string f = writeFile(d.file("s.csv"),
                                  "signaal_id;categorie;brontype;waargenomen_van;status;"
                                  "X-co\xC3\xB6rdinaat;Y-co\xC3\xB6rdinaat\n"
                                  "S-1;HENNEP;boer;01-01-2024 22.15;nieuw;256984;594814\n");
  ValidationReport v = validateFile(f, {});
  ASSERT_TRUE(v.ok()) << v.str();
  const auto* p = dynamic_cast<const OGRPoint*>(v.batches[0].records[0].geometry.get());
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->getX(), 256984.0);
  EXPECT_EQ(get<std::string>(v.batches[0].records[0], "signalen", "waargenomen_van"),
            "2024-01-01T22:15:00");
}

TEST(Importer, NewCategoriesCountForSignalenLaterInTheSameImport) {
  TempDir d;
  auto store = Store::create(d.file("store.gpkg"));
  const std::string cats =
      writeFile(d.file("categorieen.csv"), "code;naam;actief\nWAPENS;Wapenopslag;ja\n");
  const std::string sigs = writeFile(d.file("signalen.csv"),
                                     "signaal_id;categorie;brontype;waargenomen_van;status;x;y\nS-"
                                     "1;WAPENS;boer;01-01-2024;nieuw;256984;594814\n");
  const std::vector<std::string> files = {cats, sigs};
  ImportReport r = importFiles(*store, files, {});
  EXPECT_EQ(store->read("signalen").size(), 1u);
  EXPECT_EQ(store
                ->read("signaal_categorieen",
                       compileFilter(layerDef("signaal_categorieen"), "code = 'WAPENS'"))
                .size(),
            1u);
  // Alone, the signal is refused: WAPENS is not (yet) a category.
  TempDir d2;
  auto fresh = Store::create(d2.file("store.gpkg"));
  const std::vector<std::string> only = {sigs};
  EXPECT_THROW_WITH(importFiles(*fresh, only, {}), ValidationError, "WAPENS");
}

TEST(Importer, MappingOnlyTheCoordinateColumnsNeedsNoLayer) {
  TempDir d;
  const std::string f =
      writeFile(d.file("s.csv"),
                "signaal_id;categorie;brontype;waargenomen_van;status;oost;noord\n"
                "S-1;HENNEP;boer;01-01-2024;nieuw;256984;594814\n");
  ImportOptions o;
  o.mapping = "oost=x,noord=y";
  ValidationReport v = validateFile(f, o);
  ASSERT_TRUE(v.ok()) << v.str();
  EXPECT_EQ(v.batches[0].layer, "signalen");
  const auto* p = dynamic_cast<const OGRPoint*>(v.batches[0].records[0].geometry.get());
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->getY(), 594814.0);
}
