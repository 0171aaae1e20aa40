// Fuzz target: sentencepiece-style tokenizer.json encoding of arbitrary bytes with a fixed,
// valid tokenizer (builtinSentencePieceJson: NFKC / Prepend / Replace normalizers, Metaspace
// pre-tokenizer, BPE with byte fallback and fused unknowns, the Replace / ByteFallback / Fuse /
// Strip decoder chain). Checks that every id is in range, that decoding never throws, and, for
// well-formed UTF-8 without added-token texts, that decoding gives back the NFKC form of the
// input with "▁" read as a space (every character has a piece or all its byte pieces).
#include <nlohmann/json.hpp>

#include "core/tokenize/bpe_tokenizer.h"
#include "core/tokenize/nfc.h"
#include "core/util/utf8.h"
#include "tests/fuzz/builtin_tokenizer.h"
#include "tests/fuzz/fuzz_support.h"

namespace {
const taskquant::tokenize::BpeTokenizer& tokenizer() {
    static const auto* tok = new taskquant::tokenize::BpeTokenizer(
        tqfuzz::builtinSentencePieceJson(), "builtin-spm-tokenizer.json",
        taskquant::tokenize::SpecialTokensConfig{});
    return *tok;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace taskquant::tokenize;
    const auto& tok = tokenizer();
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const auto ids = tok.encode(text, true);
        if (ids.empty() || ids[0] != 1)
            tqfuzz::fail("BOS missing");
        for (int32_t id : ids)
            if (id < 0 || id >= tok.vocabSize())
                tqfuzz::fail("id outside the vocabulary");
        const std::string back = tok.decode(ids, true);
        (void)tok.decode(ids, false);
        bool plain = taskquant::utf8::isValid(text);
        for (const char* t : {"<unk>", "<s>", "</s>", "[N]"})
            plain = plain && text.find(t) == std::string::npos;
        if (plain) {
            std::string expect;
            const std::string n = nfkc(text);
            for (std::size_t i = 0; i < n.size(); ++i) {
                if (n.compare(i, 3, "\xE2\x96\x81") == 0) {
                    expect += ' ';
                    i += 2;
                } else {
                    expect += n[i];
                }
            }
            // NFKC can produce added-token text ("［N］" -> "[N]").
            if (expect.find("[N]") == std::string::npos && back != expect)
                tqfuzz::fail("decode(encode(text)) != NFKC(text)");
        }
    } catch (const std::exception& e) {
        tqfuzz::fail(std::string("encoding arbitrary bytes threw: ") + e.what());
    }
    return 0;
}
