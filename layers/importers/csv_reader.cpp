#include "layers/importers/csv_reader.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

namespace veldwacht::layers {

using veldwacht::geo::InputError;
using veldwacht::geo::Location;

namespace {

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n'))
    --e;
  // Non-breaking spaces (U+00A0) Excel leaves around numbers.
  while (e - b >= 2 && s.substr(b, 2) == "\xC2\xA0") b += 2;
  while (e - b >= 2 && s.substr(e - 2, 2) == "\xC2\xA0") e -= 2;
  return std::string(s.substr(b, e - b));
}

// Windows-1252 0x80..0x9F; 0 = undefined (decoded as U+FFFD).
constexpr std::array<char16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void appendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

bool isBlank(const std::vector<std::string>& fields) {
  for (const auto& f : fields)
    if (!f.empty()) return false;
  return true;
}

char sniffDelimiter(std::string_view text) {
  // Count candidates on the first line outside quotes.
  int semi = 0, comma = 0, tab = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    semi += c == ';';
    comma += c == ',';
    tab += c == '\t';
  }
  if (semi >= comma && semi >= tab && semi > 0) return ';';
  if (tab > comma) return '\t';
  if (comma > 0) return ',';
  return ';';
}

}  // namespace

void CsvOptions::validate() const {
  if (delimiter != 0 && delimiter != ';' && delimiter != ',' && delimiter != '\t' &&
      delimiter != '|')
    throw veldwacht::geo::OptionError("delimiter", "must be ';', ',', tab or '|'");
  if (maxBytes <= 0) throw veldwacht::geo::OptionError("maxBytes", "must be positive");
}

bool isValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    int n = 0;
    char32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (int k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms and surrogates are invalid.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

std::string cp1252ToUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else if (c < 0xA0) {
      const char16_t cp = kCp1252High[c - 0x80];
      appendUtf8(out, cp ? cp : 0xFFFD);
    } else {
      appendUtf8(out, c);
    }
  }
  return out;
}

CsvTable readCsv(const std::string& path, const CsvOptions& options,
                 veldwacht::geo::Progress& progress) {
  options.validate();
  namespace fs = std::filesystem;
  std::error_code ec;
  const Location where{path, std::nullopt, {}};
  if (!fs::exists(path, ec)) throw InputError(where, "file does not exist");
  if (fs::is_directory(path, ec)) throw InputError(where, "is a directory, expected a CSV file");
  const auto size = fs::file_size(path, ec);
  if (ec) throw InputError(where, "cannot read the file size: " + ec.message());
  if (std::int64_t(size) > options.maxBytes)
    throw InputError(where, fmt::format("file of {} bytes exceeds the CSV limit of {} bytes", size,
                                        options.maxBytes));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(where, "cannot open the file for reading");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parseCsv(std::move(bytes), path, options, progress);
}

namespace {

/// Refuses what is plainly not CSV text: an empty file, a PNG image, UTF-16, NUL bytes.
void rejectNonText(const std::string& bytes, const Location& where) {
  if (bytes.empty())
    throw InputError(where, "the file is empty (0 bytes), expected a CSV header line");
  if (bytes.size() >= 8 && bytes.compare(0, 8, "\x89PNG\r\n\x1A\n") == 0)
    throw InputError(where, "this is a PNG image, not a CSV text file");
  if (bytes.size() >= 2 &&
      ((bytes[0] == '\xFF' && bytes[1] == '\xFE') || (bytes[0] == '\xFE' && bytes[1] == '\xFF')))
    throw InputError(where,
                     "the file is UTF-16 (Excel 'Unicode text'); save it as 'CSV UTF-8' instead");
  if (bytes.find('\0') != std::string::npos)
    throw InputError(where, "the file contains NUL bytes: a binary file, not CSV text");
}

/// Makes `bytes` UTF-8 without a BOM (cp1252 when it is not valid UTF-8) and records the
/// encoding, with a warning for cp1252, in `table`.
void decodeToUtf8(std::string& bytes, CsvTable& table, const Location& where) {
  if (bytes.size() >= 3 && bytes.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    bytes.erase(0, 3);
    table.encoding = "UTF-8 with BOM";
    if (!isValidUtf8(bytes))
      throw InputError(where, "the file starts with a UTF-8 BOM but contains invalid UTF-8 bytes");
  } else if (isValidUtf8(bytes)) {
    table.encoding = "UTF-8";
  } else {
    bytes = cp1252ToUtf8(bytes);
    table.encoding = "cp1252 (Windows-1252)";
    table.encodingWarning =
        "the file is not valid UTF-8; it was read as cp1252 (Windows-1252), as older Excel "
        "versions save CSV";
  }
}

/// Removes Excel's "sep=;" hint line, which names the separator and is not part of the data;
/// returns the separator it names, or 0 when there is no such line.
char takeSeparatorHint(std::string& bytes) {
  if (!(bytes.size() >= 5 &&
        (bytes.compare(0, 4, "sep=") == 0 || bytes.compare(0, 4, "SEP=") == 0) &&
        (bytes.size() == 5 || bytes[5] == '\r' || bytes[5] == '\n')))
    return 0;
  const char hinted = bytes[4];
  std::size_t eol = 5;
  while (eol < bytes.size() && (bytes[eol] == '\r' || bytes[eol] == '\n')) {
    const bool crlf = bytes[eol] == '\r' && eol + 1 < bytes.size() && bytes[eol + 1] == '\n';
    eol += crlf ? 2 : 1;
    break;
  }
  bytes.erase(0, eol);
  return hinted;
}

/// The RFC 4180 state machine over the whole text: the header and the rows into `table`,
/// rows with the wrong number of fields and an unclosed quote into table.errors.
class RecordSplitter {
 public:
  RecordSplitter(char delim, CsvTable& table) : delim_(delim), table_(table) {}

