// Fuzz target: loading tokenizer.json as a byte-level BPE (core/tokenize/bpe_tokenizer.*), then
// encoding and decoding a fixed text with whatever was accepted.
#include <nlohmann/json.hpp>

#include "core/tokenize/bpe_tokenizer.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace taskquant::tokenize;
    const std::string path = tqfuzz::writeScratch(data, size, "tokenizer.json");
    tqfuzz::expectErrorNamingFile(path, [&] {
        BpeTokenizer tok(path, SpecialTokensConfig{});
        const int32_t n = tok.vocabSize();
        for (int32_t id = 0; id < n && id < 512; ++id) {
            (void)tok.tokenText(id);
            (void)tok.tokenType(id);
            (void)tok.tokenScore(id);
        }
        for (const std::string text :
             {std::string("Hello world! 123 ünïcödé\n\tend"), std::string("\xff\xfe a")}) {
            const auto ids = tok.encode(text, true);
            for (int32_t id : ids)
                if (id < 0 || id >= n)
                    tqfuzz::fail("encode produced an id outside the vocabulary");
            (void)tok.decode(ids, false);
            (void)tok.decode(ids, true);
        }
        (void)tok.merges();
    });
    return 0;
}
