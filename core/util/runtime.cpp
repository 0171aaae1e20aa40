#include "core/util/runtime.h"

#include <ATen/Parallel.h>
#include <cstdlib>
#include <malloc.h>
#include <thread>

#include "core/util/error.h"

namespace taskquant {

int parseThreadCount(const std::string& text, const std::string& what) {
    std::size_t used = 0;
    long value = 0;
    try {
        value = std::stol(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || value < 1 || value > 1024)
        throw Error(what + ": '" + text + "' is not a thread count (a whole number from 1 to 1024)");
    return static_cast<int>(value);
}

int configureThreads(int requested) {
    int n = requested;
    if (n <= 0) {
        if (const char* env = std::getenv("TASKQUANT_THREADS"); env && *env)
            n = parseThreadCount(env, "TASKQUANT_THREADS");
    }
    if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(n);
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
    return n;
}

} // namespace taskquant
