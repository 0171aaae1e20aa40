// Fuzz target: policy JSON (core/policy/policy.*).
#include "core/policy/policy.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using taskquant::policy::Policy;
    const std::string path = tqfuzz::writeScratch(data, size, "policy.json");
    tqfuzz::expectErrorNamingFile(path, [&] {
        const Policy p = Policy::readFile(path);
        for (const char* name : {"model.layers.0.mlp.up_proj.weight", "model.embed_tokens.weight",
                                 "lm_head.weight", "model.norm.weight", "something.else"})
            (void)p.precisionFor(name).name();
        const Policy again = Policy::fromJson(nlohmann::json::parse(p.toJson().dump()), path);
        if (again.toJson() != p.toJson())
            tqfuzz::fail("policy does not round-trip");
    });
    return 0;
}
