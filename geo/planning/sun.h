// Sunrise, sunset and civil twilight for a place and a date, so that "only after dark" and "only
// by daylight" windows of sites follow the sun at the site on that date instead of a fixed hour.
//
// The solar position is NOAA's (the equations of the NOAA Solar Calculator, after Meeus,
// "Astronomical Algorithms"): geometric mean longitude and anomaly of the sun, equation of
// centre, apparent longitude, obliquity with nutation, declination and the equation of time;
// each event is iterated twice at its own moment. Sunrise and sunset are the moments the upper
// limb touches the horizon with standard refraction (zenith 90.833°); civil twilight ends/starts
// at a solar depression of 6° (zenith 96°). Within 1.5 min of KNMI
// (tests: KNMI's table for De Bilt). Local time is Dutch civil time (CET, CEST from the last
// Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC), as the store's times are.
#pragma once

#include <cstdint>

#include "geo/core/types.h"

namespace veldwacht::geo {

struct CivilDate {
  int year = 2026;
  int month = 1;  ///< 1..12
  int day = 1;    ///< 1..31
  bool valid() const;
};

/// Days since 1970-01-01 (proleptic Gregorian; negative before) and back.
std::int64_t daysFromCivil(const CivilDate& d);
CivilDate civilFromDays(std::int64_t days);

/// Dutch civil time minus UTC in minutes (60 in winter, 120 in summer) at `utcMinutes` after
/// 00:00 UTC of `date` (may be negative or over 1440).
int dutchUtcOffsetMinutes(const CivilDate& date, double utcMinutes);

/// WGS84 latitude/longitude in degrees (east positive).
struct LatLon {
  double lat = 0.0;
  double lon = 0.0;
};

/// RD New (EPSG:28992) to WGS84 by the polynomial approximation of Schreutelkamp & Strang van
/// Hees (about 1 m inside the Netherlands; far more than the sun needs).
LatLon rdToWgs84(const Point& rd);

enum class SunHorizon {
  Sunrise,  ///< upper limb on the horizon with refraction (zenith 90.833°)
  Civil,    ///< civil twilight (zenith 96°): dawn before sunrise, dusk after sunset
};

struct SunTimes {
  /// Minutes after local midnight of the date (Dutch civil time); only meaningful when the sun
  /// rises and sets that day (neither flag set).
  double rise = 0.0;
  double set = 0.0;
  bool alwaysUp = false;    ///< the sun stays above the horizon all day (polar day)
  bool alwaysDown = false;  ///< the sun stays below it all day (polar night)
};

/// Rise and set (or dawn and dusk for SunHorizon::Civil) at `place` on `date`, in local minutes.
/// Throws OptionError("date") for an impossible date and OptionError("lat"/"lon") outside
/// [-90, 90] / [-180, 180].
SunTimes sunTimes(const LatLon& place, const CivilDate& date,
                  SunHorizon horizon = SunHorizon::Sunrise);

}  // namespace veldwacht::geo
