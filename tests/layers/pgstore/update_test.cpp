// `veldwacht import --update` on a PostGIS store (issue 13, pg_update.h), on a temporary server
// (label postgis): a newer BAG / IBIS / NWB over an older one adds, changes and removes rows by
// key, reported with their keys; the result equals a fresh import of the newer files into
// another database (brute force); a refusal leaves the store as it was; derived tables emptied.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "layers/importers/importer.h"
#include "layers/pgstore/pg_store.h"
#include "layers/pgstore/pg_update.h"
#include "tests/layers/importers/panden_support.h"
#include "tests/layers/importers/test_support.h"
#include "tests/layers/pgstore/temp_postgres.h"

namespace veldwacht::layers {
namespace {

using pgstore::importUpdate;
using pgstore::PgStore;
using testing::cluster;
using testing::content;
using testing::one;
using testing::pandId;
using testing::squareWkt;
using testing::TempDir;
using testing::TempPostgres;
using testing::writeFile;
using testing::writePanden;

ImportOptions updating() {
  ImportOptions o;
  o.update = true;
  return o;
}

class PgUpdateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!TempPostgres::available()) GTEST_SKIP() << "PostgreSQL 15 + PostGIS not installed";
    name_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    store_ = PgStore::create(cluster().newDatabase("u_" + name_));
  }
  /// Another store with `files` imported fresh: what the updated one must equal.
  std::unique_ptr<PgStore> fresh(const std::vector<std::string>& files) {
    auto s = PgStore::create(cluster().newDatabase("f_" + name_));
    importFiles(*s, files, {});
    return s;
  }
  std::string name_;
  TempDir dir_;
  std::unique_ptr<PgStore> store_;
};

TEST_F(PgUpdateTest, AddedChangedRemovedAndUnchangedEqualAFreshImport) {
  const std::vector<std::string> v1 = {
      writePanden(dir_.file("panden_v1.csv"),
                  {{1, 1950, 20}, {2, 1960, 20}, {3, 1970, 20}, {4, 1980, 20}, {5, 1990, 20}})};
  importFiles(*store_, v1, {});
  const std::string fidOf1 =
      one(*store_, "SELECT fid FROM panden WHERE bag_id = '" + pandId(1) + "'");
  const std::string import1 = one(*store_, "SELECT max(import_id) FROM panden");

  // 1 and 5 unchanged, 2 a new bouwjaar, 3 a larger footprint, 4 demolished, 6 new.
  const std::vector<std::string> v2 = {
      writePanden(dir_.file("panden_v2.csv"),
                  {{1, 1950, 20}, {2, 1961, 20}, {3, 1970, 30}, {5, 1990, 20}, {6, 2020, 20}})};
  const ImportReport r = importUpdate(*store_, v2, updating());
  ASSERT_EQ(r.updates.size(), 1u);
  const RegisterUpdateSummary& u = r.updates[0];
  EXPECT_EQ(u.layer, "panden");
  EXPECT_EQ(u.key, "bag_id");
  EXPECT_EQ(u.added, 1);
  EXPECT_EQ(u.changed, 2);
  EXPECT_EQ(u.removed, 1);
  EXPECT_EQ(u.unchanged, 2);
  EXPECT_EQ(u.addedKeys, std::vector<std::string>{pandId(6)});
  EXPECT_EQ(u.changedKeys, (std::vector<std::string>{pandId(2), pandId(3)}));
  EXPECT_EQ(u.removedKeys, std::vector<std::string>{pandId(4)});
  EXPECT_NE(
      r.str().find("update of panden by bag_id: 1 added (" + pandId(6) + "), 2 changed (" +
                   pandId(2) + ", " + pandId(3) + "), 1 removed (" + pandId(4) + "), 2 unchanged"),
      std::string::npos)
      << r.str();
  // The store now holds what a fresh import of v2 holds.
  EXPECT_EQ(content(*store_, "panden"), content(*fresh(v2), "panden"));
  // Changed in place: same fid; the changed and added rows carry the update's import, the
  // unchanged ones keep theirs.
  EXPECT_EQ(one(*store_, "SELECT fid FROM panden WHERE bag_id = '" + pandId(1) + "'"), fidOf1);
  const std::string import2 = one(*store_, "SELECT max(import_id) FROM veldwacht_imports");
  EXPECT_NE(import2, import1);
  EXPECT_EQ(one(*store_, "SELECT import_id FROM panden WHERE bag_id = '" + pandId(2) + "'"),
            import2);
  EXPECT_EQ(one(*store_, "SELECT import_id FROM panden WHERE bag_id = '" + pandId(6) + "'"),
            import2);
  EXPECT_EQ(one(*store_, "SELECT import_id FROM panden WHERE bag_id = '" + pandId(5) + "'"),
            import1);
  EXPECT_EQ(one(*store_, "SELECT rijen FROM veldwacht_imports WHERE import_id = " + import2),
            "3");  // 1 added + 2 changed

  // The same version again: nothing changes.
  const auto before = content(*store_, "panden");
  const ImportReport again = importUpdate(*store_, v2, updating());
  EXPECT_EQ(again.updates.at(0).unchanged, 5);
  EXPECT_EQ(again.updates[0].added + again.updates[0].changed + again.updates[0].removed, 0);
  EXPECT_EQ(content(*store_, "panden"), before);
  EXPECT_EQ(one(*store_, "SELECT max(import_id) FROM veldwacht_imports"), import2);
}

