// All-or-nothing appends: every refused append leaves the file byte-for-byte as it was.
#include <gtest/gtest.h>

#include "geo/core/error.h"
#include "layers/store/checksum.h"
#include "layers/store/store.h"
#include "tests/layers/store/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

/// A store with 3 partners and 2 bedrijventerreinen, closed; returns its path.
std::string seededStore(const TempDir& dir) {
  const auto path = dir.file("s.gpkg");
  auto store = Store::create(path);
  auto b =
      batchList(batchOf(layerDef("partners"), 1, 3), batchOf(layerDef("bedrijventerreinen"), 1, 2));
  store->append(b);
  return path;
}

/// Appends `batches` to the closed store at `path`, expects a ValidationError, and checks that
/// the closed file is unchanged. Returns the problems.
std::vector<Problem> refused(const std::string& path, const std::vector<ImportBatch>& batches) {
  const std::string before = fileSha256(path);
  std::vector<Problem> problems;
  {
    auto store = Store::open(path, true);
    store->summary();  // counting and extents must not leave anything to write either
    store->read("partners");
    try {
      store->append(batches);
      ADD_FAILURE() << "append was accepted";
    } catch (const ValidationError& e) {
      problems = e.problems();
    }
  }
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  EXPECT_EQ(fileSha256(path), before) << "the refused append changed the file";
  return problems;
}

bool mentions(const std::vector<Problem>& problems, const std::string& file, std::int64_t row,
              const std::string& fieldName, const std::string& text) {
  for (const auto& p : problems)
    if (p.where.file == file && p.where.row == row && p.where.field == fieldName &&
        p.message.find(text) != std::string::npos)
      return true;
  return false;
}

std::string dump(const std::vector<Problem>& problems) {
  std::string s;
  for (const auto& p : problems) s += p.str() + "\n";
  return s;
}

}  // namespace

TEST(StoreAppendRefusal, DuplicateKeyAgainstStoredRowsNamesFileRowAndField) {
  TempDir dir;
  const auto path = seededStore(dir);
  ImportBatch b = batchOf(layerDef("partners"), 3, 2);  // par-3 exists, par-4 is new
  const auto problems = refused(path, batchList(std::move(b)));
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_TRUE(mentions(problems, "partners.csv", 4, "partner_id", "already exists"))
      << dump(problems);
  EXPECT_EQ(Store::open(path, false)->read("partners").size(), 3u);
}

TEST(StoreAppendRefusal, DuplicateKeyWithinTheCallIsReportedWithBothRows) {
  TempDir dir;
  const auto path = seededStore(dir);
  ImportBatch a = batchOf(layerDef("vab"), 10, 2);
  ImportBatch b = batchOf(layerDef("vab"), 11, 1);
  b.sourceFile = "vab2.csv";
  const auto problems = refused(path, batchList(std::move(a), std::move(b)));
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_TRUE(mentions(problems, "vab2.csv", 12, "vab_id", "also in vab.csv, row 12"))
      << dump(problems);
}

TEST(StoreAppendRefusal, MissingReferenceIsRefused) {
  TempDir dir;
  const auto path = seededStore(dir);
  const LayerDef& def = layerDef("incidenten");
  ImportBatch b = batchOf(def, 1, 3);
  field(b.records[2], def, "rin_nummer") = std::string("RIN-UNKNOWN");
  const auto problems = refused(path, batchList(std::move(b)));
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_TRUE(mentions(problems, "incidenten.csv", 4, "rin_nummer",
                       "not found in bedrijventerreinen.rin_nummer"))
      << dump(problems);
}

TEST(StoreAppendRefusal, ReferenceToARowOfTheSameCallIsAccepted) {
  TempDir dir;
  const auto path = seededStore(dir);
  auto store = Store::open(path, true);
  auto b = batchList(batchOf(layerDef("partner_werkgebieden"), 7, 1),
                     batchOf(layerDef("partners"), 7, 1));
  store->append(b);
  EXPECT_EQ(store->read("partner_werkgebieden").size(), 1u);
}

