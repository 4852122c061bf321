#include "layers/pgstore/pg_import.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "layers/pgstore/pg_store.h"
#include "layers/pgstore/pg_values.h"
#include "layers/pgstore/roles.h"

namespace veldwacht::layers::pgstore {

using pg::ident;
using pg::literal;

namespace {

/// The SQL type a key of `f` is compared as (the array its values are sent in).
std::string keyType(const FieldDef& f) { return f.type == FieldType::Integer ? "bigint" : "text"; }

/// The referenced table and column of `f` ("layer.field").
std::pair<std::string, std::string> referenced(const FieldDef& f) {
  const auto dot = f.reference.find('.');
  return {f.reference.substr(0, dot), f.reference.substr(dot + 1)};
}

}  // namespace

PgImportWriter::PgImportWriter(pg::Connection& c, const ImportBatch& info,
                               const std::string& startedAt, std::int64_t importsBefore)
    : c_(c),
      def_(layerDef(info.layer)),
      file_(info.sourceFile),
      user_(c.user()),
      importsBefore_(importsBefore) {
  std::string warnings;
  for (const auto& w : info.warnings) warnings += (warnings.empty() ? "" : "\n") + w;
  try {
    // The row count is set at the end: an UPDATE, or for a login that may not UPDATE the import
    // records (a partner) the function the roles grant it (kFinishImportFunction, roles.h).
    const auto finish =
        c_.query(
              "SELECT has_column_privilege($1, 'rijen', 'UPDATE'), "
              "has_function_privilege(to_regprocedure($2), 'EXECUTE'), "
              "has_table_privilege($3, 'INSERT')",
              {std::string(kImportsTable), std::string(kFinishImportFunction) + "(bigint, bigint)",
               ident(def_.name)})
            .at(0);
    if (finish.at(2) != std::optional<std::string>("t"))
      throw geo::Error("role '" + user_ + "' may not write layer '" + def_.name +
                       "' in this store (no INSERT privilege); nothing was written");
    finishByFunction_ = finish.at(0) != std::optional<std::string>("t");
    if (finishByFunction_ && finish.at(1) != std::optional<std::string>("t"))
      throw geo::Error("role '" + user_ + "' may not import files into layer '" + def_.name +
                       "' of this store: it may not record an import's row count (the store's "
                       "grants are older than version 6: let its owner open it for writing or "
                       "run veldwacht rollen STORE --install); nothing was written");
    importIdText_ = *c_.query("INSERT INTO " + ident(kImportsTable) +
                                  " (laag, bron_bestand, bestand_sha256, rijen, gestart_op, "
                                  "bron_crs, transformatie, waarschuwingen) VALUES ($1, $2, $3, "
                                  "0, $4, $5, $6, $7) RETURNING import_id",
                              {def_.name, info.sourceFile, info.sourceSha256, startedAt,
                               info.sourceCrs, info.transformation, warnings})
                         .at(0)
                         .at(0);
    importId_ = std::stoll(importIdText_);
    sequence_ = c_.query("SELECT pg_get_serial_sequence($1, $2)", {ident(def_.name), kFidColumn})
                    .at(0)
                    .at(0)
                    .value_or("");
    if (sequence_.empty())
      throw geo::LibraryError("layer '" + def_.name + "' has no sequence for its fid");
    columns_ = ident(kFidColumn) + ", " + copyColumns(def_);
    for (std::size_t i = 0; i < def_.fields.size(); ++i) {
      const FieldDef& f = def_.fields[i];
      if (f.unique) unique_.push_back(int(i));
      if (!f.reference.empty() && referenced(f).first != kImportsTable) {
        references_.push_back(int(i));
        refHidden_.push_back(asksExistingKeys(c_, referenced(f).first));
      }
    }
    hidden_ = asksExistingKeys(c_, def_.name);
    // COPY is refused by PostgreSQL on a table with row-level security: there each chunk goes
    // through a temporary table and one INSERT … SELECT, which the policies check row by row.
    if (c_.query("SELECT relrowsecurity FROM pg_class WHERE oid = to_regclass($1)", {def_.name})
            .at(0)
            .at(0) == std::optional<std::string>("t")) {
      staging_ = "veldwacht_copy_" + importIdText_;
      c_.exec("CREATE TEMP TABLE " + ident(staging_) + " ON COMMIT DROP AS SELECT " + columns_ +
              " FROM " + ident(def_.name) + " WITH NO DATA");
      // The policies' condition on this login's new rows, to name the rows they would refuse
      // (not for the analist, whose policy lets every row in, nor the owner, who bypasses them).
      if (c_.query("SELECT row_security_active(to_regclass($1))", {def_.name}).at(0).at(0) ==
          std::optional<std::string>("t"))
        if (std::string test = policyTest(c_, def_.name, "INSERT", true); test != "((true))")
          insertTest_ = std::move(test);
    }
  } catch (const pg::PgError& e) {
    refused(e);
  }
}

void PgImportWriter::refused(const pg::PgError& e) const {
  throwWriteRefused(e, user_, def_.name, file_);
}

std::string PgImportWriter::referencePresent(std::size_t k) const {
  const FieldDef& f = def_.fields[std::size_t(references_[k])];
  const auto [table, key] = referenced(f);
  if (!refHidden_[k])
    return "EXISTS (SELECT 1 FROM " + ident(table) + " r WHERE r." + ident(key) + " = p." +
           ident(f.name) + ")";
  // The login may not see every row there (a partner: partners, signalen outside its area).
  return "p." + ident(f.name) + "::text IN (SELECT k FROM " + kExistingKeysFunction + "(" +
         literal(table) + ", " + literal(key) + ", ARRAY(SELECT DISTINCT w." + ident(f.name) +
         "::text FROM " + ident(waiting_) + " w WHERE w." + ident(f.name) + " IS NOT NULL)) AS k)";
}

std::string PgImportWriter::referencesPresent() const {
  std::string sql;
  for (std::size_t k = 0; k < references_.size(); ++k)
    sql += (sql.empty() ? "" : " AND ") + std::string("(p.") +
           ident(def_.fields[std::size_t(references_[k])].name) + " IS NULL OR " +
           referencePresent(k) + ")";
  return sql.empty() ? "true" : sql;
}

void PgImportWriter::refuseByPolicy(const std::string& table, const std::string& where) {
  if (insertTest_.empty()) return;
  const FieldDef* owner = partnerField(def_);
  const auto rows = c_.query("SELECT " + ident(kFidColumn) + ", " +
                             (owner ? ident(owner->name) + "::text" : std::string("NULL")) +
                             " FROM " + ident(table) + " p WHERE (" + where +
                             ") AND NOT coalesce(" + insertTest_ + ", false) ORDER BY 1 LIMIT 100");
  if (rows.empty()) return;
  // Whose rows the login may add: its partner (a login of another kind: said in general).
  std::optional<std::string> own;
  if (c_.query("SELECT has_function_privilege(to_regprocedure('veldwacht_eigen_partner()'), "
               "'EXECUTE')")
          .at(0)
          .at(0) == std::optional<std::string>("t"))
    own = c_.query("SELECT veldwacht_eigen_partner()").at(0).at(0);
  const std::string who = "login '" + user_ + "'" + (own ? " (partner '" + *own + "')" : "");
  const std::string rls = "the row-level security of " + def_.name + " lets " + who;
  const std::string nothing = "; nothing of this import was written";
  std::vector<Problem> problems;
  for (const auto& r : rows) {
    const std::int64_t row = sourceRowOf(std::stoll(r.at(0).value_or("0")));
    const auto& value = r.at(1);
    if (owner && own && value != own)
      problems.push_back({{file_, row, owner->name},
                          (value ? owner->name + " '" + *value + "' is another partner's"
                                 : owner->name + " is empty") +
                              ": " + rls + " add rows in its own name only (" + owner->name + " '" +
                              *own + "')" + nothing});
    else if (own && def_.geometry != GeometryKind::None)
      problems.push_back({{file_, row, "geometry"},
                          "outside the werkgebieden of partner '" + *own + "': " + rls +
                              " add rows inside them only" + nothing});
    else
      problems.push_back({{file_, row, ""},
                          "the row-level security of " + def_.name + " does not let " + who +
                              " add this row" + nothing});
  }
  throw ValidationError(std::move(problems));
}

PgImportWriter::Chunk PgImportWriter::reserve(std::int64_t firstRow, std::int64_t lastRow) {
  // nextval() n times in one statement gives n consecutive values unless another session
  // takes some in between; then the values are left unused (gaps) and it is tried again.
  const std::int64_t n = lastRow - firstRow + 1;
  for (int attempt = 0; attempt < 20; ++attempt) {
    const auto r = c_.query(
        "SELECT min(v), max(v) FROM (SELECT nextval($1::regclass) AS v FROM "
        "generate_series(1, $2::bigint)) s",
        {sequence_, std::to_string(n)});
    const std::int64_t lo = std::stoll(*r.at(0).at(0));
    const std::int64_t hi = std::stoll(*r.at(0).at(1));
    if (hi - lo + 1 == n) return {firstRow, n, lo};
  }
  throw geo::Error("could not reserve row numbers in layer '" + def_.name +
                   "': other users are writing it heavily; nothing was written; run the import "
                   "again");
}

void PgImportWriter::copy(std::span<const Record> records, const Chunk& chunk,
                          const std::vector<char>& marks, char mark, const std::string& table) {
  if (std::find(marks.begin(), marks.end(), mark) == marks.end()) return;
  pg::CopyIn copyIn(c_, "COPY " + ident(table) + " (" + columns_ + ") FROM STDIN");
  std::string& data = copyIn.buffer();
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (marks[i] != mark) continue;
    data += std::to_string(fidOf(chunk, records[i]));
    data += '\t';
    appendCopyRow(data, def_, records[i], importIdText_);
    copyIn.rowDone();
  }
  copyIn.finish();
}

