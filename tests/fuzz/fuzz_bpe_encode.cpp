// Fuzz target: byte-level BPE encoding of arbitrary bytes with a fixed, valid tokenizer
// (GPT-2 style: ByteLevel pre-tokenizer with its regex, all 256 byte tokens, a few merges and
// an added special token). Checks that every id is in range and that decoding gives the input
// back byte for byte (byte-level BPE is lossless, malformed UTF-8 included).
#include <nlohmann/json.hpp>

#include "core/tokenize/bpe_tokenizer.h"
#include "tests/fuzz/builtin_tokenizer.h"
#include "tests/fuzz/fuzz_support.h"

namespace {
const taskquant::tokenize::BpeTokenizer& tokenizer() {
    static const auto* tok = new taskquant::tokenize::BpeTokenizer(
        tqfuzz::builtinTokenizerJson(), "builtin-tokenizer.json",
        taskquant::tokenize::SpecialTokensConfig{});
    return *tok;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto& tok = tokenizer();
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const auto ids = tok.encode(text, false);
        for (int32_t id : ids)
            if (id < 0 || id >= tok.vocabSize())
                tqfuzz::fail("id outside the vocabulary");
        if (tok.decode(ids, false) != text)
            tqfuzz::fail("decode(encode(text)) != text");
    } catch (const std::exception& e) {
        tqfuzz::fail(std::string("encoding arbitrary bytes threw: ") + e.what());
    }
    return 0;
}
