#include "layers/results/results.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>

#include "geo/core/error.h"
#include "layers/store/checksum.h"
#include "layers/store/styles.h"
#include "tests/geo/expect_error.h"
#include "tests/layers/store/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

FieldDef fieldOf(const std::string& name, FieldType type, bool required = false) {
  FieldDef f;
  f.name = name;
  f.type = type;
  f.required = required;
  return f;
}

/// A cluster-like result: one field of every type, `n` polygons.
ResultLayer clusterResult(int n, const std::string& name = "clusters_signalen") {
  ResultLayer r;
  r.name = name;
  r.title = "Clusters van signalen";
  r.geometry = GeometryKind::MultiPolygon;
  r.fields = {
      fieldOf("cluster_id", FieldType::Integer, true), fieldOf("label", FieldType::Text),
      fieldOf("dichtheid", FieldType::Real),           fieldOf("significant", FieldType::Boolean),
      fieldOf("eerste_dag", FieldType::Date),          fieldOf("laatste", FieldType::DateTime)};
  for (int i = 0; i < n; ++i) {
    Record rec;
    rec.values = {std::int64_t{i},
                  std::string("cluster ") + std::to_string(i),
                  0.5 * i,
                  std::int64_t{i % 2},
                  std::string("2024-05-0") + std::to_string(1 + i % 9),
                  std::string("2024-05-01T23:1") + std::to_string(i % 10) + ":00"};
    rec.geometry = geometryFor(GeometryKind::MultiPolygon, i);
    r.records.push_back(std::move(rec));
  }
  r.metadata.algorithm = "dbscan";
  r.metadata.parametersJson = R"({"eps_m":250,"min_points":5})";
  r.metadata.inputLayer = "signalen";
  r.metadata.inputRows = 1234;
  r.metadata.seed = 42;
  r.metadata.startedAt = "2024-06-01T10:00:00";
  r.metadata.durationSeconds = 1.25;
  r.style = "clusters_hulls";
  return r;
}

/// A styles directory with results/clusters_hulls.qml and results/density.qml.
std::string stylesFixture(const TempDir& dir) {
  const auto root = dir.path() / "styles";
  std::filesystem::create_directories(root / "results");
  std::ofstream(root / "results" / "clusters_hulls.qml") << "<qgis><hulls/></qgis>";
  std::ofstream(root / "results" / "density.qml") << "<qgis><density/></qgis>";
  return root.string();
}

}  // namespace

TEST(WriteResultLayer, RoundTripsFieldsRecordsAndMetadata) {
  TempDir dir;
  const auto path = dir.file("s.gpkg");
  ResultLayer written = clusterResult(3);
  {
    auto store = Store::create(path);
    ResultLayer copy = clusterResult(3);
    copy.stylesDir = stylesFixture(dir);
    writeResultLayer(*store, std::move(copy));
  }
  auto store = Store::open(path, false);
  const ResultLayer back = readResultLayer(*store, "clusters_signalen");
  EXPECT_EQ(back.title, "Clusters van signalen");
  EXPECT_EQ(back.geometry, GeometryKind::MultiPolygon);
  ASSERT_EQ(back.fields.size(), written.fields.size());
  for (std::size_t i = 0; i < back.fields.size(); ++i) {
    EXPECT_EQ(back.fields[i].name, written.fields[i].name);
    EXPECT_EQ(back.fields[i].type, written.fields[i].type) << back.fields[i].name;
  }
  EXPECT_TRUE(back.fields[0].required);
  ASSERT_EQ(back.records.size(), 3u);
  for (std::size_t r = 0; r < 3; ++r) {
    EXPECT_EQ(back.records[r].values, written.records[r].values) << "record " << r;
    EXPECT_TRUE(back.records[r].geometry->Equals(written.records[r].geometry.get()));
  }
  const ResultMetadata& m = back.metadata;
  EXPECT_EQ(m.algorithm, "dbscan");
  EXPECT_EQ(m.parametersJson, written.metadata.parametersJson);
  EXPECT_EQ(m.inputLayer, "signalen");
  EXPECT_EQ(m.inputRows, 1234);
  EXPECT_EQ(m.seed, 42);
  EXPECT_EQ(m.startedAt, "2024-06-01T10:00:00");
  EXPECT_DOUBLE_EQ(m.durationSeconds, 1.25);
  EXPECT_FALSE(m.veldwachtVersion.empty());
  EXPECT_EQ(back.style, "clusters_hulls");
}

