// The public face of a store: layers that may be shown to a room of entrepreneurs and
// residents, made from the confidential ones by the methods of geo/privacy.
//
//  - <prefix><layer>_per_gebied: points counted per buurt, wijk and gemeente (one polygon layer,
//    field `niveau`), wijk = sum of its buurten, gemeente = sum of its wijken; counts 1..k-1
//    (k = 5) and their complements suppressed (aantal NULL, onderdrukt = 1) so that the
//    published totals give no suppressed count away. Points outside every buurt are left out.
//  - <prefix><layer>_gemaskeerd: the points moved by adaptive donut masking against the
//    addresses (verblijfsobjecten; k = 8, at least 25 m), carrying only the category, in a
//    shuffled order.
// Only ONE aggregation geography is published: two overlapping ones (buurten and a hex grid)
// would let a reader difference them and recover suppressed counts.
//
// The masking seed: whoever knows it can recompute each point's direction and distance and so
// undo the mask. It is therefore drawn from std::random_device unless given, kept only in the
// (confidential) store's registry, and never written to a public file.
//
// Both layers are classified `openbaar` with the method as reason (classification.h), and
// checkPublicLayer() re-verifies them before every public export.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "geo/core/progress.h"
#include "geo/privacy/geomask.h"
#include "geo/privacy/suppression.h"
#include "layers/analyses/inputs.h"
#include "layers/analyses/report.h"
#include "layers/store/store.h"

namespace veldwacht::layers {

struct PublicLayersOptions {
  PointSelection input{"signalen", "", ""};
  std::string addressLayer = "verblijfsobjecten";
  /// Names: <prefix><input layer>_per_gebied and <prefix><input layer>_gemaskeerd.
  std::string prefix = "openbaar_";
  bool aggregate = true;
  bool mask = true;
  geo::SuppressionOptions suppression{};
  geo::DonutMaskOptions masking{};
  /// Seed of the mask; nullopt = a fresh random one (recommended, see above).
  std::optional<std::uint64_t> seed;
  /// Keep the category on the masked points (signalen: categorie).
  bool keepCategory = true;
  std::string stylesDir;
  void validate() const;
};

/// Writes the public layers into the store (replacing earlier ones) and classifies them
/// `openbaar`. The report's lines give the suppression counts and the nearest-address attack
/// rate measured on the masked points. Throws OptionError, InputError, CancelledError.
RunReport buildPublicLayers(Store& store, const PublicLayersOptions& options,
                            geo::Progress& progress = geo::nullProgress());

/// Problems that make a layer unfit for a public destination (empty = fit): a layer of the
/// privacy module is re-checked (published counts below k, a suppressed count the published
/// totals determine, fields beyond the category on masked points); a public context layer has
/// none. Confidential layers are refused by the caller before this.
std::vector<std::string> checkPublicLayer(Store& store, const std::string& layer);

/// Algorithm names in veldwacht_resultaten of the two kinds of public layer.
inline constexpr const char* kSuppressionAlgorithm = "kleine_aantallen_onderdrukking";
inline constexpr const char* kMaskingAlgorithm = "donut_geomasking";

/// Their default styles, styles/results/<style>.qml (written by styles/tools/build_styles.py).
inline constexpr const char* kSuppressionStyle = "openbaar_per_gebied";
inline constexpr const char* kMaskingStyle = "openbaar_gemaskeerd";

}  // namespace veldwacht::layers
