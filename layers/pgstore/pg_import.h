// The PostGIS store's streaming import (issue 14): importFiles writes each file's rows chunk by
// chunk with a PgImportWriter inside ONE server transaction (PgStore::importTransaction), so the
// client holds one chunk, not the file (before: every record of every file until one append,
// ~1.1 KB per signal). The guarantees are those of the GeoPackage BatchWriter:
// - every record was checked by the importer (validateRecord) before it comes here;
// - a UNIQUE value already stored, or written earlier in this import, comes back as a
//   UniqueConflict naming the row that holds it: the server's unique index refuses the chunk's
//   COPY, the chunk is rolled back to its savepoint, the holders are looked up and the rest of
//   the chunk is written again; two rows of one chunk with one key are found here first;
// - a reference to a row that is not there (yet) does not fail the COPY: such rows wait in a
//   temporary table and go in once every file is written (files may come in any order), the
//   rest are reported by missingReferences();
// - the fid of a row is reserved from the layer's sequence per chunk, fid = base + (sourceRow -
//   first row of the chunk), so that a conflict names the source row of the other one;
// - anything refused rolls the whole transaction back (a killed client: the server does).
// On a layer with row-level security (a partner's import) each chunk goes through a temporary
// table and INSERT … SELECT, as PgStore::append does, because COPY is refused there. Under a
// partner login (issue 14): rows the policies would refuse (outside its werkgebieden, in another
// partner's name) are named before the INSERT; a key held by a row it may not see, and
// references to rows it may not see, are looked up with kExistingKeysFunction (roles.h); the
// row count is set with kFinishImportFunction (a partner may not UPDATE veldwacht_imports).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "layers/pgstore/pg.h"
#include "layers/store/batch_writer.h"

namespace veldwacht::layers::pgstore {

class PgImportWriter final : public ImportWriter {
 public:
  /// Starts one import of `info.layer` on `c`, inside a running transaction: its
  /// veldwacht_imports row (rows counted at finish()). `importsBefore`: the highest import_id
  /// committed when the transaction began (a key held by a newer import is a concurrent one).
  PgImportWriter(pg::Connection& c, const ImportBatch& info, const std::string& startedAt,
                 std::int64_t importsBefore);
  ~PgImportWriter() override = default;
  PgImportWriter(const PgImportWriter&) = delete;
  PgImportWriter& operator=(const PgImportWriter&) = delete;

  std::vector<UniqueConflict> write(std::span<const Record> records) override;
  void finish() override;
  /// Writes the rows that waited for their references (refused, naming the row, when one of
  /// them repeats a key), then returns those whose references are still missing.
  std::vector<MissingReference> missingReferences(std::size_t limit) override;
  std::int64_t rows() const override { return rows_; }
  std::int64_t importId() const override { return importId_; }
  std::int64_t sourceRowOf(std::int64_t fid) const override;

 private:
  /// A range of fids reserved for one chunk: fid = base + (sourceRow - firstRow).
  struct Chunk {
    std::int64_t firstRow = 0, size = 0, base = 0;
  };
  std::int64_t fidOf(const Chunk& c, const Record& r) const {
    return c.base + (r.sourceRow - c.firstRow);
  }
  Chunk reserve(std::int64_t firstRow, std::int64_t lastRow);
  /// COPY of the records whose mark is `mark` into `table` (with their fids).
  void copy(std::span<const Record> records, const Chunk& chunk, const std::vector<char>& marks,
            char mark, const std::string& table);
  /// Marks the records (still to be written) whose references name no row yet.
  void markWaiting(std::span<const Record> records, std::vector<char>& marks);
  /// The rows already holding a UNIQUE value of the records still to be written.
  void findHolders(std::span<const Record> records, std::vector<char>& marks,
                   std::vector<UniqueConflict>& conflicts);
  /// PgError → the import's message (layer, file, login); rethrows anything else.
  [[noreturn]] void refused(const pg::PgError& e) const;
  /// "EXISTS (the row p.<field> references)" for references_[k], also for a row the login may
  /// not see (kExistingKeysFunction over the values waiting).
  std::string referencePresent(std::size_t k) const;
  /// "f IS NULL OR present" for every reference, on alias `p` of the waiting table.
  std::string referencesPresent() const;
  /// Refuses (ValidationError naming file, row and why) the rows of `table` (alias p) matching
  /// `where` that the login's row-level-security policies would not let it add.
  void refuseByPolicy(const std::string& table, const std::string& where);

  pg::Connection& c_;
  const LayerDef& def_;
  std::string file_;
  std::string user_;
  std::string importIdText_;
  std::int64_t importId_ = 0;
  std::int64_t importsBefore_ = 0;
  std::string sequence_;           ///< the fid column's sequence
  std::string columns_;            ///< fid and the layer's columns, as COPY lists them
  std::string staging_;            ///< a temporary table for a layer with row-level security, or ""
  std::string waiting_;            ///< the temporary table of rows waiting for references, or ""
  std::vector<int> unique_;        ///< UNIQUE fields
  std::vector<int> references_;    ///< fields that reference another layer (not import_id)
  std::vector<char> refHidden_;    ///< per references_: the login may not see every row there
  bool hidden_ = false;            ///< the login may not see every row of the layer
  std::string insertTest_;         ///< the policies' condition on new rows for this login, or ""
  bool finishByFunction_ = false;  ///< the row count through kFinishImportFunction
  std::vector<Chunk> chunks_;
  std::int64_t rows_ = 0;
  std::int64_t waitingRows_ = 0;
  bool finished_ = false;
};

}  // namespace veldwacht::layers::pgstore
