// What the login of a sync's server may see and write, per layer (layers/pgstore/sync.h). Under
// a partner login row-level security shows only part of signalen, and some layers not at all;
// sync must not take a row it cannot see for a new one (sending it up) or a deleted one
// (deleting it on the laptop), and must refuse what the login may not write before anything is
// written, naming the login, its role, the layer and the row.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "layers/store/store.h"

namespace veldwacht::layers::pgstore {

class PgStore;

/// What the server's login may do in one layer.
struct LayerAccess {
  bool read = true, insert = true, update = true, remove = true;
  /// Row-level security shows the login only some of the rows (no permissive SELECT policy
  /// of its roles is `true`): a key it does not see may still be there.
  bool partial = false;
};

class ServerAccess {
 public:
  /// A PostGIS server: asked from the catalog (privileges, row_security_active, pg_policies).
  /// Any other store: everything.
  explicit ServerAccess(Store& server);

  const LayerAccess& of(const std::string& layer);
  /// "login 'jan' (role veldwacht_partner)"; "the server" for a store without logins.
  const std::string& who() const { return who_; }
  /// Which of `keys` (as text) layer.key holds on the server, also those the login cannot see
  /// (PgStore::existing).
  std::set<std::string> existing(const LayerDef& def, const std::vector<std::string>& keys);
  /// The indexes of those `rows` that the login's row-level-security policies for `command`
  /// ("INSERT" or "UPDATE") would refuse, evaluated on the server in a transaction that is rolled
  /// back (the rows in a temporary table, the policies' expressions over it). Empty when
  /// row-level security does not apply to the login.
  std::vector<std::size_t> refusedByPolicies(const LayerDef& def, const char* command,
                                             std::span<const Record* const> rows);

 private:
  PgStore* pg_ = nullptr;
  std::map<std::string, LayerAccess> layers_;
  std::string who_ = "the server";
};

}  // namespace veldwacht::layers::pgstore
