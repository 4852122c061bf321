// The audit trail of a store (AVG/GDPR accountability; the Wpg requires logging who consulted,
// shared or deleted police data): one append-only row per export, print, public export,
// presenter-mode switch or removal, in the attribute table veldwacht_audit. Triggers refuse
// UPDATE and DELETE on it, also from plain QGIS or sqlite3.
//
// And the retention listing: signals older than a retention period (by gemeld_op, else
// waargenomen_van), for removal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "layers/privacy/classification.h"
#include "layers/store/store.h"

namespace veldwacht::layers {

inline constexpr const char* kAuditTable = "veldwacht_audit";
/// The signals' follow-up history (layers/followup/followup.h).
inline constexpr const char* kFollowupTable = "veldwacht_opvolging";

struct AuditEntry {
  std::int64_t id = 0;        ///< set by the store
  std::string who{};          ///< OS user; empty = currentOsUser()
  std::string when{};         ///< local time YYYY-MM-DDTHH:MM:SS; empty = now
  std::string action{};       ///< "publiceer", "export", "print", "presentatie", "verwijder", ...
  std::string layer{};        ///< the layer
  std::string filter{};       ///< the attribute filter, empty = all rows
  std::string destination{};  ///< file or device written to
  Sensitivity sensitivity = Sensitivity::Public;  ///< of the destination
  std::string outcome = "uitgevoerd";             ///< "uitgevoerd" or "geweigerd"
  std::string remark{};                           ///< e.g. the reason of a refusal
};

/// The login name of the OS user running this process ($USER is not trusted: getpwuid first).
std::string currentOsUser();

/// Appends one row (creating the table and its append-only triggers when missing). Needs an
/// updatable store; the row is committed at once (no caller's transaction may be open).
void recordAudit(Store& store, AuditEntry entry);

/// Creates the audit table and its append-only triggers when missing (outside any transaction).
void ensureAuditTable(Store& store);

/// The INSERT statement of one audit row (who and when filled in when empty), for a caller that
/// writes the row inside its own transaction, together with the change it records; the table
/// must exist (ensureAuditTable first).
std::string auditInsertSql(AuditEntry entry);

/// One row as the readers select it (both stores): id, wie, wanneer, actie, laag, filter,
/// bestemming, klasse, uitkomst, opmerking; NULL reads as "", a timestamp's form as the text's.
AuditEntry auditEntryOfRow(const std::vector<std::optional<std::string>>& row);

/// All rows, oldest first; `last` > 0 keeps only the last rows. Empty when the table is absent.
std::vector<AuditEntry> readAudit(Store& store, std::size_t last = 0);

struct RetentionCandidate {
  std::string key;   ///< signaal_id
  std::string date;  ///< the moment that counted (gemeld_op, else waargenomen_van), to the second
};

/// Signals whose gemeld_op (or, when NULL, waargenomen_van) lies before `today` minus
/// `retentionDays`. `today` is YYYY-MM-DD; empty = the local date. Oldest first.
std::vector<RetentionCandidate> retentionCandidates(Store& store, int retentionDays,
                                                    const std::string& today = {});

/// Removes the signals retentionCandidates() lists, in one transaction, and records one audit
/// row (actie "verwijder", the ids in the remark). Refused (geo::LibraryError, nothing removed)
/// when another layer still references one of them. Returns the number removed.
std::size_t removeRetained(Store& store, int retentionDays, const std::string& today = {});

}  // namespace veldwacht::layers
