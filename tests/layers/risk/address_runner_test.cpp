#include "layers/risk/address_runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "geo/core/gdal.h"
#include "geo/density/geotiff.h"
#include "layers/privacy/classification.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

Record vabRecord(const std::string& id, double x, double y, const std::string& leegstand,
                 double area, const std::string& pand, const std::string& visit = {}) {
  return recordOf("vab",
                  {{"vab_id", id},
                   {"leegstand", leegstand},
                   {"oppervlakte_m2", area},
                   {"bag_pand_id", pand},
                   {"laatste_bezoek", visit.empty() ? Value{} : Value{visit}},
                   {"synthetisch", std::int64_t{1}}},
                  pointAt(x, y));
}

Record signal(int i, double x, double y, const std::string& cat, const std::string& van,
              const std::string& grade, const std::string& pand) {
  SignalSpec s = at(x, y);
  s.categorie = cat;
  s.van = van;
  Record r = signalRecord(i, s);
  const LayerDef& def = layerDef("signalen");
  r.values[std::size_t(def.fieldIndex("betrouwbaarheid"))] = grade;
  r.values[std::size_t(def.fieldIndex("bag_pand_id"))] = pand;
  return r;
}

}  // namespace

TEST(RunAddressList, RanksTheVacantBarnWithSignalsFirstAndMarksEveryOutput) {
  TempDir dir;
  std::vector<Record> vab, sig;
  vab.push_back(vabRecord("VAB-1", kX0, kY0, "leeg", 1200, "9999000000000001"));
  vab.push_back(vabRecord("VAB-2", kX0 + 3000, kY0, "deels_leeg", 400, "9999000000000002"));
  vab.push_back(
      vabRecord("VAB-3", kX0 + 6000, kY0, "leeg", 2500, "9999000000000003", "2025-05-01"));
  sig.push_back(
      signal(0, kX0 + 40, kY0, "VERHUUR", "2025-04-01T10:00:00", "A", "9999000000000001"));
  sig.push_back(
      signal(1, kX0 + 60, kY0 + 30, "ACTIVITEIT", "2025-03-01T22:00:00", "B", "9999000000000001"));
  sig.push_back(signal(2, kX0 - 80, kY0, "DRUGSLAB", "2025-01-15T23:00:00", "C", ""));
  sig.push_back(
      signal(3, kX0 + 6010, kY0, "HENNEP", "2025-05-20T12:00:00", "A", "9999000000000003"));
  auto store = storeWith(dir, batch("vab", std::move(vab)), batch("signalen", std::move(sig)));
  AddressListRequest req;
  req.list.skipVisitedSince = parseIsoTime("2025-01-01");
  req.csvPath = dir.file("t_adreslijst.csv");
  req.xlsxPath = dir.file("t_adreslijst.xlsx");
  const RunReport report = runAddressList(*store, req);

  const ResultLayer list = readResultLayer(*store, "adreslijst");
  ASSERT_EQ(list.records.size(), 2u);  // VAB-3 was visited in May
  EXPECT_EQ(std::get<std::string>(resultValue(list, 0, "sleutel")), "VAB-1");
  EXPECT_EQ(std::get<std::int64_t>(resultValue(list, 0, "rang")), 1);
  EXPECT_EQ(std::get<std::string>(resultValue(list, 0, "vaardigheid")), "adrescontrole");
  EXPECT_EQ(std::get<std::string>(resultValue(list, 1, "sleutel")), "VAB-2");
  const auto& why = std::get<std::string>(resultValue(list, 0, "toelichting"));
  EXPECT_EQ(why.rfind("3 signalen in 12 maanden, waarvan 2 betrouwbaar; 2 signalen bij hetzelfde "
                      "pand; leegstaande schuur van 1.200 m²",
                      0),
            0u)
      << why;
  for (std::size_t i = 0; i < list.records.size(); ++i)
    EXPECT_EQ(std::get<std::string>(resultValue(list, i, "vertrouwelijkheid")), "VERTROUWELIJK");
  EXPECT_NE(list.title.find("VERTROUWELIJK"), std::string::npos);

  ASSERT_EQ(report.files.size(), 2u);
  for (const auto& f : report.files) EXPECT_TRUE(std::filesystem::exists(f)) << f;
  std::ifstream csv(dir.file("t_adreslijst.csv"));
  std::string first;
  std::getline(csv, first);
  EXPECT_NE(first.find("# VERTROUWELIJK"), std::string::npos);

  // The XLSX sheet, read back through GDAL: named VERTROUWELIJK, the layer's rows in rank order.
  {
    auto ds = geo::openDataset(dir.file("t_adreslijst.xlsx"));
    ASSERT_EQ(ds->GetLayerCount(), 1);
    OGRLayer* sheet = ds->GetLayer(0);
    EXPECT_STREQ(sheet->GetName(), "VERTROUWELIJK_adreslijst");
    ASSERT_EQ(sheet->GetFeatureCount(), GIntBig(list.records.size()));
    sheet->ResetReading();
    for (std::size_t i = 0; i < list.records.size(); ++i) {
      geo::FeaturePtr f(sheet->GetNextFeature());
      ASSERT_TRUE(f);
      EXPECT_EQ(f->GetFieldAsInteger("rang"), int(i + 1));
      EXPECT_EQ(f->GetFieldAsString("sleutel"),
                std::get<std::string>(resultValue(list, i, "sleutel")));
      EXPECT_EQ(f->GetFieldAsString("toelichting"),
                std::get<std::string>(resultValue(list, i, "toelichting")));
      EXPECT_STREQ(f->GetFieldAsString("vertrouwelijkheid"), "VERTROUWELIJK");
    }
  }

  // The store records the list as confidential (layers/privacy), also over an earlier
  // classification of a table of the same name as public.
  const auto c = classification(*store, "adreslijst");
  EXPECT_EQ(c.sensitivity, Sensitivity::Confidential);
  EXPECT_FALSE(c.isDefault);
  EXPECT_NE(c.reason.find("VERTROUWELIJK"), std::string::npos);
  setClassification(*store, "adreslijst", Sensitivity::Public, "test: wrongly public");
  req.overwrite = true;
  runAddressList(*store, req);
  EXPECT_EQ(classification(*store, "adreslijst").sensitivity, Sensitivity::Confidential);
}

