#pragma once
// One text per key value, for every host and step that compares or shows keys.

#include <string>

#include "layers/schema/schema.h"

namespace veldwacht::layers {

/// A key value as text, the same in every host and every step (the store's readers, the
/// plugin's, the importers' duplicate checks): text as it is, an integer in decimal, a real as
/// the shortest text that reads back as the same number (fmt's "{}": a whole number below 1e16
/// as an integer, 42.0 → "42"; 0.1 → "0.1", 123456789.5 → "123456789.5", 1e21 → "1e+21"), and
/// -0.0 as "0", so -0.0 and 0.0 are one key; NULL as "".
std::string keyText(const Value& v);

}  // namespace veldwacht::layers
