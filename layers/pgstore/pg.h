// libpq behind RAII: a connection, results, and errors that say what went wrong in words.
#pragma once

#include <libpq-fe.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "geo/core/error.h"

namespace veldwacht::layers::pg {

struct ConnDeleter {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
struct ResultDeleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnDeleter>;
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

/// The server refused a statement. `sqlState()` is the five-character SQLSTATE (e.g. 23505 for a
/// unique violation, 42501 for a privilege refused, 40P01 for a deadlock); `detail()` the
/// server's DETAIL line. what() reads "PostgreSQL: <message> (<detail>)".
class PgError : public geo::LibraryError {
 public:
  PgError(std::string message, std::string sqlState, std::string detail);
  const std::string& sqlState() const noexcept { return sqlState_; }
  const std::string& detail() const noexcept { return detail_; }
  /// A privilege or row-level-security refusal (SQLSTATE class 42501).
  bool permissionDenied() const { return sqlState_ == "42501"; }

 private:
  std::string sqlState_;
  std::string detail_;
};

/// Rows as text; NULL as nullopt.
using Rows = std::vector<std::vector<std::optional<std::string>>>;

/// One connection. Every call checks its result and throws PgError with the server's words.
class Connection {
 public:
  /// `conninfo`: a libpq URL ("postgresql://user@/db?host=/tmp/dir") or key=value string.
  /// Throws geo::LibraryError ("cannot connect to PostgreSQL: …") when the server is not there.
  explicit Connection(const std::string& conninfo);

  /// Runs one or more statements without rows.
  void exec(const std::string& sql);
  /// Runs a query; rows as text.
  Rows query(const std::string& sql);
  /// A query with $1.. parameters passed as text (NULL as nullopt).
  Rows query(const std::string& sql, const std::vector<std::optional<std::string>>& params);
  /// COPY <table> (<columns>) FROM STDIN with `data` in COPY's text format (CopyIn below sends
  /// the rows while they are written).
  void copyIn(const std::string& copySql, std::string_view data);

  /// Name of the logged-in role (current_user).
  std::string user();
  PGconn* get() const { return conn_.get(); }

 private:
  friend class CopyIn;
  ResultPtr check(PGresult* r, const std::string& sql);
  ConnPtr conn_;
};

/// A transaction on a connection: BEGIN in the constructor, ROLLBACK in the destructor unless
/// commit() ran.
class Transaction {
 public:
  explicit Transaction(Connection& c, const std::string& begin = "BEGIN");
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& c_;
  bool open_ = true;
};

/// COPY <table> (<columns>) FROM STDIN sent while it is written, so that the rows of a large
/// import are never all in memory as text: append rows to buffer() and call rowDone() after
/// each, which sends the buffer once it holds kFlushBytes; finish() sends the rest, ends the
/// COPY and throws PgError when the server refused it. Destroyed without finish() (an exception
/// while the rows were written) it aborts the COPY, so the transaction rolls back.
class CopyIn {
 public:
  static constexpr std::size_t kFlushBytes = std::size_t(4) << 20;
  CopyIn(Connection& c, const std::string& copySql);
  ~CopyIn();
  CopyIn(const CopyIn&) = delete;
  CopyIn& operator=(const CopyIn&) = delete;
  std::string& buffer() { return buffer_; }
  void rowDone() {
    if (buffer_.size() >= kFlushBytes) flush();
  }
  void finish();

 private:
  void flush();
  Connection& c_;
  std::string sql_;
  std::string buffer_;
  bool open_ = true;
};

/// "name" with inner quotes doubled.
std::string ident(std::string_view name);
/// 'text' with inner quotes doubled (standard_conforming_strings is on since PostgreSQL 9.1).
std::string literal(std::string_view text);
/// True when the search path holds a table or view of exactly that name (any text: it is quoted).
bool tableExists(Connection& c, std::string_view table);
/// A value escaped for COPY's text format (backslash, tab, newline, carriage return).
void appendCopyText(std::string& out, std::string_view text);
/// A PostgreSQL array literal '{"a","b"}' of `items` (a parameter cast to text[] or bigint[]).
std::string arrayLiteral(const std::vector<std::string>& items);
/// The column and value of a unique violation's DETAIL: "Key (signaal_id)=(SIG-1) already
/// exists." -> {signaal_id, SIG-1}.
std::optional<std::pair<std::string, std::string>> keyOfDetail(const std::string& detail);

}  // namespace veldwacht::layers::pg
