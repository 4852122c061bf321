#include "geo/privacy/suppression.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <set>

#include "geo/core/error.h"
#include "tests/geo/expect_error.h"

using namespace veldwacht::geo;

namespace {

/// Fills in the margins of an r x c table laid out as tableTotals() expects.
std::vector<std::int64_t> withMargins(const std::vector<std::vector<std::int64_t>>& inner) {
  const std::size_t r = inner.size(), c = inner[0].size();
  std::vector<std::int64_t> v(r * c + r + c + 1, 0);
  for (std::size_t i = 0; i < r; ++i)
    for (std::size_t j = 0; j < c; ++j) {
      v[i * c + j] = inner[i][j];
      v[r * c + i] += inner[i][j];
      v[r * c + r + j] += inner[i][j];
      v[r * c + r + c] += inner[i][j];
    }
  return v;
}

std::set<std::uint32_t> cellsWith(const SuppressionResult& res, CellStatus s) {
  std::set<std::uint32_t> out;
  for (std::size_t i = 0; i < res.status.size(); ++i)
    if (res.status[i] == s) out.insert(std::uint32_t(i));
  return out;
}

/// The attacker of the tests: every non-negative integer assignment of the suppressed cells that
/// agrees with everything published, by exhaustive search (forced values propagated, free ones
/// enumerated within the bounds the known totals leave). Returns, per cell, the values seen.
class BruteForceAttacker {
 public:
  BruteForceAttacker(std::span<const std::int64_t> counts, std::span<const LinearTotal> totals,
                     const SuppressionResult& res)
      : totals_(totals.begin(), totals.end()), feasible_(counts.size()) {
    for (std::size_t i = 0; i < counts.size(); ++i)
      if (!res.suppressed(i))
        known_.push_back(counts[i]);
      else
        known_.push_back(std::nullopt);
    maxValue_ = *std::max_element(counts.begin(), counts.end());
  }

  std::vector<std::set<std::int64_t>> run() {
    search(known_, 0);
    return feasible_;
  }
  std::size_t solutions() const { return solutions_; }

 private:
  using Values = std::vector<std::optional<std::int64_t>>;

  /// Assigns forced values; false on a contradiction.
  bool propagate(Values& v) const {
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& rel : totals_) {
        std::int64_t members = 0;
        std::int64_t unknownMembers = 0;
        std::uint32_t lastUnknown = 0;
        for (auto m : rel.members) {
          if (v[m])
            members += *v[m];
          else
            ++unknownMembers, lastUnknown = m;
        }
        const auto& t = v[rel.total];
        if (t && unknownMembers == 0) {
          if (*t != members) return false;
        } else if (t && unknownMembers == 1) {
          if (*t - members < 0) return false;
          v[lastUnknown] = *t - members;
          changed = true;
        } else if (!t && unknownMembers == 0) {
          v[rel.total] = members;
          changed = true;
        } else if (t && members > *t) {
          return false;
        }
      }
    }
    return true;
  }

  void search(Values v, int depth) {
    if (!propagate(v)) return;
    const auto it = std::find(v.begin(), v.end(), std::nullopt);
    if (it == v.end()) {
      ++solutions_;
      for (std::size_t i = 0; i < v.size(); ++i)
        if (!known_[i]) feasible_[i].insert(*v[i]);
      return;
    }
    ASSERT_LT(depth, 12) << "too many degrees of freedom for the brute force";
    // Branch on the free cell with the tightest upper bound from a known total.
    std::size_t branch = std::size_t(it - v.begin());
    std::int64_t branchUpper = maxValue_ + 1;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (v[i]) continue;
      const std::int64_t ub = upperBound(v, std::uint32_t(i));
      if (ub < branchUpper) branch = i, branchUpper = ub;
    }
    for (std::int64_t x = 0; x <= branchUpper; ++x) {
      Values next = v;
      next[branch] = x;
      search(std::move(next), depth + 1);
    }
  }

  /// The least of (known total - known members) over the relations where `cell` is a member.
  std::int64_t upperBound(const Values& v, std::uint32_t cell) const {
    std::int64_t ub = maxValue_;
    for (const auto& rel : totals_) {
      if (!v[rel.total] ||
          std::find(rel.members.begin(), rel.members.end(), cell) == rel.members.end())
        continue;
      std::int64_t rest = *v[rel.total];
      for (auto m : rel.members)
        if (v[m]) rest -= *v[m];
      ub = std::min(ub, rest);
    }
    return ub;
  }

  std::vector<LinearTotal> totals_;
  Values known_;
  std::int64_t maxValue_ = 0;
  std::vector<std::set<std::int64_t>> feasible_;
  std::size_t solutions_ = 0;
};

