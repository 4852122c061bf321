#include "layers/importers/values.h"

#include <gtest/gtest.h>

using namespace veldwacht::layers;

TEST(Values, NumbersWithDecimalCommaOrPoint) {
  EXPECT_DOUBLE_EQ(*parseNumber("12,5"), 12.5);
  EXPECT_DOUBLE_EQ(*parseNumber("12.5"), 12.5);
  EXPECT_DOUBLE_EQ(*parseNumber("-3"), -3.0);
  EXPECT_DOUBLE_EQ(*parseNumber("1.234,5"), 1234.5);
  EXPECT_DOUBLE_EQ(*parseNumber("1,234.5"), 1234.5);
  EXPECT_DOUBLE_EQ(*parseNumber(" 256984,75 "), 256984.75);
  EXPECT_DOUBLE_EQ(*parseNumber("1e3"), 1000.0);
}

TEST(Values, NonNumbersAreRefused) {
  EXPECT_FALSE(parseNumber(""));
  EXPECT_FALSE(parseNumber("abc"));
  EXPECT_FALSE(parseNumber("1,2,3"));
  EXPECT_FALSE(parseNumber("nan"));
  EXPECT_FALSE(parseNumber("inf"));
  EXPECT_FALSE(parseNumber("12 m"));
}

TEST(Values, Integers) {
  EXPECT_EQ(*parseInteger("42"), 42);
  EXPECT_EQ(*parseInteger("-7"), -7);
  EXPECT_EQ(*parseInteger("1998,0"), 1998);
  EXPECT_EQ(*parseInteger("600000000000000"), 600000000000000);
  EXPECT_FALSE(parseInteger("12,5"));
  EXPECT_FALSE(parseInteger("twaalf"));
}

TEST(Values, DutchAndIsoDates) {
  EXPECT_EQ(*parseDate("03-04-2024"), "2024-04-03");
  EXPECT_EQ(*parseDate("3-4-2024"), "2024-04-03");
  EXPECT_EQ(*parseDate("03/04/2024"), "2024-04-03");
  EXPECT_EQ(*parseDate("2024-04-03"), "2024-04-03");
  EXPECT_EQ(*parseDate("29-02-2024"), "2024-02-29");
  EXPECT_EQ(*parseDate("03-04-2024 00:00"), "2024-04-03");
}

TEST(Values, ImpossibleOrAmbiguousDatesAreRefused) {
  EXPECT_FALSE(parseDate("31-02-2024"));
  EXPECT_FALSE(parseDate("29-02-2023"));
  EXPECT_FALSE(parseDate("13-13-2024"));
  EXPECT_FALSE(parseDate("03-04-24"));
  EXPECT_FALSE(parseDate("gisteren"));
  EXPECT_FALSE(parseDate("03-04-2024 14:00"));  // a moment, not a date
}

TEST(Values, DateTimes) {
  EXPECT_EQ(*parseDateTime("03-04-2024 14:05"), "2024-04-03T14:05:00");
  EXPECT_EQ(*parseDateTime("3-4-2024 9:05:07"), "2024-04-03T09:05:07");
  EXPECT_EQ(*parseDateTime("2024-04-03T14:05:00"), "2024-04-03T14:05:00");
  EXPECT_EQ(*parseDateTime("03-04-2024"), "2024-04-03T00:00:00");
  EXPECT_EQ(*parseDateTime("03-04-2024 22.15"), "2024-04-03T22:15:00");  // Dutch "22.15 uur"
  EXPECT_FALSE(parseDateTime("03-04-2024 25:00"));
  EXPECT_FALSE(parseDateTime("03-04-2024 14:5"));
}

TEST(Values, Booleans) {
  for (const char* t : {"ja", "JA", "j", "1", "true", "Waar"})
    EXPECT_EQ(parseBoolean(t), true) << t;
  for (const char* f : {"nee", "N", "0", "false", "onwaar"}) EXPECT_EQ(parseBoolean(f), false) << f;
  EXPECT_FALSE(parseBoolean("misschien"));
  EXPECT_FALSE(parseBoolean(""));
}