TEST(StoreAppendRefusal, ReportsEveryProblemOfEveryBatch) {
  TempDir dir;
  const auto path = seededStore(dir);
  const LayerDef& sig = layerDef("signalen");
  ImportBatch s = batchOf(sig, 1, 4);
  field(s.records[0], sig, "status") = std::string("klaar");        // not allowed
  field(s.records[1], sig, "waargenomen_van") = Value{};            // NOT NULL
  field(s.records[2], sig, "categorie") = std::string("ONBEKEND");  // no such category
  field(s.records[3], sig, "bag_pand_id") = std::string(17, '1');   // too wide
  field(s.records[3], sig, "waargenomen_tot") = std::string("2024-13-01T00:00:00");  // bad date
  const LayerDef& p = layerDef("partners");
  ImportBatch q = batchOf(p, 20, 1);
  field(q.records[0], p, "bevoegdheden") = std::string("signaleren, vliegen");
  q.records[0].geometry = wkt("POINT (6.9 53.3)");  // lon/lat, not transformed
  const auto problems = refused(path, batchList(std::move(s), std::move(q)));
  EXPECT_EQ(problems.size(), 7u) << dump(problems);
  EXPECT_TRUE(mentions(problems, "signalen.csv", 2, "status", "'klaar' is not allowed"));
  EXPECT_TRUE(mentions(problems, "signalen.csv", 3, "waargenomen_van", "required"));
  EXPECT_TRUE(mentions(problems, "signalen.csv", 4, "categorie", "not found"));
  EXPECT_TRUE(mentions(problems, "signalen.csv", 5, "bag_pand_id", "at most 16"));
  EXPECT_TRUE(mentions(problems, "signalen.csv", 5, "waargenomen_tot", "YYYY-MM-DDTHH:MM:SS"));
  EXPECT_TRUE(mentions(problems, "partners.csv", 21, "bevoegdheden", "'vliegen'"));
  EXPECT_TRUE(mentions(problems, "partners.csv", 21, "geometry", "outside the Netherlands"));
}

TEST(StoreAppendRefusal, ValidationErrorIsAnInputErrorNamingTheFirstProblem) {
  TempDir dir;
  const auto path = seededStore(dir);
  auto store = Store::open(path, true);
  const LayerDef& def = layerDef("vab");
  ImportBatch b = batchOf(def, 1, 1);
  b.sourceFile = "barns.xlsx";
  field(b.records[0], def, "leegstand") = std::string("half");
  try {
    store->append({&b, 1});
    FAIL();
  } catch (const geo::InputError& e) {
    EXPECT_EQ(e.where().file, "barns.xlsx");
    EXPECT_EQ(e.where().row, 2);
    EXPECT_EQ(e.where().field, "leegstand");
    EXPECT_NE(std::string(e.what()).find("'half' is not allowed"), std::string::npos) << e.what();
  }
}

TEST(StoreAppendRefusal, CancelWhileWritingRollsBackAndLeavesTheFileUnchanged) {
  TempDir dir;
  const auto path = seededStore(dir);
  const std::string before = fileSha256(path);
  {
    auto store = Store::open(path, true);
    CancelAfter progress(0.5);  // writing runs from 0.2 to 1
    auto b = batchList(batchOf(layerDef("signalen"), 1, 2000), batchOf(layerDef("panden"), 1, 50));
    EXPECT_THROW(store->append(b, progress), geo::CancelledError);
    // The store stays usable and shows no trace of the cancelled rows.
    EXPECT_EQ(store->read("signalen").size(), 0u);
    EXPECT_EQ(store->imports().size(), 2u);
  }
  EXPECT_EQ(fileSha256(path), before);
}