TEST_F(PgUpdateTest, RemovingARowOthersReferToIsRefusedAndLeavesTheStoreAsItWas) {
  const std::string ibis1 =
      writeFile(dir_.file("ibis_v1.csv"),
                "rin_nummer;plan_naam;wkt\nRIN1;De Haven;" + squareWkt(250000, 590000, 500) +
                    "\nRIN2;Oosterhorn;" + squareWkt(252000, 590000, 500) + "\n");
  const std::string incidents =
      writeFile(dir_.file("incidenten.csv"),
                "incident_id;datum;rin_nummer;x;y\nINC-1;01-03-2024;RIN2;252100;590100\n");
  const std::string panden =
      writePanden(dir_.file("panden.csv"), {{1, 1950, 200}, {2, 1960, 200}, {3, 1970, 200}});
  const std::string vab =
      writeFile(dir_.file("vab.csv"),
                "vab_id;leegstand;bag_pand_id;x;y\nVAB-7;leeg;" + pandId(3) + ";250310;590010\n");
  const std::vector<std::string> all = {ibis1, incidents, panden, vab};
  importFiles(*store_, all, {});
  const auto ibisBefore = content(*store_, "bedrijventerreinen");
  const auto pandenBefore = content(*store_, "panden");
  const std::string imports = one(*store_, "SELECT count(*) FROM veldwacht_imports");

  // IBIS without RIN2 (an incident is on it), BAG without pand 3 (a VAB is in it) and with
  // pand 2 changed.
  const std::string ibis2 =
      writeFile(dir_.file("ibis_v2.csv"), "rin_nummer;plan_naam;wkt\nRIN1;De Haven Noord;" +
                                              squareWkt(250000, 590000, 500) + "\n");
  const std::string panden2 =
      writePanden(dir_.file("panden_v2.csv"), {{1, 1950, 200}, {2, 1961, 200}});
  const std::vector<std::string> update = {ibis2, panden2};
  try {
    importUpdate(*store_, update, updating());
    FAIL() << "an update that removes referenced rows was accepted";
  } catch (const ValidationError& e) {
    ASSERT_EQ(e.problems().size(), 2u) << e.what();
    EXPECT_EQ(e.problems()[0].where.file, ibis2);
    EXPECT_EQ(e.problems()[0].where.field, "rin_nummer");
    EXPECT_NE(e.problems()[0].message.find(
                  "rin_nummer 'RIN2' is in none of the files of this update (it would be "
                  "removed), but incidenten incident_id 'INC-1' still refers to it in rin_nummer"),
              std::string::npos)
        << e.problems()[0].message;
    EXPECT_EQ(e.problems()[1].where.file, panden2);
    EXPECT_NE(e.problems()[1].message.find("bag_id '" + pandId(3) +
                                           "' is in none of the files of this update (it would be "
                                           "removed), but vab vab_id 'VAB-7' still refers to it "
                                           "in bag_pand_id"),
              std::string::npos)
        << e.problems()[1].message;
  }
  EXPECT_EQ(content(*store_, "bedrijventerreinen"), ibisBefore);
  EXPECT_EQ(content(*store_, "panden"), pandenBefore);
  EXPECT_EQ(one(*store_, "SELECT count(*) FROM veldwacht_imports"), imports);

  // Keeping the referenced rows, the update goes through.
  const std::string ibis3 =
      writeFile(dir_.file("ibis_v3.csv"),
                "rin_nummer;plan_naam;wkt\nRIN1;De Haven Noord;" + squareWkt(250000, 590000, 500) +
                    "\nRIN2;Oosterhorn;" + squareWkt(252000, 590000, 500) + "\n");
  const std::vector<std::string> ok = {ibis3};
  const ImportReport r = importUpdate(*store_, ok, updating());
  ASSERT_EQ(r.updates.size(), 1u);
  EXPECT_EQ(r.updates[0].changed, 1);
  EXPECT_EQ(r.updates[0].unchanged, 1);
  EXPECT_EQ(one(*store_, "SELECT plan_naam FROM bedrijventerreinen WHERE rin_nummer = 'RIN1'"),
            "De Haven Noord");
}