  void run(const std::string& bytes, veldwacht::geo::Progress& progress) {
    veldwacht::geo::ProgressStep step(progress, 0.0, 1.0, "reading CSV");
    const std::size_t n = bytes.size();
    constexpr std::size_t kPiece = 0x10000;
    std::size_t pos = 0;
    while (pos < n) {
      progress.checkCancelled();  // at least every 64 KiB, whatever the throttle of tick()
      step.tick(pos, n);
      const std::size_t len = std::min(kPiece, n - pos);
      pos +=
          feed(std::string_view(bytes).substr(pos, len + (pos + len < n ? 1 : 0)), pos + len >= n);
    }
    finish();
    step.done();
  }

  /// Splits `bytes`; unless `final`, the last byte is left for the next call (a '"' or '\r'
  /// needs the byte after it). Returns the number of bytes consumed.
  std::size_t feed(std::string_view bytes, bool final) {
    const std::size_t n = bytes.size();
    const std::size_t limit = final ? n : (n ? n - 1 : 0);
    std::size_t i = 0;
    for (; i < limit; ++i) {
      const char c = bytes[i];
      if (quoted_) {
        if (c == '"') {
          if (i + 1 < n && bytes[i + 1] == '"') {
            field_ += '"';
            ++i;
          } else {
            quoted_ = false;
          }
        } else {
          if (c == '\n') ++line_;
          field_ += c;
        }
        continue;
      }
      if (c == '"' && fieldIsBlank()) {
        quoted_ = true;
        fieldWasQuoted_ = true;
        clearField();
      } else if (c == delim_) {
        endField();
      } else if (c == '\r' || c == '\n') {
        if (c == '\r' && i + 1 < n && bytes[i + 1] == '\n') ++i;
        ++line_;
        endRecord();
      } else {
        field_ += c;
      }
    }
    return std::min(i, n);
  }

  /// The end of the text: an unclosed quote, or the last record without a line break.
  void finish() {
    if (quoted_) {
      table_.errors.push_back({record_ + 1, fmt::format("a quoted field opened on line {} is never "
                                                        "closed; expected a closing double quote",
                                                        recordStartLine_)});
    } else if (!field_.empty() || !fields_.empty()) {
      endRecord();
    }
  }

