#include "layers/schema/schema.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "geo/core/error.h"

using namespace veldwacht;
using namespace veldwacht::layers;

TEST(LayerDefs, HoldEveryLayerOfTheContractWithItsGeometry) {
  const std::map<std::string, GeometryKind> expected = {
      {"signalen", GeometryKind::Point},
      {"signaal_categorieen", GeometryKind::None},
      {"panden", GeometryKind::MultiPolygon},
      {"verblijfsobjecten", GeometryKind::Point},
      {"vab", GeometryKind::Point},
      {"bedrijventerreinen", GeometryKind::MultiPolygon},
      {"incidenten", GeometryKind::Point},
      {"partners", GeometryKind::Point},
      {"partner_werkgebieden", GeometryKind::MultiPolygon},
      {"schouwresultaten", GeometryKind::None},
      {"gemeenten", GeometryKind::MultiPolygon},
      {"wijken", GeometryKind::MultiPolygon},
      {"buurten", GeometryKind::MultiPolygon},
      {"wegvakken", GeometryKind::LineString},
      {"gewaspercelen", GeometryKind::MultiPolygon},
      {"misdrijven_per_buurt", GeometryKind::None}};
  ASSERT_EQ(layerDefs().size(), expected.size());
  for (const auto& [name, geometry] : expected)
    EXPECT_EQ(layerDef(name).geometry, geometry) << name;
  EXPECT_THROW(layerDef("nope"), geo::Error);
}

TEST(LayerDefs, EveryDomainLayerCarriesSynthetischAndImportId) {
  for (const auto& def : layerDefs()) {
    const FieldDef* s = def.field("synthetisch");
    ASSERT_NE(s, nullptr) << def.name;
    EXPECT_EQ(s->type, FieldType::Boolean);
    EXPECT_TRUE(s->required);
    EXPECT_EQ(s->defaultValue, "0");
    const FieldDef* i = def.field("import_id");
    ASSERT_NE(i, nullptr) << def.name;
    EXPECT_EQ(i->reference, "veldwacht_imports.import_id");
  }
}

TEST(LayerDefs, NaturalKeysAreRequiredAndUnique) {
  for (const auto& def : layerDefs()) {
    if (def.key.empty()) continue;  // partner_werkgebieden: a partner may have several areas
    const FieldDef* k = def.field(def.key);
    ASSERT_NE(k, nullptr) << def.name;
    EXPECT_TRUE(k->required && k->unique) << def.name;
  }
  EXPECT_TRUE(layerDef("partner_werkgebieden").key.empty());
  EXPECT_TRUE(layerDef("gewaspercelen").key.empty());  // BRP publishes no parcel id
}

TEST(LayerDefs, ReferencesPointAtTheNaturalKeyOfAnEarlierVersionedLayer) {
  for (const auto& def : layerDefs()) {
    for (const auto& f : def.fields) {
      if (f.reference.empty() || f.reference.starts_with("veldwacht_imports.")) continue;
      const auto dot = f.reference.find('.');
      const LayerDef& parent = layerDef(f.reference.substr(0, dot));
      EXPECT_EQ(parent.key, f.reference.substr(dot + 1)) << def.name << "." << f.name;
      EXPECT_LE(parent.sinceVersion, def.sinceVersion);
      EXPECT_TRUE(f.indexed) << def.name << "." << f.name;
    }
  }
  EXPECT_EQ(layerDef("signalen").field("categorie")->reference, "signaal_categorieen.code");
  EXPECT_EQ(layerDef("incidenten").field("rin_nummer")->reference, "bedrijventerreinen.rin_nummer");
  EXPECT_EQ(layerDef("partner_werkgebieden").field("partner_id")->reference, "partners.partner_id");
}

TEST(LayerDefs, FieldNamesAreUniqueAndEveryFieldAndLayerHasDutchHelp) {
  for (const auto& def : layerDefs()) {
    EXPECT_FALSE(def.help.empty()) << def.name;
    EXPECT_FALSE(def.title.empty()) << def.name;
    std::set<std::string> names;
    for (const auto& f : def.fields) {
      EXPECT_TRUE(names.insert(f.name).second) << def.name << "." << f.name;
      EXPECT_FALSE(f.help.empty()) << def.name << "." << f.name;
      EXPECT_NE(f.name, "fid");
      EXPECT_NE(f.name, "geom");
    }
  }
}

TEST(LayerDefs, ClosedListsAndWidthsFollowTheContract) {
  EXPECT_EQ(layerDef("signalen").field("status")->allowed,
            (std::vector<std::string>{"nieuw", "in_behandeling", "doorgezet", "afgesloten",
                                      "ongegrond"}));
  EXPECT_EQ(layerDef("signalen").field("brontype")->allowed.size(), 12u);
  EXPECT_EQ(layerDef("signalen").field("betrouwbaarheid")->allowed,
            (std::vector<std::string>{"A", "B", "C", "D"}));
  EXPECT_EQ(layerDef("vab").field("leegstand")->allowed.size(), 5u);
  EXPECT_TRUE(layerDef("vab").field("leegstand")->required);
  EXPECT_EQ(layerDef("partners").field("partner_type")->allowed.size(), 7u);
  EXPECT_TRUE(layerDef("partners").field("bevoegdheden")->commaList);
  for (const char* layer : {"panden", "verblijfsobjecten"})
    EXPECT_EQ(layerDef(layer).field("bag_id")->width, 16) << layer;
  for (const char* layer : {"signalen", "verblijfsobjecten", "vab", "incidenten"})
    EXPECT_EQ(layerDef(layer).field("bag_pand_id")->width, 16) << layer;
  EXPECT_EQ(layerDef("wegvakken").field("wvk_id")->type, FieldType::Integer);
  EXPECT_EQ(layerDef("signalen").field("waargenomen_van")->type, FieldType::DateTime);
  EXPECT_EQ(layerDef("incidenten").field("datum")->type, FieldType::Date);
}

TEST(LayerDefs, DocsSchemaMdNamesEveryLayerAndField) {
  std::ifstream in(std::string(VELDWACHT_SOURCE_DIR) + "/docs/schema.md");
  ASSERT_TRUE(in) << "docs/schema.md not found";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  for (const auto& def : layerDefs()) {
    EXPECT_NE(doc.find(def.name), std::string::npos) << def.name;
    for (const auto& f : def.fields)
      EXPECT_NE(doc.find(f.name), std::string::npos) << def.name << "." << f.name;
  }
}

TEST(SignalCategorySeeds, AreTheTenCodesOfTheDomainNotes) {
  const auto& seeds = signalCategorySeeds();
  ASSERT_EQ(seeds.size(), 10u);
  std::set<std::string> codes;
  for (const auto& s : seeds) {
    codes.insert(s.code);
    EXPECT_FALSE(s.naam.empty()) << s.code;
  }
  EXPECT_EQ(codes, (std::set<std::string>{"DRUGSAFVAL", "DRUGSLAB", "HENNEP", "VERHUUR",
                                          "ACTIVITEIT", "OPSLAG", "HUISVESTING", "INTIMIDATIE",
                                          "MILIEU", "BEDRIJFSPAND"}));
}
