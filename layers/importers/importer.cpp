#include "layers/importers/importer.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include "geo/core/error.h"
#include "geo/crs/plausibility.h"
#include "geo/crs/transform.h"
#include "layers/importers/geometry_checks.h"
#include "layers/importers/recognise.h"
#include "layers/importers/signal_export.h"
#include "layers/importers/source_reader.h"
#include "layers/importers/values.h"
#include "layers/schema/key_text.h"
#include "layers/store/batch_writer.h"
#include "layers/store/checksum.h"
#include "layers/store/store_internal.h"

namespace veldwacht::layers {

namespace geo = veldwacht::geo;
using geo::Location;

namespace {

/// What a refusal of stored keys adds for a register (BAG, NWB, CBS, IBIS): how to bring in its
/// newer version. The plugin replaces "import it with --update" by its own switch (UPDATE).
std::string registerHint(const std::string& layer) {
  return isRegisterLayer(layer) ? " (a newer version of this register: import it with --update)"
                                : "";
}

/// Rolls the import's transaction back; importFiles then throws the ValidationError.
struct RefusedImport : std::exception {
  const char* what() const noexcept override { return "the import was refused"; }
};

// CBS marks suppressed or unavailable figures with -99995..-99999 (-99997: "geheim").
bool isCbsSentinel(double v) { return v <= -99995.0 && v >= -99999.0 && std::trunc(v) == v; }

std::string joinNames(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

bool isBagIdField(const FieldDef& f) { return f.name == "bag_id" || f.name == "bag_pand_id"; }

std::string formatReal(double v) {
  if (std::trunc(v) == v && std::abs(v) < 1e15) return fmt::format("{}", std::int64_t(v));
  return fmt::format("{}", v);
}

/// True for text shaped like a date (digits and separators in a date's places) that is not a
/// real calendar date or time, e.g. 31-02-2024 or 01-01-2024 25:00.
bool notACalendarDate(const std::string* text) {
  if (!text || text->size() < 8) return false;
  int digits = 0, seps = 0;
  for (char c : *text) {
    if (c >= '0' && c <= '9')
      ++digits;
    else if (c == '-' || c == '/' || c == '.' || c == ':' || c == ' ' || c == 'T')
      ++seps;
    else
      return false;
  }
  return digits >= 6 && seps >= 2;
}

/// Converts a raw source value to the field's type; `error` says what was expected.
Value convert(const Value& raw, const FieldDef& f, Derivation derivation, std::string& error) {
  if (isNull(raw)) return {};
  const auto* text = std::get_if<std::string>(&raw);
  const auto* integer = std::get_if<std::int64_t>(&raw);
  const auto* real = std::get_if<double>(&raw);
  if (derivation == Derivation::PoliceFigures && f.type != FieldType::Text && text &&
      (*text == "." || *text == "x"))
    return {};  // StatLine: "." not available, "x" secret
  if ((derivation == Derivation::Cbs || derivation == Derivation::PoliceFigures) &&
      f.type != FieldType::Text) {
    if ((integer && isCbsSentinel(double(*integer))) || (real && isCbsSentinel(*real))) return {};
    if (text) {
      if (auto n = parseNumber(*text); n && isCbsSentinel(*n)) return {};
    }
  }
  const std::string shown = text ? "'" + *text + "'" : describeValue(raw);
  switch (f.type) {
    case FieldType::Text:
      if (text && derivation == Derivation::PoliceFigures) {
        // StatLine pads its codes also inside quotes ("1.1.1   "), which the CSV keeps.
        const std::size_t b = text->find_first_not_of(' ');
        return b == std::string::npos ? std::string()
                                      : text->substr(b, text->find_last_not_of(' ') - b + 1);
      }
      if (text) return *text;
      if (integer) {
        if (isBagIdField(f) && *integer >= 0) return fmt::format("{:016}", *integer);
        return std::to_string(*integer);
      }
      return formatReal(*real);
    case FieldType::Integer:
      if (integer) return *integer;
      if (real && std::trunc(*real) == *real && std::abs(*real) < 9e15) return std::int64_t(*real);
      if (text) {
        if (auto v = parseInteger(*text)) return *v;
      }
      error = "expected a whole number (INTEGER), got " + shown;
      return {};
    case FieldType::Real:
      if (real) return *real;
      if (integer) return double(*integer);
      if (auto v = parseNumber(*text)) return *v;
      error = "expected a number (REAL, decimal comma or point), got " + shown;
      return {};
    case FieldType::Boolean:
      if (integer && (*integer == 0 || *integer == 1)) return *integer;
      if (real && (*real == 0.0 || *real == 1.0)) return std::int64_t(*real);
      if (text) {
        if (auto b = parseBoolean(*text)) return std::int64_t(*b ? 1 : 0);
      }
      error = "expected ja/nee (or j/n, 1/0, true/false), got " + shown;
      return {};
    case FieldType::Date:
      if (text) {
        if (auto d = parseDate(*text)) return *d;
      }
      error = notACalendarDate(text)
                  ? shown + " is not an existing date; expected a real calendar date"
                  : "expected a date dd-mm-jjjj (also d-m-jjjj, dd/mm/jjjj) or jjjj-mm-dd, got " +
                        shown;
      return {};
    case FieldType::DateTime:
      if (text) {
        if (auto d = parseDateTime(*text)) return *d;
      }
      error = notACalendarDate(text)
                  ? shown + " is not an existing date and time; expected a real calendar date"
                  : "expected a date and time dd-mm-jjjj hh:mm(:ss) or jjjj-mm-ddThh:mm:ss, got " +
                        shown;
      return {};
  }
  return {};
}

/// Keys met in a run that keeps no records (validateFile with keepRecords off), in a private
/// temporary SQLite file with a small page cache: memory stays bounded however many keys.
class KeyIndex {
 public:
  KeyIndex() {
    if (sqlite3_open("", &db_) != SQLITE_OK) fail("open");
    exec("PRAGMA cache_size = -8192");
    exec("PRAGMA journal_mode = OFF");
    exec("PRAGMA synchronous = OFF");
    exec(
        "CREATE TABLE k (laag TEXT, sleutel TEXT, waar TEXT, PRIMARY KEY (laag, sleutel)) "
        "WITHOUT ROWID");
    exec("BEGIN");
    prepare("INSERT INTO k VALUES (?, ?, ?)", insert_);
    prepare("SELECT waar FROM k WHERE laag = ? AND sleutel = ?", select_);
  }
  ~KeyIndex() {
    sqlite3_finalize(insert_);
    sqlite3_finalize(select_);
    sqlite3_close(db_);
  }
  KeyIndex(const KeyIndex&) = delete;
  KeyIndex& operator=(const KeyIndex&) = delete;
  /// Records `key` of `layer` as met `where`; when it was met before, returns where that was.
  std::optional<std::string> seen(const std::string& layer, const std::string& key,
                                  const std::string& where) {
    bind(insert_, layer, key);
    sqlite3_bind_text(insert_, 3, where.data(), int(where.size()), SQLITE_TRANSIENT);
    const int rc = sqlite3_step(insert_);
    sqlite3_reset(insert_);
    if (rc == SQLITE_DONE) return std::nullopt;
    if ((rc & 0xff) != SQLITE_CONSTRAINT) fail("insert");
    bind(select_, layer, key);
    std::optional<std::string> out;
    if (sqlite3_step(select_) == SQLITE_ROW)
      out = reinterpret_cast<const char*>(sqlite3_column_text(select_, 0));
    sqlite3_reset(select_);
    return out ? out : std::optional<std::string>(std::string());
  }

 private:
  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
  }
  void prepare(const char* sql, sqlite3_stmt*& st) {
    if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK) fail(sql);
  }
  void bind(sqlite3_stmt* st, const std::string& layer, const std::string& key) {
    sqlite3_bind_text(st, 1, layer.data(), int(layer.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, key.data(), int(key.size()), SQLITE_TRANSIENT);
  }
  [[noreturn]] void fail(const std::string& what) {
    throw geo::LibraryError("the temporary key index failed (" + what +
                            "): " + (db_ ? sqlite3_errmsg(db_) : "cannot open"));
  }
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* select_ = nullptr;
};

/// Everything known across files of one run: keys seen, stored keys, allowed categories.
struct RunContext {
  std::unique_ptr<KeyIndex> keyIndex;  // keepRecords off: keys on disk, not in keysSeen
  std::set<std::string> categories;
  std::map<std::string, std::string> categoryLabels;                   // code -> naam
  std::map<std::string, std::map<std::string, std::string>> keysSeen;  // layer -> key -> where
  Store* store = nullptr;

