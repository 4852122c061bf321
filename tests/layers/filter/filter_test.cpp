// The filter language: attack strings refused with a position, schema checks, limits, and the
// rows a filter selects in the store compared with a brute-force evaluation in C++ over records
// built here (fixed seed), NULLs (three-valued logic) and LIKE/ILIKE with % and _ included.
#include "layers/filter/filter.h"
#include "layers/filter/read_guard.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "geo/core/error.h"
#include "layers/analyses/inputs.h"
#include "layers/store/checksum.h"
#include "layers/store/store.h"
#include "tests/layers/store/fixtures.h"

namespace veldwacht::layers {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

/// The message of the OptionError that compiling `text` on `layer` throws ("" if none).
std::string refusal(const std::string& layer, const std::string& text) {
  try {
    compileFilter(layerDef(layer), text);
  } catch (const geo::OptionError& e) {
    EXPECT_EQ(e.option(), "where");
    return e.what();
  }
  return "";
}

TEST(FilterCompile, GivesQuotedSqlAndNormalisedText) {
  const auto f = compileFilter(layerDef("signalen"),
                               "categorie = 'HENNEP' and (status IN ('nieuw','doorgezet') "
                               "or NOT signaal_id LIKE 'S-%')");
  EXPECT_EQ(f.layer(), "signalen");
  EXPECT_EQ(f.text(),
            "categorie = 'HENNEP' AND (status IN ('nieuw', 'doorgezet') OR NOT signaal_id LIKE "
            "'S-%')");
  EXPECT_EQ(f.sql(),
            "((\"categorie\" = 'HENNEP') AND ((\"status\" IN ('nieuw', 'doorgezet')) OR (NOT "
            "(\"signaal_id\" GLOB 'S-*'))))");
}

TEST(FilterCompile, EscapesQuotesAndNormalisesLiterals) {
  const auto f = compileFilter(layerDef("panden"),
                               "\"status\" == 'O''Brien' AND is_schuur = 1 AND bouwjaar != -5 "
                               "AND oppervlakte_m2 >= 1.50 AND status ILIKE 'a_*'");
  EXPECT_EQ(f.text(),
            "status = 'O''Brien' AND is_schuur = TRUE AND bouwjaar <> -5 AND oppervlakte_m2 >= "
            "1.5 AND status ILIKE 'a_*'");
  EXPECT_THAT(f.sql(), HasSubstr("(\"status\" = 'O''Brien')"));
  EXPECT_THAT(f.sql(), HasSubstr("(\"is_schuur\" = 1)"));
  EXPECT_THAT(f.sql(), HasSubstr("\"status\" GLOB '[aA]?[*]'"));
}

// Found by fuzz_filter: -0.e3 printed as "-0", which read back as the integer 0.
TEST(FilterCompile, TheNormalisedTextCompilesToTheSameSql) {
  for (const char* text : {"bouwjaar <> -0.e3", "oppervlakte_m2 = 1e20", "bouwjaar = -0",
                           "oppervlakte_m2 > .5", "oppervlakte_m2 < 3.0"}) {
    const auto f = compileFilter(layerDef("panden"), text);
    EXPECT_EQ(compileFilter(layerDef("panden"), f.text()).sql(), f.sql()) << text;
  }
  EXPECT_EQ(compileFilter(layerDef("panden"), "bouwjaar <> -0.e3").text(), "bouwjaar <> 0");
}

TEST(FilterCompile, DatesAreCheckedAndNormalised) {
  const auto f = compileFilter(layerDef("incidenten"),
                               "datum BETWEEN '2024-02-29' AND DATE '2024-12-31' AND datum <> "
                               "'2024-03-01 10:30'");
  EXPECT_EQ(f.text(),
            "datum BETWEEN DATE '2024-02-29' AND DATE '2024-12-31' AND datum <> DATE "
            "'2024-03-01T10:30:00'");
  EXPECT_THAT(refusal("incidenten", "datum > '2023-02-29'"),
              HasSubstr("position 9: field 'datum' is a date; '2023-02-29' is not a date"));
  EXPECT_THAT(refusal("incidenten", "datum > 20240101"),
              HasSubstr("position 9: field 'datum' is a date (DATE) and cannot be compared"));
}

TEST(FilterCompile, BlankTextIsNoFilter) {
  EXPECT_TRUE(compileFilter(layerDef("signalen"), "").empty());
  EXPECT_TRUE(compileFilter(layerDef("signalen"), "  \t\n").empty());
}

// The strings of issue 7 and their relatives.
TEST(FilterRefuses, FunctionCalls) {
  EXPECT_THAT(refusal("gemeenten", "DisableSpatialIndex('gemeenten','geom') = 1"),
              HasSubstr("position 1: function calls are not allowed ('DisableSpatialIndex(')"));
  EXPECT_THAT(refusal("signalen", "length(randomblob(2000000000)) > 0"),
              HasSubstr("position 1: function calls are not allowed ('length(')"));
  EXPECT_THAT(refusal("signalen", "status = 'nieuw' OR load_extension('/tmp/x.so') IS NULL"),
              HasSubstr("position 21: function calls are not allowed ('load_extension(')"));
  EXPECT_THAT(refusal("signalen", "status = upper ('nieuw')"),
              HasSubstr("position 10: function calls are not allowed ('upper(')"));
}

TEST(FilterRefuses, TextAfterASemicolon) {
  EXPECT_THAT(refusal("signalen", "categorie = 'HENNEP'; status = 'nieuw'"),
              HasSubstr("position 21: ';' is not allowed"));
  EXPECT_THAT(refusal("signalen", "1=1; PRAGMA writable_schema = ON"),
              HasSubstr("position 4: ';' is not allowed"));
  EXPECT_THAT(refusal("signalen", "PRAGMA writable_schema = ON"),
              HasSubstr("position 1: 'PRAGMA' is not allowed"));
}

TEST(FilterRefuses, SubqueriesAndRecursiveQueries) {
  EXPECT_THAT(refusal("signalen",
                      "signaal_id IN (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 "
                      "FROM c) SELECT x FROM c)"),
              HasSubstr("position 16: subqueries are not allowed"));
  EXPECT_THAT(refusal("signalen", "(SELECT 1) = 1"),
              HasSubstr("position 2: subqueries are not allowed"));
  EXPECT_THAT(refusal("signalen", "EXISTS (SELECT 1)"), HasSubstr("position 1: function calls"));
  EXPECT_THAT(refusal("signalen", "status = 'a' -- comment"),
              HasSubstr("position 14: comments ('--') are not allowed"));
  EXPECT_THAT(refusal("signalen", "status = 'a' || 'b'"),
              HasSubstr("position 14: unexpected character '|': a filter has no arithmetic"));
}

TEST(FilterRefuses, UnknownFieldsNamingTheLayersFields) {
  const std::string m = refusal("bedrijventerreinen", "no_such_field = 1");
  EXPECT_THAT(m, HasSubstr("position 1: unknown field 'no_such_field' in bedrijventerreinen "
                           "(fields: rin_nummer, plan_naam, gem_codes"));
  EXPECT_THAT(refusal("signalen", "geom IS NULL"), HasSubstr("unknown field 'geom'"));
}

TEST(FilterRefuses, TypeMismatches) {
  EXPECT_THAT(refusal("panden", "bouwjaar = 'abc'"),
              HasSubstr("position 12: field 'bouwjaar' is a number (INTEGER) and cannot be "
                        "compared with text 'abc'"));
  EXPECT_THAT(refusal("panden", "status > 3"),
              HasSubstr("position 10: field 'status' is text (TEXT) and cannot be compared with "
                        "the number 3"));
  EXPECT_THAT(refusal("panden", "is_schuur = 2"), HasSubstr("compare it with 0, 1, TRUE or FALSE"));
  EXPECT_THAT(refusal("panden", "bouwjaar LIKE '19%'"), HasSubstr("LIKE needs a text field"));
  EXPECT_THAT(refusal("panden", "status = bouwjaar"),
              HasSubstr("cannot be compared with field 'bouwjaar'"));
  EXPECT_THAT(refusal("panden", "1 = 1"), HasSubstr("position 1: a comparison needs a field"));
  EXPECT_THAT(refusal("panden", "status = NULL"), HasSubstr("position 10: NULL is not a value"));
  EXPECT_THAT(refusal("panden", "status IN ('a', bag_id)"),
              HasSubstr("position 17: an IN list holds values, not fields"));
}

TEST(FilterRefuses, SyntaxErrorsWithTheirPosition) {
  EXPECT_THAT(refusal("panden", "status = 'open"), HasSubstr("position 10: the text starting "
                                                             "here has no closing quote"));
  EXPECT_THAT(refusal("panden", "(status = 'a'"), HasSubstr("position 14: expected ')' to close "
                                                            "the '(' at position 1"));
  EXPECT_THAT(refusal("panden", "status = 'a')"), HasSubstr("position 13: ')' without"));
  EXPECT_THAT(refusal("panden", "status"), HasSubstr("the filter ends after field 'status'"));
  EXPECT_THAT(refusal("panden", "status = 'a' AND"), HasSubstr("position 17: the filter ends"));
  EXPECT_THAT(refusal("panden", "bouwjaar = 99999999999999999999"),
              HasSubstr("position 12: the number 99999999999999999999 is too large"));
  EXPECT_THAT(refusal("panden", "oppervlakte_m2 < 1e999"), HasSubstr("out of range"));
  EXPECT_THAT(refusal("panden", "bouwjaar = 12abc"), HasSubstr("after a number"));
}

TEST(FilterRefuses, TextOverTheLimits) {
  std::string longText = "status = '" + std::string(4090, 'x') + "'";
  EXPECT_THAT(refusal("panden", longText),
              HasSubstr("position 4097: the filter is longer than 4096 characters"));
  std::string deep = std::string(65, '(') + "status = 'a'" + std::string(65, ')');
  EXPECT_THAT(refusal("panden", deep), HasSubstr("position 65: the filter nests deeper than 64"));
  std::string deepNot;
  for (int k = 0; k < 65; ++k) deepNot += "NOT ";
  EXPECT_THAT(refusal("panden", deepNot + "status = 'a'"), HasSubstr("nests deeper than 64"));
  std::string ok = std::string(64, '(') + "status = 'a'" + std::string(64, ')');
  EXPECT_NO_THROW(compileFilter(layerDef("panden"), ok));

  FilterLimits small;
  small.maxInList = 3;
  EXPECT_NO_THROW(compileFilter(layerDef("panden"), "bouwjaar IN (1, 2, 3)", "where", small));
  try {
    compileFilter(layerDef("panden"), "bouwjaar IN (1, 2, 3, 4)", "mask-where", small);
    FAIL() << "a list over the limit was accepted";
  } catch (const geo::OptionError& e) {
    EXPECT_EQ(e.option(), "mask-where");
    EXPECT_THAT(e.what(), HasSubstr("position 23: an IN list holds at most 3 values"));
  }
}

// ---- the store: attacks change nothing; filters select what brute force selects ----

std::unique_ptr<Store> storeWithGemeenten(const std::string& path) {
  auto store = Store::create(path);
  auto batches = testing::batchList(testing::batchOf(layerDef("gemeenten"), 0, 3));
  store->append(batches);
  return store;
}

TEST(FilterStore, AttacksAreRefusedAndTheStoreIsUnchanged) {
  TempDir dir;
  const std::string path = dir.file("s.gpkg");
  storeWithGemeenten(path).reset();
  const std::string before = fileSha256(path);
  const std::vector<std::string> attacks = {
      "DisableSpatialIndex('gemeenten','geom') = 1",
      "code = 'gem-1'; naam = 'x'",
      "code IN (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT x FROM c)",
      "length(randomblob(1000000000)) > 0",
      "load_extension('mod_spatialite') IS NULL",
      "1=1; PRAGMA writable_schema = ON",
  };
  for (const auto& a : attacks) {
    auto store = Store::open(path, true);
    try {
      readPolygons(*store, "gemeenten", a);
      ADD_FAILURE() << "accepted: " << a;
    } catch (const geo::OptionError& e) {
      EXPECT_THAT(e.what(), HasSubstr("position ")) << a;
    }
  }
  EXPECT_EQ(fileSha256(path), before);
  auto store = Store::open(path, false);
  const auto rtree =
      store->query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'rtree_gemeenten_geom'");
  EXPECT_EQ(rtree.at(0).at(0).value_or(""), "1");
}

TEST(FilterStore, TheReadGuardLetsTheConnectionOnlyRead) {
  TempDir dir;
  const std::string path = dir.file("s.gpkg");
  storeWithGemeenten(path).reset();
  const std::string before = fileSha256(path);
  {
    auto store = Store::open(path, true);
    {
      SqliteReadGuard guard(store->dataset());
      EXPECT_EQ(store->query("SELECT COUNT(*) FROM gemeenten").at(0).at(0).value_or(""), "3");
      EXPECT_THROW(store->query("SELECT randomblob(100) FROM gemeenten"), geo::Error);
      EXPECT_EQ(guard.denied(), "function randomblob");
      EXPECT_THROW(store->executeSql("DELETE FROM gemeenten"), geo::Error);
      EXPECT_THROW(store->executeSql("PRAGMA writable_schema = ON"), geo::Error);
      EXPECT_THROW(store->query("SELECT DisableSpatialIndex('gemeenten', 'geom')"), geo::Error);
    }
    // Removed again: the store writes as before.
    EXPECT_EQ(store->query("SELECT length(randomblob(4))").at(0).at(0).value_or(""), "4");
  }
  EXPECT_EQ(fileSha256(path), before);
}

// Filtered reads cannot run away (issue 7): SQLite's progress handler obeys cancel, a time
// limit and a memory limit while a filtered query runs; the connection is as before afterwards.
constexpr int kVabRows = 3000;

std::unique_ptr<Store> storeWithVab(const std::string& path) {
  {
    auto store = Store::create(path);
    auto batches = testing::batchList(testing::batchOf(layerDef("vab"), 0, kVabRows));
    store->append(batches);
  }
  return Store::open(path, true);  // a cold page cache
}

/// Cancelled from the n-th time it is asked on: a Ctrl-C that arrives while the read runs.
class CancelAfter final : public geo::Progress {
 public:
  explicit CancelAfter(int n) : n_(n) {}
  void setFraction(double) override {}
  bool isCancelled() const override { return ++asked_ >= n_; }
  int asked() const { return asked_; }

