#include "geo/core/text_column.h"

#include <algorithm>

namespace veldwacht::geo {

TextColumn::TextColumn(std::initializer_list<std::string_view> values) {
  std::size_t characters = 0;
  for (const std::string_view v : values) characters += v.size();
  reserve(values.size(), characters);
  for (const std::string_view v : values) push_back(v);
}

void TextColumn::keepOnly(const std::vector<bool>& keep) {
  std::size_t kept = 0, written = 0, begin = 0;
  for (std::size_t i = 0; i < ends.size(); ++i) {
    const std::size_t end = ends[i];
    if (keep[i]) {
      // Forward, never past the source: std::copy is right for the overlap.
      std::copy(chars.begin() + std::ptrdiff_t(begin), chars.begin() + std::ptrdiff_t(end),
                chars.begin() + std::ptrdiff_t(written));
      written += end - begin;
      ends[kept++] = written;
    }
    begin = end;
  }
  ends.resize(kept);
  chars.resize(written);
}

}  // namespace veldwacht::geo
