#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "layers/privacy/audit.h"
#include "layers/privacy/classification.h"
#include "layers/privacy/public_layers.h"
#include "layers/privacy/publish.h"
#include "tests/layers/privacy/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

PublicLayersOptions fixedSeed() {
  PublicLayersOptions o;
  o.seed = 42;
  return o;
}

/// code -> aantal (-1 for NULL) of the per-area layer.
std::map<std::string, std::int64_t> countsByCode(Store& store) {
  std::map<std::string, std::int64_t> out;
  for (const auto& r :
       store.query("SELECT code, aantal, onderdrukt FROM openbaar_signalen_per_gebied")) {
    out[*r[0]] = r[1] ? std::stoll(*r[1]) : -1;
    EXPECT_EQ(*r[2], r[1] ? "0" : "1") << *r[0];
  }
  return out;
}

}  // namespace

TEST(Classification, RawDataIsConfidentialOpenContextIsPublic) {
  TempDir dir;
  auto store = privacyStore(dir);
  EXPECT_EQ(classification(*store, "signalen").sensitivity, Sensitivity::Confidential);
  EXPECT_EQ(classification(*store, "verblijfsobjecten").sensitivity, Sensitivity::Confidential);
  EXPECT_EQ(classification(*store, "signalen_dbscan_punten").sensitivity,
            Sensitivity::Confidential);
  EXPECT_EQ(classification(*store, "buurten").sensitivity, Sensitivity::Public);
  setClassification(*store, "buurten", Sensitivity::Confidential, "test");
  const auto c = classification(*store, "buurten");
  EXPECT_EQ(c.sensitivity, Sensitivity::Confidential);
  EXPECT_FALSE(c.isDefault);
  EXPECT_EQ(c.setBy, currentOsUser());
  EXPECT_THROW(store->executeSql("UPDATE veldwacht_classificatie SET klasse = 'geheim'"),
               geo::LibraryError);
}

TEST(PublicLayers, CountsPerBuurtWijkGemeenteWithComplementarySuppression) {
  TempDir dir;
  auto store = privacyStore(dir);
  const auto report = buildPublicLayers(*store, fixedSeed());
  ASSERT_EQ(report.layers.size(), 2u);
  // SW 2 is below 5; wijk west (9) would give it away from NW (7): NW goes too. East: 9, 6.
  const auto counts = countsByCode(*store);
  EXPECT_EQ(counts, (std::map<std::string, std::int64_t>{{"BU99990000", -1},
                                                         {"BU99990001", -1},
                                                         {"BU99990100", 9},
                                                         {"BU99990101", 6},
                                                         {"WK999900", 9},
                                                         {"WK999901", 15},
                                                         {"GM9999", 24}}));
  for (const auto& l : report.layers) {
    EXPECT_EQ(classification(*store, l).sensitivity, Sensitivity::Public) << l;
    EXPECT_EQ(checkPublicLayer(*store, l), std::vector<std::string>{}) << l;
  }
}

TEST(PublicLayers, MaskedPointsCarryOnlyTheCategoryAndAreRepeatableWithASeed) {
  TempDir dir;
  auto store = privacyStore(dir);
  buildPublicLayers(*store, fixedSeed());
  const auto masked = readResultLayer(*store, "openbaar_signalen_gemaskeerd");
  ASSERT_EQ(masked.records.size(), 24u);
  ASSERT_EQ(masked.fields.size(), 1u);
  EXPECT_EQ(masked.fields[0].name, "categorie");
  EXPECT_EQ(masked.metadata.seed, 42);
  std::map<std::string, int> categories;
  for (const auto& r : masked.records) ++categories[std::get<std::string>(r.values[0])];
  EXPECT_EQ(categories, (std::map<std::string, int>{{"DRUGSAFVAL", 13}, {"HENNEP", 11}}));
  // Every point moved (>= 141 m here: the 8th nearest address on a 100 m grid); none lands
  // on a true signal position.
  const auto truth = store->read("signalen");
  std::vector<geo::Point> pts;
  for (const auto& m : masked.records) {
    const auto* p = m.geometry->toPoint();
    pts.push_back({p->getX(), p->getY()});
    for (const auto& t : truth) {
      const auto* q = t.geometry->toPoint();
      EXPECT_GT(std::hypot(p->getX() - q->getX(), p->getY() - q->getY()), 1.0);
    }
  }
  buildPublicLayers(*store, fixedSeed());
  const auto again = readResultLayer(*store, "openbaar_signalen_gemaskeerd");
  for (std::size_t i = 0; i < pts.size(); ++i) {
    EXPECT_DOUBLE_EQ(again.records[i].geometry->toPoint()->getX(), pts[i].x);
    EXPECT_DOUBLE_EQ(again.records[i].geometry->toPoint()->getY(), pts[i].y);
  }
}

