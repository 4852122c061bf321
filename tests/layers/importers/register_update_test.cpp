// Register updates by key (issue 13, register_update.h): a newer BAG / NWB / IBIS over an older
// one adds, changes and removes rows, reported with their keys; the result equals a fresh import
// of the newer file (brute force: a second store); a refusal leaves the store as it was.
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "layers/importers/importer.h"
#include "panden_support.h"
#include "test_support.h"

using namespace veldwacht::layers;
using veldwacht::layers::testing::committedSha256;
using veldwacht::layers::testing::content;
using veldwacht::layers::testing::one;
using veldwacht::layers::testing::pandId;
using veldwacht::layers::testing::squareWkt;
using veldwacht::layers::testing::TempDir;
using veldwacht::layers::testing::writeFile;
using veldwacht::layers::testing::writePanden;

namespace {

ImportOptions updating(std::size_t chunkRows = 20000) {
  ImportOptions o;
  o.update = true;
  o.chunkRows = chunkRows;
  return o;
}

}  // namespace

TEST(RegisterUpdate, AddedChangedRemovedAndUnchangedEqualAFreshImport) {
  TempDir d;
  auto store = Store::create(d.file("store.gpkg"));
  const std::vector<std::string> v1 = {
      writePanden(d.file("panden_v1.csv"),
                  {{1, 1950, 20}, {2, 1960, 20}, {3, 1970, 20}, {4, 1980, 20}, {5, 1990, 20}})};
  importFiles(*store, v1, {});
  const std::string fidOf1 =
      one(*store, "SELECT CAST(fid AS INTEGER) FROM panden WHERE bag_id = '" + pandId(1) + "'");
  const std::string import1 = one(*store, "SELECT MAX(CAST(import_id AS INTEGER)) FROM panden");

  // 1 and 5 unchanged, 2 a new bouwjaar, 3 a larger footprint (geometry and derived area),
  // 4 demolished, 6 new.
  const std::vector<std::string> v2 = {
      writePanden(d.file("panden_v2.csv"),
                  {{1, 1950, 20}, {2, 1961, 20}, {3, 1970, 30}, {5, 1990, 20}, {6, 2020, 20}})};
  const ImportReport r = importFiles(*store, v2, updating());
  ASSERT_EQ(r.updates.size(), 1u);
  const RegisterUpdateSummary& u = r.updates[0];
  EXPECT_EQ(u.layer, "panden");
  EXPECT_EQ(u.added, 1);
  EXPECT_EQ(u.changed, 2);
  EXPECT_EQ(u.removed, 1);
  EXPECT_EQ(u.unchanged, 2);
  EXPECT_EQ(u.addedKeys, std::vector<std::string>{pandId(6)});
  EXPECT_EQ(u.changedKeys, (std::vector<std::string>{pandId(2), pandId(3)}));
  EXPECT_EQ(u.removedKeys, std::vector<std::string>{pandId(4)});
  const std::string text = r.str();
  EXPECT_NE(
      text.find("update of panden by bag_id: 1 added (" + pandId(6) + "), 2 changed (" + pandId(2) +
                ", " + pandId(3) + "), 1 removed (" + pandId(4) + "), 2 unchanged"),
      std::string::npos)
      << text;

  // The answer: a fresh import of the newer file.
  auto fresh = Store::create(d.file("fresh.gpkg"));
  importFiles(*fresh, v2, {});
  EXPECT_EQ(content(*store, "panden"), content(*fresh, "panden"));

  // Unchanged rows keep their fid and import; changed ones carry the update's import.
  EXPECT_EQ(
      one(*store, "SELECT CAST(fid AS INTEGER) FROM panden WHERE bag_id = '" + pandId(1) + "'"),
      fidOf1);
  EXPECT_EQ(one(*store, "SELECT import_id FROM panden WHERE bag_id = '" + pandId(1) + "'"),
            import1);
  const std::string import2 = one(*store, "SELECT MAX(CAST(import_id AS INTEGER)) FROM panden");
  EXPECT_NE(import2, import1);
  EXPECT_EQ(one(*store, "SELECT import_id FROM panden WHERE bag_id = '" + pandId(2) + "'"),
            import2);
  EXPECT_EQ(one(*store, "SELECT rijen FROM veldwacht_imports WHERE import_id = " + import2),
            "3");  // 1 added + 2 changed
  // Spatial index and feature count follow: 5 entries, the changed footprint's new box.
  EXPECT_EQ(one(*store, "SELECT COUNT(*) FROM rtree_panden_geom"), "5");
  const std::string count =
      "SELECT COALESCE(feature_count, 'NULL') FROM gpkg_ogr_contents WHERE table_name = 'panden'";
  EXPECT_EQ(one(*store, count), one(*fresh, count));
  EXPECT_EQ(one(*store,
                "SELECT CAST(maxx - minx AS INTEGER) FROM rtree_panden_geom r JOIN panden "
                "p ON p.fid = r.id WHERE p.bag_id = '" +
                    pandId(3) + "'"),
            "30");
  EXPECT_EQ(one(*store, "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'veldwacht_werk%'"),
            "0");
}

