#include "geo/privacy/suppression.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "geo/core/error.h"

namespace veldwacht::geo {

void SuppressionOptions::validate() const {
  if (k < 1) throw OptionError("k", "must be >= 1 (counts 1..k-1 are suppressed)");
}

namespace {

void validateInput(std::span<const std::int64_t> counts, std::span<const LinearTotal> totals) {
  const std::size_t n = counts.size();
  for (std::size_t i = 0; i < n; ++i)
    if (counts[i] < 0)
      throw InputError({"counts", std::int64_t(i) + 1, "count"},
                       "expected a count >= 0, got " + std::to_string(counts[i]));
  for (std::size_t r = 0; r < totals.size(); ++r) {
    const auto& rel = totals[r];
    const Location where{"totals", std::int64_t(r) + 1, "members"};
    if (rel.total >= n)
      throw InputError(where, "total cell " + std::to_string(rel.total) + " is out of range");
    if (rel.members.empty()) throw InputError(where, "a total needs at least one member");
    std::int64_t sum = 0;
    for (auto m : rel.members) {
      if (m >= n) throw InputError(where, "member cell " + std::to_string(m) + " is out of range");
      if (m == rel.total) throw InputError(where, "a total cannot be its own member");
      sum += counts[m];
    }
    if (sum != counts[rel.total])
      throw InputError(where, "total cell " + std::to_string(rel.total) + " holds " +
                                  std::to_string(counts[rel.total]) + " but its members sum to " +
                                  std::to_string(sum));
  }
}

/// All cells of a relation, total first.
template <class Fn>
void forEachCell(const LinearTotal& rel, Fn&& fn) {
  fn(rel.total);
  for (auto m : rel.members) fn(m);
}

/// The published cell of `rel` to suppress next: the smallest positive count (ties: lowest
/// index); a zero only when no positive cell is left. nullopt when every cell is suppressed.
struct Candidate {
  std::uint32_t cell = 0;
  std::int64_t value = 0;
  bool isZero() const { return value == 0; }
  bool betterThan(const Candidate& o) const {
    const bool z = isZero(), oz = o.isZero();
    if (z != oz) return !z;
    return value != o.value ? value < o.value : cell < o.cell;
  }
};

std::optional<Candidate> bestCandidate(const LinearTotal& rel, std::span<const std::int64_t> counts,
                                       std::span<const CellStatus> status) {
  std::optional<Candidate> best;
  forEachCell(rel, [&](std::uint32_t c) {
    if (status[c] != CellStatus::Published) return;
    const Candidate cand{c, counts[c]};
    if (!best || cand.betterThan(*best)) best = cand;
  });
  return best;
}

std::size_t suppressedIn(const LinearTotal& rel, std::span<const CellStatus> status) {
  std::size_t s = 0;
  forEachCell(rel, [&](std::uint32_t c) { s += status[c] != CellStatus::Published; });
  return s;
}

void markComplement(const Candidate& c, std::vector<CellStatus>& status, SuppressionResult& res) {
  status[c.cell] = CellStatus::Complementary;
  ++res.complementary;
  if (c.isZero())
    res.warnings.push_back("cell " + std::to_string(c.cell) +
                           " (a zero) was suppressed as a complement: its relation had no "
                           "positive published cell left");
}

/// Step a: no relation with exactly one suppressed cell.
void singletonRule(std::span<const std::int64_t> counts, std::span<const LinearTotal> totals,
                   std::vector<CellStatus>& status, SuppressionResult& res, Progress& progress) {
  bool changed = true;
  while (changed) {
    progress.checkCancelled();
    changed = false;
    for (const auto& rel : totals) {
      if (suppressedIn(rel, status) != 1) continue;
      const auto cand = bestCandidate(rel, counts, status);
      if (!cand) continue;  // a relation of one cell only; cannot happen after validation
      markComplement(*cand, status, res);
      changed = true;
    }
  }
}

/// Reduced row echelon form of the system over the suppressed unknowns; returns, per unknown,
/// whether the published values fix it.
std::vector<bool> determinedUnknowns(std::size_t unknowns, std::vector<std::vector<double>> a) {
  constexpr double kEps = 1e-9;
  const std::size_t rows = a.size();
  std::vector<std::int64_t> pivotRowOf(unknowns, -1);
  std::size_t r = 0;
  for (std::size_t col = 0; col < unknowns && r < rows; ++col) {
    std::size_t best = r;
    for (std::size_t i = r + 1; i < rows; ++i)
      if (std::abs(a[i][col]) > std::abs(a[best][col])) best = i;
    if (std::abs(a[best][col]) < kEps) continue;
    std::swap(a[r], a[best]);
    const double inv = 1.0 / a[r][col];
    for (auto& v : a[r]) v *= inv;
    for (std::size_t i = 0; i < rows; ++i) {
      if (i == r || std::abs(a[i][col]) < kEps) continue;
      const double f = a[i][col];
      for (std::size_t j = col; j < unknowns; ++j) a[i][j] -= f * a[r][j];
    }
    pivotRowOf[col] = std::int64_t(r);
    ++r;
  }
  std::vector<bool> determined(unknowns, false);
  for (std::size_t col = 0; col < unknowns; ++col) {
    if (pivotRowOf[col] < 0) continue;  // a free unknown
    const auto& row = a[std::size_t(pivotRowOf[col])];
    bool alone = true;
    for (std::size_t j = 0; j < unknowns && alone; ++j)
      if (j != col && std::abs(row[j]) > kEps) alone = false;
    determined[col] = alone;
  }
  return determined;
}

}  // namespace

std::vector<std::uint32_t> determinedCells(std::size_t cellCount,
                                           std::span<const LinearTotal> totals,
                                           std::span<const CellStatus> status) {
  if (status.size() != cellCount)
    throw InputError({"status", std::nullopt, ""}, "expected one status per cell");
  std::vector<std::int64_t> unknownOf(cellCount, -1);
  std::vector<std::uint32_t> cellOf;
  for (std::size_t i = 0; i < cellCount; ++i)
    if (status[i] != CellStatus::Published) {
      unknownOf[i] = std::int64_t(cellOf.size());
      cellOf.push_back(std::uint32_t(i));
    }
  std::vector<std::vector<double>> a;
  for (const auto& rel : totals) {
    std::vector<double> row(cellOf.size(), 0.0);
    bool any = false;
    forEachCell(rel, [&](std::uint32_t c) {
      if (unknownOf[c] < 0) return;
      row[std::size_t(unknownOf[c])] += (c == rel.total ? -1.0 : 1.0);
      any = true;
    });
    if (any) a.push_back(std::move(row));
  }
  const auto det = determinedUnknowns(cellOf.size(), std::move(a));
  std::vector<std::uint32_t> out;
  for (std::size_t u = 0; u < cellOf.size(); ++u)
    if (det[u]) out.push_back(cellOf[u]);
  return out;
}

SuppressionResult suppressSmallCounts(std::span<const std::int64_t> counts,
                                      std::span<const LinearTotal> totals,
                                      const SuppressionOptions& options, Progress& progress) {
  options.validate();
  validateInput(counts, totals);
  const std::size_t n = counts.size();
  SuppressionResult res;
  res.status.assign(n, CellStatus::Published);
  for (std::size_t i = 0; i < n; ++i) {
    const bool small = counts[i] >= 1 && counts[i] < options.k;
    if (small || (options.suppressZero && counts[i] == 0)) {
      res.status[i] = CellStatus::Primary;
      ++res.primary;
    }
  }
  if (totals.empty()) return res;

  // Which relations each cell takes part in, for the repair step.
  std::vector<std::vector<std::uint32_t>> relationsOf(n);
  for (std::size_t r = 0; r < totals.size(); ++r)
    forEachCell(totals[r], [&](std::uint32_t c) { relationsOf[c].push_back(std::uint32_t(r)); });

  ProgressStep step(progress, 0.0, 1.0, "complementary suppression");
  singletonRule(counts, totals, res.status, res, progress);
  for (;;) {
    progress.checkCancelled();
    const auto det = determinedCells(n, totals, res.status);
    if (det.empty()) break;
    // One complement, the best over all relations of the determined cells, then re-solve.
    std::optional<Candidate> best;
    for (auto cell : det)
      for (auto r : relationsOf[cell]) {
        const auto cand = bestCandidate(totals[r], counts, res.status);
        if (cand && (!best || cand->betterThan(*best))) best = cand;
      }
    if (!best) {
      std::string list;
      for (auto c : det) list += (list.empty() ? "" : ", ") + std::to_string(c);
      res.warnings.push_back("no published cell left to protect cells " + list);
      break;
    }
    markComplement(*best, res.status, res);
    singletonRule(counts, totals, res.status, res, progress);
  }
  step.done();
  return res;
}

std::vector<LinearTotal> tableTotals(std::size_t rows, std::size_t cols) {
  const auto cell = [cols](std::size_t r, std::size_t c) { return std::uint32_t(r * cols + c); };
  const auto rowTotal = [rows, cols](std::size_t r) { return std::uint32_t(rows * cols + r); };
  const auto colTotal = [rows, cols](std::size_t c) {
    return std::uint32_t(rows * cols + rows + c);
  };
  const auto grand = std::uint32_t(rows * cols + rows + cols);
  std::vector<LinearTotal> out;
  for (std::size_t r = 0; r < rows; ++r) {
    LinearTotal t{rowTotal(r), {}};
    for (std::size_t c = 0; c < cols; ++c) t.members.push_back(cell(r, c));
    out.push_back(std::move(t));
  }
  for (std::size_t c = 0; c < cols; ++c) {
    LinearTotal t{colTotal(c), {}};
    for (std::size_t r = 0; r < rows; ++r) t.members.push_back(cell(r, c));
    out.push_back(std::move(t));
  }
  LinearTotal byRows{grand, {}}, byCols{grand, {}};
  for (std::size_t r = 0; r < rows; ++r) byRows.members.push_back(rowTotal(r));
  for (std::size_t c = 0; c < cols; ++c) byCols.members.push_back(colTotal(c));
  out.push_back(std::move(byRows));
  out.push_back(std::move(byCols));
  return out;
}

std::vector<LinearTotal> hierarchyTotals(std::span<const std::int32_t> parent) {
  const std::size_t n = parent.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (parent[i] < -1 || parent[i] >= std::int32_t(n))
      throw InputError({"parent", std::int64_t(i) + 1, "parent"},
                       "expected -1 or a cell index below " + std::to_string(n));
    // Walk up at most n steps: longer means a cycle.
    std::int32_t p = parent[i];
    for (std::size_t steps = 0; p >= 0; ++steps, p = parent[std::size_t(p)])
      if (steps > n || p == std::int32_t(i))
        throw InputError({"parent", std::int64_t(i) + 1, "parent"}, "the hierarchy has a cycle");
  }
  std::vector<std::int64_t> relationOf(n, -1);
  std::vector<LinearTotal> out;
  for (std::size_t i = 0; i < n; ++i) {
    if (parent[i] < 0) continue;
    const auto p = std::size_t(parent[i]);
    if (relationOf[p] < 0) {
      relationOf[p] = std::int64_t(out.size());
      out.push_back({std::uint32_t(p), {}});
    }
    out[std::size_t(relationOf[p])].members.push_back(std::uint32_t(i));
  }
  return out;
}

}  // namespace veldwacht::geo
