// Reading CSV as Excel writes it in the Netherlands, which GDAL's CSV driver gets wrong for these
// files: `;` separators (Excel uses `;` when the decimal separator is a comma), decimal commas,
// UTF-8 with or without a BOM ("CSV UTF-8") or Windows-1252 ("CSV (gescheiden door
// lijstscheidingsteken)"). The parser follows RFC 4180 (quoted fields with "" escapes and embedded
// line breaks); an Excel "sep=;" first line sets the separator. Encoding detection: a UTF-8 BOM
// wins; otherwise the bytes are validated as UTF-8 and, if invalid, decoded as cp1252 (every byte
// is then valid) — the report says which.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "geo/core/progress.h"

namespace veldwacht::layers {

struct CsvOptions {
  /// 0 = sniff from the header line (`;`, `,` or tab, the most frequent one wins).
  char delimiter = 0;
  /// Refuse files larger than this (bytes); CSV is read into memory.
  std::int64_t maxBytes = std::int64_t(2) << 30;
  void validate() const;
};

/// A row-level problem of the CSV syntax (ragged row, unterminated quote).
struct CsvIssue {
  std::int64_t row = 0;  ///< as Excel numbers rows (header = 1)
  std::string message;
};

struct CsvRow {
  std::int64_t row = 0;  ///< row number as Excel shows it (header = 1, first data row = 2)
  std::vector<std::string> values;  ///< trimmed of surrounding spaces, UTF-8
};

struct CsvTable {
  std::vector<std::string> header;  ///< trimmed, UTF-8
  std::vector<CsvRow> rows;         ///< rows with the header's field count (blank rows skipped)
  char delimiter = ';';
  std::string encoding;          ///< "UTF-8", "UTF-8 with BOM" or "cp1252 (Windows-1252)"
  std::vector<CsvIssue> errors;  ///< ragged rows, unterminated quotes
  std::string encodingWarning;   ///< set when the file was decoded as cp1252
};

/// Reads a whole CSV file. Throws geo::InputError for files that are not CSV at all (missing,
/// a directory, empty, binary such as a PNG, UTF-16). Row-level problems (ragged rows) go into
/// `errors`, all of them; the ragged rows are left out of `rows`.
CsvTable readCsv(const std::string& path, const CsvOptions& options = {},
                 veldwacht::geo::Progress& progress = veldwacht::geo::nullProgress());

/// Parses CSV text already in memory (same rules; `file` names it in messages).
CsvTable parseCsv(std::string bytes, const std::string& file, const CsvOptions& options = {},
                  veldwacht::geo::Progress& progress = veldwacht::geo::nullProgress());

/// Reads a CSV file a chunk at a time (same rules and messages as readCsv), so that memory
/// stays bounded whatever the file's size: the constructor checks the whole file once for what
/// decides how it is read (not text, encoding), then reads the header; next() hands out rows.
/// options.maxBytes does not apply (nothing is held whole).
class CsvStream {
 public:
  /// Throws geo::InputError as readCsv does (missing, empty, binary, UTF-16, no header).
  explicit CsvStream(const std::string& path, const CsvOptions& options = {});
  ~CsvStream();
  CsvStream(const CsvStream&) = delete;
  CsvStream& operator=(const CsvStream&) = delete;

  const std::vector<std::string>& header() const;
  char delimiter() const;
  const std::string& encoding() const;
  const std::string& encodingWarning() const;
  /// Appends the next rows (at least `minRows` unless the file ends first) to `rows` and the
  /// row-level problems met on the way to `errors`. Returns false once the file is done and
  /// nothing was appended.
  bool next(std::vector<CsvRow>& rows, std::vector<CsvIssue>& errors, std::size_t minRows);
  /// Bytes read so far / file size, for progress.
  double fraction() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// True when `bytes` is valid UTF-8.
bool isValidUtf8(std::string_view bytes);
/// Decodes Windows-1252 bytes to UTF-8.
std::string cp1252ToUtf8(std::string_view bytes);

}  // namespace veldwacht::layers
