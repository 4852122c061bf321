// The PostGIS store against a real PostgreSQL 15 + PostGIS started for this binary: schema from
// the LayerDefs with FOREIGN KEYs, CHECKs and GiST indexes; append all-or-nothing with every
// problem named; reads with filters pushed into SQL; the importers' public API on top.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "layers/filter/filter.h"
#include "layers/importers/importer.h"
#include "layers/pgstore/backend.h"
#include "layers/pgstore/ddl.h"
#include "layers/pgstore/pg_store.h"
#include "layers/store/styles.h"
#include "tests/geo/expect_error.h"
#include "tests/layers/pgstore/data.h"
#include "tests/layers/pgstore/temp_postgres.h"

namespace veldwacht::layers {
namespace {

using pgstore::PgStore;
using testing::cluster;
using testing::TempPostgres;

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!TempPostgres::available()) GTEST_SKIP() << "PostgreSQL 15 + PostGIS not installed";
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    url_ = cluster().newDatabase(std::string("t_") + info->name());
  }
  std::int64_t count(PgStore& s, const std::string& sql) {
    return std::stoll(*s.query(sql).at(0).at(0));
  }
  std::string url_;
};

TEST_F(PgStoreTest, InitCreatesTheSchemaWithDatabaseConstraints) {
  auto s = PgStore::create(url_);
  EXPECT_EQ(s->schemaVersion(), kSchemaVersion);
  EXPECT_EQ(s->meta("schema_version"), std::to_string(kSchemaVersion));
  EXPECT_EQ(count(*s, "SELECT count(*) FROM veldwacht_schemaversies"), 1);
  EXPECT_EQ(count(*s, "SELECT count(*) FROM signaal_categorieen"),
            std::int64_t(signalCategorySeeds().size()));
  // Every layer is a table; every reference a FOREIGN KEY; every closed list a CHECK; every
  // geometry column a GiST index — counted from the LayerDefs and from the catalog.
  int refs = 0, lists = 0, geoms = 0;
  for (const auto& d : layerDefs()) {
    geoms += d.geometry != GeometryKind::None;
    for (const auto& f : d.fields) {
      refs += !f.reference.empty();
      lists += !f.allowed.empty();
    }
  }
  EXPECT_EQ(count(*s,
                  "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conname LIKE "
                  "'fk\\_%'"),
            refs);
  EXPECT_EQ(count(*s,
                  "SELECT count(*) FROM pg_constraint WHERE contype = 'c' AND conname LIKE "
                  "'ck\\_%'"),
            lists);
  EXPECT_EQ(count(*s, "SELECT count(*) FROM pg_indexes WHERE indexdef LIKE '%USING gist%'"), geoms);
  EXPECT_EQ(*s->query("SELECT type FROM geometry_columns WHERE f_table_name = 'vab'")[0][0],
            "POINT");
  // The shipped styles of the domain layers are their default styles in QGIS's layer_styles,
  // as in a GeoPackage store: one per style file, found by QGIS's own lookup.
  int shipped = 0;
  for (const auto& d : layerDefs())
    shipped += shippedLayerStyle(stylesDirectory(), d.name).has_value();
  EXPECT_GT(shipped, 0);
  EXPECT_EQ(count(*s, "SELECT count(*) FROM layer_styles WHERE useasdefault"), shipped);
  const auto signalenStyle = pgstore::defaultStyle(s->connection(), "signalen");
  ASSERT_TRUE(signalenStyle.has_value());
  EXPECT_NE(signalenStyle->find("categorizedSymbol"), std::string::npos);

  // The database itself refuses what the checks in C++ refuse (edits from QGIS go there).
  auto refused = [&](const std::string& sql, const std::string& state) {
    try {
      s->executeSql(sql);
      ADD_FAILURE() << "accepted: " << sql;
    } catch (const pg::PgError& e) {
      EXPECT_EQ(e.sqlState(), state) << e.what();
    }
  };
  const std::string sig =
      "INSERT INTO signalen (signaal_id, categorie, brontype, waargenomen_van, status, geom) "
      "VALUES ('S1', ";
  refused(sig + "'HENNEP', 'boer', '2024-01-01', 'open', 'SRID=28992;POINT(1 2)')", "23514");
  refused(sig + "'GEENCAT', 'boer', '2024-01-01', 'nieuw', 'SRID=28992;POINT(1 2)')", "23503");
  refused(sig + "'HENNEP', 'burgemeester', '2024-01-01', 'nieuw', 'SRID=28992;POINT(1 2)')",
          "23514");
  refused(sig + "'HENNEP', 'boer', '2024-01-01', 'nieuw', 'SRID=28992;LINESTRING(1 2, 3 4)')",
          "22023");
  refused(
      "INSERT INTO partners (partner_id, naam, partner_type, beschikbaar_dag, "
      "beschikbaar_nacht, bevoegdheden) VALUES ('X', 'x', 'boer', true, true, 'signaleren, "
      "vliegen')",
      "23514");
  s->executeSql(sig + "'HENNEP', 'boer', '2024-01-01', 'nieuw', 'SRID=28992;POINT(1 2)')");
  EXPECT_EQ(count(*s, "SELECT count(*) FROM signalen WHERE synthetisch = false"), 1);

  // A second init on the same database is refused and changes nothing.
  EXPECT_THROW(PgStore::create(url_), geo::Error);
  EXPECT_EQ(count(*s, "SELECT count(*) FROM signalen"), 1);
}