 private:
  int n_;
  mutable int asked_ = 0;
};

/// The connection reads everything and writes again once a stopped read is over.
void expectConnectionAsBefore(Store& store, const FilterSql& all) {
  store.setReadLimits({});
  EXPECT_EQ(store.read("vab", all).size(), std::size_t(kVabRows));
  auto more = testing::batchList(testing::batchOf(layerDef("vab"), kVabRows, 1));
  EXPECT_NO_THROW(store.append(more));  // query_only was lifted again
  EXPECT_EQ(store.read("vab", all).size(), std::size_t(kVabRows + 1));
}

TEST(FilterReadLimits, ATimeLimitStopsAFilteredReadWithAClearMessage) {
  TempDir dir;
  auto store = storeWithVab(dir.file("s.gpkg"));
  const auto all = compileFilter(layerDef("vab"), "vab_id LIKE 'vab-%'");
  EXPECT_EQ(store->read("vab", all).size(), std::size_t(kVabRows));  // default limits: all rows
  ReadLimits tight;
  tight.seconds = 1e-9;  // over at the first check, after kProgressSteps VM steps
  store->setReadLimits(tight);
  try {
    store->read("vab", all);
    ADD_FAILURE() << "not stopped";
  } catch (const geo::CancelledError&) {
    ADD_FAILURE() << "a time limit is not a cancel";
  } catch (const geo::Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("the filter on 'vab' was stopped after"));
    EXPECT_THAT(e.what(), HasSubstr("a filtered read may take at most 1e-09 s"));
  }
  // An unfiltered read is not a user filter: no limit applies.
  EXPECT_EQ(store->read("vab").size(), std::size_t(kVabRows));
  expectConnectionAsBefore(*store, all);
}

