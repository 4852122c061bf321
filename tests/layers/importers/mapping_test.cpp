#include "layers/importers/mapping.h"

#include <ostream>

#include <gtest/gtest.h>

#include "geo/core/error.h"
#include "test_support.h"

using namespace veldwacht::layers;
using veldwacht::geo::InputError;
using veldwacht::geo::OptionError;
using veldwacht::layers::testing::TempDir;
using veldwacht::layers::testing::writeFile;

TEST(Mapping, PairsAreParsedAndTrimmed) {
  FieldMapping m = parseMappingPairs(" Soort = categorie , Datum=waargenomen_van,X=x");
  ASSERT_EQ(m.fields.size(), 3u);
  EXPECT_EQ(m.fields[0], (std::pair<std::string, std::string>{"Soort", "categorie"}));
  EXPECT_EQ(m.sourceFor("WAARGENOMEN_VAN"), "Datum");
  EXPECT_EQ(m.sourceFor("x"), "X");
  EXPECT_EQ(m.sourceFor("status"), "");
  EXPECT_NO_THROW(checkMappingTargets(m, "signalen"));
}

TEST(Mapping, BadPairsAreOptionErrors) {
  EXPECT_THROW(parseMappingPairs("Soort"), OptionError);
  EXPECT_THROW(parseMappingPairs("=categorie"), OptionError);
  EXPECT_THROW(parseMappingPairs("Soort="), OptionError);
  EXPECT_THROW(parseMappingPairs(" , "), OptionError);
}

TEST(Mapping, UnknownTargetFieldInPairsListsTheFields) {
  FieldMapping m = parseMappingPairs("Soort=soort");
  try {
    checkMappingTargets(m, "signalen");
    FAIL();
  } catch (const OptionError& e) {
    EXPECT_EQ(e.option(), "mapping");
    EXPECT_NE(std::string(e.what()).find("expected one of: signaal_id, categorie"),
              std::string::npos)
        << e.what();
  }
}

TEST(Mapping, JsonFileWithLayerFieldsAndCrs) {
  TempDir d;
  const auto f = writeFile(
      d.file("m.json"), R"({"layer":"signalen","fields":{"Soort":"categorie"},"crs":"EPSG:4326"})");
  FieldMapping m = loadMappingFile(f);
  EXPECT_EQ(m.layer, "signalen");
  EXPECT_EQ(m.crs, "EPSG:4326");
  EXPECT_EQ(m.sourceFor("categorie"), "Soort");
  EXPECT_EQ(m.origin, f);
}

struct BadJson {
  const char* name;
  const char* json;
  const char* field;
  const char* expected;
};

void PrintTo(const BadJson& c, std::ostream* os) { *os << c.name; }

class MappingBadJson : public ::testing::TestWithParam<BadJson> {};

TEST_P(MappingBadJson, IsRefusedNamingTheKey) {
  TempDir d;
  const auto f = writeFile(d.file("m.json"), GetParam().json);
  try {
    loadMappingFile(f);
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, f);
    EXPECT_EQ(e.where().field, GetParam().field);
    EXPECT_NE(std::string(e.what()).find(GetParam().expected), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Files, MappingBadJson,
    ::testing::Values(
        BadJson{"NotJson", "layer: signalen", "", "not valid JSON"},
        BadJson{"NotAnObject", "[1,2]", "", "expected a JSON object"},
        BadJson{"UnknownKey", R"({"laag":"signalen"})", "laag", "unknown key"},
        BadJson{"UnknownLayer", R"({"layer":"meldingen"})", "layer", "unknown layer 'meldingen'"},
        BadJson{"FieldsNotObject", R"({"layer":"signalen","fields":["a"]})", "fields",
                "expected an object"},
        BadJson{"TargetNotString", R"({"layer":"signalen","fields":{"a":1}})", "fields.a",
                "as a string"},
        BadJson{"UnknownTarget", R"({"layer":"signalen","fields":{"Kleur":"kleur"}})",
                "fields.Kleur", "not a field of signalen"},
        BadJson{"ImportIdIsNotMappable", R"({"layer":"signalen","fields":{"a":"import_id"}})",
                "fields.a", "not a field of signalen"}),
    [](const ::testing::TestParamInfo<BadJson>& i) { return std::string(i.param.name); });

TEST(Mapping, MissingFileIsAnInputError) {
  EXPECT_THROW(loadMappingFile("/nonexistent/veldwacht-mapping.json"), InputError);
}

TEST(Mapping, LayerNamesAreChecked) {
  EXPECT_NO_THROW(checkLayerName("vab", "layer"));
  EXPECT_THROW(checkLayerName("schuren", "layer"), OptionError);
}
