// Typed errors of the Qt-free core. The core throws; each boundary (CLI, plugin) converts once.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace veldwacht::geo {

/// Base of every error Veldwacht throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An Options struct holds a value outside its documented range. `option` names the field.
class OptionError : public Error {
 public:
  OptionError(std::string option, const std::string& what)
      : Error(option + ": " + what), option_(std::move(option)) {}
  const std::string& option() const noexcept { return option_; }

 private:
  std::string option_;
};

/// The user pressed cancel (QgsFeedback::isCanceled, Ctrl-C). Partial output must be discarded.
class CancelledError : public Error {
 public:
  CancelledError() : Error("cancelled") {}
};

/// A GDAL/OGR, GEOS or PROJ call failed; `what()` carries the library's own message.
class LibraryError : public Error {
 public:
  using Error::Error;
};

/// Where in an input a problem sits: file, row (1-based data row or feature id), field.
struct Location {
  std::string file;
  std::optional<std::int64_t> row;
  std::string field;

  std::string str() const {
    std::string s = file;
    if (row) s += (s.empty() ? "" : ", ") + std::string("row ") + std::to_string(*row);
    if (!field.empty()) s += (s.empty() ? "" : ", ") + std::string("field '") + field + "'";
    return s;
  }
};

/// Bad input data, with its location and what was expected.
class InputError : public Error {
 public:
  InputError(Location where, const std::string& what)
      : Error(where.str().empty() ? what : where.str() + ": " + what), where_(std::move(where)) {}
  const Location& where() const noexcept { return where_; }

 private:
  Location where_;
};

}  // namespace veldwacht::geo
