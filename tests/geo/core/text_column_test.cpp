// geo/core/text_column.h: packed texts read back as they were pushed; keepOnly keeps order.
#include "geo/core/text_column.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace veldwacht::geo {
namespace {

TEST(TextColumn, HoldsEveryTextAsPushedEmptyOnesToo) {
  TextColumn c;
  std::vector<std::string> expected;
  for (int i = 0; i < 1000; ++i) {
    std::string s;  // piece by piece: GCC 12 -O3 -Werror=restrict on "k" + string (bug 105329)
    if (i % 7 != 0) {
      s = "k";
      s += std::to_string(i * 37);
      s.append(std::size_t(i % 5), 'x');
    }
    c.push_back(s);
    expected.push_back(s);
  }
  ASSERT_EQ(c.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(c[i], expected[i]) << i;
  std::size_t i = 0;
  for (const std::string_view s : c) EXPECT_EQ(s, expected[i++]);
  EXPECT_EQ(i, expected.size());
  EXPECT_EQ(std::count(c.begin(), c.end(), ""), 143);  // i = 0, 7, ..., 994
  EXPECT_EQ(c, TextColumn(c));
  TextColumn other = c;
  other.push_back("");
  EXPECT_FALSE(c == other);  // one more (empty) value: the same characters, not equal
}

TEST(TextColumn, KeepOnlyKeepsTheChosenValuesInOrder) {
  TextColumn c{"aa", "", "bbb", "c", "dddd"};
  c.keepOnly({false, true, true, false, true});
  EXPECT_EQ(c, (TextColumn{"", "bbb", "dddd"}));
  EXPECT_EQ(c.chars, "bbbdddd");
  c.keepOnly({false, false, false});
  EXPECT_TRUE(c.empty());
  EXPECT_TRUE(c.chars.empty());
}

}  // namespace
}  // namespace veldwacht::geo