TEST(WriteResultLayer, PutsTheMetadataInGpkgContentsAndGdalMetadata) {
  TempDir dir;
  const auto path = dir.file("s.gpkg");
  writeResultLayer(*Store::create(path), clusterResult(2));
  auto store = Store::open(path, false);
  const auto rows =
      store->query("SELECT description FROM gpkg_contents WHERE table_name = 'clusters_signalen'");
  ASSERT_EQ(rows.size(), 1u);
  const std::string description = rows[0][0].value_or("");
  EXPECT_NE(description.find("dbscan op signalen (1234 rijen), seed 42"), std::string::npos)
      << description;
  EXPECT_NE(description.find("1.25 s"), std::string::npos) << description;
  OGRLayer* l = store->dataset().GetLayerByName("clusters_signalen");
  ASSERT_NE(l, nullptr);
  EXPECT_STREQ(l->GetMetadataItem("VELDWACHT_ALGORITHM"), "dbscan");
  EXPECT_STREQ(l->GetMetadataItem("VELDWACHT_SEED"), "42");
  EXPECT_STREQ(l->GetMetadataItem("VELDWACHT_PARAMETERS"), R"({"eps_m":250,"min_points":5})");
}

TEST(WriteResultLayer, ItsGdalMetadataIsReplacedAndDeletedWithIt) {
  // Written with our own SQL (gpkg_metadata + gpkg_metadata_reference, GDAL's XML), not through
  // GDAL's flush, which crashed under an allocation failure: GDAL must still read it, and a
  // replaced or deleted result must leave no metadata rows behind.
  TempDir dir;
  const auto path = dir.file("s.gpkg");
  {
    auto store = Store::create(path);
    writeResultLayer(*store, clusterResult(2));
    ResultLayer other = clusterResult(1, "andere");
    other.title = "Andere clusters";  // gpkg_contents.identifier is unique
    writeResultLayer(*store, std::move(other));
    ResultLayer second = clusterResult(3);
    second.metadata.seed = 7;
    second.metadata.parametersJson = R"({"eps_m":100,"note":"a & b <c>"})";
    writeResultLayer(*store, std::move(second));
  }
  {
    auto store = Store::open(path, false);
    auto count = [&](const std::string& sql) {
      const auto rows = store->query(sql);
      return rows.empty() || !rows[0][0] ? std::string("?") : *rows[0][0];
    };
    EXPECT_EQ(count("SELECT COUNT(*) FROM gpkg_metadata"), "2");
    EXPECT_EQ(count("SELECT COUNT(*) FROM gpkg_metadata_reference WHERE table_name = "
                    "'clusters_signalen'"),
              "1");
    EXPECT_EQ(count("SELECT COUNT(*) FROM gpkg_extensions WHERE extension_name = "
                    "'gpkg_metadata'"),
              "2");
    OGRLayer* l = store->dataset().GetLayerByName("clusters_signalen");
    ASSERT_NE(l, nullptr);
    EXPECT_STREQ(l->GetMetadataItem("VELDWACHT_SEED"), "7");
    EXPECT_STREQ(l->GetMetadataItem("VELDWACHT_PARAMETERS"), R"({"eps_m":100,"note":"a & b <c>"})");
    EXPECT_STREQ(l->GetMetadataItem("VELDWACHT_STARTED_AT"), "2024-06-01T10:00:00");
    OGRLayer* other = store->dataset().GetLayerByName("andere");
    ASSERT_NE(other, nullptr);
    EXPECT_STREQ(other->GetMetadataItem("VELDWACHT_SEED"), "42");
  }
  {
    auto store = Store::open(path, true);
    deleteResult(*store, "clusters_signalen");
  }
  auto store = Store::open(path, false);
  const auto rows = store->query(
      "SELECT (SELECT COUNT(*) FROM gpkg_metadata), (SELECT COUNT(*) FROM "
      "gpkg_metadata_reference), (SELECT COUNT(*) FROM gpkg_metadata_reference WHERE table_name "
      "= 'andere')");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].value_or("?"), "1");
  EXPECT_EQ(rows[0][1].value_or("?"), "1");
  EXPECT_EQ(rows[0][2].value_or("?"), "1");
}

