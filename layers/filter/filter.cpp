#include "layers/filter/filter.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include <fmt/core.h>

#include "geo/core/error.h"

namespace veldwacht::layers {

namespace {

enum class Tok { End, Ident, QuotedIdent, String, Integer, Decimal, LParen, RParen, Comma, Op };

struct Token {
  Tok kind = Tok::End;
  std::string text;     ///< identifier, unescaped string, number as written, operator
  std::size_t pos = 0;  ///< 0-based byte offset
};

bool identStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool identChar(unsigned char c) { return identStart(c) || std::isdigit(c); }

bool sameWord(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

constexpr std::string_view kKeywords[] = {"AND",     "OR", "NOT",  "IN",   "LIKE", "ILIKE",
                                          "BETWEEN", "IS", "NULL", "DATE", "TRUE", "FALSE"};
/// Words of SQL that would start a query, a statement or a clause: named in the message.
constexpr std::string_view kSqlWords[] = {
    "SELECT", "WITH",   "VALUES", "PRAGMA",  "ATTACH", "INSERT", "UPDATE", "DELETE",
    "DROP",   "CREATE", "ALTER",  "UNION",   "EXISTS", "CASE",   "CAST",   "RECURSIVE",
    "FROM",   "WHERE",  "ESCAPE", "COLLATE", "GLOB",   "REGEXP", "MATCH"};

bool isKeyword(std::string_view w) {
  for (auto k : kKeywords)
    if (sameWord(w, k)) return true;
  return false;
}
bool isSqlWord(std::string_view w) {
  for (auto k : kSqlWords)
    if (sameWord(w, k)) return true;
  return false;
}

std::string describeChar(unsigned char c) {
  if (c >= 0x20 && c < 0x7f) return fmt::format("'{}'", static_cast<char>(c));
  return fmt::format("byte 0x{:02X}", c);
}

class Lexer {
 public:
  Lexer(std::string_view text, const std::string& option) : s_(text), option_(option) {}

  [[noreturn]] void fail(std::size_t pos, const std::string& what) const {
    throw geo::OptionError(option_, fmt::format("position {}: {}", pos + 1, what));
  }

  std::vector<Token> run() {
    std::vector<Token> out;
    for (;;) {
      while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
      if (i_ >= s_.size()) {
        out.push_back({Tok::End, "", s_.size()});
        return out;
      }
      out.push_back(next());
    }
  }

 private:
  Token next() {
    const std::size_t start = i_;
    const unsigned char c = static_cast<unsigned char>(s_[i_]);
    if (identStart(c)) {
      while (i_ < s_.size() && identChar(static_cast<unsigned char>(s_[i_]))) ++i_;
      return {Tok::Ident, std::string(s_.substr(start, i_ - start)), start};
    }
    if (c == '"') return quoted('"', Tok::QuotedIdent, "name");
    if (c == '\'') return quoted('\'', Tok::String, "text");
    if (std::isdigit(c) || c == '.' ||
        ((c == '-' || c == '+') && i_ + 1 < s_.size() &&
         (std::isdigit(static_cast<unsigned char>(s_[i_ + 1])) || s_[i_ + 1] == '.')))
      return number();
    ++i_;
    switch (c) {
      case '(':
        return {Tok::LParen, "(", start};
      case ')':
        return {Tok::RParen, ")", start};
      case ',':
        return {Tok::Comma, ",", start};
      case ';':
        fail(start, "';' is not allowed: a filter is one expression, not a list of statements");
      case '=':
        if (peek('=')) return {Tok::Op, "==", start};
        return {Tok::Op, "=", start};
      case '!':
        if (peek('=')) return {Tok::Op, "!=", start};
        break;
      case '<':
        if (peek('=')) return {Tok::Op, "<=", start};
        if (peek('>')) return {Tok::Op, "<>", start};
        return {Tok::Op, "<", start};
      case '>':
        if (peek('=')) return {Tok::Op, ">=", start};
        return {Tok::Op, ">", start};
      default:
        break;
    }
    if (c == '-' && i_ < s_.size() && s_[i_] == '-') fail(start, "comments ('--') are not allowed");
    if (c == '/' && i_ < s_.size() && s_[i_] == '*') fail(start, "comments ('/*') are not allowed");
    if (c == '|' || c == '+' || c == '-' || c == '*' || c == '/' || c == '%' || c == '&')
      fail(start, "unexpected character " + describeChar(c) + ": a filter has no arithmetic");
    fail(start, "unexpected character " + describeChar(c));
  }

  bool peek(char c) {
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }

  Token quoted(char q, Tok kind, const char* what) {
    const std::size_t start = i_++;
    std::string value;
    for (;;) {
      if (i_ >= s_.size())
        fail(start, fmt::format("the {} starting here has no closing {}", what,
                                q == '"' ? "double quote" : "quote"));
      if (s_[i_] == q) {
        if (i_ + 1 < s_.size() && s_[i_ + 1] == q) {
          value += q;
          i_ += 2;
          continue;
        }
        ++i_;
        break;
      }
      if (s_[i_] == '\0') fail(i_, "a NUL byte is not allowed");
      value += s_[i_++];
    }
    return {kind, std::move(value), start};
  }

  Token number() {
    const std::size_t start = i_;
    if (s_[i_] == '-' || s_[i_] == '+') ++i_;
    bool decimal = false, digits = false;
    while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_, digits = true;
    if (i_ < s_.size() && s_[i_] == '.') {
      decimal = true;
      ++i_;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_])))
        ++i_, digits = true;
    }
    if (!digits) fail(start, "a number needs digits");
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      decimal = true;
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '-' || s_[i_] == '+')) ++i_;
      const std::size_t expStart = i_;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
      if (i_ == expStart) fail(start, "a number's exponent needs digits");
    }
    if (i_ < s_.size() && (identChar(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.'))
      fail(i_, "unexpected character " + describeChar(static_cast<unsigned char>(s_[i_])) +
                   " after a number");
    return {decimal ? Tok::Decimal : Tok::Integer, std::string(s_.substr(start, i_ - start)),
            start};
  }

  std::string_view s_;
  const std::string& option_;
  std::size_t i_ = 0;
};

/// What a value or field is, for type checks.
enum class Cls { Text, Number, Boolean, Date };

const char* clsName(Cls c) {
  switch (c) {
    case Cls::Text:
      return "text";
    case Cls::Number:
      return "a number";
    case Cls::Boolean:
      return "a boolean";
    case Cls::Date:
      return "a date";
  }
  return "";
}

Cls fieldCls(FieldType t) {
  switch (t) {
    case FieldType::Text:
      return Cls::Text;
    case FieldType::Integer:
    case FieldType::Real:
      return Cls::Number;
    case FieldType::Boolean:
      return Cls::Boolean;
    case FieldType::Date:
    case FieldType::DateTime:
      return Cls::Date;
  }
  return Cls::Text;
}

struct Operand {
  enum class Kind { Field, Text, Integer, Decimal, Boolean, Date } kind = Kind::Text;
  std::size_t pos = 0;
  std::string text;  ///< field name (schema spelling), text, date, number as written
  std::int64_t integer = 0;
  double decimal = 0;
  const FieldDef* field = nullptr;
};

struct Node {
  enum class Kind { And, Or, Not, Compare, In, Like, Between, IsNull } kind = Kind::And;
  std::vector<std::unique_ptr<Node>> children;
  Operand a, b, c;
  std::vector<Operand> list;
  std::string op;        ///< normalised comparison operator
  bool negated = false;  ///< NOT IN / NOT LIKE / NOT BETWEEN / IS NOT NULL
  bool caseInsensitive = false;
};

bool leapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/// 'YYYY-MM-DD' or 'YYYY-MM-DD[T ]HH:MM[:SS]' → normalised ('T', seconds) or nullopt.
std::optional<std::string> isoDate(const std::string& s) {
  auto num = [&](std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size()) return false;
    out = 0;
    for (std::size_t k = at; k < at + n; ++k) {
      if (!std::isdigit(static_cast<unsigned char>(s[k]))) return false;
      out = out * 10 + (s[k] - '0');
    }
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (s.size() < 10 || !num(0, 4, y) || s[4] != '-' || !num(5, 2, m) || s[7] != '-' ||
      !num(8, 2, d))
    return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1] + (m == 2 && leapYear(y) ? 1 : 0))
    return std::nullopt;
  if (s.size() == 10) return s;
  int hh = 0, mm = 0, ss = 0;
  if ((s[10] != 'T' && s[10] != ' ') || !num(11, 2, hh) || s.size() < 16 || s[13] != ':' ||
      !num(14, 2, mm))
    return std::nullopt;
  if (s.size() == 19) {
    if (s[16] != ':' || !num(17, 2, ss)) return std::nullopt;
  } else if (s.size() != 16) {
    return std::nullopt;
  }
  if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  return fmt::format("{}T{:02}:{:02}:{:02}", s.substr(0, 10), hh, mm, ss);
}

