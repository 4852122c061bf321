#include "layers/pgstore/pg.h"

namespace veldwacht::layers::pg {

namespace {

std::string field(const PGresult* r, int code) {
  const char* v = PQresultErrorField(r, code);
  return v ? v : "";
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

PgError::PgError(std::string message, std::string sqlState, std::string detail)
    : geo::LibraryError("PostgreSQL: " + message + (detail.empty() ? "" : " (" + detail + ")")),
      sqlState_(std::move(sqlState)),
      detail_(std::move(detail)) {}

Connection::Connection(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
  if (!conn_) throw geo::LibraryError("cannot connect to PostgreSQL: out of memory");
  if (PQstatus(conn_.get()) != CONNECTION_OK)
    throw geo::LibraryError("cannot connect to PostgreSQL: " +
                            trimmed(PQerrorMessage(conn_.get())));
  exec("SET client_min_messages = warning");
}

ResultPtr Connection::check(PGresult* raw, const std::string& sql) {
  ResultPtr r(raw);
  const auto st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_COPY_IN) return r;
  if (!r) throw PgError(trimmed(PQerrorMessage(conn_.get())), "", "");
  std::string message = field(r.get(), PG_DIAG_MESSAGE_PRIMARY);
  if (message.empty()) message = trimmed(PQerrorMessage(conn_.get()));
  (void)sql;
  throw PgError(message, field(r.get(), PG_DIAG_SQLSTATE), field(r.get(), PG_DIAG_MESSAGE_DETAIL));
}

void Connection::exec(const std::string& sql) { check(PQexec(conn_.get(), sql.c_str()), sql); }

Rows Connection::query(const std::string& sql) { return query(sql, {}); }

Rows Connection::query(const std::string& sql,
                       const std::vector<std::optional<std::string>>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  ResultPtr r = check(params.empty() ? PQexec(conn_.get(), sql.c_str())
                                     : PQexecParams(conn_.get(), sql.c_str(), int(values.size()),
                                                    nullptr, values.data(), nullptr, nullptr, 0),
                      sql);
  Rows rows(std::size_t(PQntuples(r.get())));
  const int nf = PQnfields(r.get());
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    auto& row = rows[std::size_t(i)];
    row.reserve(std::size_t(nf));
    for (int j = 0; j < nf; ++j)
      row.push_back(PQgetisnull(r.get(), i, j)
                        ? std::nullopt
                        : std::optional<std::string>(std::string(
                              PQgetvalue(r.get(), i, j), std::size_t(PQgetlength(r.get(), i, j)))));
  }
  return rows;
}

void Connection::copyIn(const std::string& copySql, std::string_view data) {
  CopyIn copy(*this, copySql);
  copy.buffer() = data;
  copy.finish();
}

CopyIn::CopyIn(Connection& c, const std::string& copySql) : c_(c), sql_(copySql) {
  ResultPtr start = c_.check(PQexec(c_.get(), sql_.c_str()), sql_);
  if (PQresultStatus(start.get()) != PGRES_COPY_IN)
    throw geo::LibraryError("PostgreSQL: COPY did not start: " + sql_);
}

CopyIn::~CopyIn() {
  if (!open_) return;
  // Abort: the server answers with an error result, which the transaction's ROLLBACK follows.
  PQputCopyEnd(c_.get(), "the client stopped the COPY");
  while (ResultPtr r{PQgetResult(c_.get())}) {
  }
}

void CopyIn::flush() {
  constexpr std::size_t kChunk = 1 << 20;
  for (std::size_t at = 0; at < buffer_.size(); at += kChunk) {
    const std::size_t n = std::min(kChunk, buffer_.size() - at);
    if (PQputCopyData(c_.get(), buffer_.data() + at, int(n)) != 1) break;  // finish() reports
  }
  buffer_.clear();
}

void CopyIn::finish() {
  flush();
  open_ = false;
  PQputCopyEnd(c_.get(), nullptr);
  // The COPY's outcome, then drain what is left (there is one result per statement).
  ResultPtr done(PQgetResult(c_.get()));
  while (ResultPtr extra{PQgetResult(c_.get())}) {
  }
  c_.check(done.release(), sql_);
}

std::string Connection::user() {
  const auto rows = query("SELECT current_user");
  return rows.at(0).at(0).value_or("");
}

Transaction::Transaction(Connection& c, const std::string& begin) : c_(c) { c_.exec(begin); }

Transaction::~Transaction() {
  if (!open_) return;
  // The connection may be broken; ROLLBACK then fails and there is nothing left to undo.
  ResultPtr r(PQexec(c_.get(), "ROLLBACK"));
}

void Transaction::commit() {
  c_.exec("COMMIT");
  open_ = false;
}

bool tableExists(Connection& c, std::string_view table) {
  return c.query("SELECT to_regclass($1)", {ident(table)}).at(0).at(0).has_value();
}

std::string ident(std::string_view name) {
  std::string s = "\"";
  for (char c : name) s += c == '"' ? std::string("\"\"") : std::string(1, c);
  return s + "\"";
}

std::string literal(std::string_view text) {
  std::string s = "'";
  for (char c : text) s += c == '\'' ? std::string("''") : std::string(1, c);
  return s + "'";
}

void appendCopyText(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

std::string arrayLiteral(const std::vector<std::string>& items) {
  std::string s = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    s += i ? ",\"" : "\"";
    for (char c : items[i]) {
      if (c == '"' || c == '\\') s += '\\';
      s += c;
    }
    s += '"';
  }
  return s + "}";
}

std::optional<std::pair<std::string, std::string>> keyOfDetail(const std::string& detail) {
  const auto open = detail.find("Key (");
  const auto mid = detail.find(")=(", open);
  if (open == std::string::npos || mid == std::string::npos) return std::nullopt;
  const auto close = detail.rfind(')');
  if (close == std::string::npos || close <= mid + 3) return std::nullopt;
  return std::make_pair(detail.substr(open + 5, mid - open - 5),
                        detail.substr(mid + 3, close - mid - 3));
}

}  // namespace veldwacht::layers::pg
