// The pgstore tests' PostgreSQL 15 + PostGIS cluster: the shared helper
// (tests/support/temp_postgres.h) with PostGIS in the template, one cluster per test binary.
// Each test makes its own database with newDatabase().
#pragma once

#include "../../support/temp_postgres.h"
#include "layers/pgstore/pg.h"

namespace veldwacht::layers::testing {

class TempPostgres : public veldwacht::testing::TempPostgres {
 public:
  /// True when the PostgreSQL 15 server binaries and PostGIS are installed.
  static bool available() { return veldwacht::testing::TempPostgres::available({"postgis"}); }
  TempPostgres() : veldwacht::testing::TempPostgres({"postgis"}) {}
};

/// One cluster per test binary, started on first use and stopped at exit.
inline TempPostgres& cluster() {
  static TempPostgres pg;
  return pg;
}

}  // namespace veldwacht::layers::testing
