// libFuzzer target: the filter language. The first byte picks the layer; the rest is the text.
// Any input must compile or give a geo::OptionError; what compiles must hold no ';' outside
// string literals and no function call, and its normalised text must compile to the same SQL.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>

#include "geo/core/error.h"
#include "layers/filter/filter.h"

namespace {

/// True when `sql` has a ';' or an identifier directly followed by '(' outside '...' literals.
bool unsafe(const std::string& sql) {
  bool inString = false;
  char previous = ' ';
  for (char c : sql) {
    if (c == '\'') inString = !inString;
    if (!inString) {
      if (c == ';') return true;
      const bool identEnd =
          std::isalnum(static_cast<unsigned char>(previous)) || previous == '_' || previous == '"';
      if (c == '(' && identEnd && previous != '"') {
        // "IN (" and "NOT (" are ours: a keyword, then a space, then '(' — never adjacent.
        return true;
      }
    }
    previous = c;
  }
  return inString;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto& defs = veldwacht::layers::layerDefs();
  const auto& layer = defs[data[0] % defs.size()];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    const auto f = veldwacht::layers::compileFilter(layer, text);
    if (f.empty()) return 0;
    if (unsafe(f.sql())) __builtin_trap();
    const auto again = veldwacht::layers::compileFilter(layer, f.text());
    if (again.sql() != f.sql()) __builtin_trap();
  } catch (const veldwacht::geo::OptionError&) {
  }
  return 0;
}
