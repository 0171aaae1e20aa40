#pragma once
// How much memory this process may still use, for the "does it fit" checks commands make before
// any work starts. Pure reads of /proc and cgroup files; thread-safe.
#include <cstdint>
#include <optional>
#include <string>

namespace taskquant {

// The memory available to this process in bytes: the kernel's MemAvailable, lowered to what the
// cgroup (v2 memory.max - memory.current, or v1 limit - usage) still allows, lowered to
// TASKQUANT_MEMORY_LIMIT when set (bytes, or with a K/M/G/T suffix, binary units).
// nullopt when none of them can be read (then no check is made). Throws taskquant::Error when
// TASKQUANT_MEMORY_LIMIT is set but is not a size.
std::optional<uint64_t> availableMemoryBytes();

// Parses "123", "64M", "20G", "1.5T" (binary units); nullopt when malformed.
std::optional<uint64_t> parseByteSize(const std::string& text);

// Hands the whole pages inside [data, data + bytes) back to the kernel (madvise MADV_PAGEOUT):
// clean pages of a file mapping leave resident memory and are read from the file again on the
// next access; the contents never change (a modified private page stays). Best effort: no effect
// where the kernel lacks MADV_PAGEOUT (before Linux 5.4) or on anonymous memory without swap.
// Returns false when the kernel refused the advice.
bool pageOut(const void* data, uint64_t bytes);
// Drops the pages that [data, data + bytes) touches, the partial ones at its ends included,
// from resident memory (madvise MADV_DONTNEED): for a copied-out range of a private mapping that
// is not used again. A modified private page loses its changes.
void dropPages(const void* data, uint64_t bytes);

// Hands the free memory the C library's allocator keeps back to the kernel (glibc malloc_trim:
// the free pages inside its heaps too, not only those at the top). The runtime raises glibc's
// mmap and trim thresholds (core/jobs/runtime.cpp) so that the passes' large temporaries reuse
// the heap instead of being mapped afresh; a long job calls this where what it freed will not be
// reused soon (after each weight of the error tables, between evaluations), or the heap's free
// memory stays resident: up to 10 GB on the 8B shape's frontier. No effect outside glibc.
void trimHeap();

// "3.62 GiB", "512.0 MiB": the way fit messages print sizes.
std::string gibText(uint64_t bytes);

} // namespace taskquant
