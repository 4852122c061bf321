#include "geo/planning/sun.h"

#include <cmath>
#include <numbers>

#include "geo/core/error.h"

namespace veldwacht::geo {
namespace {

constexpr double kDeg = std::numbers::pi / 180.0;

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int daysInMonth(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

/// The last Sunday of `month` in `year`, as days since 1970-01-01.
std::int64_t lastSunday(int year, int month) {
  const std::int64_t last = daysFromCivil({year, month, daysInMonth(year, month)});
  // 1970-01-01 was a Thursday: weekday 0 = Sunday is (days + 4) mod 7.
  const std::int64_t weekday = ((last + 4) % 7 + 7) % 7;
  return last - weekday;
}

struct SunPosition {
  double declination = 0.0;     ///< radians
  double equationOfTime = 0.0;  ///< minutes
};

/// NOAA's solar position at Julian day `jd` (UT).
SunPosition sunAt(double jd) {
  const double t = (jd - 2451545.0) / 36525.0;
  const double l0 = std::fmod(280.46646 + t * (36000.76983 + t * 0.0003032), 360.0);
  const double m = 357.52911 + t * (35999.05029 - 0.0001537 * t);
  const double e = 0.016708634 - t * (0.000042037 + 0.0000001267 * t);
  const double c = std::sin(m * kDeg) * (1.914602 - t * (0.004817 + 0.000014 * t)) +
                   std::sin(2 * m * kDeg) * (0.019993 - 0.000101 * t) +
                   std::sin(3 * m * kDeg) * 0.000289;
  const double trueLong = l0 + c;
  const double omega = 125.04 - 1934.136 * t;
  const double appLong = trueLong - 0.00569 - 0.00478 * std::sin(omega * kDeg);
  const double meanObliq =
      23.0 + (26.0 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60.0) / 60.0;
  const double obliq = meanObliq + 0.00256 * std::cos(omega * kDeg);
  SunPosition p;
  p.declination = std::asin(std::sin(obliq * kDeg) * std::sin(appLong * kDeg));
  const double y = std::pow(std::tan(obliq * kDeg / 2.0), 2);
  const double l0r = l0 * kDeg, mr = m * kDeg;
  p.equationOfTime =
      4.0 / kDeg *
      (y * std::sin(2 * l0r) - 2 * e * std::sin(mr) + 4 * e * y * std::sin(mr) * std::cos(2 * l0r) -
       0.5 * y * y * std::sin(4 * l0r) - 1.25 * e * e * std::sin(2 * mr));
  return p;
}

/// Julian day of 00:00 UT of `date`.
double julianDay(const CivilDate& date) { return 2440587.5 + double(daysFromCivil(date)); }

}  // namespace

bool CivilDate::valid() const {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= daysInMonth(year, month);
}

// Howard Hinnant's days_from_civil / civil_from_days.
std::int64_t daysFromCivil(const CivilDate& d) {
  const std::int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (d.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate civilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int day = int(doy - (153 * mp + 2) / 5 + 1);
  const int month = int(mp < 10 ? mp + 3 : mp - 9);
  const int year = int(yoe + era * 400 + (month <= 2 ? 1 : 0));
  return {year, month, day};
}

int dutchUtcOffsetMinutes(const CivilDate& date, double utcMinutes) {
  const double t = double(daysFromCivil(date)) * 1440.0 + utcMinutes;
  const double summerStart = double(lastSunday(date.year, 3)) * 1440.0 + 60.0;
  const double summerEnd = double(lastSunday(date.year, 10)) * 1440.0 + 60.0;
  return t >= summerStart && t < summerEnd ? 120 : 60;
}

LatLon rdToWgs84(const Point& rd) {
  const double dx = (rd.x - 155000.0) * 1e-5, dy = (rd.y - 463000.0) * 1e-5;
  struct Term {
    int p, q;
    double k;
  };
  static const Term kLat[] = {{0, 1, 3235.65389}, {2, 0, -32.58297}, {0, 2, -0.24750},
                              {2, 1, -0.84978},   {0, 3, -0.06550},  {2, 2, -0.01709},
                              {1, 0, -0.00738},   {4, 0, 0.00530},   {2, 3, -0.00039},
                              {4, 1, 0.00033},    {1, 1, -0.00012}};
  static const Term kLon[] = {{1, 0, 5260.52916}, {1, 1, 105.94684}, {1, 2, 2.45656},
                              {3, 0, -0.81885},   {1, 3, 0.05594},   {3, 1, -0.05607},
                              {0, 1, 0.01199},    {3, 2, -0.00256},  {1, 4, 0.00128},
                              {0, 2, 0.00022},    {2, 0, -0.00022},  {5, 0, 0.00026}};
  double lat = 0.0, lon = 0.0;
  for (const auto& t : kLat) lat += t.k * std::pow(dx, t.p) * std::pow(dy, t.q);
  for (const auto& t : kLon) lon += t.k * std::pow(dx, t.p) * std::pow(dy, t.q);
  return {52.15517440 + lat / 3600.0, 5.38720621 + lon / 3600.0};
}

SunTimes sunTimes(const LatLon& place, const CivilDate& date, SunHorizon horizon) {
  if (!date.valid()) throw OptionError("date", "not a calendar date");
  if (!(place.lat >= -90.0 && place.lat <= 90.0))
    throw OptionError("lat", "expected a latitude in [-90, 90] degrees");
  if (!(place.lon >= -180.0 && place.lon <= 180.0))
    throw OptionError("lon", "expected a longitude in [-180, 180] degrees");
  const double zenith = horizon == SunHorizon::Civil ? 96.0 : 90.833;
  const double jd0 = julianDay(date);
  const double latR = place.lat * kDeg;
  SunTimes out;
  // Event moments in minutes after 00:00 UT of the date; start from local noon.
  auto event = [&](bool rising, bool& up, bool& down) {
    double utc = 720.0 - 4.0 * place.lon;
    for (int iter = 0; iter < 3; ++iter) {
      const SunPosition s = sunAt(jd0 + utc / 1440.0);
      const double cosH = std::cos(zenith * kDeg) / (std::cos(latR) * std::cos(s.declination)) -
                          std::tan(latR) * std::tan(s.declination);
      if (cosH > 1.0) {
        down = true;
        return 0.0;
      }
      if (cosH < -1.0) {
        up = true;
        return 0.0;
      }
      const double h = std::acos(cosH) / kDeg;
      utc = 720.0 - 4.0 * (place.lon + (rising ? h : -h)) - s.equationOfTime;
    }
    return utc;
  };
  bool up = false, down = false;
  const double riseUtc = event(true, up, down);
  const double setUtc = event(false, up, down);
  if (up || down) {
    out.alwaysUp = up && !down;
    out.alwaysDown = down;
    return out;
  }
  out.rise = riseUtc + dutchUtcOffsetMinutes(date, riseUtc);
  out.set = setUtc + dutchUtcOffsetMinutes(date, setUtc);
  return out;
}

}  // namespace veldwacht::geo