TEST_F(PgUpdateTest, AKeyTwiceAndANonRegisterAreRefused) {
  const std::vector<std::string> v1 = {
      writePanden(dir_.file("panden.csv"), {{1, 1950, 20}, {2, 1960, 20}})};
  importFiles(*store_, v1, {});
  const auto before = content(*store_, "panden");
  // The key twice across two files.
  const std::vector<std::string> v2 = {
      writePanden(dir_.file("panden_a.csv"), {{1, 1951, 20}, {3, 1960, 20}}),
      writePanden(dir_.file("panden_b.csv"), {{1, 1952, 20}})};
  try {
    importUpdate(*store_, v2, updating());
    FAIL() << "a key twice in the update was accepted";
  } catch (const ValidationError& e) {
    ASSERT_EQ(e.problems().size(), 1u) << e.what();
    EXPECT_EQ(e.problems()[0].where.file, v2[1]);
    EXPECT_EQ(e.problems()[0].where.row, 2);
    EXPECT_NE(e.problems()[0].message.find("duplicate bag_id '" + pandId(1) + "' (also in " +
                                           v2[0] + " row 2)"),
              std::string::npos)
        << e.problems()[0].message;
  }
  EXPECT_EQ(content(*store_, "panden"), before);
  const std::vector<std::string> signals = {
      writeFile(dir_.file("signalen.csv"),
                "signaal_id;categorie;brontype;waargenomen_van;status;x;y\n"
                "S-1;HENNEP;burger;01-03-2024 10:00;nieuw;250000;590000\n")};
  try {
    importUpdate(*store_, signals, updating());
    FAIL() << "--update of signalen was accepted";
  } catch (const ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("signalen is not a register"), std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(store_->read("signalen").empty());
}

TEST_F(PgUpdateTest, WegvakkenChangedEmptyTheRoadNetwork) {
  auto write = [&](const std::string& name, int n, int changedEvery, int firstId) {
    std::ofstream out(dir_.file(name));
    out << "wvk_id;jte_id_beg;jte_id_end;wegbehsrt;wkt\n";
    for (int i = firstId; i < firstId + n; ++i) {
      const int x = 200000 + (i % 30) * 100, y = 550000 + (i / 30) * 100;
      const char* beh = changedEvery && i % changedEvery == 0 ? "P" : "G";
      out << 600000000 + i << ";" << i << ";" << i + 1 << ";" << beh << ";\"LINESTRING (" << x
          << " " << y << ", " << x + 50 << " " << y + 50 << ")\"\n";
    }
    return dir_.file(name);
  };
  const std::vector<std::string> v1 = {write("nwb_v1.csv", 120, 0, 0)};
  importFiles(*store_, v1, {});
  store_->executeSql("CREATE TABLE veldwacht_netwerk (checksum text)");
  store_->executeSql("INSERT INTO veldwacht_netwerk VALUES ('abc')");

  const ImportReport r0 = importUpdate(*store_, v1, updating());
  EXPECT_EQ(r0.updates.at(0).unchanged, 120);
  EXPECT_TRUE(r0.updates[0].derivedEmptied.empty());
  EXPECT_EQ(one(*store_, "SELECT count(*) FROM veldwacht_netwerk"), "1");

  // Ids 10..129: 0..9 removed, 120..129 added, every 7th of 10..119 changed.
  const std::vector<std::string> v2 = {write("nwb_v2.csv", 120, 7, 10)};
  const ImportReport r = importUpdate(*store_, v2, updating());
  ASSERT_EQ(r.updates.size(), 1u);
  int changed = 0;
  for (int i = 10; i < 120; ++i) changed += i % 7 == 0;
  EXPECT_EQ(r.updates[0].added, 10);
  EXPECT_EQ(r.updates[0].removed, 10);
  EXPECT_EQ(r.updates[0].changed, changed);
  ASSERT_EQ(r.updates[0].derivedEmptied.size(), 1u);
  EXPECT_EQ(r.updates[0].derivedEmptied[0].rfind("veldwacht_netwerk (", 0), 0u);
  EXPECT_EQ(one(*store_, "SELECT count(*) FROM veldwacht_netwerk"), "0");
  EXPECT_EQ(content(*store_, "wegvakken"), content(*fresh(v2), "wegvakken"));
}

}  // namespace
}  // namespace veldwacht::layers