TEST_F(PgStoreTest, AppendWritesAllBatchesReferencedLayersFirstAndReadsThemBack) {
  auto s = PgStore::create(url_);
  std::vector<ImportBatch> batches;
  batches.push_back(testing::signalBatch(0, 40));  // references partners only by category
  for (auto& b : testing::partnerBatches()) batches.push_back(std::move(b));
  std::swap(batches[1], batches[2]);  // werkgebieden before partners in the call
  s->append(batches);

  const auto imports = s->imports();
  ASSERT_EQ(imports.size(), 3u);
  EXPECT_EQ(imports[0].layer, "partners");  // referenced layers written first
  EXPECT_EQ(imports.back().layer, "signalen");
  EXPECT_EQ(imports.back().rows, 40);

  const auto rows = s->read("signalen");
  ASSERT_EQ(rows.size(), 40u);
  const LayerDef& d = layerDef("signalen");
  const ImportBatch& in = batches[0];
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t f = 0; f < d.fields.size(); ++f) {
      const std::string& name = d.fields[f].name;
      if (name == "import_id") {
        EXPECT_EQ(rows[i].values[f], Value(imports.back().importId));
      } else if (name == "synthetisch") {
        EXPECT_EQ(rows[i].values[f], Value(std::int64_t(0)));  // the default
      } else {
        EXPECT_EQ(rows[i].values[f], in.records[i].values[f]) << name << " row " << i;
      }
    }
    ASSERT_TRUE(rows[i].geometry);
    const auto* p = rows[i].geometry->toPoint();
    EXPECT_EQ(p->getX(), in.records[i].geometry->toPoint()->getX());
    EXPECT_EQ(p->getY(), 505500.0);
  }
  const auto w = s->read("partner_werkgebieden");
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].geometry->getGeometryType(), wkbMultiPolygon);

  for (const auto& l : s->summary()) {
    if (l.name == "signalen") {
      EXPECT_EQ(l.count, 40);
      EXPECT_EQ(l.extent.minX, 195500.0);
      EXPECT_EQ(l.extent.maxX, 195500.0 + 39000.0);
    }
    if (l.name == "vab") {
      EXPECT_EQ(l.count, 0);
    }
  }
}

TEST_F(PgStoreTest, RefusedAppendNamesEveryProblemAndWritesNothing) {
  auto s = PgStore::create(url_);
  s->append(testing::partnerBatches());
  auto b = testing::signalBatch(0, 10);
  b.records[3].values[std::size_t(layerDef("signalen").fieldIndex("status"))] = "open";
  b.records[5].values[std::size_t(layerDef("signalen").fieldIndex("signaal_id"))] = "SIG-1";
  b.records[7].values[std::size_t(layerDef("signalen").fieldIndex("categorie"))] = "GEENCAT";
  auto vab = testing::batch("vab", "vab.csv");
  vab.records.push_back(
      testing::record("vab", {{"vab_id", "V1"}, {"leegstand", "leeg"}}, "POINT(201000 501000)", 2));
  std::vector<ImportBatch> batches;
  batches.push_back(std::move(vab));
  batches.push_back(std::move(b));
  try {
    s->append(batches);
    FAIL() << "accepted";
  } catch (const ValidationError& e) {
    std::set<std::string> where;
    for (const auto& p : e.problems()) where.insert(p.where.str());
    EXPECT_EQ(where, (std::set<std::string>{"signalen.csv, row 5, field 'status'",
                                            "signalen.csv, row 7, field 'signaal_id'",
                                            "signalen.csv, row 9, field 'categorie'"}))
        << e.what();
  }
  EXPECT_EQ(count(*s, "SELECT count(*) FROM signalen"), 0);
  EXPECT_EQ(count(*s, "SELECT count(*) FROM vab"), 0);
  EXPECT_EQ(s->imports().size(), 2u);  // the partner imports only

  // A key already stored is refused on a later import, naming its row.
  s->append(testing::only(testing::signalBatch(0, 3)));
  try {
    s->append(testing::only(testing::signalBatch(2, 3, "later.csv")));
    FAIL() << "accepted";
  } catch (const ValidationError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].where.str(), "later.csv, row 4, field 'signaal_id'");
  }
  EXPECT_EQ(count(*s, "SELECT count(*) FROM signalen"), 3);
}

