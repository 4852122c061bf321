// Parsing values as Dutch users write them: decimal commas, dd-mm-jjjj dates, ja/nee booleans.
// Each parser returns std::nullopt when the text is not a valid value of its type; empty text is
// the caller's business (NULL).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace veldwacht::layers {

/// "12,5", "12.5", "-3", "1.234,5" (the last of ',' and '.' is the decimal mark when both occur),
/// "1e3". Refuses text, several decimal marks, NaN and infinity.
std::optional<double> parseNumber(std::string_view text);

/// "42", "-7", also "42,0" / "42.0" (an integral number Excel printed with decimals).
std::optional<std::int64_t> parseInteger(std::string_view text);

/// Dates: dd-mm-jjjj, d-m-jjjj, dd/mm/jjjj, dd.mm.jjjj and ISO jjjj-mm-dd; with the month as a
/// word as Dutch Excel writes it: 3-apr-2024, 3-apr-24, 3 april 2024, 3-mrt.-2024, optionally
/// after a weekday (di 3 april 2024); an Excel serial date (45385 = 2024-04-03; only 1990..2100)
/// as a sheet writes an unformatted date cell; a time of 00:00(:00) after the date is accepted
/// (Excel adds it). Returns "YYYY-MM-DD"; refuses impossible dates
/// (31-02-2024).
std::optional<std::string> parseDate(std::string_view text);

/// Date-times: any date form above, optionally followed by a space or 'T' and hh:mm or hh:mm:ss
/// (also the Dutch hh.mm); an Excel serial with its fraction as the time (45385,5 = 12:00).
/// Returns "YYYY-MM-DDTHH:MM:SS" (a date alone gives 00:00:00).
std::optional<std::string> parseDateTime(std::string_view text);

/// ja/nee, j/n, 1/0, true/false, waar/onwaar, yes/no, y (case-insensitive).
std::optional<bool> parseBoolean(std::string_view text);

/// Lower-cases ASCII letters (field names are matched case-insensitively).
std::string toLowerAscii(std::string_view text);

}  // namespace veldwacht::layers