namespace {

Record pandRecord(const std::string& id, double x, double y, double area, bool schuur,
                  const std::string& use) {
  return recordOf("panden",
                  {{"bag_id", id},
                   {"oppervlakte_m2", area},
                   {"is_schuur", std::int64_t{schuur ? 1 : 0}},
                   {"gebruiksdoel", use.empty() ? Value{} : Value{use}},
                   {"synthetisch", std::int64_t{1}}},
                  squareAt(x - 20, y - 20, 40));
}

Record voRecord(const std::string& id, const std::string& pand, double x, double y,
                const std::string& street, std::int64_t number) {
  return recordOf("verblijfsobjecten",
                  {{"bag_id", id},
                   {"bag_pand_id", pand},
                   {"openbare_ruimte_naam", street},
                   {"huisnummer", number},
                   {"woonplaats_naam", std::string("Loppersum")},
                   {"gebruiksdoel", std::string("woonfunctie")},
                   {"synthetisch", std::int64_t{1}}},
                  pointAt(x, y));
}

// Three panden: a vacant barn (VAB) with two signals at the pand, a house with one old
// signal next door, an industrial hall on the east side; one VAB without a pand in the store.
std::unique_ptr<Store> bagStore(const TempDir& dir) {
  std::vector<Record> panden, vos, vab, sig, buurten;
  panden.push_back(pandRecord("9999000000000001", kX0, kY0, 1200, true, ""));
  panden.push_back(pandRecord("9999000000000002", kX0 + 500, kY0, 150, false, "woonfunctie"));
  panden.push_back(pandRecord("9999000000000003", kX0 + 4000, kY0, 900, false, "industriefunctie"));
  vos.push_back(voRecord("9999010000000001", "9999000000000001", kX0 + 5, kY0, "Hoofdweg", 12));
  vos.push_back(voRecord("9999010000000002", "9999000000000002", kX0 + 500, kY0, "Hoofdweg", 20));
  vos.push_back(voRecord("9999010000000003", "9999000000000002", kX0 + 502, kY0, "Hoofdweg", 18));
  vab.push_back(vabRecord("VAB-1", kX0, kY0, "leeg", 1100, "9999000000000001", "2024-02-01"));
  vab.push_back(vabRecord("VAB-9", kX0 + 8000, kY0, "deels_leeg", 600, "9999000000000099"));
  sig.push_back(
      signal(0, kX0 + 10, kY0, "VERHUUR", "2025-04-01T10:00:00", "A", "9999000000000001"));
  sig.push_back(
      signal(1, kX0 + 20, kY0, "ACTIVITEIT", "2025-03-01T22:00:00", "B", "9999000000000001"));
  sig.push_back(signal(2, kX0 + 510, kY0, "HUISVESTING", "2023-03-01T12:00:00", "C", ""));
  buurten.push_back(
      recordOf("buurten", {{"code", std::string("BU99990001")}, {"synthetisch", std::int64_t{1}}},
               squareAt(kX0 - 1000, kY0 - 1000, 3000)));
  auto store = Store::create(dir.file("t.gpkg"));
  std::vector<ImportBatch> b;
  b.push_back(batch("panden", std::move(panden)));
  b.push_back(batch("verblijfsobjecten", std::move(vos)));
  b.push_back(batch("vab", std::move(vab)));
  b.push_back(batch("signalen", std::move(sig)));
  b.push_back(batch("buurten", std::move(buurten)));
  store->append(b);
  return store;
}

std::vector<std::string> keys(const ResultLayer& l) {
  std::vector<std::string> k;
  for (std::size_t i = 0; i < l.records.size(); ++i)
    k.push_back(std::get<std::string>(resultValue(l, i, "sleutel")));
  return k;
}

}  // namespace