// A second result of the same kind under another name: before, GDAL refused the layer with an empty
// message ("cannot create layer 'r1_route': unknown GDAL error"), as gpkg_contents.identifier is
// UNIQUE. Now both are written; the second's title names its layer.
TEST(WriteResultLayer, ASecondResultWithTheSameTitleGetsItsNameInTheTitle) {
  TempDir dir;
  const auto path = dir.file("s.gpkg");
  {
    auto store = Store::create(path);
    writeResultLayer(*store, clusterResult(3, "a_clusters"));
    writeResultLayer(*store, clusterResult(2, "b_clusters"));
    writeResultLayer(*store, clusterResult(4, "a_clusters"));  // replacing keeps its own title
    std::vector<ResultLayer> set;
    set.push_back(clusterResult(1, "c_clusters"));
    set.push_back(clusterResult(1, "d_clusters"));
    writeResultSet(*store, std::move(set));
  }
  auto store = Store::open(path, false);
  EXPECT_EQ(readResultLayer(*store, "a_clusters").title, "Clusters van signalen");
  EXPECT_EQ(readResultLayer(*store, "a_clusters").records.size(), 4u);
  EXPECT_EQ(readResultLayer(*store, "b_clusters").title, "Clusters van signalen (b_clusters)");
  EXPECT_EQ(readResultLayer(*store, "c_clusters").title, "Clusters van signalen (c_clusters)");
  EXPECT_EQ(readResultLayer(*store, "d_clusters").title, "Clusters van signalen (d_clusters)");
}

TEST(WriteResultLayer, EmbedsItsStyleAsTheDefault) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  ResultLayer r = clusterResult(1);
  r.stylesDir = stylesFixture(dir);
  writeResultLayer(*store, std::move(r));
  EXPECT_EQ(defaultStyle(store->dataset(), "clusters_signalen").value_or(""),
            "<qgis><hulls/></qgis>");
}

TEST(WriteResultLayer, ReplacesASameNamedResultCompletely) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  const auto styles = stylesFixture(dir);
  ResultLayer first = clusterResult(5);
  first.stylesDir = styles;
  writeResultLayer(*store, std::move(first));
  ResultLayer second = clusterResult(2);
  second.stylesDir = styles;
  second.metadata.seed = 7;
  writeResultLayer(*store, std::move(second));
  EXPECT_EQ(readResultLayer(*store, "clusters_signalen").records.size(), 2u);
  const auto results = listResults(*store);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].metadata.seed, 7);
  const auto styleRows =
      store->query("SELECT COUNT(*) FROM layer_styles WHERE f_table_name = 'clusters_signalen'");
  EXPECT_EQ(styleRows[0][0].value_or(""), "1");
  for (const auto& s : store->summary()) {
    if (s.name == "clusters_signalen") {
      EXPECT_TRUE(s.isResult);
    }
  }
}

TEST(WriteResultLayer, RefusesSchemaLayerNamesAndBadNames) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  EXPECT_THROW(writeResultLayer(*store, clusterResult(1, "signalen")), geo::InputError);
  EXPECT_THROW(writeResultLayer(*store, clusterResult(1, "layer_styles")), geo::InputError);
  EXPECT_THROW(writeResultLayer(*store, clusterResult(1, "Clusters; DROP")), geo::InputError);
  EXPECT_EQ(store->read("signalen").size(), 0u);
}

TEST(WriteResultLayer, InvalidRecordsLeaveTheStoreUnchanged) {
  TempDir dir;
  const auto path = dir.file("s.gpkg");
  writeResultLayer(*Store::create(path), clusterResult(2));
  const auto before = fileSha256(path);
  {
    auto store = Store::open(path, true);
    ResultLayer bad = clusterResult(3);
    bad.records[2].values[0] = Value{};  // cluster_id is required
    try {
      writeResultLayer(*store, std::move(bad));
      FAIL();
    } catch (const ValidationError& e) {
      ASSERT_EQ(e.problems().size(), 1u);
      EXPECT_EQ(e.problems()[0].where.field, "cluster_id");
    }
  }
  EXPECT_EQ(fileSha256(path), before);
}