TEST(RegisterUpdate, AnUnchangedReimportReportsNothingAndChangesNoRow) {
  TempDir d;
  auto store = Store::create(d.file("store.gpkg"));
  const std::vector<std::string> v1 = {
      writePanden(d.file("panden.csv"), {{1, 1950, 20}, {2, 1960, 200}, {3, 1970, 20}})};
  importFiles(*store, v1, {});
  const auto before = content(*store, "panden");
  const std::string imports = one(
      *store, "SELECT group_concat(import_id) FROM (SELECT import_id FROM panden ORDER BY fid)");
  const ImportReport r = importFiles(*store, v1, updating());
  ASSERT_EQ(r.updates.size(), 1u);
  EXPECT_EQ(r.updates[0].added, 0);
  EXPECT_EQ(r.updates[0].changed, 0);
  EXPECT_EQ(r.updates[0].removed, 0);
  EXPECT_EQ(r.updates[0].unchanged, 3);
  EXPECT_NE(r.str().find("0 added, 0 changed, 0 removed, 3 unchanged"), std::string::npos)
      << r.str();
  EXPECT_EQ(content(*store, "panden"), before);
  EXPECT_EQ(one(*store,
                "SELECT group_concat(import_id) FROM (SELECT import_id FROM panden ORDER BY fid)"),
            imports);
  // Without --update the same file is refused, with a hint.
  try {
    importFiles(*store, v1, {});
    FAIL() << "a second import of a register without --update was accepted";
  } catch (const ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("import it with --update"), std::string::npos) << e.what();
  }
}