TEST(RunAddressList, ScoresBagPandenWithTheirVabAndAddress) {
  TempDir dir;
  auto store = bagStore(dir);
  AddressListRequest req;  // candidates: panden
  runAddressList(*store, req);
  const ResultLayer list = readResultLayer(*store, "adreslijst");
  // The vacant barn with signals, then the hall (900 m², industrie: 0.9 + 0.5), then the VAB
  // without a pand (deels leeg 1.5 + 0.6) ... ordered by score.
  ASSERT_EQ(list.records.size(), 4u);
  EXPECT_EQ(keys(list)[0], "9999000000000001");
  EXPECT_EQ(std::get<std::string>(resultValue(list, 0, "adres")), "Hoofdweg 12, Loppersum");
  EXPECT_EQ(std::get<std::string>(resultValue(list, 0, "vab")), "VAB-1");
  EXPECT_EQ(std::get<std::string>(resultValue(list, 0, "laatste_bezoek")), "2024-02-01");
  EXPECT_EQ(std::get<std::string>(resultValue(list, 0, "vaardigheid")), "adrescontrole");
  EXPECT_DOUBLE_EQ(std::get<double>(resultValue(list, 0, "prioriteit")),
                   std::get<double>(resultValue(list, 0, "score")));
  const auto& why = std::get<std::string>(resultValue(list, 0, "toelichting"));
  EXPECT_NE(why.find("leegstaande schuur van 1.200 m²"), std::string::npos) << why;
  // The house's address is the lowest bag_id of its verblijfsobjecten.
  const auto k = keys(list);
  const auto house = std::find(k.begin(), k.end(), "9999000000000002") - k.begin();
  ASSERT_LT(std::size_t(house), k.size());
  EXPECT_EQ(std::get<std::string>(resultValue(list, std::size_t(house), "adres")),
            "Hoofdweg 20, Loppersum");
  EXPECT_NE(std::find(k.begin(), k.end(), "VAB-9"), k.end());
  EXPECT_EQ(std::get<std::string>(resultValue(list, 0, "vertrouwelijkheid")), "VERTROUWELIJK");
}

TEST(RunAddressList, AreaThemeAndVisitFiltersLeaveTheRightAddressesOut) {
  TempDir dir;
  auto store = bagStore(dir);
  {  // Only inside the buurt: the hall (4 km east) and VAB-9 (8 km) fall out.
    AddressListRequest req;
    req.areaLayer = "buurten";
    req.areaWhere = "code = 'BU99990001'";
    runAddressList(*store, req);
    const auto k = keys(readResultLayer(*store, "adreslijst"));
    EXPECT_EQ(k, (std::vector<std::string>{"9999000000000001", "9999000000000002"}));
  }
  {  // Theme huisvesting: only the house near the HUISVESTING signal.
    AddressListRequest req;
    req.list.themes = {"huisvesting"};
    runAddressList(*store, req);
    EXPECT_EQ(keys(readResultLayer(*store, "adreslijst")),
              (std::vector<std::string>{"9999000000000002"}));
  }
  {  // The barn was visited on 2024-02-01: left out when skipping visits since 2024-01-01.
    AddressListRequest req;
    req.list.skipVisitedSince = parseIsoTime("2024-01-01");
    runAddressList(*store, req);
    const auto k = keys(readResultLayer(*store, "adreslijst"));
    EXPECT_EQ(std::find(k.begin(), k.end(), "9999000000000001"), k.end());
    EXPECT_EQ(k.size(), 3u);
  }
  {  // Verblijfsobjecten as candidates: addresses, with their pand's VAB.
    AddressListRequest req;
    req.candidates = CandidateSource::Verblijfsobjecten;
    runAddressList(*store, req);
    const ResultLayer list = readResultLayer(*store, "adreslijst");
    EXPECT_EQ(keys(list)[0], "9999010000000001");
    EXPECT_EQ(std::get<std::string>(resultValue(list, 0, "pand")), "9999000000000001");
  }
}