TEST(FilterReadLimits, ACancelDuringAFilteredReadStopsIt) {
  TempDir dir;
  auto store = storeWithVab(dir.file("s.gpkg"));
  const auto all = compileFilter(layerDef("vab"), "vab_id LIKE 'vab-%'");
  CancelAfter cancel(3);  // not cancelled when the read starts; Ctrl-C arrives during it
  ReadLimits limits;
  limits.progress = &cancel;
  store->setReadLimits(limits);
  EXPECT_THROW(store->read("vab", all), geo::CancelledError);
  EXPECT_EQ(cancel.asked(), 3);  // stopped at once, not at the end of the table
  expectConnectionAsBefore(*store, all);
}

TEST(FilterReadLimits, AMemoryLimitStopsAFilteredRead) {
  TempDir dir;
  auto store = storeWithVab(dir.file("s.gpkg"));
  const auto all = compileFilter(layerDef("vab"), "vab_id LIKE 'vab-%'");
  ReadLimits small;
  small.memoryBytes = 64 << 10;  // the pages of 3000 rows do not fit in SQLite's cache
  store->setReadLimits(small);
  try {
    store->read("vab", all);
    ADD_FAILURE() << "not stopped";
  } catch (const geo::Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("the filter on 'vab' was stopped: it needed more than 0.1 MB"));
  }
  expectConnectionAsBefore(*store, all);
}