  // Streaming import (importFiles): rows are written chunk by chunk inside the store's import
  // transaction; keys are then checked by the store's unique indexes (ImportWriter), not in
  // memory. `ds`: that transaction's GDAL dataset (nullptr on PostGIS).
  bool streaming = false;
  GDALDataset* ds = nullptr;
  std::string started;
  struct Written {
    std::unique_ptr<ImportWriter> writer;
    std::string file;
    std::string layer;
  };
  std::vector<Written> writers;
  // Register update (ImportOptions::update): one RegisterUpdate per layer, in first-met order,
  // with the first file (to locate its problems); rows changed per import (its rijen).
  struct Updating {
    std::unique_ptr<RegisterUpdate> update;
    std::string file;
  };
  std::vector<Updating> updates;
  std::map<std::int64_t, std::int64_t> changedByImport;
  RegisterUpdate& updateFor(const LayerDef& def, const std::string& file) {
    for (auto& u : updates)
      if (u.update->summary().layer == def.name) return *u.update;
    if (!ds)
      throw geo::OptionError("update",
                             "updating a register by key (--update) goes through "
                             "layers::importIntoStore on this store (" +
                                 store->path() + ")");
    updates.push_back({std::make_unique<RegisterUpdate>(*ds, def), file});
    return *updates.back().update;
  }
  const Written* byImport(std::int64_t importId) const {
    for (const auto& w : writers)
      if (w.writer->importId() == importId) return &w;
    return nullptr;
  }

