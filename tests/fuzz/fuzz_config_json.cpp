// Fuzz target: config.json (core/models/model_config.*).
#include <nlohmann/json.hpp>

#include "core/models/model_config.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = tqfuzz::writeScratch(data, size, "config.json");
    tqfuzz::expectErrorNamingFile(path, [&] {
        const auto config = taskquant::models::ModelConfig::fromFile(path);
        // What we accept we must be able to write back and read again.
        const auto again = taskquant::models::ModelConfig::parse(config.toJson(), path);
        if (again.toJson() != config.toJson())
            tqfuzz::fail("config.json does not round-trip");
        (void)config.rotaryDim();
    });
    return 0;
}
