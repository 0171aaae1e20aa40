// Fuzz target: the JSON Lines dataset reader (core/data/readers.*).
#include "core/data/readers.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = tqfuzz::writeScratch(data, size, "data.jsonl");
    taskquant::data::ReadLimits limits;
    limits.maxLineBytes = 4096;
    tqfuzz::expectErrorNamingFile(
        path, [&] { (void)taskquant::data::readJsonlTexts(path, "question", "answer", limits); });
    tqfuzz::expectErrorNamingFile(path,
                                  [&] { (void)taskquant::data::readJsonlTexts(path, "text"); });
    return 0;
}
