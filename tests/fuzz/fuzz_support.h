#pragma once
// Shared helpers of the fuzz targets (tests/fuzz/fuzz_*.cpp). Each target defines
// LLVMFuzzerTestOneInput; it is linked with libFuzzer in the fuzz build (-DTASKQUANT_FUZZ=ON,
// clang) and with replay_main.cpp in every other build, where ctest feeds it the committed
// corpus and regression inputs.
//
// The contract every reader is held to: for any input, it either succeeds or throws
// taskquant::Error whose message names the file. Anything else (another exception type, a
// message without the file name, a crash, a sanitizer report, a hang) is a bug: abort() so
// the fuzzer records the input.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util/error.h"

namespace tqfuzz {

// A scratch directory of this process (under $TMPDIR or /tmp), created once.
inline const std::string& scratchDir() {
    static const std::string dir = [] {
        const char* tmp = std::getenv("TMPDIR");
        std::string base = (tmp && *tmp) ? tmp : "/tmp";
        std::string d = base + "/taskquant-fuzz-" + std::to_string(::getpid());
        ::mkdir(d.c_str(), 0700);
        return d;
    }();
    return dir;
}

// Writes the input to scratchDir()/name and returns the path.
inline std::string writeScratch(const uint8_t* data, std::size_t size, const std::string& name) {
    const std::string path = scratchDir() + "/" + name;
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) {
        std::perror(path.c_str());
        std::abort();
    }
    if (size && std::fwrite(data, 1, size, f) != size) {
        std::perror(path.c_str());
        std::abort();
    }
    std::fclose(f);
    return path;
}

[[noreturn]] inline void fail(const std::string& what) {
    std::fprintf(stderr, "FUZZ CONTRACT VIOLATION: %s\n", what.c_str());
    std::abort();
}

// Runs fn(); a taskquant::Error must name `file` (its full path or its base name).
template <class F> void expectErrorNamingFile(const std::string& file, F&& fn) {
    try {
        fn();
    } catch (const taskquant::Cancelled&) {
        fail("unexpected cancellation");
    } catch (const taskquant::Error& e) {
        const std::string msg = e.what();
        const auto slash = file.rfind('/');
        const std::string base = slash == std::string::npos ? file : file.substr(slash + 1);
        if (msg.find(file) == std::string::npos && msg.find(base) == std::string::npos)
            fail("error does not name the file " + file + ": " + msg);
        if (msg.size() <= file.size() + 2)
            fail("error without a problem description: " + msg);
    } catch (const std::exception& e) {
        fail(std::string("exception other than taskquant::Error escaped: ") + e.what());
    }
}

} // namespace tqfuzz