TEST_F(PgStoreTest, FiltersAndBboxArePushedIntoSql) {
  auto s = PgStore::create(url_);
  s->append(testing::partnerBatches());
  s->append(testing::only(testing::signalBatch(0, 40)));
  const LayerDef& d = layerDef("signalen");
  const auto nieuw = s->read("signalen", compileFilter(d, "status = 'nieuw'"));
  EXPECT_EQ(nieuw.size(), 14u);  // k % 3 == 0 for k in 0..39
  const auto summer = s->read(
      "signalen", compileFilter(d, "waargenomen_van >= '2024-06-01' AND categorie = 'HENNEP'"));
  std::size_t expected = 0;
  for (int k = 0; k < 40; ++k) expected += (1 + k % 12) >= 6 && k % 3 == 0;
  EXPECT_EQ(summer.size(), expected);
  geo::Extent p1{200000, 500000, 210000, 510000};
  EXPECT_EQ(s->readWithin("signalen", p1).size(),
            std::size_t(testing::signalsInside(0, 40, 200000, 210000)));
  std::size_t nieuwInP1 = 0;  // x = 195500 + 1000 k inside [200000, 210000], k % 3 == 0
  for (int k = 0; k < 40; ++k) {
    const double x = 195500.0 + 1000.0 * k;
    nieuwInP1 += x >= 200000 && x <= 210000 && k % 3 == 0;
  }
  EXPECT_EQ(nieuwInP1, 3u);
  EXPECT_EQ(s->readWithin("signalen", p1, compileFilter(d, "status = 'nieuw'")).size(), nieuwInP1);
  EXPECT_THROW(s->read("vab", compileFilter(d, "status = 'nieuw'")), geo::Error);
}

TEST_F(PgStoreTest, CopyInSendsRowsInPiecesAndAbortsWhenTheWriterFails) {
  pg::Connection c(url_);
  c.exec("CREATE TABLE t (i integer, s text)");
  const auto rows = [&] {
    return *c.query("SELECT count(*)::text || ' ' || coalesce(sum(i), 0)::text FROM t").at(0).at(0);
  };
  {
    // ~10 MB of rows: sent in pieces of CopyIn::kFlushBytes while they are written
    pg::CopyIn copy(c, "COPY t (i, s) FROM STDIN");
    const std::string pad(1000, 'x');
    for (int i = 0; i < 10000; ++i) {
      copy.buffer() += std::to_string(i) + "\t" + pad + "\n";
      copy.rowDone();
    }
    EXPECT_LT(copy.buffer().size(), pg::CopyIn::kFlushBytes + 2000);  // the rest, not 10 MB
    copy.finish();
  }
  EXPECT_EQ(rows(), "10000 49995000");
  // The writer fails half-way: the COPY is aborted, the transaction rolled back, and the
  // connection goes on.
  EXPECT_THROW(
      {
        pg::Transaction t(c);
        pg::CopyIn copy(c, "COPY t (i, s) FROM STDIN");
        copy.buffer() += "1\ta\n";
        copy.rowDone();
        throw std::runtime_error("the writer failed");
      },
      std::runtime_error);
  EXPECT_EQ(rows(), "10000 49995000");
  // A row the server refuses: finish() throws its words, nothing of the COPY is kept.
  {
    pg::Transaction t(c);
    pg::CopyIn copy(c, "COPY t (i, s) FROM STDIN");
    copy.buffer() += "2\tb\ngeen getal\tc\n";
    EXPECT_THROW_WITH(copy.finish(), pg::PgError, "invalid input syntax for type integer");
  }
  EXPECT_EQ(rows(), "10000 49995000");
}

