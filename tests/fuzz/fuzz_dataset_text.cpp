// Fuzz target: the plain-text and WikiText dataset readers (core/data/readers.*).
#include "core/data/readers.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = tqfuzz::writeScratch(data, size, "data.txt");
    taskquant::data::ReadLimits limits;
    limits.maxLineBytes = 4096;
    tqfuzz::expectErrorNamingFile(path,
                                  [&] { (void)taskquant::data::readTextBlocks(path, limits); });
    tqfuzz::expectErrorNamingFile(path,
                                  [&] { (void)taskquant::data::readWikiTextParagraphs(path); });
    return 0;
}