/// Suppressed cells that the brute-force attacker pins to one value.
std::vector<std::uint32_t> pinnedCells(std::span<const std::int64_t> counts,
                                       std::span<const LinearTotal> totals,
                                       const SuppressionResult& res) {
  BruteForceAttacker attacker(counts, totals, res);
  const auto feasible = attacker.run();
  std::vector<std::uint32_t> pinned;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (!res.suppressed(i)) continue;
    EXPECT_TRUE(feasible[i].count(counts[i])) << "the truth must be feasible, cell " << i;
    if (feasible[i].size() < 2) pinned.push_back(std::uint32_t(i));
  }
  return pinned;
}

void expectNoCellPinned(std::span<const std::int64_t> counts, std::span<const LinearTotal> totals,
                        const SuppressionResult& res, const std::string& label) {
  EXPECT_EQ(pinnedCells(counts, totals, res), std::vector<std::uint32_t>{}) << label;
}

}  // namespace

TEST(Suppression, SmallCountsArePrimaryZeroAndLargeArePublished) {
  const std::vector<std::int64_t> counts{0, 1, 4, 5, 12};
  const auto res = suppressSmallCounts(counts, {}, {});
  EXPECT_EQ(cellsWith(res, CellStatus::Primary), (std::set<std::uint32_t>{1, 2}));
  EXPECT_EQ(res.complementary, 0u);
  const auto withZero = suppressSmallCounts(counts, {}, {.k = 5, .suppressZero = true});
  EXPECT_EQ(cellsWith(withZero, CellStatus::Primary), (std::set<std::uint32_t>{0, 1, 2}));
}

TEST(Suppression, TableByHandSuppressesAFourCycle) {
  // 3 10 12 | 25
  // 8  9 20 | 37
  // 11 19 32 | 62
  const auto counts = withMargins({{3, 10, 12}, {8, 9, 20}});
  const auto totals = tableTotals(2, 3);
  const auto res = suppressSmallCounts(counts, totals, {});
  EXPECT_EQ(cellsWith(res, CellStatus::Primary), (std::set<std::uint32_t>{0}));
  // Row 0 takes 10, column 0 takes 8, then row 1 takes its smallest, 9: a 4-cycle.
  EXPECT_EQ(cellsWith(res, CellStatus::Complementary), (std::set<std::uint32_t>{1, 3, 4}));
  EXPECT_TRUE(determinedCells(counts.size(), totals, res.status).empty());
  expectNoCellPinned(counts, totals, res, "2x3");
  // Primary suppression alone gives the 3 away: 25 - 10 - 12.
  SuppressionResult primaryOnly;
  primaryOnly.status.assign(counts.size(), CellStatus::Published);
  primaryOnly.status[0] = CellStatus::Primary;
  EXPECT_EQ(pinnedCells(counts, totals, primaryOnly), (std::vector<std::uint32_t>{0}));
  EXPECT_EQ(determinedCells(counts.size(), totals, primaryOnly.status),
            (std::vector<std::uint32_t>{0}));
}

TEST(Suppression, HierarchyBuurtWijkGemeenteByHand) {
  // cells: 0 gemeente; 1 wijk A, 2 wijk B, 3 wijk C; buurten 4,5,6 in A; 7,8 in B; 9 in C.
  const std::vector<std::int32_t> parent{-1, 0, 0, 0, 1, 1, 1, 2, 2, 3};
  const std::vector<std::int64_t> counts{40, 18, 18, 4, 2, 7, 9, 6, 12, 4};
  const auto totals = hierarchyTotals(parent);
  ASSERT_EQ(totals.size(), 4u);
  const auto res = suppressSmallCounts(counts, totals, {});
  // Primary: wijk C (4), buurt 4 (2), buurt 9 (4). The gemeente would give wijk C away, so the
  // smaller of A and B goes (18 = 18: A, the lower index). Then wijk A holds two suppressed
  // cells (A and buurt 4), C holds two, and A - b4 = 16, A + C = 22, C = b9 leave one degree of
  // freedom through all four: nothing more is needed.
  EXPECT_EQ(cellsWith(res, CellStatus::Primary), (std::set<std::uint32_t>{3, 4, 9}));
  EXPECT_EQ(cellsWith(res, CellStatus::Complementary), (std::set<std::uint32_t>{1}));
  expectNoCellPinned(counts, totals, res, "hierarchy");
}