TEST(RegisterUpdate, RemovingARowOthersReferToIsRefusedAndLeavesTheStoreAsItWas) {
  TempDir d;
  auto store = Store::create(d.file("store.gpkg"));
  const std::string ibis1 =
      writeFile(d.file("ibis_v1.csv"), "rin_nummer;plan_naam;wkt\nRIN1;De Haven;" +
                                           squareWkt(250000, 590000, 500) + "\nRIN2;Oosterhorn;" +
                                           squareWkt(252000, 590000, 500) + "\n");
  const std::string incidents =
      writeFile(d.file("incidenten.csv"),
                "incident_id;datum;rin_nummer;x;y\nINC-1;01-03-2024;RIN2;252100;590100\n");
  const std::string panden =
      writePanden(d.file("panden.csv"), {{1, 1950, 200}, {2, 1960, 200}, {3, 1970, 200}});
  const std::string vab =
      writeFile(d.file("vab.csv"),
                "vab_id;leegstand;bag_pand_id;x;y\nVAB-7;leeg;" + pandId(3) + ";250310;590010\n");
  const std::vector<std::string> all = {ibis1, incidents, panden, vab};
  importFiles(*store, all, {});
  const std::string before = committedSha256(*store);

  // IBIS without RIN2 (an incident is on it), BAG without pand 3 (a VAB is in it).
  const std::string ibis2 =
      writeFile(d.file("ibis_v2.csv"), "rin_nummer;plan_naam;wkt\nRIN1;De Haven Noord;" +
                                           squareWkt(250000, 590000, 500) + "\n");
  const std::string panden2 =
      writePanden(d.file("panden_v2.csv"), {{1, 1950, 200}, {2, 1961, 200}});
  const std::vector<std::string> update = {ibis2, panden2};
  try {
    importFiles(*store, update, updating());
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
  EXPECT_EQ(committedSha256(*store), before);
  EXPECT_EQ(one(*store, "SELECT plan_naam FROM bedrijventerreinen WHERE rin_nummer = 'RIN1'"),
            "De Haven");
  EXPECT_EQ(store->read("panden").size(), 3u);
  EXPECT_EQ(one(*store, "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'veldwacht_werk%'"),
            "0");
  // Keeping the referenced rows, the same update goes through.
  const std::string ibis3 =
      writeFile(d.file("ibis_v3.csv"), "rin_nummer;plan_naam;wkt\nRIN1;De Haven Noord;" +
                                           squareWkt(250000, 590000, 500) + "\nRIN2;Oosterhorn;" +
                                           squareWkt(252000, 590000, 500) + "\n");
  const std::vector<std::string> ok = {ibis3};
  const ImportReport r = importFiles(*store, ok, updating());
  ASSERT_EQ(r.updates.size(), 1u);
  EXPECT_EQ(r.updates[0].changed, 1);
  EXPECT_EQ(r.updates[0].unchanged, 1);
  EXPECT_EQ(one(*store, "SELECT plan_naam FROM bedrijventerreinen WHERE rin_nummer = 'RIN1'"),
            "De Haven Noord");
}

TEST(RegisterUpdate, AKeyTwiceInTheFilesIsRefusedAndTheStoreKeptAsItWas) {
  TempDir d;
  auto store = Store::create(d.file("store.gpkg"));
  const std::vector<std::string> v1 = {
      writePanden(d.file("panden.csv"), {{1, 1950, 20}, {2, 1960, 20}})};
  importFiles(*store, v1, {});
  const std::string before = committedSha256(*store);
  const std::vector<std::string> v2 = {
      writePanden(d.file("panden_v2.csv"), {{1, 1951, 20}, {3, 1960, 20}, {1, 1952, 20}})};
  // Within one chunk, and across chunks (of 2 rows: the key is then met in the keys table).
  for (std::size_t chunkRows : {std::size_t(20000), std::size_t(2)}) {
    try {
      importFiles(*store, v2, updating(chunkRows));
      FAIL() << "a key twice in the update was accepted";
    } catch (const ValidationError& e) {
      ASSERT_EQ(e.problems().size(), 1u) << e.what();
      EXPECT_EQ(e.problems()[0].where.row, 4);
      EXPECT_NE(e.problems()[0].message.find("duplicate bag_id '" + pandId(1) + "' (also in " +
                                             v2[0] + " row 2)"),
                std::string::npos)
          << e.problems()[0].message;
    }
    EXPECT_EQ(committedSha256(*store), before);
  }
}

TEST(RegisterUpdate, OnlyRegistersAreUpdated) {
  TempDir d;
  auto store = Store::create(d.file("store.gpkg"));
  const std::vector<std::string> f = {
      writeFile(d.file("signalen.csv"),
                "signaal_id;categorie;brontype;waargenomen_van;status;x;y\n"
                "S-1;HENNEP;burger;01-03-2024 10:00;nieuw;250000;590000\n")};
  try {
    importFiles(*store, f, updating());
    FAIL() << "--update of signalen was accepted";
  } catch (const ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("signalen is not a register"), std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(store->read("signalen").empty());
}

// NWB over NWB: the stored road network (a derived table) is emptied when a wegvak changed, and
// kept when nothing did. Across chunks: 2 100 wegvakken in chunks of 500.
TEST(RegisterUpdate, WegvakkenAcrossChunksAndTheRoadNetworkIsEmptied) {
  TempDir d;
  auto store = Store::create(d.file("store.gpkg"));
  auto write = [&](const std::string& name, int n, int changedEvery, int firstId) {
    std::ofstream out(d.file(name));
    out << "wvk_id;jte_id_beg;jte_id_end;wegbehsrt;wkt\n";
    for (int i = firstId; i < firstId + n; ++i) {
      const int x = 200000 + (i % 300) * 100, y = 550000 + (i / 300) * 100;
      const char* beh = changedEvery && i % changedEvery == 0 ? "P" : "G";
      out << 600000000 + i << ";" << i << ";" << i + 1 << ";" << beh << ";\"LINESTRING (" << x
          << " " << y << ", " << x + 50 << " " << y + 50 << ")\"\n";
    }
    return d.file(name);
  };
  const std::vector<std::string> v1 = {write("nwb_v1.csv", 2100, 0, 0)};
  importFiles(*store, v1, {});
  store->executeSql("CREATE TABLE veldwacht_netwerk (checksum TEXT)");
  store->executeSql("INSERT INTO veldwacht_netwerk VALUES ('abc')");

  const std::vector<std::string> same = {v1[0]};
  const ImportReport r0 = importFiles(*store, same, updating(500));
  EXPECT_EQ(r0.updates.at(0).unchanged, 2100);
  EXPECT_TRUE(r0.updates[0].derivedEmptied.empty());
  EXPECT_EQ(one(*store, "SELECT COUNT(*) FROM veldwacht_netwerk"), "1");

  // Ids 10..2109: 0..9 removed, 2100..2109 added, every 97th changed.
  const std::vector<std::string> v2 = {write("nwb_v2.csv", 2100, 97, 10)};
  const ImportReport r = importFiles(*store, v2, updating(500));
  ASSERT_EQ(r.updates.size(), 1u);
  int changed = 0;
  for (int i = 10; i < 2100; ++i) changed += i % 97 == 0;
  EXPECT_EQ(r.updates[0].added, 10);
  EXPECT_EQ(r.updates[0].removed, 10);
  EXPECT_EQ(r.updates[0].changed, changed);
  EXPECT_EQ(r.updates[0].unchanged, 2100 - 10 - changed);
  ASSERT_EQ(r.updates[0].derivedEmptied.size(), 1u);
  EXPECT_EQ(r.updates[0].derivedEmptied[0].rfind("veldwacht_netwerk (", 0), 0u);
  EXPECT_EQ(one(*store, "SELECT COUNT(*) FROM veldwacht_netwerk"), "0");
  auto fresh = Store::create(d.file("fresh.gpkg"));
  importFiles(*fresh, v2, {});
  EXPECT_EQ(content(*store, "wegvakken"), content(*fresh, "wegvakken"));
  EXPECT_EQ(one(*store, "SELECT COUNT(*) FROM rtree_wegvakken_geom"), "2100");
}
