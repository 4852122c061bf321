#include "layers/schema/validate.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace veldwacht;
using namespace veldwacht::layers;

namespace {

geo::GeometryPtr wkt(const char* text) {
  OGRGeometry* g = nullptr;
  OGRGeometryFactory::createFromWkt(text, nullptr, &g);
  return geo::GeometryPtr(g);
}

/// A small layer exercising each check.
LayerDef testLayer() {
  LayerDef d;
  d.name = "t";
  d.geometry = GeometryKind::Point;
  auto f = [](const char* name, FieldType t) {
    FieldDef x;
    x.name = name;
    x.type = t;
    return x;
  };
  d.fields = {f("code", FieldType::Text),
              f("n", FieldType::Integer),
              f("x", FieldType::Real),
              f("b", FieldType::Boolean),
              f("d", FieldType::Date),
              f("waargenomen_van", FieldType::DateTime),
              f("waargenomen_tot", FieldType::DateTime),
              f("lijst", FieldType::Text)};
  d.fields[0].required = true;
  d.fields[0].width = 4;
  d.fields[0].allowed = {"abcd", "één", "x"};
  d.fields[3].required = true;
  d.fields[3].defaultValue = "0";
  d.fields[7].allowed = {"signaleren", "schouwen"};
  d.fields[7].commaList = true;
  return d;
}

Record goodRecord() {
  Record r;
  r.values = {std::string("één"),
              std::int64_t{3},
              std::int64_t{2},
              std::int64_t{1},
              std::string("2024-02-29"),
              std::string("2024-03-01T23:59:59"),
              std::string("2024-03-02T00:00:00"),
              std::string("schouwen, signaleren")};
  r.geometry = wkt("POINT (256984 594814)");
  r.sourceRow = 7;
  return r;
}

std::vector<Problem> check(const Record& r) {
  std::vector<Problem> out;
  validateRecord(testLayer(), r, "in.csv", out);
  return out;
}

}  // namespace

TEST(IsoDates, AcceptRealCalendarDatesOnly) {
  EXPECT_TRUE(isIsoDate("2024-02-29"));
  EXPECT_FALSE(isIsoDate("2023-02-29"));
  EXPECT_TRUE(isIsoDate("2000-02-29"));
  EXPECT_FALSE(isIsoDate("1900-02-29"));
  EXPECT_FALSE(isIsoDate("2024-04-31"));
  EXPECT_FALSE(isIsoDate("24-04-01"));
  EXPECT_FALSE(isIsoDate("01-04-2024"));
  EXPECT_FALSE(isIsoDate("2024-04-01T00:00:00"));
  EXPECT_TRUE(isIsoDateTime("2024-04-01T23:59:59"));
  EXPECT_FALSE(isIsoDateTime("2024-04-01 23:59:59"));
  EXPECT_FALSE(isIsoDateTime("2024-04-01T24:00:00"));
  EXPECT_FALSE(isIsoDateTime("2024-04-01T12:00"));
}

TEST(SplitCommaList, TrimsAndDropsEmptyItems) {
  EXPECT_EQ(splitCommaList(" a, b ,,c "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(splitCommaList("").empty());
}

TEST(ValidateRecord, AcceptsAGoodRecordAndDefaultsForRequiredNulls) {
  EXPECT_TRUE(check(goodRecord()).empty());
  Record r = goodRecord();
  r.values[3] = Value{};  // b is required but has a default
  r.values.resize(6);     // trailing fields left out = NULL
  EXPECT_TRUE(check(r).empty());
}

TEST(ValidateRecord, WidthCountsCharactersNotBytes) {
  Record r = goodRecord();
  r.values[0] = std::string("één");  // 3 characters, 5 bytes
  EXPECT_TRUE(check(r).empty());
  r.values[0] = std::string("abcde");
  const auto p = check(r);
  ASSERT_EQ(p.size(), 2u);  // too wide, and not allowed
  EXPECT_NE(p[0].message.find("at most 4 characters"), std::string::npos);
}

TEST(ValidateRecord, ReportsEachWrongValueWithFileRowAndField) {
  Record r = goodRecord();
  r.values[0] = Value{};                            // required
  r.values[1] = std::string("3");                   // not an integer
  r.values[2] = std::nan("");                       // not finite
  r.values[3] = std::int64_t{2};                    // not 0/1
  r.values[4] = std::string("29-02-2024");          // Dutch date, not ISO
  r.values[7] = std::string("signaleren,vliegen");  // one bad item
  const auto p = check(r);
  ASSERT_EQ(p.size(), 6u);
  const char* fields[] = {"code", "n", "x", "b", "d", "lijst"};
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(p[i].where.file, "in.csv");
    EXPECT_EQ(p[i].where.row, 7);
    EXPECT_EQ(p[i].where.field, fields[i]);
  }
  EXPECT_NE(p[5].message.find("'vliegen' is not allowed"), std::string::npos);
  EXPECT_EQ(p[0].str(), "in.csv, row 7, field 'code': a value is required (TEXT)");
}

TEST(ValidateRecord, ObservationWindowMayNotEndBeforeItStarts) {
  Record r = goodRecord();
  r.values[6] = std::string("2024-03-01T23:59:58");
  const auto p = check(r);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].where.field, "waargenomen_tot");
}

TEST(ValidateRecord, ChecksGeometryPresenceKindAndRdBounds) {
  Record r = goodRecord();
  r.geometry.reset();
  EXPECT_EQ(check(r).at(0).where.field, "geometry");
  r.geometry = wkt("LINESTRING (256984 594814, 256990 594820)");
  EXPECT_NE(check(r).at(0).message.find("expected Point"), std::string::npos);
  r.geometry = wkt("POINT (6.93 53.33)");  // lon/lat: not transformed
  EXPECT_NE(check(r).at(0).message.find("outside the Netherlands"), std::string::npos);
  r.geometry = wkt("POINT EMPTY");
  EXPECT_NE(check(r).at(0).message.find("empty"), std::string::npos);
  r.values.push_back(std::string("one too many"));
  r.geometry = wkt("POINT (256984 594814)");
  EXPECT_NE(check(r).at(0).message.find("has 8 fields"), std::string::npos);
}

TEST(ValidationError, ListsAllProblemsAndPointsAtTheFirst) {
  std::vector<Problem> problems;
  for (int i = 0; i < 60; ++i) problems.push_back({{"f.csv", i + 1, "x"}, "bad"});
  ValidationError e(problems);
  EXPECT_EQ(e.problems().size(), 60u);
  EXPECT_EQ(e.where().row, 1);
  const std::string what = e.what();
  EXPECT_NE(what.find("60 problems"), std::string::npos);
  EXPECT_NE(what.find("f.csv, row 50, field 'x': bad"), std::string::npos);
  EXPECT_EQ(what.find("row 51,"), std::string::npos);
  EXPECT_NE(what.find("and 10 more"), std::string::npos);
}
