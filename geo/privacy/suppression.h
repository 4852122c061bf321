// Small-count suppression for published counts with published totals (statistical disclosure
// control of frequency tables; Hundepool et al. 2012, "Statistical Disclosure Control", ch. 5;
// Cox 1980, "Suppression methodology and statistical disclosure control", JASA 75).
//
// Every published number is a *cell*: a grid cell, a buurt, but also a wijk total, a row total or
// the grand total. A published total is a linear relation "cell t = sum of cells m1..mj". An
// attacker who sees the published cells solves these relations for the suppressed ones.
//
//  1. Primary suppression: a count c with 1 <= c < k is not published (default k = 5, as Dutch
//     practice for public crime maps). A count of 0 IS published by default: it reveals no
//     reporter and nothing about one, and suppressing every empty cell of a sparse rural map
//     would blank most of it (and tell the reader nothing, since "0 or 1..4" is what a
//     suppressed cell means anyway). `suppressZero` turns that off.
//  2. Complementary suppression, to a fixed point over all relations at once (a hierarchy
//     buurt -> wijk -> gemeente or the rows and columns of a table):
//      a. singleton rule: in every relation with exactly one suppressed cell, also suppress the
//         smallest positive published cell of that relation (a member, or the total when no
//         member is left); repeat until no relation has exactly one;
//      b. linear attack: solve the published system over the reals (Gaussian elimination on the
//         suppressed unknowns); a suppressed cell whose value the system fixes (e.g. a bridge
//         between two protected cycles of a table) gets one more complement in one of its
//         relations; repeat until no suppressed cell is determined.
//     Complements are always positive cells, so every suppressed cell is >= 1. For relations
//     whose coefficient matrix is totally unimodular (tables with margins, hierarchies) a
//     determined-free system then has a +-1 null-space direction through every suppressed
//     cell, so each suppressed cell has at least two non-negative integer values consistent
//     with everything published (checked by brute force in the tests). Only when a relation
//     offers no positive cell is a zero used, with a warning.
//  The greedy choice (next-smallest cell) does not minimise the total suppressed; it is the
//  classic hypercube-free heuristic, adequate for the map sizes here.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "geo/core/progress.h"

namespace veldwacht::geo {

/// A published total: counts[total] == sum of counts[members].
struct LinearTotal {
  std::uint32_t total = 0;
  std::vector<std::uint32_t> members;
};

struct SuppressionOptions {
  /// Counts 1..k-1 are primary suppressed. >= 1 (k = 1 suppresses nothing primary).
  std::int64_t k = 5;
  /// Also suppress counts of 0 (see the header comment for why the default is no).
  bool suppressZero = false;
  void validate() const;
};

enum class CellStatus : std::uint8_t { Published = 0, Primary = 1, Complementary = 2 };

struct SuppressionResult {
  std::vector<CellStatus> status;  ///< per cell
  std::size_t primary = 0;
  std::size_t complementary = 0;
  std::vector<std::string> warnings;
  bool suppressed(std::size_t i) const { return status[i] != CellStatus::Published; }
};

/// Primary and complementary suppression. Throws OptionError, InputError (a negative count, a
/// cell index out of range, a total that does not equal the sum of its members: named by its
/// position in `totals`), CancelledError.
SuppressionResult suppressSmallCounts(std::span<const std::int64_t> counts,
                                      std::span<const LinearTotal> totals,
                                      const SuppressionOptions& options,
                                      Progress& progress = nullProgress());

/// The linear attacker: indices of suppressed cells whose value is fixed by the published cells
/// and the totals (over the reals, ignoring non-negativity). Empty for a safe suppression.
std::vector<std::uint32_t> determinedCells(std::size_t cellCount,
                                           std::span<const LinearTotal> totals,
                                           std::span<const CellStatus> status);

/// Cells of an r x c table with margins, laid out as: inner cells row-major [0, r*c), row totals
/// [r*c, r*c+r), column totals [r*c+r, r*c+r+c), grand total r*c+r+c. Returns the r + c + 2
/// relations (each row, each column, grand = sum of row totals, grand = sum of column totals).
std::vector<LinearTotal> tableTotals(std::size_t rows, std::size_t cols);

/// Relations of a hierarchy: parent[i] is the index of the cell that contains cell i (a buurt's
/// wijk, a wijk's gemeente), or -1 for a root. One relation per cell with children. Throws
/// InputError for an index out of range or a cycle.
std::vector<LinearTotal> hierarchyTotals(std::span<const std::int32_t> parent);

}  // namespace veldwacht::geo
