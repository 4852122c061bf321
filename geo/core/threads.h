// The documented range of every `threads` option: 0 (all cores) up to kMaxThreads. Far more
// than any machine Veldwacht runs on, far below what breaks the thread pool (65537 crashed TBB).
#pragma once

#include <type_traits>

#include "geo/core/error.h"

namespace veldwacht::geo {

inline constexpr int kMaxThreads = 256;

/// Throws OptionError("threads") unless 0 <= threads <= kMaxThreads.
template <class T>
void checkThreads(T threads) {
  bool bad = threads > static_cast<T>(kMaxThreads);
  if constexpr (std::is_signed_v<T>) bad = bad || threads < 0;
  if (bad)
    throw OptionError("threads", "must be 0 (all cores) up to " + std::to_string(kMaxThreads) +
                                     "; got " + std::to_string(threads));
}

}  // namespace veldwacht::geo