TEST(StoreAppendRefusal, DatabaseTriggersGuardEditsOutsideVeldwacht) {
  TempDir dir;
  const auto path = seededStore(dir);
  auto store = Store::open(path, true);
  // Appends suspend the row checks inside their transaction only: they are back afterwards.
  EXPECT_EQ(store
                ->query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = "
                        "'veldwacht_check_partners_insert'")[0][0]
                .value_or(""),
            "1");
  // As a QGIS user editing the tables directly would.
  EXPECT_THROW(
      store->executeSql("INSERT INTO incidenten (incident_id, datum, rin_nummer, synthetisch) "
                        "VALUES ('i1', '2024-01-01', 'nope', 0)"),
      geo::LibraryError);
  EXPECT_THROW(store->executeSql("INSERT INTO vab (vab_id, leegstand, synthetisch) VALUES ('v', "
                                 "'half', 0)"),
               geo::LibraryError);
  EXPECT_THROW(store->executeSql("INSERT INTO vab (vab_id, leegstand, synthetisch, bag_pand_id) "
                                 "VALUES ('v', 'leeg', 0, '12345678901234567')"),
               geo::LibraryError);
  ImportBatch incident = batchOf(layerDef("incidenten"), 1, 1);  // on bed-1
  store->append({&incident, 1});
  EXPECT_THROW(store->executeSql("DELETE FROM bedrijventerreinen WHERE rin_nummer = 'bed-1'"),
               geo::LibraryError);
  EXPECT_NO_THROW(store->executeSql("DELETE FROM bedrijventerreinen WHERE rin_nummer = 'bed-2'"));
  EXPECT_THROW(store->executeSql("UPDATE incidenten SET rin_nummer = 'bed-2'"), geo::LibraryError);
}

TEST(StoreAppendRefusal, AfterARollbackCountsAndExtentsShowNoTraceOfTheRefusedRows) {
  TempDir dir;
  const auto path = seededStore(dir);
  {
    auto store = Store::open(path, true);
    CancelAfter progress(0.5);
    // Rows 1..600 reach 60 km east of the seeded partners; they are rolled back.
    EXPECT_THROW(store->append(batchList(batchOf(layerDef("partners"), 4, 600)), progress),
                 geo::CancelledError);
    store->append(batchList(batchOf(layerDef("partners"), 4, 1)));  // one more: par-4
  }
  auto store = Store::open(path, false);
  for (const auto& s : store->summary()) {
    if (s.name != "partners") continue;
    EXPECT_EQ(s.count, 4);
    EXPECT_DOUBLE_EQ(s.extent.maxX, 256984 + 400.0);  // par-1 .. par-4
  }
  const auto counts =
      store->query("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'partners'");
  ASSERT_EQ(counts.size(), 1u);
  if (counts[0][0]) {
    EXPECT_EQ(*counts[0][0], "4");  // NULL means "count it", also fine
  }
  const auto extent = store->query("SELECT max_x FROM gpkg_contents WHERE table_name = 'partners'");
  EXPECT_DOUBLE_EQ(std::stod(extent[0][0].value_or("0")), 256984 + 400.0);
}

TEST(StoreRemoveImport, DeletesExactlyTheRowsOfThatImport) {
  TempDir dir;
  const auto path = seededStore(dir);  // import 1: partners, import 2: bedrijventerreinen
  auto store = Store::open(path, true);
  store->append(batchList(batchOf(layerDef("partners"), 10, 4)));  // import 3
  ASSERT_EQ(store->imports().size(), 3u);
  EXPECT_EQ(store->removeImport(3), 4);
  EXPECT_EQ(store->read("partners").size(), 3u);
  EXPECT_EQ(store->imports().size(), 2u);
  EXPECT_THROW(store->removeImport(3), geo::Error);
  // The keys are free again.
  EXPECT_NO_THROW(store->append(batchList(batchOf(layerDef("partners"), 10, 1))));
}

TEST(StoreRemoveImport, IsRefusedWhileOtherRowsReferenceItsRows) {
  TempDir dir;
  const auto path = seededStore(dir);
  {
    auto store = Store::open(path, true);
    store->append(batchList(batchOf(layerDef("incidenten"), 1, 1)));  // on bed-1 of import 2
  }
  const auto before = fileSha256(path);
  {
    auto store = Store::open(path, true);
    try {
      store->removeImport(2);
      FAIL();
    } catch (const geo::Error& e) {
      EXPECT_NE(std::string(e.what()).find("still referenced by incidenten.rin_nummer"),
                std::string::npos)
          << e.what();
    }
    EXPECT_EQ(store->read("bedrijventerreinen").size(), 2u);
  }
  EXPECT_EQ(fileSha256(path), before);
}
