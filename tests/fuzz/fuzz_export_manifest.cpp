// Fuzz target: the export manifest (taskquant_export.json) that decides whether a directory
// holds only a previous export and may be replaced (core/io/output_path.*). Beside the input,
// the directory holds model.safetensors and config.json. Contract: success (then the manifest
// listed exactly the files there) or an Error naming the directory; never anything removed.
#include <filesystem>
#include <set>

#include "core/io/output_path.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    namespace fs = std::filesystem;
    const std::string dir = tqfuzz::scratchDir() + "/export";
    fs::create_directories(dir);
    tqfuzz::writeScratch(data, size, "export/taskquant_export.json");
    tqfuzz::writeScratch(reinterpret_cast<const uint8_t*>("x"), 1, "export/model.safetensors");
    tqfuzz::writeScratch(reinterpret_cast<const uint8_t*>("{}"), 2, "export/config.json");
    tqfuzz::expectErrorNamingFile(dir, [&] {
        const auto listed = taskquant::io::checkReplaceableDirectory(dir);
        std::set<std::string> a(listed.begin(), listed.end());
        a.insert("taskquant_export.json");
        if (a != std::set<std::string>{"taskquant_export.json", "model.safetensors", "config.json"})
            tqfuzz::fail("accepted a manifest that does not list exactly the files present");
    });
    for (const char* f : {"taskquant_export.json", "model.safetensors", "config.json"})
        if (!fs::exists(fs::path(dir) / f))
            tqfuzz::fail(std::string("the check removed ") + f);
    return 0;
}
