// Runs the built `veldwacht` binary as a user would, and checks exit codes, messages and what
// lands in the store.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "layers/privacy/classification.h"
#include "layers/privacy/public_layers.h"
#include "layers/results/results.h"
#include "layers/store/checksum.h"
#include "tests/cli/run_veldwacht.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

std::size_t lineCount(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

/// A small store: the two planted signal groups of the analysis tests plus incidents and a park.
std::string smallStore(const TempDir& dir) {
  std::vector<Record> parks;
  parks.push_back(recordOf("bedrijventerreinen",
                           {{"rin_nummer", std::string("1")},
                            {"plan_naam", std::string("Noord")},
                            {"synthetisch", std::int64_t{1}}},
                           squareAt(kX0 - 100, kY0 - 100, 600)));
  std::vector<Record> inc;
  for (int i = 0; i < 40; ++i) {
    const std::string date =
        "2024-" + std::string(i % 12 < 9 ? "0" : "") + std::to_string(1 + i % 12) + "-10";
    inc.push_back(incidentRecord(i, kX0 + 11.0 * (i % 9), kY0 + 13.0 * (i / 9), date));
  }
  storeWith(dir, batch("signalen", twoGroupSignals()), batch("incidenten", std::move(inc)));
  // (the park is added in a second append: storeWith takes two batches)
  auto store = Store::open(dir.file("t.gpkg"), true);
  std::vector<ImportBatch> more;
  more.push_back(batch("bedrijventerreinen", std::move(parks)));
  store->append(more);
  return dir.file("t.gpkg");
}

}  // namespace

TEST(Cli, HelpOnEveryLevelExitsZeroAndShowsDefaults) {
  TempDir dir;
  const Outcome top = runVeldwacht(dir, "--help");
  EXPECT_EQ(top.code, 0);
  for (const char* sub : {"aggregate", "cluster", "demo", "density", "emerging", "hotspots",
                          "import", "info", "init", "validate"}) {
    EXPECT_NE(top.out.find(sub), std::string::npos) << sub;
    const Outcome r = runVeldwacht(dir, std::string(sub) + " --help");
    EXPECT_EQ(r.code, 0) << sub;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << sub;
  }
  // Defaults come from the core's Options structs.
  EXPECT_NE(runVeldwacht(dir, "cluster --help").out.find("--eps FLOAT=100"), std::string::npos);
  EXPECT_NE(runVeldwacht(dir, "density --help").out.find("--radius FLOAT=500"), std::string::npos);
  EXPECT_NE(runVeldwacht(dir, "aggregate --help").out.find("--cell-size FLOAT=500"),
            std::string::npos);
}

TEST(Cli, BadOptionsExitTwoAndLeaveTheStoreAlone) {
  TempDir dir;
  const std::string store = smallStore(dir);
  const std::string before = fileSha256(store);
  for (const char* args : {"cluster STORE --eps -1", "cluster STORE --no-such-flag",
                           "cluster STORE --method optics", "density STORE --pixel-size 0",
                           "aggregate STORE --shape circle", "hotspots STORE --method nope",
                           "emerging STORE --time-step 0", "cluster STORE -o 'Bad Name'"}) {
    std::string a = args;
    a.replace(a.find("STORE"), 5, "'" + store + "'");
    const Outcome r = runVeldwacht(dir, a);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.err;
    EXPECT_FALSE(r.err.empty()) << args;
  }
  EXPECT_EQ(fileSha256(store), before);
}

TEST(Cli, OutOfRangeOptionsExitTwoNamingTheOptionAndAreNeverReplaced) {
  TempDir dir;
  const std::string store = smallStore(dir);
  const std::string before = fileSha256(store);
  struct Case {
    std::string args;
    std::string names;  ///< what the one-line message must contain
  };
  for (const Case& c : std::vector<Case>{
           {"cluster STORE --threads 65537", "--threads"},
           {"cluster STORE --threads -1", "--threads"},
           {"cluster STORE -m st-dbscan --eps-days -3", "--eps-days"},
           {"cluster STORE -m st-dbscan --eps-days nan", "--eps-days"},
           {"cluster STORE -m st-dbscan --eps-days=-3", "--eps-days"},
           {"cluster STORE --eps 1e400", "--eps"},
           {"cluster STORE --min-pts 2.5", "--min-pts"},
           {"cluster STORE -m hdbscan --selection best", "--selection"},
           {"cluster STORE -m kmeans -k 0", "--k"},
           {"cluster STORE --seed 5", "--seed: does not apply to dbscan"},
           {"density STORE --ratio-scale 1000", "--ratio-scale: does not apply to kde"},
           {"density STORE --kernel box", "--kernel"},
           {"aggregate STORE --cell-size 1e12", "--cell-size"},
           {"aggregate STORE --polygon-layer bedrijventerreinen --shape square",
            "--shape: does not apply to polygoncount"},
           {"emerging STORE --time-unit weeks", "--time-unit"},
           {"emerging STORE --permutations -1", "--permutations"},
           {"hotspots STORE --cell-size 1e12", "--cell-size"},
           {"hotspots STORE -l incidenten --weights k-nearest --k 100000", "k:"},
           {"hotspots STORE --permutations -1", "--permutations"},
           {"hotspots STORE --seed -5", "--seed"},
           {"hotspots STORE --threads 65537", "threads"}}) {
    std::string a = c.args;
    a.replace(a.find("STORE"), 5, "'" + store + "'");
    const Outcome r = runVeldwacht(dir, a);
    EXPECT_EQ(r.code, 2) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.names), std::string::npos) << c.args << "\n" << r.err;
  }
  EXPECT_EQ(fileSha256(store), before);
}