TEST_F(PgStoreTest, ReadWithinIsExactAtTheEdges) {
  // `geom && envelope` alone compares float4 boxes and takes in the point 5 mm west of the
  // edge; the GeoPackage store's spatial filter does not, and neither may this store.
  auto s = PgStore::create(url_);
  auto b = testing::batch("signalen", "rand.csv");
  const double xs[] = {109999.995, 110000.0, 110000.005, 170000.0, 170000.005};
  for (int i = 0; i < 5; ++i)
    b.records.push_back(testing::record("signalen",
                                        {{"signaal_id", "R-" + std::to_string(i)},
                                         {"categorie", std::string("HENNEP")},
                                         {"brontype", std::string("boer")},
                                         {"waargenomen_van", std::string("2024-01-01T10:00:00")},
                                         {"status", std::string("nieuw")}},
                                        "POINT(" + std::to_string(xs[i]) + " 450000)", i + 2));
  s->append(testing::only(std::move(b)));
  const auto rows = s->readWithin("signalen", {110000, 430000, 170000, 480000});
  std::vector<std::string> keys;
  for (const auto& r : rows) keys.push_back(std::get<std::string>(r.values[0]));
  EXPECT_EQ(keys, (std::vector<std::string>{"R-1", "R-2", "R-3"}));
}

TEST_F(PgStoreTest, RemoveImportIsRefusedWhileReferencedAndOtherwiseAllOrNothing) {
  auto s = PgStore::create(url_);
  s->append(testing::partnerBatches());
  s->append(testing::only(testing::signalBatch(0, 5)));
  const auto imports = s->imports();
  ASSERT_EQ(imports.size(), 3u);
  EXPECT_THROW(s->removeImport(imports[0].importId), geo::Error);  // partners: werkgebieden
  EXPECT_EQ(count(*s, "SELECT count(*) FROM partners"), 2);
  EXPECT_EQ(s->removeImport(imports[2].importId), 5);
  EXPECT_EQ(count(*s, "SELECT count(*) FROM signalen"), 0);
  EXPECT_EQ(s->imports().size(), 2u);
}

TEST_F(PgStoreTest, ImportFilesGoesThroughTheSameValidationAsTheGeoPackageStore) {
  auto store = createStore(url_);
  ASSERT_TRUE(dynamic_cast<PgStore*>(store.get()));
  const auto dir =
      std::filesystem::temp_directory_path() / ("vw_pgimport_" + url_.substr(url_.size() - 6));
  std::filesystem::create_directories(dir);
  const std::string good = (dir / "signalen.csv").string();
  const std::string bad = (dir / "fout.csv").string();
  std::ofstream(good) << "signaal_id;categorie;brontype;waargenomen_van;status;x;y\n"
                         "A-1;HENNEP;boer;03-02-2024 23:10;nieuw;201000;501000\n"
                         "A-2;DRUGSAFVAL;jager;04-02-2024;nieuw;202000,5;502000\n";
  std::ofstream(bad) << "signaal_id;categorie;brontype;waargenomen_van;status;x;y\n"
                        "B-1;HENNEP;boer;03-02-2024;nieuw;201000;501000\n"
                        "B-2;HENNEP;boer;31-02-2024;nieuw;201000;501000\n";
  ImportOptions o;
  o.layer = "signalen";
  try {
    const std::vector<std::string> both = {good, bad};
    importFiles(*store, both, o);
    FAIL() << "accepted";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.problems().at(0).where.file, bad);
    EXPECT_EQ(e.problems().at(0).where.row, 3);
    EXPECT_EQ(e.problems().at(0).where.field, "waargenomen_van");
  }
  EXPECT_EQ(std::stoll(*store->query("SELECT count(*) FROM signalen")[0][0]), 0);
  const std::vector<std::string> one = {good};
  const auto report = importFiles(*store, one, o);
  ASSERT_EQ(report.rowsPerLayer.size(), 1u);
  EXPECT_EQ(report.rowsPerLayer[0].second, 2);
  const auto rows =
      store->query("SELECT signaal_id, waargenomen_van::text, ST_X(geom) FROM signalen ORDER BY 1");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(*rows[0][1], "2024-02-03 23:10:00");
  EXPECT_EQ(*rows[1][2], "202000.5");
  // The same file again: its keys are in the store now.
  EXPECT_THROW(importFiles(*store, one, o), ValidationError);
  std::filesystem::remove_all(dir);
}

