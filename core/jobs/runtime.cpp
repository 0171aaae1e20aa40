#include "core/jobs/runtime.h"

#include <ATen/Parallel.h>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <malloc.h>
#include <mutex>
#include <sstream>
#include <thread>

#include "core/jobs/progress.h"
#include "core/util/error.h"

namespace taskquant {

namespace {

struct PolicyState {
    std::mutex mutex;
    int explicitCount = 0; // > 0: --threads / TASKQUANT_THREADS, never changed
    int64_t params = -1;   // model size, -1 before a model is loaded
    int current = 1;
    std::chrono::steady_clock::time_point lastCheck{};
};

PolicyState& state() {
    static PolicyState s;
    return s;
}

int hardwareThreads() {
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Applies n to libtorch on the calling thread (OpenMP's team size is a per-thread setting).
void apply(int n) {
    if (at::get_num_threads() != n)
        at::set_num_threads(n);
}

int chooseNow(PolicyState& s) {
    if (s.explicitCount > 0)
        return s.explicitCount;
    return chooseThreads(0, hardwareThreads(), s.params, otherRunnableThreads());
}

} // namespace

int parseThreadCount(const std::string& text, const std::string& what) {
    std::size_t used = 0;
    long value = 0;
    try {
        value = std::stol(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || value < 1 || value > 1024)
        throw Error(what + ": '" + text +
                    "' is not a thread count (a whole number from 1 to 1024)");
    return static_cast<int>(value);
}

int chooseThreads(int explicitCount, int hardware, int64_t params, int otherRunnable) {
    if (explicitCount > 0)
        return explicitCount;
    hardware = std::max(1, hardware);
    const int workCap = (params >= 0 && params < kSmallModelParams) ? 1 : hardware;
    const int freeCores = std::max(1, hardware - std::max(0, otherRunnable));
    return std::max(1, std::min(workCap, freeCores));
}

int otherRunnableThreads() {
    int running = -1;
    {
        std::ifstream stat("/proc/stat");
        std::string line;
        while (std::getline(stat, line)) {
            if (line.rfind("procs_running ", 0) == 0) {
                running = std::atoi(line.c_str() + 14);
                break;
            }
        }
    }
    if (running < 0)
        return 0;
    int ours = 0;
    if (DIR* dir = opendir("/proc/self/task")) {
        while (const dirent* e = readdir(dir)) {
            if (e->d_name[0] == '.')
                continue;
            std::ifstream t(std::string("/proc/self/task/") + e->d_name + "/stat");
            std::string text((std::istreambuf_iterator<char>(t)), std::istreambuf_iterator<char>());
            // The state follows the command name, which is in parentheses and may hold spaces.
            const auto close = text.rfind(')');
            if (close != std::string::npos && close + 2 < text.size() && text[close + 2] == 'R')
                ++ours;
        }
        closedir(dir);
    }
    // The reading thread is running and counted in both; never below zero.
    return std::max(0, running - std::max(1, ours));
}

int configureThreads(int requested) {
    int n = requested;
    if (n <= 0) {
        if (const char* env = std::getenv("TASKQUANT_THREADS"); env && *env)
            n = parseThreadCount(env, "TASKQUANT_THREADS");
    }
    PolicyState& s = state();
    {
        std::lock_guard<std::mutex> lock(s.mutex);
        s.explicitCount = n > 0 ? n : 0;
        s.current = chooseNow(s);
        s.lastCheck = std::chrono::steady_clock::now();
        n = s.current;
    }
    apply(n);
    checkpointHook.store([] { threadCheckpoint(); });
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
    return n;
}

void setWorkSize(int64_t params) {
    PolicyState& s = state();
    int n;
    {
        std::lock_guard<std::mutex> lock(s.mutex);
        s.params = params;
        s.current = chooseNow(s);
        s.lastCheck = std::chrono::steady_clock::now();
        n = s.current;
    }
    apply(n);
}

int threadCheckpoint() {
    PolicyState& s = state();
    int n;
    {
        std::lock_guard<std::mutex> lock(s.mutex);
        const auto now = std::chrono::steady_clock::now();
        if (s.explicitCount == 0 &&
            std::chrono::duration<double>(now - s.lastCheck).count() >= kRecheckSeconds) {
            s.current = chooseNow(s);
            s.lastCheck = now;
        }
        n = s.current;
    }
    apply(n);
    return n;
}

} // namespace taskquant