// Marks: 0 to write, 1 refused (a unique conflict), 2 waiting for a reference.
void PgImportWriter::markWaiting(std::span<const Record> records, std::vector<char>& marks) {
  for (std::size_t k = 0; k < references_.size(); ++k) {
    const int fi = references_[k];
    const FieldDef& f = def_.fields[std::size_t(fi)];
    std::set<std::string> values;
    for (std::size_t i = 0; i < records.size(); ++i)
      if (marks[i] == 0)
        if (auto t = valueText(records[i].values[std::size_t(fi)])) values.insert(*t);
    if (values.empty()) continue;
    const auto [table, key] = referenced(f);
    const std::set<std::string> found = existingKeys(c_, table, *layerDef(table).field(key),
                                                     {values.begin(), values.end()}, refHidden_[k]);
    if (found.size() == values.size()) continue;
    for (std::size_t i = 0; i < records.size(); ++i)
      if (marks[i] == 0)
        if (auto t = valueText(records[i].values[std::size_t(fi)]); t && !found.count(*t))
          marks[i] = 2;
  }
}

void PgImportWriter::findHolders(std::span<const Record> records, std::vector<char>& marks,
                                 std::vector<UniqueConflict>& conflicts) {
  for (int fi : unique_) {
    const FieldDef& f = def_.fields[std::size_t(fi)];
    std::vector<std::string> values;
    for (std::size_t i = 0; i < records.size(); ++i)
      if (marks[i] != 1)
        if (auto t = valueText(records[i].values[std::size_t(fi)])) values.push_back(*t);
    if (values.empty()) continue;
    std::unordered_map<std::string, std::pair<std::int64_t, std::int64_t>> holders;
    for (const auto& row : c_.query("SELECT " + ident(f.name) + "::text, " + ident(kFidColumn) +
                                        ", import_id FROM " + ident(def_.name) + " WHERE " +
                                        ident(f.name) + " = ANY ($1::" + keyType(f) + "[])",
                                    {pg::arrayLiteral(values)}))
      if (row[0])
        holders[*row[0]] = {std::stoll(row[1].value_or("0")), std::stoll(row[2].value_or("0"))};
    if (hidden_) {
      // A key held by a row the login may not see (a partner: a signal outside its area): the
      // key is named, not that row (no fid, no import).
      std::vector<std::string> unseen;
      for (const auto& v : values)
        if (!holders.count(v)) unseen.push_back(v);
      for (const auto& v : existingKeys(c_, def_.name, f, unseen, true)) holders[v] = {0, 0};
    }
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (marks[i] == 1) continue;
      const auto t = valueText(records[i].values[std::size_t(fi)]);
      if (!t) continue;
      if (auto it = holders.find(*t); it != holders.end()) {
        marks[i] = 1;
        const std::int64_t other = it->second.second;
        conflicts.push_back({i, f.name, records[i].values[std::size_t(fi)], it->second.first, other,
                             other != importId_ && other > importsBefore_});
      }
    }
  }
}