TEST(FilterReadLimits, TheGuardStopsAQueryThatWouldRunForHours) {
  // Defence in depth: a three-way cross join (2.7e10 rows) passes the authorizer (it only
  // reads); the time limit stops it.
  TempDir dir;
  auto store = storeWithVab(dir.file("s.gpkg"));
  ReadLimits limits;
  limits.seconds = 0.2;
  const auto t0 = std::chrono::steady_clock::now();
  {
    SqliteReadGuard guard(store->dataset(), limits);
    EXPECT_THROW(store->query("SELECT COUNT(*) FROM vab a, vab b, vab c"), geo::Error);
    EXPECT_EQ(guard.stopped(), SqliteReadGuard::Stop::TimeLimit);
    EXPECT_THROW(guard.throwIfStopped("vab"), geo::Error);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(seconds, 30.0);  // generous for a loaded machine; unstopped it takes hours
  EXPECT_EQ(store->query("SELECT COUNT(*) FROM vab").at(0).at(0).value_or(""),
            std::to_string(kVabRows));
}

TEST(FilterReadLimits, LimitsOutsideTheirRangeAreRefused) {
  auto refused = [](double seconds, std::int64_t bytes) {
    ReadLimits l;
    l.seconds = seconds;
    l.memoryBytes = bytes;
    try {
      l.validate();
    } catch (const geo::OptionError& e) {
      return e.option();
    }
    return std::string();
  };
  EXPECT_EQ(refused(600, 1 << 30), "");
  EXPECT_EQ(refused(0, 1 << 30), "read-seconds");
  EXPECT_EQ(refused(-1, 1 << 30), "read-seconds");
  EXPECT_EQ(refused(std::nan(""), 1 << 30), "read-seconds");
  EXPECT_EQ(refused(1e9, 1 << 30), "read-seconds");
  EXPECT_EQ(refused(600, 0), "read-memory");
  EXPECT_EQ(refused(600, -5), "read-memory");
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  ReadLimits bad;
  bad.seconds = 0;
  EXPECT_THROW(store->setReadLimits(bad), geo::OptionError);
  EXPECT_EQ(store->readLimits().seconds, ReadLimits{}.seconds);  // unchanged
}

TEST(FilterStore, AFilterMadeForAnotherLayerIsRefused) {
  TempDir dir;
  auto store = storeWithGemeenten(dir.file("s.gpkg"));
  const auto f = compileFilter(layerDef("wijken"), "code = 'x'");
  EXPECT_THROW(store->read("gemeenten", f), geo::Error);
}

TEST(FilterStore, PointInputRecordsTheNormalisedFilter) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  auto batches = testing::batchList(testing::batchOf(layerDef("vab"), 0, 5));
  store->append(batches);
  PointSelection sel;
  sel.layer = "vab";
  sel.where = "vab_id in ('vab-1','vab-3')   or vab_id='vab-4'";
  const auto in = readPoints(*store, sel);
  EXPECT_EQ(in.size(), 3u);
  EXPECT_EQ(in.where, "vab_id IN ('vab-1', 'vab-3') OR vab_id = 'vab-4'");
}

