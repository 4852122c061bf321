// libFuzzer target: field mappings, both forms. The first byte picks the target layer and the
// form: "src=dst,..." pairs (--map) or a JSON mapping file (read through a memfd). Any input
// must parse or give a geo::Error (OptionError / InputError), never a crash or a leak.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "geo/core/error.h"
#include "layers/importers/mapping.h"
#include "layers/schema/schema.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto& defs = veldwacht::layers::layerDefs();
  const std::string layer = defs[(data[0] >> 1) % defs.size()].name;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    if (data[0] & 1) {
      const auto m = veldwacht::layers::parseMappingPairs(text);
      veldwacht::layers::checkMappingTargets(m, layer);
    } else {
      const int fd = memfd_create("mapping.json", MFD_CLOEXEC);
      if (fd < 0) return 0;
      std::size_t done = 0;
      while (done < text.size()) {
        const ssize_t n = write(fd, text.data() + done, text.size() - done);
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
      }
      try {
        const auto m = veldwacht::layers::loadMappingFile("/proc/self/fd/" + std::to_string(fd));
        if (m.layer.empty()) veldwacht::layers::checkMappingTargets(m, layer);
      } catch (...) {
        close(fd);
        throw;
      }
      close(fd);
    }
  } catch (const veldwacht::geo::Error&) {
  }
  return 0;
}