TEST(WriteResultLayer, CancelKeepsThePreviousResult) {
  TempDir dir;
  const auto path = dir.file("s.gpkg");
  writeResultLayer(*Store::create(path), clusterResult(2));
  const auto before = fileSha256(path);
  {
    auto store = Store::open(path, true);
    CancelAfter progress(0.5);  // mid-way through writing (0.1 .. 1)
    EXPECT_THROW(writeResultLayer(*store, clusterResult(500), progress), geo::CancelledError);
    EXPECT_GT(progress.fraction(), 0.5);
    EXPECT_EQ(readResultLayer(*store, "clusters_signalen").records.size(), 2u);
  }
  EXPECT_EQ(fileSha256(path), before);
}

TEST(RegisterResultFile, RecordsARasterNextToTheStoreWithARelativePathAndASidecarStyle) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  const auto tif = dir.file("density_signalen.tif");
  std::ofstream(tif) << "not really a tiff";
  ResultMetadata m;
  m.algorithm = "kde";
  m.inputLayer = "signalen";
  m.inputRows = 99;
  registerResultFile(*store, tif, m, "density", stylesFixture(dir));
  const auto results = listResults(*store);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].layer, "density_signalen.tif");
  EXPECT_EQ(results[0].file, "density_signalen.tif");
  EXPECT_EQ(results[0].metadata.algorithm, "kde");
  EXPECT_EQ(results[0].metadata.inputRows, 99);
  EXPECT_EQ(results[0].metadata.startedAt.size(), 19u);
  EXPECT_FALSE(results[0].metadata.seed.has_value());
  std::ifstream sidecar(dir.file("density_signalen.qml"));
  std::string qml((std::istreambuf_iterator<char>(sidecar)), {});
  EXPECT_EQ(qml, "<qgis><density/></qgis>");
  EXPECT_THROW(registerResultFile(*store, dir.file("missing.tif"), m), geo::InputError);
}

TEST(DeleteResult, RemovesLayerRegistrationAndStyles) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  ResultLayer r = clusterResult(1);
  r.stylesDir = stylesFixture(dir);
  writeResultLayer(*store, std::move(r));
  deleteResult(*store, "clusters_signalen");
  EXPECT_EQ(store->dataset().GetLayerByName("clusters_signalen"), nullptr);
  EXPECT_TRUE(listResults(*store).empty());
  EXPECT_EQ(store
                ->query("SELECT COUNT(*) FROM layer_styles WHERE f_table_name = "
                        "'clusters_signalen'")[0][0]
                .value_or(""),
            "0");
  EXPECT_THROW(deleteResult(*store, "signalen"), geo::Error);
}

TEST(WriteResultLayer, WritesTablesWithoutGeometry) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  ResultLayer r;
  r.name = "moran_globaal";
  r.geometry = GeometryKind::None;
  r.fields = {fieldOf("statistiek", FieldType::Text, true), fieldOf("waarde", FieldType::Real)};
  for (const auto& [name, value] : {std::pair{"I", 0.31}, std::pair{"z", 4.2}}) {
    Record rec;
    rec.values = {std::string(name), value};
    r.records.push_back(std::move(rec));
  }
  r.metadata.algorithm = "global_moran";
  writeResultLayer(*store, std::move(r));
  const ResultLayer back = readResultLayer(*store, "moran_globaal");
  EXPECT_EQ(back.geometry, GeometryKind::None);
  ASSERT_EQ(back.records.size(), 2u);
  EXPECT_EQ(back.records[1].values, (std::vector<Value>{std::string("z"), 4.2}));
  EXPECT_EQ(back.records[1].geometry, nullptr);
}

TEST(WriteResultLayer, AReplacedResultBringsItsOwnValueList) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  auto withBins = [](std::vector<std::string> bins) {
    ResultLayer r = clusterResult(1, "hotspots_signalen");
    FieldDef bin = fieldOf("gi_bin", FieldType::Text);
    bin.allowed = std::move(bins);
    r.fields.push_back(bin);
    r.records[0].values.push_back(r.fields.back().allowed.front());
    return r;
  };
  writeResultLayer(*store, withBins({"koud", "warm"}));
  writeResultLayer(*store, withBins({"heet", "koud", "neutraal"}));
  OGRLayer* l = store->dataset().GetLayerByName("hotspots_signalen");
  const std::string name =
      l->GetLayerDefn()->GetFieldDefn(l->GetLayerDefn()->GetFieldIndex("gi_bin"))->GetDomainName();
  const auto* domain =
      dynamic_cast<const OGRCodedFieldDomain*>(store->dataset().GetFieldDomain(name));
  ASSERT_NE(domain, nullptr);
  std::vector<std::string> codes;
  for (const OGRCodedValue* v = domain->GetEnumeration(); v->pszCode; ++v)
    codes.push_back(v->pszCode);
  EXPECT_EQ(codes, (std::vector<std::string>{"heet", "koud", "neutraal"}));
  // Writing the same list again reuses that domain instead of adding another.
  writeResultLayer(*store, withBins({"heet", "koud", "neutraal"}));
  l = store->dataset().GetLayerByName("hotspots_signalen");
  EXPECT_EQ(
      l->GetLayerDefn()->GetFieldDefn(l->GetLayerDefn()->GetFieldIndex("gi_bin"))->GetDomainName(),
      name);
}

