// Large working arrays backed by transparent huge pages where the system lets a program ask.
//
// A 1M-point run fills a few hundred MB of fresh arrays (points, keys, the grid, the index
// entries). With 4 KiB pages every page is one fault when first written, and on a virtual
// machine also one fault in the host: about a fifth of a DBSCAN's CPU inside QGIS was spent
// there (docs/benchmarks.md, session 14). Debian's kernels leave transparent huge pages to the
// program ("madvise" mode); glibc asks for them only when told so before the process starts
// (GLIBC_TUNABLES=glibc.malloc.hugetlb=1), which a plugin inside QGIS cannot do. These helpers
// ask for the 2 MiB extents inside one array before it is written, so they fault 512 times less
// often. Only a hint: results never depend on it, and without THP nothing changes.
#pragma once

#include <cstddef>
#include <vector>

namespace veldwacht::geo {

/// Asks for huge pages on the whole, aligned 2 MiB extents inside [data, data + bytes) (none
/// when the block holds no such extent). Call it before the memory is first written. Never
/// fails (a refused hint is ignored).
void adviseHugePages(const void* data, std::size_t bytes) noexcept;

/// Hands the memory freed so far back to the system (glibc: malloc_trim(0); elsewhere
/// nothing). glibc raises its mmap threshold as large blocks are freed, so a step's freed
/// working arrays (e.g. DBSCAN's grid) stay in the heap, below blocks still in use, and count
/// in the process's peak memory while the next step allocates beside them. Costs a walk over
/// malloc's free lists: call it after a step that freed much, not in a loop.
void returnFreedMemory() noexcept;

/// v.reserve(n), then adviseHugePages on the new storage when it is large.
template <class T, class A>
void reserveLarge(std::vector<T, A>& v, std::size_t n) {
  const T* before = v.data();
  v.reserve(n);
  if (v.data() != before) adviseHugePages(v.data(), v.capacity() * sizeof(T));
}

/// v.assign(n, value) into storage that was advised before it is written.
template <class T, class A>
void assignLarge(std::vector<T, A>& v, std::size_t n, const T& value) {
  if (v.capacity() < n) {
    std::vector<T, A>().swap(v);
    reserveLarge(v, n);
  }
  v.assign(n, value);
}

/// v.resize(n) (value-initialised new elements) into storage advised before it is written.
template <class T, class A>
void resizeLarge(std::vector<T, A>& v, std::size_t n) {
  if (v.capacity() < n) reserveLarge(v, n);
  v.resize(n);
}

}  // namespace veldwacht::geo