TEST(Publish, RefusesAConfidentialLayerAndWritesNothing) {
  TempDir dir;
  auto store = privacyStore(dir);
  const std::string out = dir.file("openbaar.gpkg");
  try {
    publish(*store, {.layers = {"buurten", "signalen"}, .destination = out});
    FAIL() << "expected PublicationRefused";
  } catch (const PublicationRefused& e) {
    EXPECT_EQ(e.layer(), "signalen");
    EXPECT_NE(std::string(e.what()).find("layer 'signalen' is confidential"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("openbaar_signalen_gemaskeerd"), std::string::npos);
  }
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_FALSE(std::filesystem::exists(out + ".part.gpkg"));
  const auto audit = readAudit(*store);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].layer, "signalen");
  EXPECT_EQ(audit[0].outcome, "geweigerd");
  EXPECT_EQ(audit[0].who, currentOsUser());
  EXPECT_EQ(audit[0].destination, std::filesystem::absolute(out).string());
}

TEST(Publish, WritesThePublicLayersAndAuditsEach) {
  TempDir dir;
  auto store = privacyStore(dir);
  buildPublicLayers(*store, fixedSeed());
  const std::string out = dir.file("openbaar.gpkg");
  const auto done = publish(*store, {.layers = {"openbaar_signalen_per_gebied",
                                                "openbaar_signalen_gemaskeerd", "buurten"},
                                     .destination = out});
  ASSERT_EQ(done.size(), 3u);
  EXPECT_EQ(done[0].rows, 7);
  EXPECT_EQ(done[1].rows, 24);
  EXPECT_EQ(done[2].rows, 4);
  auto ds = geo::openDataset(out);
  EXPECT_EQ(ds->GetLayerCount(), 4);  // the three and layer_styles (buurten is styled)
  EXPECT_EQ(ds->GetLayerByName("veldwacht_resultaten"), nullptr);
  EXPECT_EQ(ds->GetLayerByName("veldwacht_audit"), nullptr);
  OGRLayer* b = ds->GetLayerByName("buurten");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->GetLayerDefn()->GetFieldIndex("import_id"), -1);
  EXPECT_GE(b->GetLayerDefn()->GetFieldIndex("code"), 0);
  OGRLayer* contents = ds->ExecuteSQL("SELECT description FROM gpkg_contents", nullptr, nullptr);
  ASSERT_NE(contents, nullptr);
  for (geo::FeaturePtr f(contents->GetNextFeature()); f; f.reset(contents->GetNextFeature()))
    EXPECT_EQ(std::string(f->GetFieldAsString(0)).find("seed"), std::string::npos);
  ds->ReleaseResultSet(contents);
  const auto audit = readAudit(*store);
  ASSERT_EQ(audit.size(), 3u);
  for (const auto& a : audit) {
    EXPECT_EQ(a.outcome, "uitgevoerd");
    EXPECT_EQ(a.action, "publiceer");
    EXPECT_EQ(a.sensitivity, Sensitivity::Public);
  }
  EXPECT_EQ(audit[1].layer, "openbaar_signalen_gemaskeerd");
  EXPECT_EQ(audit[1].filter, "signalen");
  EXPECT_EQ(audit[1].remark, "24 rijen");
  // A second run does not overwrite unless asked.
  EXPECT_THROW(publish(*store, {.layers = {"buurten"}, .destination = out}), geo::OptionError);
  EXPECT_NO_THROW(publish(*store, {.layers = {"buurten"}, .destination = out, .overwrite = true}));
}