std::string sqlString(const std::string& s) {
  std::string out = "'";
  for (char ch : s) {
    if (ch == '\'') out += '\'';
    out += ch;
  }
  return out + "'";
}

std::string sqlIdent(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

class Parser {
 public:
  Parser(const LayerDef& layer, std::vector<Token> tokens, const std::string& option,
         const FilterLimits& limits)
      : layer_(layer), t_(std::move(tokens)), option_(option), limits_(limits) {}

  std::unique_ptr<Node> run() {
    auto root = orExpr(0);
    if (cur().kind != Tok::End) {
      if (cur().kind == Tok::RParen) fail(cur().pos, "')' without a matching '('");
      fail(cur().pos, "expected AND, OR or the end of the filter, found " + show(cur()));
    }
    return root;
  }

 private:
  [[noreturn]] void fail(std::size_t pos, const std::string& what) const {
    throw geo::OptionError(option_, fmt::format("position {}: {}", pos + 1, what));
  }
  const Token& cur() const { return t_[i_]; }
  const Token& ahead(std::size_t k = 1) const { return t_[std::min(i_ + k, t_.size() - 1)]; }
  bool word(std::string_view w) const {
    return cur().kind == Tok::Ident && sameWord(cur().text, w);
  }
  bool wordAhead(std::size_t k, std::string_view w) const {
    return ahead(k).kind == Tok::Ident && sameWord(ahead(k).text, w);
  }
  static std::string show(const Token& t) {
    switch (t.kind) {
      case Tok::End:
        return "the end of the filter";
      case Tok::String:
        return "'" + t.text + "'";
      case Tok::QuotedIdent:
        return "\"" + t.text + "\"";
      default:
        return "'" + t.text + "'";
    }
  }
  void expectWord(std::string_view w) {
    if (!word(w)) fail(cur().pos, fmt::format("expected {}, found {}", w, show(cur())));
    ++i_;
  }

  std::unique_ptr<Node> orExpr(int depth) {
    auto first = andExpr(depth);
    if (!word("OR")) return first;
    auto n = std::make_unique<Node>();
    n->kind = Node::Kind::Or;
    n->children.push_back(std::move(first));
    while (word("OR")) {
      ++i_;
      n->children.push_back(andExpr(depth));
    }
    return n;
  }

  std::unique_ptr<Node> andExpr(int depth) {
    auto first = notExpr(depth);
    if (!word("AND")) return first;
    auto n = std::make_unique<Node>();
    n->kind = Node::Kind::And;
    n->children.push_back(std::move(first));
    while (word("AND")) {
      ++i_;
      n->children.push_back(notExpr(depth));
    }
    return n;
  }

  void deeper(int depth) const {
    if (depth + 1 > limits_.maxDepth)
      fail(cur().pos, fmt::format("the filter nests deeper than {} levels", limits_.maxDepth));
  }

  std::unique_ptr<Node> notExpr(int depth) {
    if (word("NOT")) {
      deeper(depth);
      ++i_;
      auto n = std::make_unique<Node>();
      n->kind = Node::Kind::Not;
      n->children.push_back(notExpr(depth + 1));
      return n;
    }
    if (cur().kind == Tok::LParen) {
      deeper(depth);
      const std::size_t open = cur().pos;
      ++i_;
      if (word("SELECT") || word("WITH") || word("VALUES"))
        fail(cur().pos, "subqueries are not allowed");
      auto inner = orExpr(depth + 1);
      if (cur().kind != Tok::RParen)
        fail(cur().pos, fmt::format("expected ')' to close the '(' at position {}, found {}",
                                    open + 1, show(cur())));
      ++i_;
      return inner;
    }
    return predicate();
  }

  Operand operand() {
    const Token& tk = cur();
    Operand o;
    o.pos = tk.pos;
    switch (tk.kind) {
      case Tok::String:
        o.kind = Operand::Kind::Text;
        o.text = tk.text;
        ++i_;
        return o;
      case Tok::Integer: {
        o.kind = Operand::Kind::Integer;
        o.text = tk.text;
        const char* b = tk.text.data() + (tk.text[0] == '+' ? 1 : 0);
        const auto r = std::from_chars(b, tk.text.data() + tk.text.size(), o.integer);
        if (r.ec != std::errc() || r.ptr != tk.text.data() + tk.text.size())
          fail(tk.pos, "the number " + tk.text + " is too large for an integer");
        o.text = std::to_string(o.integer);
        ++i_;
        return o;
      }
      case Tok::Decimal: {
        o.kind = Operand::Kind::Decimal;
        const char* b = tk.text.data() + (tk.text[0] == '+' ? 1 : 0);
        const auto r = std::from_chars(b, tk.text.data() + tk.text.size(), o.decimal);
        if (r.ec != std::errc() || r.ptr != tk.text.data() + tk.text.size() ||
            !std::isfinite(o.decimal))
          fail(tk.pos, "the number " + tk.text + " is out of range");
        if (o.decimal == 0) o.decimal = 0;  // -0.0 prints as "-0"; the text must round-trip
        o.text = fmt::format("{}", o.decimal);
        ++i_;
        return o;
      }
      case Tok::QuotedIdent:
        return fieldOperand(tk.text, tk.pos);
      case Tok::Ident:
        break;
      case Tok::End:
        fail(tk.pos, "the filter ends where a field or a value was expected");
      default:
        fail(tk.pos, "expected a field or a value, found " + show(tk));
    }
    // An identifier: a keyword literal, a function call, an SQL word, or a field.
    if (ahead().kind == Tok::LParen)
      fail(tk.pos, "function calls are not allowed ('" + tk.text + "(')");
    if (sameWord(tk.text, "TRUE") || sameWord(tk.text, "FALSE")) {
      o.kind = Operand::Kind::Boolean;
      o.integer = sameWord(tk.text, "TRUE") ? 1 : 0;
      ++i_;
      return o;
    }
    if (sameWord(tk.text, "DATE")) {
      ++i_;
      if (cur().kind != Tok::String)
        fail(cur().pos, "expected a date 'YYYY-MM-DD' after DATE, found " + show(cur()));
      const auto d = isoDate(cur().text);
      if (!d) fail(cur().pos, "'" + cur().text + "' is not a date 'YYYY-MM-DD'");
      o.kind = Operand::Kind::Date;
      o.text = *d;
      ++i_;
      return o;
    }
    if (sameWord(tk.text, "NULL"))
      fail(tk.pos, "NULL is not a value to compare with; use IS NULL or IS NOT NULL");
    if (isSqlWord(tk.text))
      fail(tk.pos, "'" + tk.text +
                       "' is not allowed: a filter holds no queries, only fields, "
                       "values and comparisons");
    if (isKeyword(tk.text))
      fail(tk.pos, "expected a field or a value, found the keyword " + show(tk));
    return fieldOperand(tk.text, tk.pos);
  }

  Operand fieldOperand(const std::string& name, std::size_t pos) {
    const FieldDef* f = nullptr;
    for (const auto& fd : layer_.fields)
      if (fd.name == name) f = &fd;
    if (!f)
      for (const auto& fd : layer_.fields)
        if (sameWord(fd.name, name)) f = &fd;
    if (!f) {
      std::string known;
      for (const auto& fd : layer_.fields) known += (known.empty() ? "" : ", ") + fd.name;
      fail(pos, "unknown field '" + name + "' in " + layer_.name + " (fields: " + known + ")");
    }
    ++i_;
    Operand o;
    o.kind = Operand::Kind::Field;
    o.pos = pos;
    o.field = f;
    o.text = f->name;
    return o;
  }

  /// Checks that `v` may stand beside a field of class `c` (and converts booleans and dates).
  void fitValue(const Operand& fieldOp, Operand& v) {
    const Cls c = fieldCls(fieldOp.field->type);
    auto mismatch = [&](const std::string& what) {
      fail(v.pos,
           fmt::format("field '{}' is {} ({}) and cannot be compared with {}", fieldOp.field->name,
                       clsName(c), fieldTypeName(fieldOp.field->type), what));
    };
    switch (v.kind) {
      case Operand::Kind::Field:
        if (fieldCls(v.field->type) != c)
          mismatch(fmt::format("field '{}', which is {}", v.field->name,
                               clsName(fieldCls(v.field->type))));
        return;
      case Operand::Kind::Text:
        if (c == Cls::Text) return;
        if (c == Cls::Date) {
          const auto d = isoDate(v.text);
          if (!d)
            fail(v.pos, fmt::format("field '{}' is a date; '{}' is not a date 'YYYY-MM-DD' "
                                    "(or 'YYYY-MM-DDTHH:MM:SS')",
                                    fieldOp.field->name, v.text));
          v.kind = Operand::Kind::Date;
          v.text = *d;
          return;
        }
        return mismatch("text '" + v.text + "'");
      case Operand::Kind::Integer:
        if (c == Cls::Number) return;
        if (c == Cls::Boolean && (v.integer == 0 || v.integer == 1)) {
          v.kind = Operand::Kind::Boolean;
          return;
        }
        if (c == Cls::Boolean)
          fail(v.pos, fmt::format("field '{}' is a boolean: compare it with 0, 1, TRUE or FALSE",
                                  fieldOp.field->name));
        return mismatch("the number " + v.text);
      case Operand::Kind::Decimal:
        if (c == Cls::Number) return;
        return mismatch("the number " + v.text);
      case Operand::Kind::Boolean:
        if (c == Cls::Boolean) return;
        return mismatch(v.integer ? "TRUE" : "FALSE");
      case Operand::Kind::Date:
        if (c == Cls::Date) return;
        return mismatch("the date '" + v.text + "'");
    }
  }

  /// Both sides of a comparison: at least one field; the other fits it.
  void fitPair(Operand& x, Operand& y) {
    if (x.kind == Operand::Kind::Field) return fitValue(x, y);
    if (y.kind == Operand::Kind::Field) return fitValue(y, x);
    fail(x.pos, "a comparison needs a field on one side (found two values)");
  }

  std::unique_ptr<Node> predicate() {
    auto n = std::make_unique<Node>();
    n->a = operand();
    const Token& tk = cur();
    if (tk.kind == Tok::Op) {
      n->kind = Node::Kind::Compare;
      n->op = tk.text == "==" ? "=" : tk.text == "!=" ? "<>" : tk.text;
      ++i_;
      n->b = operand();
      fitPair(n->a, n->b);
      return n;
    }
    if (word("IS")) {
      ++i_;
      n->kind = Node::Kind::IsNull;
      if (word("NOT")) {
        n->negated = true;
        ++i_;
      }
      expectWord("NULL");
      if (n->a.kind != Operand::Kind::Field) fail(n->a.pos, "IS NULL needs a field");
      return n;
    }
    if (word("NOT") && (wordAhead(1, "IN") || wordAhead(1, "LIKE") || wordAhead(1, "ILIKE") ||
                        wordAhead(1, "BETWEEN"))) {
      n->negated = true;
      ++i_;
    }
    if (word("IN")) return inList(std::move(n));
    if (word("LIKE") || word("ILIKE")) {
      n->kind = Node::Kind::Like;
      n->caseInsensitive = word("ILIKE");
      const std::size_t at = cur().pos;
      ++i_;
      if (n->a.kind != Operand::Kind::Field || n->a.field->type != FieldType::Text)
        fail(at, "LIKE needs a text field on its left");
      if (cur().kind != Tok::String)
        fail(cur().pos, "LIKE needs a pattern in quotes, found " + show(cur()));
      n->b.kind = Operand::Kind::Text;
      n->b.text = cur().text;
      n->b.pos = cur().pos;
      ++i_;
      return n;
    }
    if (word("BETWEEN")) {
      n->kind = Node::Kind::Between;
      ++i_;
      n->b = operand();
      expectWord("AND");
      n->c = operand();
      if (n->a.kind != Operand::Kind::Field) fail(n->a.pos, "BETWEEN needs a field on its left");
      fitValue(n->a, n->b);
      fitValue(n->a, n->c);
      return n;
    }
    if (tk.kind == Tok::End)
      fail(tk.pos,
           "the filter ends after " + describe(n->a) +
               "; expected a comparison such as = 'value', IN (...), LIKE '...' or IS NULL");
    fail(tk.pos, "expected a comparison (=, <>, <, >, IN, LIKE, BETWEEN, IS NULL) after " +
                     describe(n->a) + ", found " + show(tk));
  }

  static std::string describe(const Operand& o) {
    return o.kind == Operand::Kind::Field ? "field '" + o.text + "'" : "'" + o.text + "'";
  }

  std::unique_ptr<Node> inList(std::unique_ptr<Node> n) {
    n->kind = Node::Kind::In;
    ++i_;
    if (n->a.kind != Operand::Kind::Field) fail(n->a.pos, "IN needs a field on its left");
    if (cur().kind != Tok::LParen) fail(cur().pos, "expected '(' after IN, found " + show(cur()));
    ++i_;
    if (word("SELECT") || word("WITH") || word("VALUES"))
      fail(cur().pos, "subqueries are not allowed; list the values: IN ('a', 'b')");
    for (;;) {
      if (n->list.size() == limits_.maxInList)
        fail(cur().pos, fmt::format("an IN list holds at most {} values", limits_.maxInList));
      Operand v = operand();
      if (v.kind == Operand::Kind::Field)
        fail(v.pos, "an IN list holds values, not fields ('" + v.text + "')");
      fitValue(n->a, v);
      n->list.push_back(std::move(v));
      if (cur().kind == Tok::Comma) {
        ++i_;
        continue;
      }
      if (cur().kind == Tok::RParen) {
        ++i_;
        return n;
      }
      fail(cur().pos, "expected ',' or ')' in the IN list, found " + show(cur()));
    }
  }

  const LayerDef& layer_;
  std::vector<Token> t_;
  const std::string& option_;
  const FilterLimits& limits_;
  std::size_t i_ = 0;
};

// ---- output: SQL and normalised text from the same tree ----

std::string valueSql(const Operand& o) {
  switch (o.kind) {
    case Operand::Kind::Field:
      return sqlIdent(o.text);
    case Operand::Kind::Text:
    case Operand::Kind::Date:
      return sqlString(o.text);
    case Operand::Kind::Integer:
    case Operand::Kind::Decimal:
      return o.text;
    case Operand::Kind::Boolean:
      return o.integer ? "1" : "0";
  }
  return {};
}

std::string valueText(const Operand& o) {
  switch (o.kind) {
    case Operand::Kind::Field: {
      bool plain = !o.text.empty() && !isKeyword(o.text) && !isSqlWord(o.text) &&
                   identStart(static_cast<unsigned char>(o.text[0]));
      for (char ch : o.text) plain = plain && identChar(static_cast<unsigned char>(ch));
      return plain ? o.text : sqlIdent(o.text);
    }
    case Operand::Kind::Date:
      return "DATE " + sqlString(o.text);
    case Operand::Kind::Boolean:
      return o.integer ? "TRUE" : "FALSE";
    default:
      return valueSql(o);
  }
}

/// LIKE / ILIKE pattern → SQLite GLOB pattern, so that the result does not depend on
/// PRAGMA case_sensitive_like: % → *, _ → ?, GLOB's own specials in brackets, and for ILIKE
/// each ASCII letter as [xX].
std::string globPattern(const std::string& like, bool caseInsensitive) {
  std::string g;
  for (char ch : like) {
    const unsigned char u = static_cast<unsigned char>(ch);
    if (ch == '%')
      g += '*';
    else if (ch == '_')
      g += '?';
    else if (ch == '*' || ch == '?' || ch == '[')
      g += std::string("[") + ch + "]";
    else if (caseInsensitive && u < 0x80 && std::isalpha(u))
      g += std::string("[") + static_cast<char>(std::tolower(u)) +
           static_cast<char>(std::toupper(u)) + "]";
    else
      g += ch;
  }
  return g;
}

void emit(const Node& n, std::string& sql, std::string& text) {
  switch (n.kind) {
    case Node::Kind::And:
    case Node::Kind::Or: {
      const char* joiner = n.kind == Node::Kind::And ? " AND " : " OR ";
      for (std::size_t k = 0; k < n.children.size(); ++k) {
        if (k) {
          sql += joiner;
          text += joiner;
        }
        const Node& c = *n.children[k];
        const bool wrap = c.kind == Node::Kind::And || c.kind == Node::Kind::Or;
        sql += "(";
        if (wrap) text += "(";
        emit(c, sql, text);
        sql += ")";
        if (wrap) text += ")";
      }
      return;
    }
    case Node::Kind::Not: {
      const Node& c = *n.children[0];
      const bool wrap = c.kind == Node::Kind::And || c.kind == Node::Kind::Or;
      sql += "NOT (";
      text += wrap ? "NOT (" : "NOT ";
      emit(c, sql, text);
      sql += ")";
      if (wrap) text += ")";
      return;
    }
    case Node::Kind::Compare:
      sql += valueSql(n.a) + " " + n.op + " " + valueSql(n.b);
      text += valueText(n.a) + " " + n.op + " " + valueText(n.b);
      return;
    case Node::Kind::In: {
      const char* kw = n.negated ? " NOT IN (" : " IN (";
      sql += valueSql(n.a) + kw;
      text += valueText(n.a) + kw;
      for (std::size_t k = 0; k < n.list.size(); ++k) {
        if (k) {
          sql += ", ";
          text += ", ";
        }
        sql += valueSql(n.list[k]);
        text += valueText(n.list[k]);
      }
      sql += ")";
      text += ")";
      return;
    }
    case Node::Kind::Like:
      sql += valueSql(n.a) + (n.negated ? " NOT GLOB " : " GLOB ") +
             sqlString(globPattern(n.b.text, n.caseInsensitive));
      text += valueText(n.a) + (n.negated ? " NOT " : " ") +
              (n.caseInsensitive ? "ILIKE " : "LIKE ") + sqlString(n.b.text);
      return;
    case Node::Kind::Between: {
      const char* kw = n.negated ? " NOT BETWEEN " : " BETWEEN ";
      sql += valueSql(n.a) + kw + valueSql(n.b) + " AND " + valueSql(n.c);
      text += valueText(n.a) + kw + valueText(n.b) + " AND " + valueText(n.c);
      return;
    }
    case Node::Kind::IsNull: {
      const char* kw = n.negated ? " IS NOT NULL" : " IS NULL";
      sql += valueSql(n.a) + kw;
      text += valueText(n.a) + kw;
      return;
    }
  }
}

}  // namespace

class FilterCompiler {
 public:
  static FilterSql make(std::string layer, std::string sql, std::string text) {
    return FilterSql(std::move(layer), std::move(sql), std::move(text));
  }
};

FilterSql compileFilter(const LayerDef& layer, std::string_view text, const std::string& option,
                        const FilterLimits& limits) {
  if (text.size() > limits.maxLength)
    throw geo::OptionError(option,
                           fmt::format("position {}: the filter is longer than {} "
                                       "characters ({})",
                                       limits.maxLength + 1, limits.maxLength, text.size()));
  std::vector<Token> tokens = Lexer(text, option).run();
  if (tokens.size() == 1) return {};  // blank: no filter
  const auto root = Parser(layer, std::move(tokens), option, limits).run();
  std::string sql, normalised;
  emit(*root, sql, normalised);
  return FilterCompiler::make(layer.name, "(" + sql + ")", std::move(normalised));
}

}  // namespace veldwacht::layers