  /// Which of `keys` the store already holds in `layer`.`keyField`; asked in chunks so that a
  /// large layer (BAG: millions of panden) is never read whole.
  std::set<std::string> storedAmong(const LayerDef& layer, const std::vector<std::string>& keys) {
    std::set<std::string> found;
    if (!store || layer.key.empty() || keys.empty()) return found;
    const bool numeric = layer.field(layer.key)->type == FieldType::Integer;
    constexpr std::size_t kChunk = 500;
    for (std::size_t start = 0; start < keys.size(); start += kChunk) {
      std::string list;
      for (std::size_t i = start; i < std::min(keys.size(), start + kChunk); ++i) {
        std::string k = keys[i];
        if (numeric && std::all_of(k.begin(), k.end(),
                                   [](char c) { return c == '-' || (c >= '0' && c <= '9'); })) {
          list += (list.empty() ? "" : ",") + k;
          continue;
        }
        std::string quoted = "'";
        for (char c : k) quoted += c == '\'' ? std::string("''") : std::string(1, c);
        list += (list.empty() ? "" : ",") + quoted + "'";
      }
      for (const auto& row : store->query("SELECT \"" + layer.key + "\" FROM \"" + layer.name +
                                          "\" WHERE \"" + layer.key + "\" IN (" + list + ")"))
        if (!row.empty() && row[0]) found.insert(*row[0]);
    }
    return found;
  }
};

std::optional<geo::Point> samplePoint(const OGRGeometry* g) {
  if (!g || g->IsEmpty()) return std::nullopt;
  OGREnvelope e;
  g->getEnvelope(&e);
  if (!std::isfinite(e.MinX) || !std::isfinite(e.MinY)) return std::nullopt;
  return geo::Point{e.MinX, e.MinY};
}

bool isRd(const OGRSpatialReference& srs) {
  if (geo::crsName(srs) == "EPSG:28992") return true;
  geo::SpatialRefPtr rd = geo::parseCrs("EPSG:28992");
  const char* opts[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES", nullptr};
  return srs.IsSame(rd.get(), opts);
}

/// The is_schuur rule documented in importer.h.
std::int64_t deriveIsSchuur(double area, const Value& gebruiksdoel, const Value& aantalVbo) {
  if (area < 150.0) return 0;
  const auto* doel = std::get_if<std::string>(&gebruiksdoel);
  const std::vector<std::string> items = doel ? splitCommaList(*doel) : std::vector<std::string>{};
  for (const auto& d : items)
    if (d == "woonfunctie") return 0;
  const auto* n = std::get_if<std::int64_t>(&aantalVbo);
  if (!n || *n == 0 || items.empty()) return 1;
  for (const auto& d : items)
    if (d != "industriefunctie" && d != "overige gebruiksfunctie") return 0;
  return 1;
}

class TableImporter {
 public:
  TableImporter(SourceTable& t, const ImportOptions& options, const FieldMapping& mapping,
                RunContext& ctx, bool multiLayer)
      : t_(t), options_(options), mapping_(mapping), ctx_(ctx), multiLayer_(multiLayer) {}

  /// Returns false when the table was skipped (unrecognised layer of a multi-layer file).
  bool run(ValidationReport& out, geo::Progress& progress);

 private:
  /// Records an error; the same message for the same field on other rows is kept once, with
  /// its rows (finishErrors writes "... in N rows: 2, 5, 9, …").
  void error(std::optional<std::int64_t> row, const std::string& field, std::string msg) {
    addError({{t_.file, row, field}, std::move(msg)});
  }
  void addError(Problem p) {
    ++errorCount_;
    const std::string key = p.where.field + '\x1f' + p.message;
    if (auto it = groups_.find(key); it != groups_.end()) {
      Group& g = groupList_[it->second];
      ++g.count;
      if (p.where.row && g.rows.size() < kRowsShown) g.rows.push_back(*p.where.row);
      return;
    }
    if (groupList_.size() >= kMaxDistinct) {
      ++suppressed_;
      return;
    }
    groups_.emplace(key, groupList_.size());
    Group g;
    if (p.where.row) g.rows.push_back(*p.where.row);
    groupList_.push_back(std::move(g));
    report_.errors.push_back(std::move(p));
  }
  void finishErrors();
  void noteTranslations();
  void warning(std::optional<std::int64_t> row, const std::string& field, std::string msg) {
    report_.warnings.push_back({{t_.file, row, field}, std::move(msg)});
  }
  bool chooseProfile();
  void mapColumns();
  template <class FindColumn>
  void mapSignalExport(const FindColumn& findColumn, std::set<int>& used);
  /// The raw value of target field `f` after the signal rules (time combined, everyday words
  /// translated); nullptr when an error was reported.
  const Value* signalValue(const SourceRow& row, const FieldDef& f, const Value* raw,
                           Value& replaced, std::set<std::string>& reported);
  void setupCrs();
  void convertRow(SourceRow& row, std::vector<Record>& records);
  // The steps of convertRow; `reported` collects the fields already complained about, so
  // that the schema check does not repeat them.
  void convertValues(const SourceRow& row, Record& rec, std::set<std::string>& reported);
  void convertGeometry(SourceRow& row, Record& rec, std::set<std::string>& reported);
  void deriveValues(Record& rec) const;
  void derivePolicePeriod(const SourceRow& row, Record& rec, std::set<std::string>& reported);
  void checkCategory(const SourceRow& row, const Record& rec, std::set<std::string>& reported);
  void checkKey(const SourceRow& row, const Record& rec, std::int64_t errorsBefore);
  void checkStoredKeys();
  /// Streaming: writes the chunk's valid records (creating the writer at the first), turning
  /// the store's unique conflicts into errors; the records are cleared.
  void writeChunk(std::vector<Record>& records);
  ImportBatch batchInfo() const;

  struct Group {
    std::int64_t count = 1;
    std::vector<std::int64_t> rows;  // the first kRowsShown
  };
  static constexpr std::size_t kRowsShown = 10;
  std::map<std::string, std::size_t> groups_;  // field + message -> index in groupList_
  std::vector<Group> groupList_;               // parallel to report_.errors
  std::int64_t errorCount_ = 0;                // every error, also repeated ones

  // Signals exports (Derivation::SignalExport) and every signalen import: everyday values.
  std::optional<SignalVocabulary> vocab_;
  int timeColumn_ = -1;  // a separate time column combined with waargenomen_van
  bool generateId_ = false;
  bool defaultStatus_ = false;
  struct Translation {
    std::string value;
    MatchKind kind;
    std::int64_t rows = 0;
  };
  std::map<std::pair<std::string, std::string>, Translation> translated_;  // (field, raw)

  struct PendingKey {
    std::string key;
    std::int64_t row;
    bool rowValid;
  };
  std::vector<PendingKey> pendingKeys_;
  ImportWriter* writer_ = nullptr;                // streaming: this table's writer once it has rows
  std::size_t storedKeyGroup_ = std::size_t(-1);  // the "already in the store" error
  std::string storedKeyExample_;
  std::string concurrentKeyExample_;
  std::int64_t suppressed_ = 0;  // distinct errors past kMaxDistinct (not listed)
  static constexpr std::size_t kMaxDistinct = 1000;

  SourceTable& t_;
  const ImportOptions& options_;
  const FieldMapping& mapping_;
  RunContext& ctx_;
  bool multiLayer_;
  SourceReport report_;
  const DatasetProfile* profile_ = nullptr;
  const LayerDef* def_ = nullptr;
  std::vector<int> sourceOf_;  // per target field: source column or -1
  std::set<std::string> missingRequired_;
  std::optional<geo::CrsTransformer> transformer_;
  bool crsOk_ = false;
};

bool TableImporter::chooseProfile() {
  const std::string forced = !mapping_.layer.empty() ? mapping_.layer : options_.layer;
  const bool explicitFields = !mapping_.fields.empty();
  profile_ = recognise(t_.fields, t_.geometryKind, t_.name, forced);
  // A CSV without coordinate columns is a table or a point layer whose coordinates are missing:
  // recognise it regardless of geometry, so that the missing columns can be named.
  if (!profile_ && t_.driver == "CSV" && !t_.hasGeometry)
    profile_ = recognise(t_.fields, std::nullopt, t_.name, forced);
  if (!profile_ && !forced.empty()) {
    if (multiLayer_ && !explicitFields && options_.sourceLayer.empty()) return false;
    profile_ = &ownLayerProfile(forced);
    report_.recognisedAs = explicitFields ? "explicit mapping" : "layer " + forced + " (by name)";
  } else if (!profile_) {
    if (multiLayer_ && options_.sourceLayer.empty()) return false;
    error(std::nullopt, {},
          "not recognised: the fields (" + joinNames(t_.fields) +
              ") match no known dataset (BAG pand/verblijfsobject, CBS wijk- en buurtkaart, NWB "
              "wegvakken, IBIS, Veldwacht layers, a signals export with a date and a category "
              "column such as Datum and Categorie); expected --layer with a mapping "
              "(--map source=target or a mapping JSON file)");
    return true;
  } else {
    report_.recognisedAs = profile_->name + (explicitFields ? " + explicit mapping" : "");
  }
  def_ = &layerDef(profile_->layer);
  report_.layer = def_->name;
  if (options_.update && !isRegisterLayer(def_->name)) {
    std::vector<std::string> registers;
    for (const auto& d : layerDefs())
      if (isRegisterLayer(d.name)) registers.push_back(d.name);
    error(std::nullopt, {},
          "--update replaces a register by its key, and " + def_->name +
              " is not a register (its rows are the store's own); expected --update only for "
              "files of a register: " +
              joinNames(registers));
  }
  return true;
}

void TableImporter::mapColumns() {
  auto findColumn = [&](const std::string& name) -> int {
    const std::string l = toLowerAscii(name);
    for (std::size_t i = 0; i < t_.fields.size(); ++i)
      if (toLowerAscii(t_.fields[i]) == l) return int(i);
    return -1;
  };
  sourceOf_.assign(def_->fields.size(), -1);
  for (std::size_t j = 0; j < def_->fields.size(); ++j) {
    for (const auto& fsrc : profile_->fields) {
      if (fsrc.target != def_->fields[j].name) continue;
      for (const auto& s : fsrc.sources)
        if (int i = findColumn(s); i >= 0) {
          sourceOf_[j] = i;
          break;
        }
    }
  }
  std::set<int> used;
  for (const auto& [src, dst] : mapping_.fields) {
    const int i = findColumn(src);
    const std::string d = toLowerAscii(dst);
    if (i < 0) {
      error(std::nullopt, src,
            "the mapping (" + mapping_.origin + ") names source field '" + src +
                "', which the file does not have; expected one of: " + joinNames(t_.fields));
      continue;
    }
    used.insert(i);
    const int j = def_->fieldIndex(d);
    if (j >= 0) sourceOf_[std::size_t(j)] = i;
  }
  mapSignalExport(findColumn, used);
  for (int i : sourceOf_)
    if (i >= 0) used.insert(i);
  std::vector<std::string> unused;
  for (std::size_t i = 0; i < t_.fields.size(); ++i) {
    const bool geomCol = std::find(t_.geometryColumnNames.begin(), t_.geometryColumnNames.end(),
                                   t_.fields[i]) != t_.geometryColumnNames.end();
    if (!used.count(int(i)) && !geomCol) unused.push_back(t_.fields[i]);
  }
  if (!unused.empty())
    warning(std::nullopt, {},
            "columns not imported (no matching field in " + def_->name + "): " + joinNames(unused));
  for (std::size_t j = 0; j < def_->fields.size(); ++j) {
    const FieldDef& f = def_->fields[j];
    if (!f.required || !f.defaultValue.empty() || sourceOf_[j] >= 0) continue;
    if ((generateId_ && f.name == "signaal_id") || (defaultStatus_ && f.name == "status")) continue;
    if (profile_->derivation == Derivation::PoliceFigures && f.name == "sleutel") continue;
    missingRequired_.insert(f.name);
    error(std::nullopt, f.name,
          "required column '" + f.name + "' (" + fieldTypeName(f.type) +
              ") is missing; the file has: " + joinNames(t_.fields) + "; expected a column named " +
              f.name + " (any case) or a mapping source=" + f.name);
  }
}

// Signals: everyday words for categorie/brontype/status/betrouwbaarheid (every signalen import);
// for a signals export also a separate time column, generated ids and status nieuw.
template <class FindColumn>
void TableImporter::mapSignalExport(const FindColumn& findColumn, std::set<int>& used) {
  if (def_->name != "signalen") return;
  std::map<std::string, std::string> labels = ctx_.categoryLabels;
  for (const auto& c : ctx_.categories) labels.emplace(c, "");
  vocab_.emplace(labels);
  if (profile_->derivation != Derivation::SignalExport) return;
  const int van = def_->fieldIndex("waargenomen_van");
  const int dateColumn = sourceOf_[std::size_t(van)];
  for (const auto& n : timeColumnNames())
    if (const int i = findColumn(n); i >= 0 && i != dateColumn && !used.count(i)) {
      timeColumn_ = i;
      used.insert(i);
      break;
    }
  generateId_ = sourceOf_[std::size_t(def_->fieldIndex("signaal_id"))] < 0;
  defaultStatus_ = sourceOf_[std::size_t(def_->fieldIndex("status"))] < 0;

  std::string columns;
  for (std::size_t j = 0; j < def_->fields.size(); ++j) {
    if (sourceOf_[j] < 0) continue;
    std::string src = t_.fields[std::size_t(sourceOf_[j])];
    if (int(j) == van && timeColumn_ >= 0) src += " + " + t_.fields[std::size_t(timeColumn_)];
    columns += (columns.empty() ? "" : ", ") + src + " -> " + def_->fields[j].name;
  }
  if (!t_.geometryColumns.empty())
    columns += (columns.empty() ? "" : ", ") + t_.geometryColumns + " -> geometry";
  report_.notes.push_back("columns: " + columns);
  if (generateId_)
    report_.notes.push_back(
        "no id column: signaal_id generated from each row's content (GEN- and 16 hex digits of "
        "its SHA-256; the same row gives the same id, so a second import is refused as "
        "duplicates)");
  if (defaultStatus_) report_.notes.push_back("no status column: status nieuw for every row");
}

const Value* TableImporter::signalValue(const SourceRow& row, const FieldDef& f, const Value* raw,
                                        Value& replaced, std::set<std::string>& reported) {
  if (timeColumn_ >= 0 && f.name == "waargenomen_van" &&
      std::size_t(timeColumn_) < row.values.size()) {
    const auto* date = std::get_if<std::string>(raw);
    const auto* time = std::get_if<std::string>(&row.values[std::size_t(timeColumn_)]);
    if (date && time) {
      if (const auto day = parseDate(*date)) {
        if (!parseDateTime(*day + " " + *time)) {
          error(row.row, t_.fields[std::size_t(timeColumn_)],
                "expected a time of day hh:mm or hh:mm:ss (also hh.mm), got '" + *time + "'");
          reported.insert(f.name);
          return nullptr;
        }
        replaced = *day + " " + *time;
        raw = &replaced;
      }
    }
  }
  if (vocab_ && SignalVocabulary::handles(f.name)) {
    if (const auto* text = std::get_if<std::string>(raw)) {
      if (auto m = vocab_->match(f.name, *text)) {
        if (m->kind != MatchKind::Exact) {
          Translation& t = translated_[{f.name, *text}];
          t.value = m->value;
          t.kind = m->kind;
          ++t.rows;
        }
        replaced = m->value;
        return &replaced;
      }
      if (f.name == "categorie") {
        const std::string hint = vocab_->suggest(f.name, *text);
        std::vector<std::string> codes(ctx_.categories.begin(), ctx_.categories.end());
        error(row.row, f.name,
              "unknown category '" + *text + "'" +
                  (hint.empty() ? "; expected" : "; did you mean " + hint + "? Expected") +
                  " a code or label of: " + joinNames(codes));
        reported.insert(f.name);
        return nullptr;
      }
      if (const std::string hint = vocab_->suggest(f.name, *text); !hint.empty()) {
        error(row.row, f.name,
              "'" + *text + "' is not allowed; did you mean " + hint +
                  "? Expected one of: " + joinNames(f.allowed));
        reported.insert(f.name);
        return nullptr;
      }
    }
  }
  return raw;
}

void TableImporter::noteTranslations() {
  std::map<std::string, std::vector<std::string>> perField;
  for (const auto& [key, t] : translated_)
    perField[key.first].push_back(fmt::format("'{}' -> {} ({}, {} {})", key.second, t.value,
                                              matchKindName(t.kind), t.rows,
                                              t.rows == 1 ? "row" : "rows"));
  constexpr std::size_t kShown = 20;
  for (const auto& [field, items] : perField) {
    std::string line = field + " values translated: ";
    for (std::size_t i = 0; i < items.size() && i < kShown; ++i) line += (i ? ", " : "") + items[i];
    if (items.size() > kShown) line += fmt::format(", and {} more", items.size() - kShown);
    report_.notes.push_back(line);
  }
}

// A message repeated over rows becomes "<message up to its first '; '> in N rows: 2, 5, 9, …
// <rest>"; then the problems are ordered file-level first, then by row, so that the first
// problem (the one-line summary's location) is the first in the file.
void TableImporter::finishErrors() {
  if (storedKeyGroup_ < report_.errors.size() && groupList_[storedKeyGroup_].count == 1) {
    Problem& p = report_.errors[storedKeyGroup_];
    p.message = p.where.field + " '" + storedKeyExample_ + "' is already in the store (layer " +
                def_->name + "); expected a new " + p.where.field + registerHint(def_->name);
  }
  if (suppressed_ > 0)
    report_.errors.push_back({{t_.file, std::nullopt, {}},
                              fmt::format("and {} more errors of other kinds, not listed (the "
                                          "first {} kinds are)",
                                          suppressed_, kMaxDistinct)});
  for (std::size_t i = 0; i < report_.errors.size() && i < groupList_.size(); ++i) {
    const Group& g = groupList_[i];
    if (g.count < 2) continue;
    std::string where;
    if (g.rows.empty()) {
      where = fmt::format(" ({} times)", g.count);
    } else {
      where = fmt::format(" in {} rows: ", g.count);
      for (std::size_t k = 0; k < g.rows.size(); ++k)
        where += (k ? ", " : "") + std::to_string(g.rows[k]);
      if (std::int64_t(g.rows.size()) < g.count) where += ", \u2026";
    }
    std::string& m = report_.errors[i].message;
    const std::size_t cut = m.find("; ");
    m.insert(cut == std::string::npos ? m.size() : cut, where);
  }
  std::stable_sort(report_.errors.begin(), report_.errors.end(),
                   [](const Problem& a, const Problem& b) {
                     const std::int64_t ra = a.where.row.value_or(-1);
                     const std::int64_t rb = b.where.row.value_or(-1);
                     return ra < rb;
                   });
}

void TableImporter::setupCrs() {
  if (def_->geometry == GeometryKind::None) {
    crsOk_ = true;
    return;
  }
  if (!t_.hasGeometry) {
    error(
        std::nullopt, "geometry",
        std::string("the file has no geometry") +
            (t_.driver == "CSV"
                 ? " columns; expected x and y (x, y, x_rd, y_rd, rd_x, rd_y, xcoord, ...), lat "
                   "and "
                   "lon (lat, lon, lng, breedtegraad, lengtegraad, ...) or a wkt column, or map "
                   "yours with --map column=x,column=y"
                 : "; expected " + std::string(geometryKindName(def_->geometry)) + " per feature") +
            " for layer " + def_->name);
    return;  // crsOk_ stays false: rows do not repeat the complaint
  }
  std::vector<geo::Point> samples;
  for (const auto& r : t_.rows)
    if (auto p = samplePoint(r.geometry.get())) samples.push_back(*p);

  geo::SpatialRefPtr srs;
  std::string origin;
  const std::string override = !options_.sourceCrs.empty() ? options_.sourceCrs : mapping_.crs;
  if (!override.empty()) {
    srs = geo::parseCrs(override, "sourceCrs");
    origin = "given with --crs";
    if (t_.crs && !t_.crsImplied && geo::crsName(*t_.crs) != geo::crsName(*srs))
      warning(std::nullopt, "geometry",
              "the file declares " + geo::crsName(*t_.crs) + "; it was overridden with " +
                  geo::crsName(*srs));
  } else if (t_.crs) {
    srs.reset(t_.crs->Clone());
    origin =
        t_.crsImplied ? "implied by the columns " + t_.geometryColumns : "declared in the file";
  } else if (!t_.crsUnreadable.empty()) {
    error(std::nullopt, "geometry",
          t_.crsUnreadable + "; expected a valid .prj, or give the CRS with --crs");
    return;
  } else {
    const geo::CoordinateLook look = geo::classifyCoordinates(samples);
    if (look == geo::CoordinateLook::Rd || look == geo::CoordinateLook::Empty) {
      srs = geo::parseCrs("EPSG:28992");
      origin = "assumed";
      if (look == geo::CoordinateLook::Rd)
        warning(std::nullopt, "geometry",
                "no CRS declared (" +
                    std::string(t_.driver == "ESRI Shapefile" ? "no .prj next to the shapefile"
                                                              : "none in the file") +
                    "); the coordinates look like RD, so EPSG:28992 was assumed");
    } else {
      const geo::Point& s = samples.front();
      error(std::nullopt, "geometry",
            fmt::format("no CRS declared ({}) and the coordinates look like {} (e.g. x={}, y={}); "
                        "expected a CRS: give it with --crs (EPSG:4326 for lon/lat degrees, "
                        "EPSG:28992 for RD)",
                        t_.driver == "ESRI Shapefile" ? "no .prj next to the shapefile"
                                                      : "none in the file",
                        geo::toString(look), s.x, s.y));
      return;
    }
  }
  srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  const geo::DeclaredCrs declared = isRd(*srs)            ? geo::DeclaredCrs::Rd
                                    : srs->IsGeographic() ? geo::DeclaredCrs::Geographic
                                                          : geo::DeclaredCrs::OtherProjected;
  report_.sourceCrs = geo::crsName(*srs);
  if (auto msg = geo::checkDeclaredCrs(samples, declared, "--crs")) {
    error(std::nullopt, "geometry", "CRS " + report_.sourceCrs + " (" + origin + "): " + *msg);
    return;
  }
  try {
    transformer_.emplace(*srs, samples.empty() ? std::nullopt : std::optional(samples.front()));
    report_.transformation = transformer_->note();
    crsOk_ = true;
  } catch (const geo::Error& e) {
    error(std::nullopt, "geometry", std::string("cannot transform to EPSG:28992: ") + e.what());
  }
}

void TableImporter::convertValues(const SourceRow& row, Record& rec,
                                  std::set<std::string>& reported) {
  for (std::size_t j = 0; j < def_->fields.size(); ++j) {
    const int i = sourceOf_[j];
    if (i < 0 || std::size_t(i) >= row.values.size()) continue;
    const FieldDef& f = def_->fields[j];
    Value replaced;
    const Value* raw = signalValue(row, f, &row.values[std::size_t(i)], replaced, reported);
    if (!raw) continue;
    std::string err;
    rec.values[j] = convert(*raw, f, profile_->derivation, err);
    if (!err.empty()) {
      error(row.row, f.name, err);
      reported.insert(f.name);
      continue;
    }
    if (isBagIdField(f)) {
      if (const auto* s = std::get_if<std::string>(&rec.values[j])) {
        const bool digits16 = s->size() == 16 && std::all_of(s->begin(), s->end(), [](char c) {
                                return c >= '0' && c <= '9';
                              });
        if (!digits16) {
          error(row.row, f.name,
                fmt::format("expected a 16-digit BAG identificatie, got '{}' ({} characters)", *s,
                            s->size()));
          reported.insert(f.name);
        }
      }
    }
  }
  if (profile_->derivation == Derivation::PoliceFigures) derivePolicePeriod(row, rec, reported);
  if (generateId_)
    rec.values[std::size_t(def_->fieldIndex("signaal_id"))] = generatedSignalId(row.values);
  if (defaultStatus_) rec.values[std::size_t(def_->fieldIndex("status"))] = std::string("nieuw");
}

// Shape first (source CRS), then CRS, the Netherlands and validity (RD).
void TableImporter::convertGeometry(SourceRow& row, Record& rec, std::set<std::string>& reported) {
  if (def_->geometry == GeometryKind::None) {
    row.geometry.reset();
    return;
  }
  if (!t_.hasGeometry) {
    reported.insert("geometry");  // said once for the file (setupCrs)
    return;
  }
  std::string gerr = row.geometryError;
  if (gerr.empty()) gerr = normaliseGeometry(row.geometry, def_->geometry);
  if (gerr.empty() && crsOk_ && row.geometry) {
    if (!transformer_->toRd(*row.geometry)) {
      gerr = "cannot transform the geometry from " + report_.sourceCrs + " to EPSG:28992";
    } else {
      OGREnvelope e;
      row.geometry->getEnvelope(&e);
      for (const geo::Point corner : {geo::Point{e.MinX, e.MinY}, geo::Point{e.MaxX, e.MaxY}})
        if (auto msg = geo::checkInsideNetherlands(corner); msg && gerr.empty()) gerr = *msg;
      if (gerr.empty()) {
        const ValidityOutcome v = checkValidity(row.geometry, def_->geometry, options_.makeValid);
        gerr = v.error;
        if (!v.repaired.empty()) {
          warning(row.row, "geometry", v.repaired);
          ++report_.repaired;
        }
      }
    }
  }
  if (!gerr.empty()) {
    error(row.row, "geometry", gerr);
    reported.insert("geometry");
  }
  if (!crsOk_) reported.insert("geometry");  // the file-level CRS error says it all
  rec.geometry = std::move(row.geometry);
}

// Police figures: jaar and maand from StatLine's period code, and the key
// regiocode|soort_misdrijf|periode, when the source has none of them.
void TableImporter::derivePolicePeriod(const SourceRow& row, Record& rec,
                                       std::set<std::string>& reported) {
  auto at = [&](const char* name) -> Value& {
    return rec.values[std::size_t(def_->fieldIndex(name))];
  };
  const auto* periode = std::get_if<std::string>(&at("periode"));
  if (!periode || reported.count("periode")) return;
  const std::string& p = *periode;
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const bool digits =
      p.size() == 8 && std::all_of(p.begin(), p.begin() + 4, digit) && digit(p[6]) && digit(p[7]);
  const std::string kind = p.size() == 8 ? p.substr(4, 2) : std::string();
  const int n = digits ? std::stoi(p.substr(6, 2)) : -1;
  const bool ok = digits && ((kind == "JJ" && n == 0) || (kind == "MM" && n >= 1 && n <= 12) ||
                             (kind == "KW" && n >= 1 && n <= 4));
  if (!ok) {
    error(row.row, "periode",
          "expected a StatLine period such as 2023JJ00 (year), 2024MM03 (month) or 2024KW01 "
          "(quarter), got '" +
              p + "'");
    reported.insert("periode");
    reported.insert("sleutel");  // derived from it: not a second problem
    return;
  }
  if (isNull(at("jaar"))) at("jaar") = std::int64_t(std::stoi(p.substr(0, 4)));
  if (isNull(at("maand")) && kind == "MM") at("maand") = std::int64_t(n);
  if (isNull(at("sleutel"))) {
    const auto* regio = std::get_if<std::string>(&at("regiocode"));
    const auto* soort = std::get_if<std::string>(&at("soort_misdrijf"));
    if (regio && soort) at("sleutel") = *regio + "|" + *soort + "|" + p;
  }
}

// The synthetic flag, and a BAG pand's area and is_schuur when the source has none.
void TableImporter::deriveValues(Record& rec) const {
  if (options_.synthetic) {
    if (const int syn = def_->fieldIndex("synthetisch"); syn >= 0)
      rec.values[std::size_t(syn)] = std::int64_t(1);
  }
  if (profile_->derivation == Derivation::BagPand && rec.geometry) {
    const int opp = def_->fieldIndex("oppervlakte_m2");
    const int schuur = def_->fieldIndex("is_schuur");
    const double area = OGR_G_Area(OGRGeometry::ToHandle(rec.geometry.get()));
    if (opp >= 0 && isNull(rec.values[std::size_t(opp)])) rec.values[std::size_t(opp)] = area;
    if (schuur >= 0 && isNull(rec.values[std::size_t(schuur)])) {
      const int doel = def_->fieldIndex("gebruiksdoel");
      const int vbo = def_->fieldIndex("aantal_verblijfsobjecten");
      rec.values[std::size_t(schuur)] =
          deriveIsSchuur(area, doel >= 0 ? rec.values[std::size_t(doel)] : Value{},
                         vbo >= 0 ? rec.values[std::size_t(vbo)] : Value{});
    }
  }
}

// Signal categories: a reference to signaal_categorieen, checked here to list the codes.
void TableImporter::checkCategory(const SourceRow& row, const Record& rec,
                                  std::set<std::string>& reported) {
  if (reported.count("categorie")) return;
  if (const int cat = def_->fieldIndex("categorie"); cat >= 0 && def_->name == "signalen") {
    if (const auto* c = std::get_if<std::string>(&rec.values[std::size_t(cat)]);
        c && !ctx_.categories.count(*c)) {
      std::vector<std::string> codes(ctx_.categories.begin(), ctx_.categories.end());
      error(row.row, "categorie",
            "unknown category '" + *c + "'; expected one of: " + joinNames(codes));
      reported.insert("categorie");
    }
  }
}

// Natural key: unique within the run (here) and against the store (checkStoredKeys).
void TableImporter::checkKey(const SourceRow& row, const Record& rec, std::int64_t errorsBefore) {
  if (def_->key.empty() || ctx_.streaming) return;  // streaming: the store's unique index checks

  const int k = def_->fieldIndex(def_->key);
  const std::string key = keyText(rec.values[std::size_t(k)]);
  if (key.empty()) return;
  const std::string here = fmt::format("{} row {}", t_.file, row.row);
  if (!options_.keepRecords) {
    if (!ctx_.keyIndex) ctx_.keyIndex = std::make_unique<KeyIndex>();
    if (auto where = ctx_.keyIndex->seen(def_->name, key, here))
      error(row.row, def_->key,
            "duplicate " + def_->key + " '" + key + "' (also in " + *where + "); expected each " +
                def_->key + " once");
    return;  // no store to check against (validateFile)
  }
  auto& seen = ctx_.keysSeen[def_->name];
  if (auto it = seen.find(key); it != seen.end()) {
    error(row.row, def_->key,
          "duplicate " + def_->key + " '" + key + "' (also in " + it->second + "); expected each " +
              def_->key + " once");
  } else {
    seen.emplace(key, here);
    pendingKeys_.push_back({key, row.row, errorCount_ == errorsBefore});
  }
}

void TableImporter::convertRow(SourceRow& row, std::vector<Record>& records) {
  const std::int64_t errorsBefore = errorCount_;
  Record rec;
  rec.sourceRow = row.row;
  rec.values.assign(def_->fields.size(), Value{});
  std::set<std::string> reported = missingRequired_;
  convertValues(row, rec, reported);
  convertGeometry(row, rec, reported);
  deriveValues(rec);
  checkCategory(row, rec, reported);

  // Everything else the schema says (required, lists, widths, ...), minus what was said above.
  std::vector<Problem> schemaProblems;
  validateRecord(*def_, rec, t_.file, schemaProblems);
  for (auto& p : schemaProblems)
    if (!reported.count(p.where.field)) addError(std::move(p));

  checkKey(row, rec, errorsBefore);
  if (errorCount_ == errorsBefore) {
    ++report_.rowsValid;
    records.push_back(std::move(rec));
  }
}

void TableImporter::checkStoredKeys() {
  std::vector<std::string> keys;
  keys.reserve(pendingKeys_.size());
  for (const auto& p : pendingKeys_) keys.push_back(p.key);
  const std::set<std::string> found = ctx_.storedAmong(*def_, keys);
  // One stored key is named; many are one problem with their rows (a file imported twice).
  std::string example;
  for (const auto& p : pendingKeys_)
    if (found.count(p.key)) {
      example = p.key;
      break;
    }
  for (const auto& p : pendingKeys_) {
    if (!found.count(p.key)) continue;
    if (found.size() == 1)
      error(p.row, def_->key,
            def_->key + " '" + p.key + "' is already in the store (layer " + def_->name +
                "); expected a new " + def_->key + registerHint(def_->name));
    else
      error(p.row, def_->key,
            def_->key + " already in the store (layer " + def_->name + "); e.g. '" + example +
                "'; was this file imported before? expected a new " + def_->key +
                registerHint(def_->name));
    if (p.rowValid) --report_.rowsValid;
  }
}

ImportBatch TableImporter::batchInfo() const {
  ImportBatch batch;
  batch.layer = def_->name;
  batch.sourceFile = t_.file;
  batch.sourceSha256 = fileSha256(t_.file);
  batch.sourceCrs = report_.sourceCrs;
  batch.transformation = report_.transformation;
  for (const auto& w : report_.warnings) batch.warnings.push_back(w.str());
  return batch;
}

void TableImporter::writeChunk(std::vector<Record>& records) {
  // A file-level error (a required column missing, no usable CRS) refuses every row: nothing
  // to write, and the rows would only meet the store's NOT NULL constraints.
  const bool fileRefused =
      !missingRequired_.empty() || (def_->geometry != GeometryKind::None && !crsOk_);
  if (records.empty() || fileRefused) {
    records.clear();
    return;
  }
  if (!writer_) {
    auto w = ctx_.store->importWriter(ctx_.ds, batchInfo(), ctx_.started);
    writer_ = w.get();
    ctx_.writers.push_back({std::move(w), t_.file, def_->name});
  }
  if (options_.update) {
    // Changed rows are updated in place; only the records of new keys are inserted.
    RegisterUpdate& update = ctx_.updateFor(*def_, t_.file);
    const std::int64_t changedBefore = update.summary().changed;
    const RegisterUpdate::Chunk chunk = update.apply(records, writer_->importId(), t_.file);
    ctx_.changedByImport[writer_->importId()] += update.summary().changed - changedBefore;
    for (const IncomingDuplicate& d : chunk.duplicates) {
      --report_.rowsValid;
      error(records[d.record].sourceRow, def_->key,
            "duplicate " + def_->key + " '" + d.key + "' (also in " + d.otherFile + " row " +
                std::to_string(d.otherRow) + "); expected each " + def_->key + " once");
    }
    std::vector<Record> added;
    added.reserve(chunk.added.size());
    for (std::size_t i : chunk.added) added.push_back(std::move(records[i]));
    records = std::move(added);
  }
  for (const UniqueConflict& c : writer_->write(records)) {
    const Record& r = records[c.record];
    const std::string value = keyText(c.value);
    --report_.rowsValid;
    if (const auto* other = ctx_.byImport(c.otherImportId)) {
      error(r.sourceRow, c.field,
            "duplicate " + c.field + " '" + value + "' (also in " + other->file + " row " +
                std::to_string(other->writer->sourceRowOf(c.otherFid)) + "); expected each " +
                c.field + " once");
      continue;
    }
    if (c.concurrent) {
      // Grouped as the stored keys below: one message with an example and the rows.
      if (concurrentKeyExample_.empty()) concurrentKeyExample_ = value;
      error(r.sourceRow, c.field,
            c.field + " written by another import at the same time (layer " + def_->name +
                "); e.g. '" + concurrentKeyExample_ +
                "'; nothing of this import was written; expected a new " + c.field);
      continue;
    }
    const std::size_t before = groupList_.size();
    if (storedKeyExample_.empty()) storedKeyExample_ = value;
    error(r.sourceRow, c.field,
          c.field + " already in the store (layer " + def_->name + "); e.g. '" + storedKeyExample_ +
              "'; was this file imported before? expected a new " + c.field +
              registerHint(def_->name));
    if (groupList_.size() > before) storedKeyGroup_ = report_.errors.size() - 1;
  }
  records.clear();
}

bool TableImporter::run(ValidationReport& out, geo::Progress& progress) {
  report_.file = t_.file;
  report_.sourceLayer = t_.name;
  report_.encoding = t_.encoding;
  report_.rowsRead = std::int64_t(t_.rows.size());
  for (const auto& e : t_.errors) addError(e);
  t_.errors.clear();
  report_.warnings = t_.warnings;
  if (!chooseProfile()) return false;
  if (!def_) {
    finishErrors();
    out.sources.push_back(std::move(report_));
    return true;
  }
  mapColumns();
  setupCrs();  // samples the first chunk when streaming

  const bool streaming = ctx_.streaming;
  const bool categories = def_->name == "signaal_categorieen";
  std::vector<std::pair<std::string, std::string>> newCategories;  // code, naam
  std::vector<Record> records;
  std::vector<Record> kept;  // validateFile: every record, for the batch
  geo::ProgressStep step(progress, 0.0, 1.0, "checking " + t_.name);
  std::int64_t rowsRead = 0;
  while (true) {
    rowsRead += std::int64_t(t_.rows.size());
    records.reserve(t_.rows.size());
    for (std::size_t i = 0; i < t_.rows.size(); ++i) {
      convertRow(t_.rows[i], records);
      // The converted record holds what is needed; the source values go now, not at the end
      // (halves the peak for a large file).
      std::vector<Value>().swap(t_.rows[i].values);
      if (!t_.more) step.tick(i + 1, t_.rows.size());
    }
    for (const auto& e : t_.errors) addError(e);
    t_.errors.clear();
    if (categories) {
      const int code = def_->fieldIndex("code");
      const int naam = def_->fieldIndex("naam");
      for (const auto& r : records)
        if (const auto* c = std::get_if<std::string>(&r.values[std::size_t(code)])) {
          const auto* n = std::get_if<std::string>(&r.values[std::size_t(naam)]);
          newCategories.emplace_back(*c, n ? *n : std::string());
        }
    }
    if (streaming) {
      writeChunk(records);
    } else {
      if (options_.keepRecords)
        for (auto& r : records) kept.push_back(std::move(r));
      records.clear();
    }
    if (!t_.more) break;
    progress.checkCancelled();
    step.tick(std::size_t(t_.readFraction * 1000.0), 1000);
    if (!t_.more(t_)) break;
  }
  report_.rowsRead = rowsRead;
  if (rowsRead == 0) warning(std::nullopt, {}, "the source has no rows");
  std::vector<SourceRow>().swap(t_.rows);
  if (!streaming) checkStoredKeys();
  if (writer_) writer_->finish();
  finishErrors();
  noteTranslations();

  if (report_.errors.empty() && categories) {
    // New categories count for the signalen of later files in the same import.
    for (const auto& [c, n] : newCategories) {
      ctx_.categories.insert(c);
      if (!n.empty()) ctx_.categoryLabels[c] = n;
    }
  }
  if (report_.errors.empty() && !streaming) {
    ImportBatch batch = batchInfo();
    batch.records = std::move(kept);
    out.batches.push_back(std::move(batch));
  } else if (report_.errors.empty() && !writer_) {
    ImportBatch batch = batchInfo();  // no rows: for the "no rows to import" refusal
    out.batches.push_back(std::move(batch));
  }
  out.sources.push_back(std::move(report_));
  return true;
}

ValidationReport validateWith(const std::string& path, const ImportOptions& options,
                              const FieldMapping& mapping, RunContext& ctx,
                              geo::Progress& progress) {
  ValidationReport out;
  SourceOptions so;
  so.csvDelimiter = options.csvDelimiter;
  so.onlyLayer = options.sourceLayer;
  so.csvGeometry.x = mapping.sourceFor("x");
  so.csvGeometry.y = mapping.sourceFor("y");
  so.csvGeometry.lon = mapping.sourceFor("lon");
  so.csvGeometry.lat = mapping.sourceFor("lat");
  so.csvGeometry.wkt = mapping.sourceFor("wkt");
  so.chunkRows = options.chunkRows;
  std::vector<SourceTable> tables;
  try {
    geo::SubProgress reading(progress, 0.0, 0.5);
    tables = readSource(path, so, reading);
  } catch (const geo::InputError& e) {
    SourceReport r;
    r.file = path;
    r.errors.push_back({e.where(), e.where().str().empty()
                                       ? e.what()
                                       : std::string(e.what()).substr(e.where().str().size() + 2)});
    out.sources.push_back(std::move(r));
    return out;
  }
  std::vector<std::string> skipped;
  for (std::size_t i = 0; i < tables.size(); ++i) {
    geo::SubProgress sub(progress, 0.5 + 0.5 * double(i) / double(tables.size()),
                         0.5 + 0.5 * double(i + 1) / double(tables.size()));
    TableImporter ti(tables[i], options, mapping, ctx, tables.size() > 1);
    if (!ti.run(out, sub)) skipped.push_back(tables[i].name);
  }
  if (out.sources.empty()) {
    SourceReport r;
    r.file = path;
    r.errors.push_back({{path, std::nullopt, {}},
                        "none of the layers (" + joinNames(skipped) +
                            ") is recognised; expected a known dataset or --layer with a mapping"});
    out.sources.push_back(std::move(r));
  } else if (!skipped.empty()) {
    out.sources.front().warnings.push_back(
        {{path, std::nullopt, {}}, "layers not recognised and skipped: " + joinNames(skipped)});
  }
  return out;
}

void seedCategories(RunContext& ctx) {
  if (ctx.store) {
    for (const auto& row : ctx.store->query("SELECT code, naam FROM signaal_categorieen"))
      if (!row.empty() && row[0]) {
        ctx.categories.insert(*row[0]);
        if (row.size() > 1 && row[1]) ctx.categoryLabels[*row[0]] = *row[1];
      }
  } else {
    for (const auto& c : signalCategorySeeds()) {
      ctx.categories.insert(c.code);
      ctx.categoryLabels[c.code] = c.naam;
    }
  }
}

std::string sourceLine(const SourceReport& s) {
  std::string line = s.file;
  if (!s.sourceLayer.empty()) line += " [" + s.sourceLayer + "]";
  if (!s.layer.empty()) line += " -> " + s.layer;
  if (!s.recognisedAs.empty()) line += " (" + s.recognisedAs + ")";
  line += fmt::format(": {} rows read, {} without row errors", s.rowsRead, s.rowsValid);
  if (s.repaired) line += fmt::format(", {} geometries repaired", s.repaired);
  if (!s.encoding.empty()) line += "; encoding " + s.encoding;
  if (!s.sourceCrs.empty()) line += "\n  CRS: " + s.sourceCrs;
  if (!s.transformation.empty()) line += "\n  transformation: " + s.transformation;
  for (const auto& n : s.notes) line += "\n  " + n;
  for (const auto& e : s.errors) line += "\n  error: " + e.str();
  for (const auto& w : s.warnings) line += "\n  warning: " + w.str();
  return line;
}

}  // namespace

void ImportOptions::validate() const {
  if (!layer.empty()) checkLayerName(layer, "layer");
  if (chunkRows < 1) throw geo::OptionError("chunkRows", "must be at least 1");
  if (!sourceCrs.empty()) geo::parseCrs(sourceCrs, "sourceCrs");
  if (csvDelimiter != 0 && csvDelimiter != ';' && csvDelimiter != ',' && csvDelimiter != '\t' &&
      csvDelimiter != '|')
    throw geo::OptionError("csvDelimiter", "must be ';', ',', tab or '|'");
  loadMapping();
}

FieldMapping ImportOptions::loadMapping() const {
  FieldMapping m;
  if (!mappingFile.empty()) m = loadMappingFile(mappingFile);
  if (!mapping.empty()) {
    FieldMapping pairs = parseMappingPairs(mapping);
    for (auto& p : pairs.fields) m.fields.push_back(std::move(p));
    if (m.origin.empty()) m.origin = pairs.origin;
  }
  if (!m.layer.empty() && !layer.empty() && m.layer != layer)
    throw geo::OptionError(
        "layer", "the mapping file says layer '" + m.layer + "' but --layer says '" + layer + "'");
  if (!m.crs.empty()) geo::parseCrs(m.crs, "crs");
  const std::string target = !m.layer.empty() ? m.layer : layer;
  const bool onlyGeometry = std::all_of(m.fields.begin(), m.fields.end(), [](const auto& f) {
    const std::string d = toLowerAscii(f.second);
    return std::any_of(std::begin(kGeometryTargets), std::end(kGeometryTargets),
                       [&](const char* g) { return d == g; });
  });
  if (!m.fields.empty()) {
    // Naming only the coordinate columns (x, y, lon, lat, wkt) works with a recognised layer.
    if (target.empty() && !onlyGeometry)
      throw geo::OptionError("layer",
                             "a field mapping needs a target layer: give --layer or "
                             "\"layer\" in the mapping file");
    if (!target.empty()) checkMappingTargets(m, target);
  }
  return m;
}

bool ValidationReport::ok() const {
  return std::all_of(sources.begin(), sources.end(),
                     [](const SourceReport& s) { return s.errors.empty(); });
}

std::vector<Problem> ValidationReport::errors() const {
  std::vector<Problem> all;
  for (const auto& s : sources) all.insert(all.end(), s.errors.begin(), s.errors.end());
  return all;
}

std::string ValidationReport::str() const {
  std::string s;
  for (const auto& src : sources) s += sourceLine(src) + "\n";
  s += ok() ? "OK: no errors\n" : fmt::format("REFUSED: {} errors\n", errors().size());
  return s;
}

std::string ImportReport::str() const {
  std::string s;
  for (const auto& src : sources) s += sourceLine(src) + "\n";
  for (const auto& entry : rowsPerLayer) {
    const auto& [layer, n] = entry;
    // A lambda names entry.first, not the binding: clang 14 (the fuzz build) cannot capture
    // a structured binding.
    const bool updated = std::any_of(updates.begin(), updates.end(),
                                     [&](const auto& u) { return u.layer == entry.first; });
    if (!updated) s += fmt::format("imported {} rows into {}\n", n, layer);
  }
  for (const auto& u : updates) s += u.str() + "\n";
  if (!updates.empty())
    s += "(--update: the files are the registers' new version; rows of keys in none of them "
         "were removed)\n";
  return s;
}

ValidationReport validateFile(const std::string& path, const ImportOptions& options,
                              geo::Progress& progress) {
  options.validate();
  const FieldMapping mapping = options.loadMapping();
  RunContext ctx;
  seedCategories(ctx);
  return validateWith(path, options, mapping, ctx, progress);
}

namespace {

/// Adds `rows` to the report's count for `layer` (one line per layer, in first-seen order).
void addRows(ImportReport& report, const std::string& layer, std::int64_t rows) {
  auto it = std::find_if(report.rowsPerLayer.begin(), report.rowsPerLayer.end(),
                         [&](const auto& p) { return p.first == layer; });
  if (it == report.rowsPerLayer.end())
    report.rowsPerLayer.emplace_back(layer, rows);
  else
    it->second += rows;
}

}  // namespace

ImportReport importFiles(Store& store, std::span<const std::string> paths,
                         const ImportOptions& options, geo::Progress& progress) {
  options.validate();
  const FieldMapping mapping = options.loadMapping();
  RunContext ctx;
  ctx.store = &store;
  seedCategories(ctx);
  ImportReport report;
  std::vector<Problem> refusal;
  try {
    // Read, check and write each chunk of each file in ONE transaction; any error, cancel or
    // failure rolls all of it back (the store is then as it was).
    store.importTransaction([&](GDALDataset* ds) {
      ctx.streaming = true;
      ctx.ds = ds;
      ctx.started = localNowIso();
      std::vector<Problem> errors;
      std::vector<Problem> empty;
      for (std::size_t i = 0; i < paths.size(); ++i) {
        geo::SubProgress sub(progress, 0.95 * double(i) / double(paths.size()),
                             0.95 * double(i + 1) / double(paths.size()));
        ValidationReport v = validateWith(paths[i], options, mapping, ctx, sub);
        for (const auto& b : v.batches)
          empty.push_back({{b.sourceFile, std::nullopt, ""},
                           "no rows to import (only a header, or no features)"});
        for (auto& s : v.sources) {
          errors.insert(errors.end(), s.errors.begin(), s.errors.end());
          report.sources.push_back(std::move(s));
        }
      }
      // Register updates: the rows in none of the files are removed (or the update refused).
      if (errors.empty())
        for (auto& u : ctx.updates)
          for (auto& p : u.update->finish(u.file)) errors.push_back(std::move(p));
      for (const auto& [importId, changed] : ctx.changedByImport)
        if (changed > 0)
          runSql(*ds, fmt::format("UPDATE veldwacht_imports SET rijen = rijen + {} WHERE "
                                  "import_id = {}",
                                  changed, importId));
      // References once every file is written, so that files may come in any order.
      for (const auto& w : ctx.writers)
        for (const auto& m : w.writer->missingReferences(1000)) {
          const std::string& ref = layerDef(w.layer).field(m.field)->reference;
          errors.push_back({{w.file, w.writer->sourceRowOf(m.fid), m.field},
                            "'" + m.value + "' not found in " + ref +
                                " (neither in the store nor in this import)"});
        }
      if (errors.empty() && ctx.writers.empty()) errors = std::move(empty);
      if (!errors.empty()) {
        // Thrown as ValidationError outside: the transaction takes an exception's text for a
        // storage failure when it quotes SQLite (a damaged source GeoPackage says "database
        // disk image is malformed"), and a refusal is never that.
        refusal = std::move(errors);
        throw RefusedImport();
      }
    });
  } catch (const RefusedImport&) {
    throw ValidationError(std::move(refusal));
  }
  for (const auto& w : ctx.writers) addRows(report, w.layer, w.writer->rows());
  for (const auto& u : ctx.updates) report.updates.push_back(u.update->summary());
  return report;
}

}  // namespace veldwacht::layers