TEST(RunAddressList, SheetsAreNotWrittenOverExistingFilesWithoutOverwrite) {
  TempDir dir;
  auto store = bagStore(dir);
  {
    std::ofstream f(dir.file("lijst.csv"));
    f << "someone else's file\n";
  }
  AddressListRequest req;
  req.output = "lijst2";
  req.csvPath = dir.file("lijst.csv");
  req.xlsxPath = dir.file("lijst.xlsx");
  EXPECT_THROW(runAddressList(*store, req), geo::InputError);
  EXPECT_FALSE(std::filesystem::exists(dir.file("lijst.xlsx")));
  bool written = false;
  for (const auto& r : listResults(*store)) written = written || r.layer == "lijst2";
  EXPECT_FALSE(written) << "the store is unchanged when a sheet is refused";
  req.overwrite = true;
  const RunReport report = runAddressList(*store, req);
  EXPECT_EQ(report.files.size(), 2u);
  std::ifstream csv(dir.file("lijst.csv"));
  std::string first;
  std::getline(csv, first);
  EXPECT_NE(first.find("# VERTROUWELIJK"), std::string::npos);
  AddressListRequest bad;
  bad.csvPath = dir.file("lijst.txt");
  EXPECT_THROW(bad.validate(), geo::OptionError);
}

// The stored parameters name the risk raster relative to the store's folder when it lies inside
// it (a store folder can be moved or handed over; the demo's used to record /tmp/demo9/...), and
// absolute otherwise. The visit filter says how many addresses it left out.
TEST(RunAddressList, RecordsTheRiskRasterRelativeToTheStoreFolder) {
  TempDir dir;  // one folder per test: the raster "elsewhere" goes next to it
  const std::filesystem::path elsewhere =
      dir.path().parent_path() / (dir.path().filename().string() + "-elsewhere");
  std::filesystem::create_directories(elsewhere);
  auto store = bagStore(dir);
  geo::Raster risk;
  risk.grid = geo::RasterGrid{kX0 - 1000.0, kY0 + 1000.0, 100.0, 100, 20};
  risk.values.assign(risk.grid.size(), 1.0);
  std::filesystem::create_directories(dir.file("kaarten"));
  geo::writeGeoTiff(dir.file("kaarten/t_risico.tif"), risk);
  geo::writeGeoTiff((elsewhere / "r.tif").string(), risk);

  AddressListRequest req;
  req.riskRaster = dir.file("kaarten/t_risico.tif");
  req.list.skipVisitedSince = parseIsoTime("2024-01-01");
  const RunReport report = runAddressList(*store, req);
  const std::string params = readResultLayer(*store, "adreslijst").metadata.parametersJson;
  EXPECT_NE(params.find("\"risk_raster\":\"kaarten/t_risico.tif\""), std::string::npos) << params;
  EXPECT_EQ(params.find(dir.file("")), std::string::npos) << params;
  ASSERT_FALSE(report.lines.empty());
  EXPECT_NE(report.lines[0].find("1 left out (visited since 2024-01-01)"), std::string::npos)
      << report.lines[0];

  // A path with .. that still ends inside the folder, given relative to the working directory.
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.file("kaarten"));
  req.riskRaster = "../kaarten/./t_risico.tif";
  runAddressList(*store, req);
  std::filesystem::current_path(cwd);
  EXPECT_NE(readResultLayer(*store, "adreslijst")
                .metadata.parametersJson.find("\"risk_raster\":\"kaarten/t_risico.tif\""),
            std::string::npos);

  // Outside the store's folder: the absolute path.
  req.riskRaster = (elsewhere / "r.tif").string();
  runAddressList(*store, req);
  const std::string outside = readResultLayer(*store, "adreslijst").metadata.parametersJson;
  const std::string absolute = std::filesystem::absolute(elsewhere / "r.tif").string();
  EXPECT_NE(outside.find("\"risk_raster\":\"" + absolute + "\""), std::string::npos) << outside;
  std::filesystem::remove_all(elsewhere);

  // Not a file store (PostGIS shows a connection): the path as given.
  EXPECT_EQ(pathForParameters("/data/r.tif", "postgresql://host/db"), "/data/r.tif");
  EXPECT_EQ(pathForParameters("", dir.file("t.gpkg")), "");
}