TEST(Cli, RefusedInputExitsThreeWithOneLineAndAnUnchangedStore) {
  TempDir dir;
  const std::string store = smallStore(dir);
  const std::string before = fileSha256(store);
  for (const char* args : {"cluster STORE --where \"categorie = 'MILIEU'\"",
                           "density STORE --layer vab", "hotspots STORE -l partners"}) {
    std::string a = args;
    a.replace(a.find("STORE"), 5, "'" + store + "'");
    const Outcome r = runVeldwacht(dir, a);
    EXPECT_EQ(r.code, 3) << args << "\n" << r.err;
    EXPECT_EQ(lineCount(r.err), 1u) << r.err;
    EXPECT_TRUE(r.err.starts_with("veldwacht: ")) << r.err;
  }
  EXPECT_EQ(runVeldwacht(dir, "cluster '" + dir.file("missing.gpkg") + "'").code, 3);
  EXPECT_EQ(fileSha256(store), before);
}

TEST(Cli, EveryAnalysisSubcommandWritesItsResult) {
  TempDir dir;
  const std::string s = "'" + smallStore(dir) + "'";
  struct Case {
    std::string args;
    std::vector<std::string> layers;
  };
  const std::vector<Case> cases = {
      {"cluster " + s + " --eps 50 --min-pts 5 -o c1", {"c1_punten", "c1_clusters"}},
      {"cluster " + s + " -m st-dbscan --eps 50 --eps-days 10 --min-pts 3 -o c2",
       {"c2_punten", "c2_clusters"}},
      {"cluster " + s + " -m hdbscan --min-cluster-size 4 -o c3", {"c3_punten", "c3_clusters"}},
      {"cluster " + s + " -m kmeans -k 3 --seed 5 -o c4", {"c4_punten", "c4_clusters"}},
      {"aggregate " + s + " --cell-size 100 -o a1", {"a1"}},
      {"aggregate " + s + " -l incidenten --polygon-layer bedrijventerreinen -o a2", {"a2"}},
      {"hotspots " + s + " -l incidenten --cell-size 100 --shape square -o h1", {"h1"}},
      {"hotspots " + s + " -m local-moran --cell-size 500 --permutations 99 -o h2", {"h2"}},
      {"hotspots " + s + " -m optimized -l incidenten -o h3", {"h3"}},
      {"hotspots " + s + " -m global --cell-size 500 --simulations 9 -o h4",
       {"h4_globaal", "h4_ripley"}},
      {"emerging " + s + " -l incidenten --bin-size 50 --time-unit months -o e1", {"e1"}},
  };
  for (const auto& c : cases) {
    const Outcome r = runVeldwacht(dir, c.args);
    EXPECT_EQ(r.code, 0) << c.args << "\n" << r.err;
    for (const auto& l : c.layers)
      EXPECT_NE(r.out.find("wrote layer  " + l), std::string::npos) << c.args << "\n" << r.out;
  }
  const Outcome d = runVeldwacht(dir, "density " + s + " --radius 100 --pixel-size 10 -o d1");
  EXPECT_EQ(d.code, 0) << d.err;
  EXPECT_TRUE(std::filesystem::exists(dir.file("t_d1.tif")));
  EXPECT_TRUE(std::filesystem::exists(dir.file("t_d1.qml")));

  auto store = Store::open(dir.file("t.gpkg"), false);
  std::set<std::string> results;
  for (const auto& r : listResults(*store)) results.insert(r.file.empty() ? r.layer : r.file);
  for (const auto& c : cases)
    for (const auto& l : c.layers) EXPECT_TRUE(results.count(l)) << l;
  EXPECT_TRUE(results.count("t_d1.tif"));
}