std::vector<UniqueConflict> PgImportWriter::write(std::span<const Record> records) {
  if (finished_) throw geo::LibraryError("PgImportWriter::write after finish()");
  std::vector<UniqueConflict> conflicts;
  if (records.empty()) return conflicts;
  try {
    std::int64_t first = records.front().sourceRow, last = first;
    for (const Record& r : records) {
      first = std::min(first, r.sourceRow);
      last = std::max(last, r.sourceRow);
    }
    const Chunk chunk = reserve(first, last);
    chunks_.push_back(chunk);
    std::vector<char> marks(records.size(), 0);
    // Two rows of this chunk with one key: the second is refused, naming the first.
    for (int fi : unique_) {
      std::unordered_map<std::string, std::size_t> seen;
      for (std::size_t i = 0; i < records.size(); ++i) {
        if (marks[i]) continue;
        const auto t = valueText(records[i].values[std::size_t(fi)]);
        if (!t) continue;
        const auto [it, fresh] = seen.emplace(*t, i);
        if (fresh) continue;
        marks[i] = 1;
        conflicts.push_back({i, def_.fields[std::size_t(fi)].name,
                             records[i].values[std::size_t(fi)], fidOf(chunk, records[it->second]),
                             importId_});
      }
    }
    markWaiting(records, marks);
    if (std::count(marks.begin(), marks.end(), 2) > 0 && waiting_.empty()) {
      waiting_ = "veldwacht_wacht_" + importIdText_;
      c_.exec("CREATE TEMP TABLE " + ident(waiting_) + " ON COMMIT DROP AS SELECT " + columns_ +
              " FROM " + ident(def_.name) + " WITH NO DATA");
    }
    // The chunk under a savepoint: when the unique index refuses a row, the chunk is undone,
    // the rows holding its keys are looked up and the rest is written again.
    for (int attempt = 0;; ++attempt) {
      c_.exec("SAVEPOINT veldwacht_chunk");
      try {
        copy(records, chunk, marks, 0, staging_.empty() ? def_.name : staging_);
        if (!staging_.empty()) {
          refuseByPolicy(staging_, "true");
          c_.exec("INSERT INTO " + ident(def_.name) + " (" + columns_ + ") SELECT " + columns_ +
                  " FROM " + ident(staging_));
          c_.exec("TRUNCATE " + ident(staging_));
        }
        copy(records, chunk, marks, 2, waiting_);
        c_.exec("RELEASE SAVEPOINT veldwacht_chunk");
        break;
      } catch (const pg::PgError& e) {
        c_.exec("ROLLBACK TO SAVEPOINT veldwacht_chunk");
        if (e.sqlState() != "23505" || attempt > 0) throw;
        findHolders(records, marks, conflicts);
      }
    }
    rows_ += std::count(marks.begin(), marks.end(), 0);
    waitingRows_ += std::count(marks.begin(), marks.end(), 2);
  } catch (const pg::PgError& e) {
    refused(e);
  }
  std::sort(conflicts.begin(), conflicts.end(),
            [](const UniqueConflict& a, const UniqueConflict& b) { return a.record < b.record; });
  return conflicts;
}