// Brute force: an evaluator written here, independent of the parser.
enum Tri { kFalse = 0, kTrue = 1, kUnknown = 2 };
Tri triNot(Tri a) { return a == kUnknown ? kUnknown : a == kTrue ? kFalse : kTrue; }
Tri triAnd(Tri a, Tri b) {
  if (a == kFalse || b == kFalse) return kFalse;
  return a == kTrue && b == kTrue ? kTrue : kUnknown;
}
Tri triOr(Tri a, Tri b) {
  if (a == kTrue || b == kTrue) return kTrue;
  return a == kFalse && b == kFalse ? kFalse : kUnknown;
}
Tri tri(bool b) { return b ? kTrue : kFalse; }

std::vector<std::u32string::value_type> codePoints(const std::string& s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : c & (0x3F >> (n - 1));
    for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += static_cast<std::size_t>(n);
  }
  return out;
}

bool likeMatch(const std::string& value, const std::string& pattern, bool ci) {
  auto v = codePoints(value), p = codePoints(pattern);
  auto fold = [&](char32_t c) { return ci && c < 0x80 ? char32_t(std::tolower(int(c))) : c; };
  // dp[i][j]: v[0..i) matches p[0..j)
  std::vector<std::vector<char>> dp(v.size() + 1, std::vector<char>(p.size() + 1, 0));
  dp[0][0] = 1;
  for (std::size_t j = 1; j <= p.size(); ++j) dp[0][j] = dp[0][j - 1] && p[j - 1] == U'%';
  for (std::size_t i = 1; i <= v.size(); ++i)
    for (std::size_t j = 1; j <= p.size(); ++j) {
      if (p[j - 1] == U'%')
        dp[i][j] = dp[i - 1][j] || dp[i][j - 1];
      else if (p[j - 1] == U'_' || fold(p[j - 1]) == fold(v[i - 1]))
        dp[i][j] = dp[i - 1][j - 1];
    }
  return dp[v.size()][p.size()];
}

