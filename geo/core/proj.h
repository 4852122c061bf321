// RAII ownership of PROJ objects.
#pragma once

#include <memory>

#include <proj.h>

namespace veldwacht::geo {

struct ProjDeleter {
  void operator()(PJ* p) const noexcept { proj_destroy(p); }
  void operator()(PJ_CONTEXT* c) const noexcept { proj_context_destroy(c); }
  void operator()(PJ_OBJ_LIST* l) const noexcept { proj_list_destroy(l); }
  void operator()(PJ_OPERATION_FACTORY_CONTEXT* c) const noexcept {
    proj_operation_factory_context_destroy(c);
  }
};

using ProjPtr = std::unique_ptr<PJ, ProjDeleter>;
using ProjContextPtr = std::unique_ptr<PJ_CONTEXT, ProjDeleter>;
using ProjListPtr = std::unique_ptr<PJ_OBJ_LIST, ProjDeleter>;

}  // namespace veldwacht::geo