 private:
  // Whether the unquoted field so far is blank (spaces, tabs, NBSPs): only then does a '"'
  // open a quoted field. Scanned incrementally, each byte once, so that a field full of '"'
  // stays linear (it was trimmed afresh at every '"': quadratic, issue 7).
  bool fieldIsBlank() {
    while (blankSoFar_ && blankScanned_ < field_.size()) {
      const char b = field_[blankScanned_];
      if (b == ' ' || b == '\t' || b == '\r' || b == '\n')
        ++blankScanned_;
      else if (b == '\xC2' && blankScanned_ + 1 < field_.size() &&
               field_[blankScanned_ + 1] == '\xA0')
        blankScanned_ += 2;
      else
        blankSoFar_ = false;
    }
    return blankSoFar_;
  }
  void clearField() {
    field_.clear();
    blankScanned_ = 0;
    blankSoFar_ = true;
  }
  void endField() {
    fields_.push_back(fieldWasQuoted_ ? field_ : trim(field_));
    clearField();
    fieldWasQuoted_ = false;
  }
  void endRecord() {
    endField();
    ++record_;
    if (record_ == 1) {
      table_.header = fields_;
    } else if (!isBlank(fields_)) {
      if (fields_.size() != table_.header.size()) {
        table_.errors.push_back(
            {record_,
             fmt::format("row has {} fields but the header has {} (separator '{}'); expected "
                         "every row to have as many fields as the header",
                         fields_.size(), table_.header.size(),
                         delim_ == '\t' ? std::string("tab") : std::string(1, delim_))});
      } else {
        table_.rows.push_back({record_, fields_});
      }
    }
    fields_.clear();
    recordStartLine_ = line_;
  }

  const char delim_;
  CsvTable& table_;
  std::vector<std::string> fields_;
  std::string field_;
  bool quoted_ = false;
  bool fieldWasQuoted_ = false;
  std::int64_t record_ = 0;  // 1-based record number (header = 1), as Excel shows rows
  std::int64_t recordStartLine_ = 1, line_ = 1;
  std::size_t blankScanned_ = 0;
  bool blankSoFar_ = true;
};

}  // namespace

struct CsvStream::Impl {
  std::string path;
  std::ifstream in;
  std::uint64_t size = 0, consumedBytes = 0;
  bool cp1252 = false;
  bool eof = false;
  std::string pending;  // bytes read but not yet split (UTF-8)
  CsvTable table;       // header, encoding; rows and errors are handed out by next()
  std::unique_ptr<RecordSplitter> splitter;

  /// Reads up to `n` raw bytes, decoded to UTF-8, onto `pending`; false at the end of the file.
  bool readMore(std::size_t n) {
    if (eof) return false;
    std::string buf(n, '\0');
    in.read(buf.data(), std::streamsize(n));
    buf.resize(std::size_t(in.gcount()));
    if (buf.empty()) {
      eof = true;
      return false;
    }
    consumedBytes += buf.size();
    pending += cp1252 ? cp1252ToUtf8(buf) : buf;
    return true;
  }
};

