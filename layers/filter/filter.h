// User filters (--where, --mask-where, --denominator-where, the plugin's filters) as a small
// expression language of our own, parsed into an AST, checked against the layer's schema and
// turned into SQL that holds no function call, no subquery and no `;`.
//
// Why not pass the text to OGR/SQLite: GDAL's GeoPackage driver puts an attribute filter into the
// SQL WHERE clause as it is, so a filter could call DisableSpatialIndex(), load_extension() or
// randomblob(), run a recursive CTE for ever, or hide text after a `;` (issue 7).
//
// The language (keywords in any case):
//   expr      := or
//   or        := and { OR and }
//   and       := not { AND not }
//   not       := NOT not | '(' expr ')' | predicate
//   predicate := operand ( cmp operand
//                        | [NOT] IN '(' literal { ',' literal } ')'
//                        | [NOT] LIKE string | [NOT] ILIKE string
//                        | [NOT] BETWEEN operand AND operand
//                        | IS [NOT] NULL )
//   cmp       := = | == | != | <> | < | <= | > | >=
//   operand   := field | literal
//   field     := identifier | "quoted identifier"
//   literal   := 'text' ('' inside is one quote) | integer | decimal | TRUE | FALSE
//              | DATE 'YYYY-MM-DD' | 'YYYY-MM-DD' (where compared with a date field)
// LIKE is case-sensitive, ILIKE ignores the case of A-Z; % is any run of characters and _ one
// character (both counted in UTF-8 characters). NULL follows SQL's three-valued logic: a
// comparison with a NULL field is unknown, NOT unknown is unknown, and only rows whose filter is
// true are kept.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "layers/schema/schema.h"

namespace veldwacht::layers {

/// A filter that the filter compiler produced: SQL for one layer that is safe to put after
/// WHERE. It cannot be made from a raw string, so user text cannot reach SQL by accident.
/// The default value means "no filter" (all rows).
class FilterSql {
 public:
  FilterSql() = default;

  bool empty() const { return sql_.empty(); }
  /// The SQL expression (fully parenthesised, quoted identifiers, escaped literals).
  const std::string& sql() const { return sql_; }
  /// The layer it was checked against.
  const std::string& layer() const { return layer_; }
  /// The filter as normalised text (keywords in capitals, one space between tokens): what is
  /// recorded in the metadata of a result.
  const std::string& text() const { return text_; }

 private:
  friend class FilterCompiler;
  FilterSql(std::string layer, std::string sql, std::string text)
      : layer_(std::move(layer)), sql_(std::move(sql)), text_(std::move(text)) {}

  std::string layer_;
  std::string sql_;
  std::string text_;
};

/// Limits on a filter's text; beyond them a filter is refused.
struct FilterLimits {
  std::size_t maxLength = 4096;   ///< bytes of text
  int maxDepth = 64;              ///< nesting of parentheses and NOT
  std::size_t maxInList = 10000;  ///< values in one IN (...)
};

/// Parses `text` as a filter on `layer` and generates its SQL. An empty or all-blank text gives
/// an empty FilterSql (no filter). Throws geo::OptionError(option, "... position N: ...") for
/// a syntax error, an unknown field (naming the layer's fields), a type mismatch or a text over
/// the limits; N is the 1-based byte position in `text`.
FilterSql compileFilter(const LayerDef& layer, std::string_view text,
                        const std::string& option = "where", const FilterLimits& limits = {});

}  // namespace veldwacht::layers
