// `publiceer`: copy layers of a store to a public GeoPackage, refusing every layer that may not
// go there, and record each attempt in the audit table.
//
// A layer goes out only when it is classified `openbaar` (classification.h) AND passes
// checkPublicLayer() (public_layers.h). Otherwise nothing is written, the refusal is recorded
// (uitkomst = geweigerd) and a PublicationRefused names the layer, its classification and what
// to publish instead. The file is written next to its destination and renamed into place at the
// end, so a refused, failed or cancelled run leaves no half-written public file. Only the
// features and fields go out (import_id, which points into the store's bookkeeping, is
// dropped), with the layer's default style; no registry rows, no masking seed, no parameters.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "geo/core/error.h"
#include "geo/core/progress.h"
#include "layers/store/store.h"

namespace veldwacht::layers {

/// A confidential (or unchecked) layer was sent to a public destination.
class PublicationRefused : public geo::InputError {
 public:
  PublicationRefused(const std::string& layer, const std::string& what)
      : geo::InputError({}, what), layer_(layer) {}
  const std::string& layer() const noexcept { return layer_; }

 private:
  std::string layer_;
};

struct PublishRequest {
  std::vector<std::string> layers{};  ///< store layers to publish, in this order
  std::string destination{};          ///< a .gpkg path
  bool overwrite = false;             ///< replace an existing destination file
  std::string action = "publiceer";   ///< recorded in the audit table
  void validate() const;
};

struct PublishedLayer {
  std::string layer;
  std::int64_t rows = 0;
};

/// Publishes, or throws PublicationRefused / OptionError / LibraryError / CancelledError. Every
/// outcome (done or refused) is recorded in veldwacht_audit, so the store must be updatable.
std::vector<PublishedLayer> publish(Store& store, const PublishRequest& request,
                                    geo::Progress& progress = geo::nullProgress());

}  // namespace veldwacht::layers
