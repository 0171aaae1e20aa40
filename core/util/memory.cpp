#include "core/util/memory.h"

#include <sys/mman.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/util/error.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21 // Linux 5.4
#endif

namespace taskquant {

namespace {

// madvise over the pages of [data, data + bytes): the whole pages inside it, or (outward) every
// page it touches. True when there was nothing to advise or the kernel took the advice.
bool advisePages(const void* data, uint64_t bytes, int advice, bool outward) {
    const long page = ::sysconf(_SC_PAGESIZE);
    if (!data || page <= 0 || bytes == 0)
        return true;
    const auto mask = static_cast<uintptr_t>(page - 1);
    const auto first = reinterpret_cast<uintptr_t>(data);
    const uintptr_t start = outward ? first & ~mask : (first + mask) & ~mask;
    const uintptr_t end = outward ? first + bytes : (first + bytes) & ~mask;
    return end <= start || ::madvise(reinterpret_cast<void*>(start), end - start, advice) == 0;
}

} // namespace

bool pageOut(const void* data, uint64_t bytes) {
    return advisePages(data, bytes, MADV_PAGEOUT, false);
}

void dropPages(const void* data, uint64_t bytes) {
    advisePages(data, bytes, MADV_DONTNEED, true);
}

void trimHeap() {
#if defined(__GLIBC__)
    ::malloc_trim(0);
#endif
}

namespace {

std::optional<uint64_t> readNumberFile(const char* path) {
    std::ifstream in(path);
    std::string word;
    if (!(in >> word) || word == "max")
        return std::nullopt;
    char* end = nullptr;
    const unsigned long long v = std::strtoull(word.c_str(), &end, 10);
    if (end == word.c_str() || *end != '\0')
        return std::nullopt;
    return static_cast<uint64_t>(v);
}

std::optional<uint64_t> memAvailable() {
    std::ifstream in("/proc/meminfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("MemAvailable:", 0) != 0)
            continue;
        std::istringstream s(line.substr(13));
        unsigned long long kib = 0;
        if (s >> kib)
            return static_cast<uint64_t>(kib) * 1024;
    }
    return std::nullopt;
}

std::optional<uint64_t> cgroupRoom() {
    auto limit = readNumberFile("/sys/fs/cgroup/memory.max");
    auto used = readNumberFile("/sys/fs/cgroup/memory.current");
    if (!limit) {
        limit = readNumberFile("/sys/fs/cgroup/memory/memory.limit_in_bytes");
        used = readNumberFile("/sys/fs/cgroup/memory/memory.usage_in_bytes");
        // cgroup v1 reports "no limit" as a huge page-rounded number.
        if (limit && *limit >= (uint64_t(1) << 60))
            limit.reset();
    }
    if (!limit)
        return std::nullopt;
    const uint64_t u = used ? *used : 0;
    return *limit > u ? *limit - u : 0;
}

} // namespace

std::optional<uint64_t> parseByteSize(const std::string& text) {
    if (text.empty() || text.size() > 32)
        return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || !std::isfinite(v) || v < 0)
        return std::nullopt;
    std::string suffix(end);
    if (!suffix.empty() && (suffix.back() == 'B' || suffix.back() == 'b'))
        suffix.pop_back();
    if (!suffix.empty() && (suffix.back() == 'i'))
        suffix.pop_back();
    double scale = 1;
    if (suffix.empty())
        scale = 1;
    else if (suffix == "K" || suffix == "k")
        scale = 1024.0;
    else if (suffix == "M" || suffix == "m")
        scale = 1024.0 * 1024;
    else if (suffix == "G" || suffix == "g")
        scale = 1024.0 * 1024 * 1024;
    else if (suffix == "T" || suffix == "t")
        scale = 1024.0 * 1024 * 1024 * 1024;
    else
        return std::nullopt;
    const double bytes = v * scale;
    if (bytes >= 1.8e19)
        return std::nullopt;
    return static_cast<uint64_t>(bytes);
}

std::optional<uint64_t> availableMemoryBytes() {
    std::optional<uint64_t> best = memAvailable();
    if (auto room = cgroupRoom(); room && (!best || *room < *best))
        best = room;
    if (const char* env = std::getenv("TASKQUANT_MEMORY_LIMIT"); env && *env) {
        const auto cap = parseByteSize(env);
        if (!cap)
            throw Error("TASKQUANT_MEMORY_LIMIT", std::string("\"") + env +
                                                      "\" is not a size (expected bytes or a "
                                                      "K/M/G/T suffix, e.g. 20G)");
        if (!best || *cap < *best)
            best = cap;
    }
    return best;
}

std::string gibText(uint64_t bytes) {
    char buf[64];
    const double gib = double(bytes) / (1024.0 * 1024 * 1024);
    if (gib >= 1.0)
        std::snprintf(buf, sizeof buf, "%.2f GiB", gib);
    else
        std::snprintf(buf, sizeof buf, "%.1f MiB", double(bytes) / (1024.0 * 1024));
    return buf;
}

} // namespace taskquant
