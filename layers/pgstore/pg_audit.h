// The audit trail on the PostGIS store: the same table as the GeoPackage store's
// (layers/privacy/audit.h: veldwacht_audit with wie, wanneer, actie, laag, filter, bestemming,
// klasse, uitkomst, opmerking), so the same INSERT (auditInsertSql) and the same reading work, plus
// `login`: the database login that wrote the row, set by the server (a trigger), so a client
// cannot write it in someone else's name. Append-only in the database: triggers refuse UPDATE,
// DELETE and TRUNCATE, also from QGIS or psql, whoever the login (the owner too).
//
// A row is written on the caller's connection inside the caller's transaction (recordAudit(
// pg::Connection&, …)), together with what it records: `veldwacht sync` records what went up and
// came down (a copy to a laptop is an export), `import --update` what it changed, `rollen` the
// grants. Every Veldwacht role may add rows; only analist reads them (roles.h).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "layers/pgstore/pg.h"
#include "layers/privacy/audit.h"

namespace veldwacht::layers::pgstore {

/// The statements that create the store's own history tables when missing: the audit table
/// with its append-only triggers and the login trigger, the layers' classification
/// (veldwacht_classificatie, its klasse a CHECK) and the signals' follow-up history
/// (veldwacht_opvolging, rows never changed). Part of createStoreSql; run again by the owner
/// on opening an older store. The GeoPackage store creates the same tables when first written
/// (layers/privacy, layers/followup).
std::vector<std::string> historyTablesSql();

/// Whether the store has the audit table (an older store opened by another login may not).
bool hasAuditTable(pg::Connection& c);
/// Whether the store has every table of historyTablesSql().
bool hasHistoryTables(pg::Connection& c);

/// Appends one row on `c`, in the transaction open there (or on its own): `who` empty = the OS
/// user (currentOsUser), `when` empty = the server's local time. Throws pg::PgError.
void recordAudit(pg::Connection& c, AuditEntry entry);

/// All rows, oldest first (`last` > 0: only the last rows); `remark` ends with " [login X]"
/// when the database login differs from `who`. Empty when there is no audit table.
std::vector<AuditEntry> readAudit(pg::Connection& c, std::size_t last = 0);

}  // namespace veldwacht::layers::pgstore