struct Row {
  std::string bagId;
  std::optional<std::int64_t> bouwjaar, aantal, schuur;
  std::optional<double> opp;
  std::optional<std::string> status;
};

struct Gen {
  std::string text;
  std::function<Tri(const Row&)> eval;
};

class FilterGenerator {
 public:
  explicit FilterGenerator(unsigned seed) : rng_(seed) {}

  Gen expr(int depth) {
    const int choice = depth >= 3 ? 0 : pick(5);
    if (choice <= 1) return atom();
    if (choice == 2) {
      Gen a = expr(depth + 1);
      return {kw("NOT") + " (" + a.text + ")", [f = a.eval](const Row& r) { return triNot(f(r)); }};
    }
    Gen a = expr(depth + 1), b = expr(depth + 1);
    if (choice == 3)
      return {"(" + a.text + ") " + kw("AND") + " (" + b.text + ")",
              [f = a.eval, g = b.eval](const Row& r) { return triAnd(f(r), g(r)); }};
    return {"(" + a.text + ") " + kw("OR") + " (" + b.text + ")",
            [f = a.eval, g = b.eval](const Row& r) { return triOr(f(r), g(r)); }};
  }

  static const std::vector<std::string>& statuses() {
    static const std::vector<std::string> s = {"Pand in gebruik",
                                               "pand in gebruik",
                                               "Sloop_gepland",
                                               "50% klaar",
                                               "a*b?c[d]",
                                               "Émile é",
                                               "x",
                                               "PAND",
                                               "O'Brien"};
    return s;
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  std::string kw(const std::string& k) {
    if (pick(2)) return k;
    std::string l = k;
    for (auto& c : l) c = char(std::tolower(c));
    return l;
  }
  static std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
    return q + "'";
  }
  template <class T>
  static Tri compare(const std::optional<T>& v, const std::string& op, const T& lit) {
    if (!v) return kUnknown;
    if (op == "=" || op == "==") return tri(*v == lit);
    if (op == "!=" || op == "<>") return tri(*v != lit);
    if (op == "<") return tri(*v < lit);
    if (op == "<=") return tri(*v <= lit);
    if (op == ">") return tri(*v > lit);
    return tri(*v >= lit);
  }
  std::string op() {
    static const char* ops[] = {"=", "==", "!=", "<>", "<", "<=", ">", ">="};
    return ops[pick(8)];
  }

