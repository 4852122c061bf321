// libFuzzer target: the CSV reader (encoding detection, sep= hint, RFC 4180 quoting). Any input
// must give a table or a geo::InputError, never a crash, a leak or a hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "geo/core/error.h"
#include "layers/importers/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto table = veldwacht::layers::parseCsv(
        std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv");
    for (const auto& row : table.rows)
      if (row.values.size() != table.header.size()) __builtin_trap();  // the reader's promise
  } catch (const veldwacht::geo::Error&) {
  }
  return 0;
}
