// Many short texts (one key per point) packed into one buffer.
//
// A std::vector<std::string> costs 32 bytes a value even for "123456" (plus a heap block for a
// text longer than 15 characters); a TextColumn costs the characters and one 8-byte offset.
// At 1M keys of 6 characters that is 14 instead of 32 MB, held through a whole analysis.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace veldwacht::geo {

/// Texts packed into `chars`; value i is [ends[i-1], ends[i]) (value 0 starts at 0). Values
/// are read as string_views, valid until the column changes.
struct TextColumn {
  std::string chars;
  std::vector<std::size_t> ends;  ///< end of value i in chars

  TextColumn() = default;
  TextColumn(std::initializer_list<std::string_view> values);

  void push_back(std::string_view text) {
    chars.append(text);
    ends.push_back(chars.size());
  }
  std::string_view operator[](std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(chars).substr(begin, ends[i] - begin);
  }
  std::size_t size() const { return ends.size(); }
  bool empty() const { return ends.empty(); }
  void clear() {
    chars.clear();
    ends.clear();
  }
  /// Room for `values` values of `characters` characters in all.
  void reserve(std::size_t values, std::size_t characters) {
    ends.reserve(values);
    chars.reserve(characters);
  }
  /// Keeps value i where keep[i] (keep.size() == size()), in order, in place.
  void keepOnly(const std::vector<bool>& keep);

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::string_view;

    const_iterator() = default;
    const_iterator(const TextColumn* column, std::size_t i) : column_(column), i_(i) {}
    std::string_view operator*() const { return (*column_)[i_]; }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++i_;
      return before;
    }
    bool operator==(const const_iterator& o) const { return i_ == o.i_; }

   private:
    const TextColumn* column_ = nullptr;
    std::size_t i_ = 0;
  };
  using iterator = const_iterator;
  using value_type = std::string_view;
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size()}; }

  bool operator==(const TextColumn& o) const { return ends == o.ends && chars == o.chars; }
};

}  // namespace veldwacht::geo
