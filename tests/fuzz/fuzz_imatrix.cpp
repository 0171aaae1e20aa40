// Fuzz target: the importance-matrix reader (core/io/imatrix_file.*), GGUF and legacy .dat:
// any input is read or rejected with an Error naming the file; what is accepted gives an
// importance vector per entry, and writes back in its own format to a file that reads the same.
#include <cmath>

#include "core/io/imatrix_file.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace taskquant;
    const std::string path = tqfuzz::writeScratch(data, size, "input.imatrix");
    io::Imatrix m;
    bool ok = false;
    tqfuzz::expectErrorNamingFile(path, [&] {
        m = io::readImatrix(path);
        ok = true;
    });
    if (!ok)
        return 0;
    for (const auto& e : m.entries) {
        if (m.find(e.name) != &e)
            tqfuzz::fail("find() does not return the entry " + e.name);
        const auto v = m.importance(e);
        if (v.size() != e.sums.size())
            tqfuzz::fail("importance of the wrong size for " + e.name);
        for (float x : v)
            if (!std::isfinite(x) || x < 0)
                tqfuzz::fail("importance not finite and non-negative for " + e.name);
    }
    const std::string again = tqfuzz::scratchDir() + "/again.imatrix";
    try {
        io::writeImatrix(again, m);
    } catch (const Error& e) {
        // a name too long for a GGUF tensor name, say: must name the output
        if (std::string(e.what()).find(again) == std::string::npos)
            tqfuzz::fail(std::string("write error without the file name: ") + e.what());
        return 0;
    }
    tqfuzz::expectErrorNamingFile(again, [&] {
        const io::Imatrix r = io::readImatrix(again);
        if (r.entries.size() != m.entries.size() || r.chunkCount != m.chunkCount ||
            r.datasets != m.datasets)
            tqfuzz::fail("round trip changed the header");
        for (std::size_t i = 0; i < r.entries.size(); ++i)
            if (r.entries[i].name != m.entries[i].name || r.entries[i].sums != m.entries[i].sums ||
                r.entries[i].counts != m.entries[i].counts)
                tqfuzz::fail("round trip changed entry " + m.entries[i].name);
    });
    return 0;
}