namespace {
/// Titles are GeoPackage identifiers, unique per store: one per layer name.
ResultLayer titled(ResultLayer r) {
  r.title = r.name;
  return r;
}
}  // namespace

TEST(WriteResultSet, CancelDuringTheSecondLayerKeepsTheWholePreviousSet) {
  TempDir dir;
  const auto path = dir.file("s.gpkg");
  {
    auto store = Store::create(path);
    std::vector<ResultLayer> old;
    old.push_back(titled(clusterResult(3, "c_punten")));
    old.push_back(titled(clusterResult(2, "c_clusters")));
    writeResultSet(*store, std::move(old));
  }
  const auto before = fileSha256(path);
  {
    auto store = Store::open(path, true);
    std::vector<ResultLayer> next;
    next.push_back(titled(clusterResult(40, "c_punten")));
    next.push_back(titled(clusterResult(400, "c_clusters")));
    // Writing spans 0.1 .. 1, the second layer 0.55 .. 1: cancel inside it, once the first
    // new layer is complete. Before, the first new layer replaced the old one in its own
    // transaction and was then deleted again: the old c_punten was lost.
    CancelAfter progress(0.7);
    EXPECT_THROW(writeResultSet(*store, std::move(next), progress), geo::CancelledError);
    EXPECT_GT(progress.fraction(), 0.7);
    EXPECT_EQ(readResultLayer(*store, "c_punten").records.size(), 3u);
    EXPECT_EQ(readResultLayer(*store, "c_clusters").records.size(), 2u);
    EXPECT_EQ(listResults(*store).size(), 2u);
  }
  EXPECT_EQ(fileSha256(path), before);
}

TEST(WriteResultSet, WritesAllLayersWithOneStartTime) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  std::vector<ResultLayer> set;
  set.push_back(titled(clusterResult(3, "c_punten")));
  set.push_back(titled(clusterResult(2, "c_clusters")));
  writeResultSet(*store, std::move(set));
  const auto results = listResults(*store);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].layer, "c_punten");
  EXPECT_EQ(results[1].layer, "c_clusters");
  EXPECT_EQ(results[0].metadata.startedAt, results[1].metadata.startedAt);
}

TEST(WriteResultSet, RefusesTheSameNameTwiceBeforeWritingAnything) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  std::vector<ResultLayer> set;
  set.push_back(titled(clusterResult(3, "c_punten")));
  set.push_back(titled(clusterResult(2, "c_punten")));
  EXPECT_THROW(writeResultSet(*store, std::move(set)), geo::InputError);
  EXPECT_TRUE(listResults(*store).empty());
}

// A result file (a raster beside the store) belongs to its set: its registry row is written in
// the set's transaction and the file is moved into place just before the COMMIT. Before, risk
// registered its raster in a transaction of its own after the factor table: a kill between the
// two left a new table beside the old raster's row.
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

ResultFile fileResult(const std::string& path, const std::string& startedAt,
                      std::function<void()> move) {
  ResultFile f;
  f.path = path;
  f.metadata.algorithm = "risk_terrain";
  f.metadata.startedAt = startedAt;
  f.moveIntoPlace = std::move(move);
  return f;
}

/// An old set: c_punten (3 rows) and s_kaart.tif ("old"), both started 2024-06-01T10:00:00.
void writeOldSet(Store& store, const std::string& tif) {
  std::ofstream(tif, std::ios::binary) << "old";
  std::vector<ResultLayer> old;
  old.push_back(titled(clusterResult(3, "c_punten")));
  std::vector<ResultFile> files;
  files.push_back(fileResult(tif, "2024-06-01T10:00:00", {}));
  writeResultSet(store, std::move(old), std::move(files));
}