TEST(Cli, DemoBuildsTheSampleStoreAndFindsThePlantedClusters) {
  TempDir dir;
  const Outcome r =
      runVeldwacht(dir, "demo '" + dir.file("demo") + "' --sample-data '" +
                            std::string(VELDWACHT_SOURCE_DIR) + "/sample-data/eemsdelta'");
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* id : {"A_drugsafval_loppersum_noord", "B_verhuur_activiteit_lege_schuren",
                         "C_hennep_bierum", "D_incidenten_oosterhorn_opkomend"})
    EXPECT_NE(r.out.find(std::string("found     ") + id), std::string::npos) << id << "\n" << r.out;
  EXPECT_NE(r.out.find("4 of 4 planted clusters found"), std::string::npos);

  auto store = Store::open(dir.file("demo/eemsdelta.gpkg"), false);
  std::set<std::string> present;
  for (const auto& l : store->summary()) {
    present.insert(l.name);
    EXPECT_GT(l.count, 0) << l.name << " has no rows";
  }
  for (const auto& d : layerDefs()) EXPECT_TRUE(present.count(d.name)) << d.name;
  for (const char* l :
       {"signalen_dbscan_punten", "signalen_dbscan_clusters", "drugsafval_stdbscan_clusters",
        "signalen_hdbscan_clusters", "vab_kmeans_clusters", "signalen_hex500",
        "incidenten_per_terrein", "incidenten_gi", "signalen_gi", "incidenten_optimized",
        "signalen_optimized", "signalen_lisa", "signalen_statistiek_globaal",
        "signalen_statistiek_ripley", "incidenten_opkomend", "openbaar_signalen_per_gebied",
        "openbaar_signalen_gemaskeerd"})
    EXPECT_TRUE(present.count(l)) << l;
  {  // The public layer set: the layers the privacy module made public are exactly the two
     // openbaar_* layers; each passes the check of a public export and opens with its style.
    std::set<std::string> published;
    for (const auto& c : classifications(*store))
      if (c.sensitivity == Sensitivity::Public && !c.isDefault) published.insert(c.layer);
    const std::set<std::string> expected{"openbaar_signalen_per_gebied",
                                         "openbaar_signalen_gemaskeerd"};
    EXPECT_EQ(published, expected);
    for (const auto& l : expected) {
      EXPECT_EQ(classification(*store, l).sensitivity, Sensitivity::Public) << l;
      const auto problems = checkPublicLayer(*store, l);
      EXPECT_TRUE(problems.empty()) << l << ": " << problems.front();
      EXPECT_EQ(store->query("SELECT COUNT(*) FROM layer_styles WHERE f_table_name = '" + l +
                             "' AND useAsDefault")[0][0],
                "1")
          << l << " has no default style";
    }
    // k-suppression holds and is not vacuous: buurten with a published count and suppressed
    // ones, none published below k = 5.
    const auto counts = store->query(
        "SELECT SUM(aantal IS NULL), SUM(aantal >= 5), SUM(aantal BETWEEN 1 AND 4) FROM "
        "openbaar_signalen_per_gebied WHERE niveau = 'buurt'");
    EXPECT_GT(std::stoi(counts[0][0].value_or("0")), 0);
    EXPECT_GT(std::stoi(counts[0][1].value_or("0")), 0);
    EXPECT_EQ(counts[0][2].value_or("0"), "0");
    // No raw point: every signal is masked, none keeps its own location, only the category.
    const ResultLayer masked = readResultLayer(*store, "openbaar_signalen_gemaskeerd");
    const auto signals = store->read("signalen");
    ASSERT_EQ(masked.records.size(), signals.size());
    ASSERT_EQ(masked.fields.size(), 1u);
    EXPECT_EQ(masked.fields[0].name, "categorie");
    std::set<std::pair<double, double>> raw;
    for (const auto& s : signals) {
      const auto* p = s.geometry->toPoint();
      raw.insert({p->getX(), p->getY()});
    }
    for (const auto& m : masked.records) {
      const auto* p = m.geometry->toPoint();
      EXPECT_FALSE(raw.count({p->getX(), p->getY()})) << p->getX() << " " << p->getY();
    }
  }
  for (const char* f : {"eemsdelta_signalen_dichtheid", "eemsdelta_signalen_per_adres"}) {
    EXPECT_TRUE(std::filesystem::exists(dir.file(std::string("demo/") + f + ".tif"))) << f;
    EXPECT_TRUE(std::filesystem::exists(dir.file(std::string("demo/") + f + ".qml"))) << f;
  }
  {  // The address list leaves out addresses visited in the last 12 months (laatste_bezoek) and
     // records the risk map relative to the store's folder, not as a temporary absolute path.
    const ResultLayer list = readResultLayer(*store, "adreslijst");
    const std::string& p = list.metadata.parametersJson;
    EXPECT_NE(p.find("\"risk_raster\":\"eemsdelta_risico.tif\""), std::string::npos) << p;
    EXPECT_EQ(p.find(dir.file("")), std::string::npos) << p;
    const auto at = p.find("\"skip_visited_since\":\"");
    ASSERT_NE(at, std::string::npos) << p;
    const std::string since = p.substr(at + 22, 10);  // YYYY-MM-DD
    EXPECT_NE(r.out.find("left out (visited since " + since + ")"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find(" 0 left out (visited since"), std::string::npos) << r.out;
    std::size_t field = list.fields.size();
    for (std::size_t i = 0; i < list.fields.size(); ++i)
      if (list.fields[i].name == "laatste_bezoek") field = i;
    ASSERT_LT(field, list.fields.size());
    for (const auto& rec : list.records) {
      if (const auto* visit = std::get_if<std::string>(&rec.values[field])) {
        EXPECT_LT(*visit, since) << "visited " << *visit << " but on the list";
      }
    }
  }
}
