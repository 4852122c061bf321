// Signals exports as municipal reporting systems and Excel sheets write them (issue 13): columns
// named in Dutch or English (Datum, Tijd, Categorie, Soort, Omschrijving, Bron, Melder, ...),
// categories as codes, labels or common words (hennepkwekerij, xtc-lab, drugsdumping, ...),
// brontypes, statuses and betrouwbaarheid in everyday words, no id and no status column.
//
// Rules (documented in docs/import.md):
// - Values of categorie, brontype, status and betrouwbaarheid are compared after normalising:
//   lower case, every character that is not a letter or digit dropped ("XTC-lab" = "xtclab").
//   A category matches its code, its label (signaal_categorieen.naam) or a synonym below; the
//   others match their allowed value or a synonym. What was translated is shown in the report.
// - No id column: signaal_id = "GEN-" + the first 16 hex digits of the SHA-256 of the row's
//   source values (all columns, as read, joined with U+001F). The same row gives the same id, so
//   importing a file twice is caught as duplicates.
// - No status column: status = nieuw.
// - A separate time column (Tijd, Time, Uur) is combined with the date column.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "layers/schema/schema.h"

namespace veldwacht::layers {

/// Lower case, only ASCII letters and digits kept (other bytes, e.g. UTF-8 accents, are kept as
/// they are): "XTC-lab " -> "xtclab".
std::string normaliseWord(std::string_view text);

/// How a value was matched.
enum class MatchKind { Exact, Case, Label, Synonym };
const char* matchKindName(MatchKind kind);

struct ValueMatch {
  std::string value;  ///< the allowed value / category code
  MatchKind kind = MatchKind::Exact;
};

/// Translates the everyday words of one signal field into its allowed values.
class SignalVocabulary {
 public:
  /// `categories`: code -> label (naam) of every category the run knows.
  explicit SignalVocabulary(const std::map<std::string, std::string>& categories);

  /// For field "categorie", "brontype", "status" or "betrouwbaarheid": the value `raw` stands
  /// for, or nullopt when it matches nothing.
  std::optional<ValueMatch> match(const std::string& field, std::string_view raw) const;
  /// For an unmatched value: the closest allowed value(s), e.g. "'DRUGSAFVAL' (Dumpen of lozen
  /// van drugsafval)", or "" when nothing is close.
  std::string suggest(const std::string& field, std::string_view raw) const;
  /// True for the fields this vocabulary translates.
  static bool handles(const std::string& field);

 private:
  struct Entry {
    std::string normalised;
    std::string value;
    MatchKind kind;
  };
  std::map<std::string, std::vector<Entry>> entries_;  // field -> entries, in priority order
  std::map<std::string, std::unordered_map<std::string, std::size_t>>
      index_;  // field -> normalised word -> index in entries_[field]
  std::map<std::string, std::string> labels_;  // category code -> label
};

/// Lower-case column names that hold a separate time of day.
const std::vector<std::string>& timeColumnNames();

/// "GEN-" + 16 hex digits of SHA-256 over the values (joined with U+001F).
std::string generatedSignalId(const std::vector<Value>& sourceValues);

}  // namespace veldwacht::layers