TEST(Publish, TheAuditTableIsAppendOnly) {
  TempDir dir;
  auto store = privacyStore(dir);
  recordAudit(*store, {.action = "print", .layer = "buurten", .destination = "printer"});
  EXPECT_THROW(store->executeSql("UPDATE veldwacht_audit SET wie = 'iemand'"), geo::LibraryError);
  EXPECT_THROW(store->executeSql("DELETE FROM veldwacht_audit"), geo::LibraryError);
  EXPECT_EQ(readAudit(*store).size(), 1u);
}

TEST(Publish, RefusesATamperedCountLayer) {
  TempDir dir;
  auto store = privacyStore(dir);
  buildPublicLayers(*store, fixedSeed());
  // Someone fills in NW by hand: then wijk west - NW gives SW away.
  store->executeSql(
      "UPDATE openbaar_signalen_per_gebied SET aantal = 7, onderdrukt = 0 WHERE code = "
      "'BU99990001'");
  const auto problems = checkPublicLayer(*store, "openbaar_signalen_per_gebied");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "the published totals give away the suppressed count of BU99990000");
  store->executeSql(
      "UPDATE openbaar_signalen_per_gebied SET aantal = 2, onderdrukt = 0 WHERE code = "
      "'BU99990000'");
  try {
    publish(*store,
            {.layers = {"openbaar_signalen_per_gebied"}, .destination = dir.file("o.gpkg")});
    FAIL() << "expected PublicationRefused";
  } catch (const PublicationRefused& e) {
    EXPECT_NE(std::string(e.what()).find("buurt BU99990000 publishes a count of 2 (below k = 5)"),
              std::string::npos)
        << e.what();
  }
}

TEST(Retention, ListsSignalsOlderThanThePeriod) {
  TempDir dir;
  auto store = privacyStore(dir);  // every signal: waargenomen_van 2024-05-01, gemeld_op NULL
  EXPECT_EQ(retentionCandidates(*store, 365, "2026-01-01").size(), 24u);
  EXPECT_TRUE(retentionCandidates(*store, 1000, "2026-01-01").empty());
  EXPECT_EQ(retentionCandidates(*store, 1, "2024-05-03").size(), 24u);
  EXPECT_TRUE(retentionCandidates(*store, 1, "2024-05-02").empty());
  EXPECT_THROW(retentionCandidates(*store, 0), geo::OptionError);
}

TEST(Retention, RemovesTheListedSignalsAndAuditsIt) {
  TempDir dir;
  auto store = privacyStore(dir);
  EXPECT_EQ(removeRetained(*store, 1000, "2026-01-01"), 0u);
  EXPECT_TRUE(readAudit(*store).empty());
  EXPECT_EQ(removeRetained(*store, 365, "2026-01-01"), 24u);
  EXPECT_TRUE(store->read("signalen").empty());
  const auto audit = readAudit(*store);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "verwijder");
  EXPECT_EQ(audit[0].sensitivity, Sensitivity::Confidential);
  EXPECT_EQ(audit[0].remark.rfind("24 signalen ouder dan 365 dagen: SIG-T-0000 ", 0), 0u)
      << audit[0].remark;
}

TEST(Publish, RefusesLayersMadeWithWeakerThanPublicSettings) {
  TempDir dir;
  auto store = privacyStore(dir);
  PublicLayersOptions o = fixedSeed();
  o.suppression.k = 3;
  o.masking.k = 6;
  buildPublicLayers(*store, o);
  EXPECT_EQ(
      checkPublicLayer(*store, "openbaar_signalen_per_gebied"),
      (std::vector<std::string>{"counts were suppressed below k = 3; public maps need k >= 5"}));
  EXPECT_EQ(checkPublicLayer(*store, "openbaar_signalen_gemaskeerd"),
            (std::vector<std::string>{"masked with k = 6; public maps need k >= 8"}));
  // A raw layer that someone marked public by hand fails the check as well.
  EXPECT_EQ(checkPublicLayer(*store, "verblijfsobjecten"),
            (std::vector<std::string>{"'verblijfsobjecten' was not made by the privacy module "
                                      "(aggregation with suppression or masking), so it cannot "
                                      "be checked"}));
}
