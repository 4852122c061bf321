// Sunrise/sunset against KNMI's table for De Bilt (2023, as published in whole minutes), the
// Dutch daylight-saving switch, civil twilight, polar day/night and the date arithmetic.
#include "geo/planning/sun.h"

#include <gtest/gtest.h>

#include <cmath>

#include "geo/core/error.h"

using namespace veldwacht::geo;

namespace {

constexpr LatLon kDeBilt{52.101, 5.177};

double minutesOf(int h, int m) { return h * 60.0 + m; }

}  // namespace

TEST(Sun, SunriseMatchesKnmiTableForDeBiltWithinAMinute) {
  struct Row {
    CivilDate date;
    int h, m;
  };
  // KNMI, De Bilt 2023 (winter time until 26 March, summer time after).
  const Row rows[] = {{{2023, 2, 4}, 8, 16},  {{2023, 2, 11}, 8, 3},  {{2023, 2, 18}, 7, 50},
                      {{2023, 2, 25}, 7, 35}, {{2023, 3, 4}, 7, 20},  {{2023, 3, 11}, 7, 4},
                      {{2023, 3, 18}, 6, 48}, {{2023, 3, 25}, 6, 32}, {{2023, 4, 1}, 7, 16},
                      {{2023, 4, 8}, 7, 0},   {{2023, 4, 15}, 6, 44}, {{2023, 4, 22}, 6, 29},
                      {{2023, 4, 29}, 6, 15}, {{2023, 5, 6}, 6, 2},   {{2023, 5, 13}, 5, 50}};
  for (const auto& r : rows) {
    const SunTimes s = sunTimes(kDeBilt, r.date);
    ASSERT_FALSE(s.alwaysUp || s.alwaysDown);
    // The table is in whole minutes; NOAA comes out up to 1.35 min earlier in spring (measured).
    EXPECT_NEAR(s.rise, minutesOf(r.h, r.m), 1.5)
        << r.date.year << "-" << r.date.month << "-" << r.date.day;
  }
}

TEST(Sun, SunsetAndDayLengthAreThoseOfTheDutchSeasons) {
  // Shortest day: about 7 h 44 min of daylight at 52.1 N; longest about 16 h 48 min.
  const SunTimes winter = sunTimes(kDeBilt, {2026, 12, 21});
  EXPECT_NEAR(winter.set - winter.rise, 7 * 60 + 44, 4.0);
  const SunTimes summer = sunTimes(kDeBilt, {2026, 6, 21});
  EXPECT_NEAR(summer.set - summer.rise, 16 * 60 + 48, 6.0);
  // Solar noon halfway: about 12:40 CET in December at 5.18 E, 13:40 CEST in June.
  EXPECT_NEAR((winter.rise + winter.set) / 2, minutesOf(12, 40), 3.0);
  EXPECT_NEAR((summer.rise + summer.set) / 2, minutesOf(13, 40), 3.0);
  // Delfzijl (53.33 N, 6.93 E) lies north-east: a shorter winter day, an earlier noon.
  const SunTimes delfzijl = sunTimes({53.33, 6.93}, {2026, 12, 21});
  EXPECT_LT(delfzijl.set - delfzijl.rise, winter.set - winter.rise - 10.0);
  EXPECT_LT((delfzijl.rise + delfzijl.set) / 2, (winter.rise + winter.set) / 2 - 6.0);
}

TEST(Sun, DaylightSavingSwitchMovesTheClockTimeByAnHour) {
  const SunTimes before = sunTimes(kDeBilt, {2026, 3, 28});
  const SunTimes after = sunTimes(kDeBilt, {2026, 3, 29});
  // One hour later on the clock, less the ~2 minutes the sun rises earlier each day.
  EXPECT_NEAR(after.rise - before.rise, 60.0 - 2.0, 1.0);
  const SunTimes octBefore = sunTimes(kDeBilt, {2026, 10, 24});
  const SunTimes octAfter = sunTimes(kDeBilt, {2026, 10, 25});
  EXPECT_NEAR(octAfter.rise - octBefore.rise, -60.0 + 2.0, 1.0);
  EXPECT_EQ(dutchUtcOffsetMinutes({2026, 3, 29}, 59.0), 60);
  EXPECT_EQ(dutchUtcOffsetMinutes({2026, 3, 29}, 60.0), 120);
  EXPECT_EQ(dutchUtcOffsetMinutes({2026, 10, 25}, 59.0), 120);
  EXPECT_EQ(dutchUtcOffsetMinutes({2026, 10, 25}, 60.0), 60);
  EXPECT_EQ(dutchUtcOffsetMinutes({2026, 12, 7}, 600.0), 60);
}

TEST(Sun, CivilTwilightFramesTheDay) {
  for (const CivilDate d :
       {CivilDate{2026, 12, 7}, CivilDate{2026, 3, 20}, CivilDate{2026, 6, 21}}) {
    const SunTimes sun = sunTimes(kDeBilt, d);
    const SunTimes civil = sunTimes(kDeBilt, d, SunHorizon::Civil);
    // At 52 N civil twilight lasts 35 to 55 minutes depending on the season.
    EXPECT_GT(sun.rise - civil.rise, 33.0);
    EXPECT_LT(sun.rise - civil.rise, 56.0);
    EXPECT_GT(civil.set - sun.set, 33.0);
    EXPECT_LT(civil.set - sun.set, 56.0);
  }
}

TEST(Sun, PolarDayAndNightAreFlagged) {
  EXPECT_TRUE(sunTimes({80.0, 10.0}, {2026, 12, 21}).alwaysDown);
  EXPECT_TRUE(sunTimes({80.0, 10.0}, {2026, 6, 21}).alwaysUp);
  EXPECT_FALSE(sunTimes({80.0, 10.0}, {2026, 6, 21}).alwaysDown);
}

TEST(Sun, BadDatesAndPlacesAreRefusedByName) {
  try {
    sunTimes(kDeBilt, {2026, 2, 29});
    FAIL();
  } catch (const OptionError& e) {
    EXPECT_NE(std::string(e.what()).find("date"), std::string::npos);
  }
  EXPECT_THROW(sunTimes({91.0, 5.0}, {2026, 1, 1}), OptionError);
  EXPECT_THROW(sunTimes({52.0, NAN}, {2026, 1, 1}), OptionError);
}

TEST(Sun, CalendarArithmeticRoundTrips) {
  EXPECT_EQ(daysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(daysFromCivil({2026, 12, 7}) - daysFromCivil({2026, 11, 30}), 7);
  for (std::int64_t d = -1000; d < 30000; d += 37) {
    const CivilDate c = civilFromDays(d);
    ASSERT_TRUE(c.valid());
    EXPECT_EQ(daysFromCivil(c), d);
  }
  const CivilDate leapDay = civilFromDays(daysFromCivil({2028, 2, 28}) + 1);
  EXPECT_EQ(leapDay.month, 2);
  EXPECT_EQ(leapDay.day, 29);
}

TEST(Sun, RdOriginIsAmersfoort) {
  const LatLon a = rdToWgs84({155000.0, 463000.0});
  EXPECT_NEAR(a.lat, 52.15517440, 1e-9);
  EXPECT_NEAR(a.lon, 5.38720621, 1e-9);
  // 100 km north is about 0.9 degrees of latitude.
  const LatLon n = rdToWgs84({155000.0, 563000.0});
  EXPECT_NEAR(n.lat - a.lat, 0.898, 0.01);
}
