// ", got <value>" for the end of an OptionError or InputError message, so a refused value is
// named as the user gave it: OptionError("alpha", "must lie in (0, 1)" + got(alpha)).
#pragma once

#include <concepts>
#include <sstream>
#include <string>

namespace veldwacht::geo {

/// ", got 0.5", ", got -1", ", got nan", ", got 1e+12" (up to 10 significant digits).
inline std::string got(double value) {
  std::ostringstream s;
  s.precision(10);
  s << value;
  return ", got " + s.str();
}

/// ", got 1000000" for whole-number options.
template <std::integral T>
std::string got(T value) {
  return ", got " + std::to_string(value);
}

}  // namespace veldwacht::geo