void PgImportWriter::finish() {
  if (finished_) return;
  finished_ = true;
  // The waiting rows are written by missingReferences() or the import is refused there.
  try {
    const std::string count = std::to_string(rows_ + waitingRows_);
    if (finishByFunction_)
      c_.query(std::string("SELECT ") + kFinishImportFunction + "($1, $2)", {importIdText_, count});
    else
      c_.exec("UPDATE " + ident(kImportsTable) + " SET rijen = " + count +
              " WHERE import_id = " + importIdText_);
  } catch (const pg::PgError& e) {
    refused(e);
  }
}

std::vector<MissingReference> PgImportWriter::missingReferences(std::size_t limit) {
  std::vector<MissingReference> out;
  if (waiting_.empty() || waitingRows_ == 0) return out;
  const std::string present = referencesPresent();
  try {
    // Those whose references a later file of this import brought go in now.
    refuseByPolicy(waiting_, present);
    c_.exec("SAVEPOINT veldwacht_wacht");
    try {
      c_.exec("INSERT INTO " + ident(def_.name) + " (" + columns_ + ") SELECT " + columns_ +
              " FROM " + ident(waiting_) + " p WHERE " + present + " ORDER BY " +
              ident(kFidColumn));
      c_.exec("DELETE FROM " + ident(waiting_) + " p WHERE " + present);
      c_.exec("RELEASE SAVEPOINT veldwacht_wacht");
    } catch (const pg::PgError& e) {
      c_.exec("ROLLBACK TO SAVEPOINT veldwacht_wacht");
      const auto key = e.sqlState() == "23505" ? pg::keyOfDetail(e.detail()) : std::nullopt;
      if (!key) throw;
      const auto row =
          c_.query("SELECT " + ident(kFidColumn) + " FROM " + ident(waiting_) + " WHERE " +
                       ident(key->first) + "::text = $1 ORDER BY 1 LIMIT 1",
                   {key->second});
      std::optional<std::int64_t> at;
      if (!row.empty() && row[0][0]) at = sourceRowOf(std::stoll(*row[0][0]));
      throw ValidationError({{{file_, at, key->first},
                              "duplicate " + key->first + " '" + key->second +
                                  "' (also in an earlier row of this import or in the store); "
                                  "expected each " +
                                  key->first + " once"}});
    }
    for (std::size_t k = 0; k < references_.size(); ++k) {
      if (out.size() >= limit) break;
      const FieldDef& f = def_.fields[std::size_t(references_[k])];
      for (const auto& r : c_.query("SELECT " + ident(kFidColumn) + ", " + ident(f.name) +
                                    "::text FROM " + ident(waiting_) + " p WHERE p." +
                                    ident(f.name) + " IS NOT NULL AND NOT " + referencePresent(k) +
                                    " ORDER BY 1 LIMIT " + std::to_string(limit - out.size())))
        out.push_back({std::stoll(r[0].value_or("0")), f.name, r[1].value_or("")});
    }
  } catch (const pg::PgError& e) {
    refused(e);
  }
  return out;
}

std::int64_t PgImportWriter::sourceRowOf(std::int64_t fid) const {
  // Chunks reserve rising ranges of the sequence.
  auto it = std::upper_bound(chunks_.begin(), chunks_.end(), fid,
                             [](std::int64_t f, const Chunk& c) { return f < c.base; });
  if (it == chunks_.begin()) return 0;
  --it;
  return fid < it->base + it->size ? it->firstRow + (fid - it->base) : 0;
}

}  // namespace veldwacht::layers::pgstore