std::string startOf(Store& store, const std::string& layer) {
  for (const auto& r : listResults(store))
    if (r.layer == layer) return r.metadata.startedAt;
  return "(no row)";
}

}  // namespace

TEST(WriteResultSet, AFileIsRegisteredWithTheLayersAndMovedIntoPlaceLast) {
  TempDir dir;
  const auto tif = dir.file("s_kaart.tif");
  auto store = Store::create(dir.file("s.gpkg"));
  writeOldSet(*store, tif);
  ASSERT_EQ(startOf(*store, "s_kaart.tif"), "2024-06-01T10:00:00");
  std::ofstream(tif + ".tmp", std::ios::binary) << "new";
  std::vector<ResultLayer> next;
  next.push_back(titled(clusterResult(5, "c_punten")));
  next.back().metadata.startedAt = "2024-06-02T11:00:00";
  bool rowWasThereAtTheMove = true;
  std::vector<ResultFile> files;
  files.push_back(fileResult(tif, "2024-06-02T11:00:00", [&] {
    // Inside the transaction: the layers are written, the new row too (this connection).
    rowWasThereAtTheMove = startOf(*store, "s_kaart.tif") == "2024-06-02T11:00:00";
    std::filesystem::rename(tif + ".tmp", tif);
  }));
  writeResultSet(*store, std::move(next), std::move(files));
  EXPECT_TRUE(rowWasThereAtTheMove);
  EXPECT_EQ(slurp(tif), "new");
  EXPECT_EQ(readResultLayer(*store, "c_punten").records.size(), 5u);
  EXPECT_EQ(startOf(*store, "c_punten"), "2024-06-02T11:00:00");
  EXPECT_EQ(startOf(*store, "s_kaart.tif"), "2024-06-02T11:00:00");
  EXPECT_EQ(listResults(*store).size(), 2u);
  const auto rows = listResults(*store);
  EXPECT_EQ(rows[1].file, "s_kaart.tif") << "relative to the store's folder";
}

TEST(WriteResultSet, AFailedMoveOrACancelKeepsTheOldLayersRowsAndFile) {
  TempDir dir;
  const auto path = dir.file("s.gpkg");
  const auto tif = dir.file("s_kaart.tif");
  {
    auto store = Store::create(path);
    writeOldSet(*store, tif);
  }
  const auto before = fileSha256(path);
  auto store = Store::open(path, true);
  {
    std::vector<ResultLayer> next;
    next.push_back(titled(clusterResult(5, "c_punten")));
    std::vector<ResultFile> files;
    files.push_back(fileResult(tif, "2024-06-02T11:00:00", [] {
      throw geo::LibraryError("cannot move 's_kaart.tif.tmp' to 's_kaart.tif': No space left");
    }));
    EXPECT_THROW_WITH(writeResultSet(*store, std::move(next), std::move(files)), geo::LibraryError,
                      "cannot move 's_kaart.tif.tmp'");
  }
  {
    std::vector<ResultLayer> next;
    next.push_back(titled(clusterResult(400, "c_punten")));
    bool moved = false;
    std::vector<ResultFile> files;
    files.push_back(fileResult(tif, "2024-06-02T11:00:00", [&] { moved = true; }));
    CancelAfter progress(0.5);
    EXPECT_THROW_WITH(writeResultSet(*store, std::move(next), std::move(files), progress),
                      geo::CancelledError, "cancelled");
    EXPECT_FALSE(moved) << "a cancelled set moves no file";
  }
  EXPECT_EQ(readResultLayer(*store, "c_punten").records.size(), 3u);
  EXPECT_EQ(startOf(*store, "c_punten"), "2024-06-01T10:00:00");
  EXPECT_EQ(startOf(*store, "s_kaart.tif"), "2024-06-01T10:00:00");
  EXPECT_EQ(slurp(tif), "old");
  store.reset();
  EXPECT_EQ(fileSha256(path), before);
}

TEST(WriteResultSet, RefusesAFileNamedAsALayerOfTheSameSet) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  std::vector<ResultLayer> set;
  set.push_back(titled(clusterResult(3, "c_punten")));
  std::vector<ResultFile> files;
  files.push_back(fileResult(dir.file("c_punten"), "", {}));
  EXPECT_THROW_WITH(writeResultSet(*store, std::move(set), std::move(files)), geo::InputError,
                    "the same result name for a layer and a file");
  EXPECT_TRUE(listResults(*store).empty());
}
