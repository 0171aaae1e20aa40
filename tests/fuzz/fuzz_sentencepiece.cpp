// Fuzz target: loading a sentencepiece model (tokenizer.model, a serialized ModelProto) through
// the shim's C API (core/spm_shim/), then querying, encoding and decoding with it. Linked
// directly with the shim and libsentencepiece, without libtorch (so no protobuf clash).
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "core/spm_shim/spm_shim.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    char* err = nullptr;
    tq_spm* h = tq_spm_load(reinterpret_cast<const char*>(data), static_cast<long>(size), &err);
    if (!h) {
        if (!err || !*err)
            tqfuzz::fail("tq_spm_load failed without a message");
        tq_spm_free(err);
        return 0;
    }
    const int n = tq_spm_piece_size(h);
    if (n <= 0)
        tqfuzz::fail("a loaded model without pieces");
    for (int id = -1; id <= n && id < 1024; ++id) {
        const char* piece = tq_spm_id_to_piece(h, id);
        if (!piece)
            tqfuzz::fail("null piece");
        (void)std::strlen(piece);
        (void)tq_spm_score(h, id);
        const int type = tq_spm_type(h, id);
        if (type < 0 || type > 6)
            tqfuzz::fail("piece type out of range");
    }
    (void)tq_spm_bos_id(h);
    (void)tq_spm_eos_id(h);
    (void)tq_spm_unk_id(h);
    (void)tq_spm_pad_id(h);
    (void)tq_spm_add_dummy_prefix(h);
    for (const std::string text :
         {std::string("Hello world, once upon a time 123."), std::string("\xff\x00z", 3)}) {
        std::vector<int> ids(256);
        const long count = tq_spm_encode(h, text.data(), static_cast<long>(text.size()), ids.data(),
                                         static_cast<long>(ids.size()), &err);
        if (count < 0) {
            tq_spm_free(err);
            err = nullptr;
            continue;
        }
        ids.resize(static_cast<std::size_t>(std::min<long>(count, 256)));
        for (int id : ids)
            if (id < 0 || id >= n)
                tqfuzz::fail("encode produced an id outside the model");
        char* out = tq_spm_decode(h, ids.data(), static_cast<long>(ids.size()), &err);
        if (out)
            tq_spm_free(out);
        else {
            tq_spm_free(err);
            err = nullptr;
        }
    }
    const int bad[] = {-5, n, n + 1000};
    char* out = tq_spm_decode(h, bad, 3, &err);
    if (out)
        tqfuzz::fail("decode of out-of-range ids succeeded");
    tq_spm_free(err);
    tq_spm_destroy(h);
    return 0;
}