  Gen atom() {
    switch (pick(10)) {
      case 0: {
        const std::string o = op();
        const std::int64_t lit = 1940 + pick(80);
        return {"bouwjaar " + o + " " + std::to_string(lit),
                [o, lit](const Row& r) { return compare(r.bouwjaar, o, lit); }};
      }
      case 1: {
        const std::string o = op();
        const double lit = 10 + 0.25 * pick(400);
        return {"oppervlakte_m2 " + o + " " + fmtDouble(lit),
                [o, lit](const Row& r) { return compare(r.opp, o, lit); }};
      }
      case 2: {
        const std::string o = op();
        const std::string lit = statuses()[static_cast<std::size_t>(pick(9))];
        return {"\"status\" " + o + " " + quote(lit),
                [o, lit](const Row& r) { return compare(r.status, o, lit); }};
      }
      case 3: {
        const bool t = pick(2);
        const std::string lit = pick(2) ? (t ? "TRUE" : "FALSE") : (t ? "1" : "0");
        return {"is_schuur = " + lit,
                [t](const Row& r) { return r.schuur ? tri(*r.schuur == (t ? 1 : 0)) : kUnknown; }};
      }
      case 4: {
        const bool neg = pick(2);
        std::vector<std::int64_t> lits;
        std::string text = std::string("aantal_verblijfsobjecten ") + (neg ? "NOT IN (" : "IN (");
        for (int k = 0, n = 1 + pick(4); k < n; ++k) {
          lits.push_back(pick(6));
          text += (k ? ", " : "") + std::to_string(lits.back());
        }
        return {text + ")", [neg, lits](const Row& r) {
                  if (!r.aantal) return kUnknown;
                  const bool in = std::find(lits.begin(), lits.end(), *r.aantal) != lits.end();
                  return tri(in != neg);
                }};
      }
      case 5: {
        static const std::vector<std::string> patterns = {
            "pand%", "%gebruik", "_and%", "%\xC3\x89%", "%_%", "50%",           "a*b?c[d]", "%[%",
            "%a%",   "x",        "_",     "%",          "%'%", "Sloop_gepland", "%é"};
        const std::string p = patterns[static_cast<std::size_t>(pick(int(patterns.size())))];
        const bool ci = pick(2), neg = pick(2);
        return {std::string("status ") + (neg ? "NOT " : "") + (ci ? "ILIKE " : "LIKE ") + quote(p),
                [p, ci, neg](const Row& r) {
                  if (!r.status) return kUnknown;
                  return tri(likeMatch(*r.status, p, ci) != neg);
                }};
      }
      case 6: {
        const std::int64_t lo = 1940 + pick(80), hi = lo + pick(40) - 10;
        const bool neg = pick(2);
        return {"bouwjaar " + std::string(neg ? "NOT " : "") + "BETWEEN " + std::to_string(lo) +
                    " AND " + std::to_string(hi),
                [lo, hi, neg](const Row& r) {
                  if (!r.bouwjaar) return kUnknown;
                  return tri((*r.bouwjaar >= lo && *r.bouwjaar <= hi) != neg);
                }};
      }
      case 7: {
        const bool neg = pick(2);
        const int which = pick(5);
        static const char* names[] = {"bouwjaar", "oppervlakte_m2", "status", "is_schuur",
                                      "aantal_verblijfsobjecten"};
        return {std::string(names[which]) + (neg ? " IS NOT NULL" : " IS NULL"),
                [neg, which](const Row& r) {
                  const bool null = which == 0   ? !r.bouwjaar
                                    : which == 1 ? !r.opp
                                    : which == 2 ? !r.status
                                    : which == 3 ? !r.schuur
                                                 : !r.aantal;
                  return tri(null != neg);
                }};
      }
      case 8: {
        const bool neg = pick(2);
        std::vector<std::string> lits;
        std::string text = std::string("status ") + (neg ? "NOT IN (" : "IN (");
        for (int k = 0, n = 1 + pick(3); k < n; ++k) {
          lits.push_back(statuses()[static_cast<std::size_t>(pick(9))]);
          text += (k ? ", " : "") + quote(lits.back());
        }
        return {text + ")", [neg, lits](const Row& r) {
                  if (!r.status) return kUnknown;
                  const bool in = std::find(lits.begin(), lits.end(), *r.status) != lits.end();
                  return tri(in != neg);
                }};
      }
      default: {
        const std::string o = op();
        return {"bouwjaar " + o + " aantal_verblijfsobjecten", [o](const Row& r) {
                  if (!r.aantal) return kUnknown;
                  return compare(r.bouwjaar, o, *r.aantal);
                }};
      }
    }
  }