TEST_F(PgStoreTest, OpenRefusesWhatIsNotAStore) {
  EXPECT_THROW(PgStore::open(url_, true), geo::Error);
  PgStore::create(url_);
  auto s = openStore(url_, false);
  EXPECT_EQ(s->schemaVersion(), kSchemaVersion);
  EXPECT_THROW(s->append(testing::only(testing::signalBatch(0, 1))), geo::Error);
  s->executeSql("UPDATE veldwacht_meta SET value = '99' WHERE key = 'schema_version'");
  EXPECT_THROW(PgStore::open(url_, true), geo::Error);
  EXPECT_THROW(PgStore::open(cluster().url("geen_database"), true), geo::LibraryError);
}

/// A signal as a record of schema version 1 (values parallel to that version's fields).
Record v1Signal(const std::vector<LayerDef>& v1, int k) {
  const LayerDef& d =
      *std::find_if(v1.begin(), v1.end(), [](const LayerDef& x) { return x.name == "signalen"; });
  Record r;
  r.values.resize(d.fields.size());
  auto set = [&](const char* f, Value v) { r.values[std::size_t(d.fieldIndex(f))] = std::move(v); };
  set("signaal_id", "OUD-" + std::to_string(k));
  set("categorie", std::string("HENNEP"));
  set("brontype", std::string("boer"));
  set("waargenomen_van", std::string("2023-05-0") + std::to_string(1 + k) + "T10:00:00");
  set("status", std::string("nieuw"));
  OGRGeometry* g = nullptr;
  const std::string wkt = "POINT(" + std::to_string(200000 + 100 * k) + " 500000)";
  OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g);
  r.geometry.reset(g);
  r.sourceRow = k + 2;
  return r;
}

/// (table, column, type, nullable) of every column of the public schema, and the constraints
/// and indexes by name: what a migrated store must have exactly as a new one has.
std::vector<std::string> catalog(Store& s) {
  std::vector<std::string> out;
  for (const auto& r : s.query(
           "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || "
           "' ' || coalesce(column_default, '') FROM information_schema.columns WHERE "
           "table_schema = 'public' AND table_name NOT IN ('spatial_ref_sys', "
           "'geometry_columns', 'geography_columns') ORDER BY 1"))
    out.push_back(*r[0]);
  for (const auto& r :
       s.query("SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) "
               "FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1"))
    out.push_back(*r[0]);
  for (const auto& r : s.query(
           "SELECT indexname || ' ' || regexp_replace(indexdef, '^.* USING ', '') FROM pg_indexes "
           "WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys' ORDER BY 1"))
    out.push_back(*r[0]);
  return out;
}

