// Fuzz target: sensitivity map JSON, both formats (core/sensitivity/sensitivity_map.*).
#include "core/sensitivity/sensitivity_map.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using taskquant::sensitivity::SensitivityMap;
    const std::string path = tqfuzz::writeScratch(data, size, "map.json");
    tqfuzz::expectErrorNamingFile(path, [&] {
        const SensitivityMap map = SensitivityMap::readFile(path);
        (void)map.ranks();
        (void)map.toCsv();
        for (const auto& e : map.entries())
            if (map.find(e.name) != &e)
                tqfuzz::fail("find() does not return the entry " + e.name);
        // What we accept we must be able to write back and read again.
        const SensitivityMap again = SensitivityMap::fromJson(map.toJson(), path);
        if (again.toJson() != map.toJson())
            tqfuzz::fail("map does not round-trip");
    });
    return 0;
}
