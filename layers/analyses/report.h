// What every analysis runner returns, and the bookkeeping they share: result metadata (algorithm,
// parameters as JSON, input, seed, start time, duration) and field definitions.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "layers/analyses/inputs.h"
#include "layers/results/results.h"

namespace veldwacht::layers {

/// What a run wrote and what to tell the user.
struct RunReport {
  std::vector<std::string> layers;    ///< result layers written into the store
  std::vector<std::string> files;     ///< files written next to the store (GeoTIFF, QML)
  std::vector<std::string> lines;     ///< a short summary, one line each, for the CLI
  std::vector<std::string> warnings;  ///< things the analyst should know

  void append(RunReport&& other);
};

/// Measures a run from construction and fills ResultMetadata.
class RunClock {
 public:
  RunClock();
  /// Metadata for a result of `algorithm` on `input`: start time and the time elapsed so far.
  ResultMetadata metadata(const std::string& algorithm, const nlohmann::json& parameters,
                          const std::string& inputLayer, std::int64_t inputRows,
                          std::optional<std::int64_t> seed = std::nullopt) const;
  double seconds() const;

 private:
  std::chrono::steady_clock::time_point t0_;
  std::string startedAt_;
};

/// A FieldDef in one line.
FieldDef resultField(const std::string& name, FieldType type, const std::string& help = {});

/// The input description for metadata: "signalen" or "signalen [filter]".
std::string inputDescription(const PointInput& in);

/// An ISO WKB polygon (or multipolygon) as an OGR geometry; throws LibraryError.
geo::GeometryPtr geometryFromWkb(const std::vector<std::uint8_t>& wkb);
/// A closed ring as an OGR polygon.
geo::GeometryPtr polygonFromRing(const std::vector<geo::Point>& ring);
geo::GeometryPtr pointGeometry(const geo::Point& p);

/// Writes several result layers that belong together (e.g. points and hulls) in ONE
/// transaction (writeResultSet): a failure, a cancel or a kill at any moment leaves either all
/// the previous layers of these names or all the new ones, never a mix.
void writeResultLayers(Store& store, std::vector<ResultLayer>&& layers,
                       geo::Progress& progress = geo::nullProgress());

/// Checks a result name prefix (lower-case letters, digits, _); throws OptionError("output").
void checkOutputName(const std::string& name);

}  // namespace veldwacht::layers