  static std::string fmtDouble(double d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", d);
    return buf;
  }

  std::mt19937 rng_;
};

TEST(FilterStore, SelectsTheRowsThatBruteForceSelects) {
  TempDir dir;
  const LayerDef& panden = layerDef("panden");
  std::mt19937 rng(20261205);
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  ImportBatch batch = testing::batchOf(panden, 0, 0);
  std::vector<Row> rows;
  for (int i = 0; i < 200; ++i) {
    Record rec = testing::fullRecord(panden, i);
    Row row;
    row.bagId = "0000000000" + std::to_string(100000 + i);
    testing::field(rec, panden, "bag_id") = row.bagId;
    if (pick(5)) row.bouwjaar = 1940 + pick(80);
    if (pick(5)) row.aantal = pick(6);
    if (pick(5)) row.schuur = pick(2);
    if (pick(5)) row.opp = 10 + 0.25 * pick(400);
    if (pick(5)) row.status = FilterGenerator::statuses()[static_cast<std::size_t>(pick(9))];
    auto set = [&](const char* name, const auto& v) {
      testing::field(rec, panden, name) = v ? Value(*v) : Value();
    };
    set("bouwjaar", row.bouwjaar);
    set("aantal_verblijfsobjecten", row.aantal);
    set("is_schuur", row.schuur);
    set("oppervlakte_m2", row.opp);
    set("status", row.status);
    batch.records.push_back(std::move(rec));
    rows.push_back(row);
  }
  auto store = Store::create(dir.file("s.gpkg"));
  std::vector<ImportBatch> batches;
  batches.push_back(std::move(batch));
  store->append(batches);

  FilterGenerator gen(7);
  int nonEmpty = 0, notAll = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const Gen g = gen.expr(0);
    SCOPED_TRACE(g.text);
    const FilterSql f = compileFilter(panden, g.text);
    EXPECT_EQ(f.sql().find(';'), std::string::npos);
    std::set<std::string> expected, got;
    for (const auto& r : rows)
      if (g.eval(r) == kTrue) expected.insert(r.bagId);
    for (const auto& rec : store->read("panden", f))
      got.insert(std::get<std::string>(rec.values[panden.fieldIndex("bag_id")]));
    EXPECT_EQ(got, expected);
    // The normalised text is itself a filter that selects the same rows.
    const FilterSql again = compileFilter(panden, f.text());
    EXPECT_EQ(again.sql(), f.sql());
    nonEmpty += !expected.empty();
    notAll += expected.size() < rows.size();
  }
  // The generator is not degenerate: filters select some, but not all, rows.
  EXPECT_GT(nonEmpty, 100);
  EXPECT_GT(notAll, 100);
}

}  // namespace
}  // namespace veldwacht::layers