TEST(Suppression, LinearAttackFindsABridgeBetweenTwoCycles) {
  // 4x4 table: a protected cycle on rows 0-1 x cols 0-1, one on rows 2-3 x cols 2-3, and a
  // bridge cell (1, 2). Every row and column has >= 2 suppressed cells, yet the bridge is fixed.
  const auto counts = withMargins({{6, 7, 9, 9}, {8, 6, 3, 9}, {9, 9, 6, 7}, {9, 9, 8, 6}});
  const auto totals = tableTotals(4, 4);
  std::vector<CellStatus> status(counts.size(), CellStatus::Published);
  for (std::uint32_t c : {0u, 1u, 4u, 5u, 6u, 10u, 11u, 14u, 15u})
    status[c] = CellStatus::Complementary;
  EXPECT_EQ(determinedCells(counts.size(), totals, status), (std::vector<std::uint32_t>{6}));
  SuppressionResult bridged;
  bridged.status = status;
  EXPECT_EQ(pinnedCells(counts, totals, bridged), (std::vector<std::uint32_t>{6}));
  // The full method never leaves such a bridge.
  const auto res = suppressSmallCounts(counts, totals, {});
  EXPECT_TRUE(res.suppressed(6));
  EXPECT_TRUE(determinedCells(counts.size(), totals, res.status).empty());
  expectNoCellPinned(counts, totals, res, "4x4 bridge");
}

TEST(Suppression, BruteForceAttackerPinsNothingInRandomTables) {
  std::mt19937_64 rng(20261205);
  std::uniform_int_distribution<int> value(0, 9);
  std::size_t suppressedCells = 0;
  for (int trial = 0; trial < 40; ++trial) {
    const std::size_t r = 2 + trial % 2, c = 2 + (trial / 2) % 3;
    std::vector<std::vector<std::int64_t>> inner(r, std::vector<std::int64_t>(c));
    for (auto& row : inner)
      for (auto& x : row) x = value(rng) + (value(rng) > 5 ? 6 : 0);
    const auto counts = withMargins(inner);
    const auto totals = tableTotals(r, c);
    const auto res = suppressSmallCounts(counts, totals, {});
    suppressedCells += res.primary + res.complementary;
    EXPECT_TRUE(res.warnings.empty()) << "trial " << trial;
    expectNoCellPinned(counts, totals, res, "table trial " + std::to_string(trial));
  }
  EXPECT_GT(suppressedCells, 100u);  // the trials did exercise suppression
}

TEST(Suppression, BruteForceAttackerPinsNothingInRandomHierarchies) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> value(0, 12);
  for (int trial = 0; trial < 40; ++trial) {
    // gemeente 0, 2..3 wijken, 1..3 buurten each
    std::vector<std::int32_t> parent{-1};
    const int wijken = 2 + trial % 2;
    std::vector<std::int32_t> wijkIndex;
    for (int w = 0; w < wijken; ++w) {
      wijkIndex.push_back(std::int32_t(parent.size()));
      parent.push_back(0);
    }
    for (int w = 0; w < wijken; ++w)
      for (int b = 0, nb = 1 + (trial + w) % 3; b < nb; ++b) parent.push_back(wijkIndex[w]);
    std::vector<std::int64_t> counts(parent.size(), 0);
    for (std::size_t i = parent.size(); i-- > 0;) {
      bool leaf = std::find(parent.begin(), parent.end(), std::int32_t(i)) == parent.end();
      if (leaf) counts[i] = value(rng);
      if (parent[i] >= 0) counts[std::size_t(parent[i])] += counts[i];
    }
    const auto totals = hierarchyTotals(parent);
    const auto res = suppressSmallCounts(counts, totals, {});
    expectNoCellPinned(counts, totals, res, "hierarchy trial " + std::to_string(trial));
  }
}

TEST(Suppression, BadInputIsNamed) {
  const std::vector<std::int64_t> counts{3, 4, 8};
  const std::vector<LinearTotal> wrong{{2, {0, 1}}};
  try {
    suppressSmallCounts(counts, wrong, {});
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("members sum to 7"), std::string::npos) << e.what();
  }
  const std::vector<std::int64_t> negative{3, -1};
  EXPECT_THROW_WITH(suppressSmallCounts(negative, {}, {}), InputError,
                    "counts, row 2, field 'count': expected a count >= 0, got -1");
  try {
    suppressSmallCounts(counts, {}, {.k = 0});
    FAIL() << "expected an OptionError";
  } catch (const OptionError& e) {
    EXPECT_EQ(e.option(), "k");
  }
  const std::vector<std::int32_t> cyclic{1, 0};
  EXPECT_THROW_WITH(hierarchyTotals(cyclic), InputError,
                    "parent, row 1, field 'parent': the hierarchy has a cycle");
}