namespace {

/// The length of `s` without a UTF-8 sequence cut off at its end.
std::size_t completeUtf8Prefix(std::string_view s) {
  const std::size_t n = s.size();
  for (std::size_t k = 1; k <= 3 && k <= n; ++k) {
    const auto c = static_cast<unsigned char>(s[n - k]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte: look further back
    if ((c & 0xC0) == 0xC0) {
      const std::size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      return k < need ? n - k : n;
    }
    return n;  // ASCII
  }
  return n;
}

constexpr std::size_t kStreamChunk = std::size_t(1) << 20;

}  // namespace

CsvStream::CsvStream(const std::string& path, const CsvOptions& options)
    : impl_(std::make_unique<Impl>()) {
  options.validate();
  namespace fs = std::filesystem;
  std::error_code ec;
  const Location where{path, std::nullopt, {}};
  if (!fs::exists(path, ec)) throw InputError(where, "file does not exist");
  if (fs::is_directory(path, ec)) throw InputError(where, "is a directory, expected a CSV file");
  Impl& m = *impl_;
  m.path = path;
  m.size = fs::file_size(path, ec);
  if (ec) throw InputError(where, "cannot read the file size: " + ec.message());
  // Pass 1: what is not text, and whether it is all UTF-8 (else cp1252), without keeping it.
  std::ifstream scan(path, std::ios::binary);
  if (!scan) throw InputError(where, "cannot open the file for reading");
  std::string buf(kStreamChunk, '\0'), carry;
  bool first = true, utf8 = true, bom = false;
  while (scan) {
    scan.read(buf.data(), std::streamsize(buf.size()));
    const std::size_t got = std::size_t(scan.gcount());
    if (got == 0) break;
    std::string_view chunk(buf.data(), got);
    if (first) {
      rejectNonText(std::string(chunk.substr(0, 16)), where);
      bom = chunk.size() >= 3 && chunk.substr(0, 3) == "\xEF\xBB\xBF";
      first = false;
    }
    if (chunk.find('\0') != std::string_view::npos)
      throw InputError(where, "the file contains NUL bytes: a binary file, not CSV text");
    if (utf8) {
      std::string piece = carry + std::string(chunk);
      const std::size_t cut = completeUtf8Prefix(piece);
      if (!isValidUtf8(std::string_view(piece).substr(0, cut))) utf8 = false;
      carry = piece.substr(cut);
    }
  }
  if (first) rejectNonText(std::string(), where);  // empty
  if (utf8 && !carry.empty()) utf8 = false;        // cut off in a sequence
  if (bom && !utf8)
    throw InputError(where, "the file starts with a UTF-8 BOM but contains invalid UTF-8 bytes");
  m.table.encoding = bom ? "UTF-8 with BOM" : utf8 ? "UTF-8" : "cp1252 (Windows-1252)";
  if (!utf8) {
    m.cp1252 = true;
    m.table.encodingWarning =
        "the file is not valid UTF-8; it was read as cp1252 (Windows-1252), as older Excel "
        "versions save CSV";
  }
  // Pass 2: the header (and Excel's separator hint) from the first chunk.
  m.in.open(path, std::ios::binary);
  if (!m.in) throw InputError(where, "cannot open the file for reading");
  m.readMore(kStreamChunk);
  if (bom) m.pending.erase(0, 3);
  const char hinted = takeSeparatorHint(m.pending);
  const char delim = options.delimiter ? options.delimiter
                     : hinted          ? hinted
                                       : sniffDelimiter(m.pending);
  m.table.delimiter = delim;
  m.splitter = std::make_unique<RecordSplitter>(delim, m.table);
  while (m.table.header.empty()) {
    std::vector<CsvRow> rows;
    std::vector<CsvIssue> errors;
    if (!next(rows, errors, 1)) break;
    m.table.rows.insert(m.table.rows.begin(), std::make_move_iterator(rows.begin()),
                        std::make_move_iterator(rows.end()));
    m.table.errors.insert(m.table.errors.begin(), errors.begin(), errors.end());
    if (!m.table.header.empty()) break;
  }
  if (m.table.header.empty() || isBlank(m.table.header))
    throw InputError(where, "no header line found; expected column names on the first line");
}

CsvStream::~CsvStream() = default;

const std::vector<std::string>& CsvStream::header() const { return impl_->table.header; }
char CsvStream::delimiter() const { return impl_->table.delimiter; }
const std::string& CsvStream::encoding() const { return impl_->table.encoding; }
const std::string& CsvStream::encodingWarning() const { return impl_->table.encodingWarning; }
double CsvStream::fraction() const {
  return impl_->size ? double(impl_->consumedBytes) / double(impl_->size) : 1.0;
}

bool CsvStream::next(std::vector<CsvRow>& rows, std::vector<CsvIssue>& errors,
                     std::size_t minRows) {
  Impl& m = *impl_;
  const std::size_t before = rows.size() + errors.size();
  const std::size_t rowsBefore = rows.size();
  auto drain = [&] {
    for (auto& r : m.table.rows) rows.push_back(std::move(r));
    m.table.rows.clear();
    errors.insert(errors.end(), m.table.errors.begin(), m.table.errors.end());
    m.table.errors.clear();
  };
  drain();
  while (m.splitter && rows.size() - rowsBefore < minRows) {
    if (m.pending.size() < 2 && !m.readMore(kStreamChunk)) {
      m.splitter->feed(m.pending, true);
      m.pending.clear();
      m.splitter->finish();
      m.splitter.reset();
      drain();
      break;
    }
    if (m.pending.size() < 2) continue;
    const std::size_t used = m.splitter->feed(m.pending, false);
    m.pending.erase(0, used);
    drain();
    if (m.pending.size() < 2) m.readMore(kStreamChunk);
  }
  return rows.size() + errors.size() > before;
}

// The steps: refuse non-text, decode to UTF-8, take Excel's separator hint, choose the
// separator, split the records.
CsvTable parseCsv(std::string bytes, const std::string& file, const CsvOptions& options,
                  veldwacht::geo::Progress& progress) {
  options.validate();
  const Location where{file, std::nullopt, {}};
  CsvTable table;
  rejectNonText(bytes, where);
  decodeToUtf8(bytes, table, where);
  const char hinted = takeSeparatorHint(bytes);
  const char delim = options.delimiter ? options.delimiter
                     : hinted          ? hinted
                                       : sniffDelimiter(bytes);
  table.delimiter = delim;
  RecordSplitter(delim, table).run(bytes, progress);
  if (table.header.empty() || isBlank(table.header))
    throw InputError(where, "no header line found; expected column names on the first line");
  return table;
}

}  // namespace veldwacht::layers