TEST_F(PgStoreTest, AVersionOneStoreIsMigratedInOneTransactionOnOpeningForWriting) {
  CreateOptions v1opts;
  v1opts.schemaVersion = 1;
  const auto v1 = layerDefsForVersion(1);
  {
    auto old = PgStore::create(url_, v1opts);
    EXPECT_EQ(old->schemaVersion(), 1);
    EXPECT_FALSE(old->query("SELECT to_regclass('partner_werkgebieden')").at(0).at(0));
    ImportBatch b = testing::batch("signalen", "oud.csv");
    for (int k = 0; k < 3; ++k) b.records.push_back(v1Signal(v1, k));
    old->append(testing::only(std::move(b)));
  }
  // Read-only: read as version 1, nothing changed.
  {
    auto ro = PgStore::open(url_, false);
    EXPECT_EQ(ro->schemaVersion(), 1);
    EXPECT_EQ(ro->read("signalen").size(), 3u);
    EXPECT_EQ(ro->meta("schema_version"), "1");
  }
  // A login that may read but not change the schema: refused, told who must migrate, nothing
  // changed.
  cluster().admin("CREATE ROLE lezer_" + std::to_string(getpid()) + " LOGIN");
  {
    pg::Connection owner(url_);
    owner.exec("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO lezer_" +
               std::to_string(getpid()));
  }
  const auto at = url_.find("@/") + 2;
  const std::string lezerUrl =
      cluster().url(url_.substr(at, url_.find('?') - at), "lezer_" + std::to_string(getpid()));
  try {
    PgStore::open(lezerUrl, true);
    ADD_FAILURE() << "a login without the right to migrate migrated";
  } catch (const geo::Error& e) {
    EXPECT_NE(std::string(e.what()).find("must be migrated to " + std::to_string(kSchemaVersion)),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("owner"), std::string::npos) << e.what();
  }
  EXPECT_EQ(PgStore::open(url_, false)->schemaVersion(), 1);
  EXPECT_FALSE(
      PgStore::open(url_, false)->query("SELECT to_regclass('partner_werkgebieden')").at(0).at(0));

  // The owner opens it for writing: migrated to the current version.
  auto s = PgStore::open(url_, true);
  EXPECT_EQ(s->schemaVersion(), kSchemaVersion);
  EXPECT_EQ(s->meta("schema_version"), std::to_string(kSchemaVersion));
  EXPECT_FALSE(s->meta("migrated_at").empty());
  EXPECT_EQ(count(*s, "SELECT count(*) FROM veldwacht_schemaversies"), kSchemaVersion);
  // The rows are kept, the new fields NULL.
  const auto rows = s->read("signalen");
  ASSERT_EQ(rows.size(), 3u);
  const LayerDef& sig = layerDef("signalen");
  for (const auto& r : rows) {
    EXPECT_TRUE(std::holds_alternative<std::monostate>(
        r.values[std::size_t(sig.fieldIndex("bron_partner_id"))]));
    EXPECT_TRUE(std::holds_alternative<std::monostate>(
        r.values[std::size_t(sig.fieldIndex("terugkoppeling_op"))]));
  }
  // Exactly the schema of a store created at this version (columns, constraints, indexes).
  const std::string freshUrl = cluster().newDatabase("t_fresh_for_migration");
  auto fresh = PgStore::create(freshUrl);
  EXPECT_EQ(catalog(*s), catalog(*fresh));
  // And the same default styles: the layers the migration added got their shipped one.
  const auto styled = [](PgStore& store) {
    std::string out;
    for (const auto& r : store.query("SELECT f_table_name, stylename FROM layer_styles WHERE "
                                     "useasdefault ORDER BY 1"))
      out += r[0].value_or("") + ":" + r[1].value_or("") + " ";
    return out;
  };
  EXPECT_EQ(styled(*s), styled(*fresh));
  EXPECT_NE(styled(*s).find("partner_werkgebieden:partner_werkgebieden"), std::string::npos)
      << styled(*s);
  // The migrated store takes what a new one takes: a v3 signal with a partner as source.
  s->append(testing::partnerBatches());
  auto b = testing::signalBatch(100, 1);
  b.records[0].values[std::size_t(sig.fieldIndex("bron_partner_id"))] = std::string("P1");
  s->append(testing::only(std::move(b)));
  EXPECT_EQ(count(*s, "SELECT count(*) FROM signalen WHERE bron_partner_id = 'P1'"), 1);
  // Opening again changes nothing.
  EXPECT_EQ(PgStore::open(url_, true)->schemaVersion(), kSchemaVersion);
  EXPECT_EQ(count(*s, "SELECT count(*) FROM veldwacht_schemaversies"), kSchemaVersion);
}

TEST(PgStoreUrl, PasswordsAreNotShown) {
  using pgstore::withoutPassword;
  EXPECT_EQ(withoutPassword("postgresql://jan:geheim@db.example/regio"),
            "postgresql://jan:***@db.example/regio");
  EXPECT_EQ(withoutPassword("postgresql://jan@db.example/regio?password=geheim&sslmode=require"),
            "postgresql://jan@db.example/regio?password=***&sslmode=require");
  EXPECT_EQ(withoutPassword("PG:host=db dbname=regio password=geheim user=jan"),
            "PG:host=db dbname=regio password=*** user=jan");
  EXPECT_EQ(withoutPassword("postgresql://postgres@/vw?host=/tmp/a:b"),
            "postgresql://postgres@/vw?host=/tmp/a:b");
  // libpq's key = value form: spaces around '=', a quoted value with spaces and \'.
  EXPECT_EQ(withoutPassword("host=db password = 'mijn geheim' user=jan"),
            "host=db password = *** user=jan");
  EXPECT_EQ(withoutPassword("PG:dbname=regio password='it\\'s a b' user=jan"),
            "PG:dbname=regio password=*** user=jan");
  EXPECT_EQ(withoutPassword("host=passwordserver dbname=regio password=x"),
            "host=passwordserver dbname=regio password=***");
  EXPECT_TRUE(pgstore::isPostgresUrl("postgres://x/y"));
  EXPECT_FALSE(pgstore::isPostgresUrl("regio.gpkg"));
}

}  // namespace
}  // namespace veldwacht::layers
