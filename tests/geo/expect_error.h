// Negative tests check why a call failed, not only that it threw (docs/STYLE.md):
//   EXPECT_OPTION_ERROR(o.validate(), "eps");                 // geo::OptionError on option "eps"
//   EXPECT_THROW_WITH(readCsv(p), geo::InputError, "row 3");   // that type, what() has the text
// Both print the actual exception (type and message) when it does not match. For tests in
// tests/geo and tests/layers.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "geo/core/error.h"

/// `statement` throws `type` and its what() contains `text`.
#define EXPECT_THROW_WITH(statement, type, text) \
  EXPECT_THAT([&] { statement; }, ::testing::ThrowsMessage<type>(::testing::HasSubstr(text)))

/// `statement` throws geo::OptionError whose option() is `name`.
#define EXPECT_OPTION_ERROR(statement, name)                                                      \
  EXPECT_THAT([&] { statement; },                                                                 \
              ::testing::Throws<::veldwacht::geo::OptionError>(::testing::ResultOf(               \
                  "option()",                                                                     \
                  [](const ::veldwacht::geo::OptionError& e) { return std::string(e.option()); }, \
                  ::testing::Eq(std::string(name)))))
