// libtaskquant_spm.so: sentencepiece behind a C interface, loaded with RTLD_DEEPBIND so its
// embedded protobuf stays apart from libtorch's. No exception crosses the C boundary.
#include "core/spm_shim/spm_shim.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>
#include <string>
#include <vector>

struct tq_spm {
    sentencepiece::SentencePieceProcessor sp;
    std::vector<std::string> pieces;
};

namespace {
char* dupString(const std::string& s) {
    char* p = static_cast<char*>(std::malloc(s.size() + 1));
    if (p) std::memcpy(p, s.c_str(), s.size() + 1);
    return p;
}
void setErr(char** err, const std::string& s) {
    if (err) *err = dupString(s);
}
bool validId(const tq_spm* h, int id) { return h && id >= 0 && id < h->sp.GetPieceSize(); }
} // namespace

extern "C" {

tq_spm* tq_spm_load(const char* data, long size, char** err) {
    try {
        if (!data || size <= 0) {
            setErr(err, "empty sentencepiece model");
            return nullptr;
        }
        auto h = std::make_unique<tq_spm>();
        auto status = h->sp.LoadFromSerializedProto(std::string(data, static_cast<std::size_t>(size)));
        if (!status.ok()) {
            setErr(err, "not a valid sentencepiece model: " + status.ToString());
            return nullptr;
        }
        if (h->sp.GetPieceSize() == 0) {
            setErr(err, "sentencepiece model has no pieces");
            return nullptr;
        }
        int n = h->sp.GetPieceSize();
        h->pieces.reserve(n);
        for (int i = 0; i < n; ++i) h->pieces.push_back(h->sp.IdToPiece(i));
        return h.release();
    } catch (const std::exception& e) {
        setErr(err, e.what());
    } catch (...) {
        setErr(err, "unknown sentencepiece error");
    }
    return nullptr;
}

void tq_spm_destroy(tq_spm* h) { delete h; }
void tq_spm_free(void* p) { std::free(p); }

int tq_spm_piece_size(const tq_spm* h) { return h ? h->sp.GetPieceSize() : 0; }
const char* tq_spm_id_to_piece(const tq_spm* h, int id) {
    return validId(h, id) ? h->pieces[id].c_str() : "";
}
float tq_spm_score(const tq_spm* h, int id) { return validId(h, id) ? h->sp.GetScore(id) : 0.f; }
int tq_spm_type(const tq_spm* h, int id) {
    if (!validId(h, id)) return 0;
    if (h->sp.IsUnknown(id)) return 2;
    if (h->sp.IsControl(id)) return 3;
    if (h->sp.IsUnused(id)) return 5;
    if (h->sp.IsByte(id)) return 6;
    // sentencepiece has no IsUserDefined in every version; normal otherwise.
    return 1;
}
int tq_spm_bos_id(const tq_spm* h) { return h ? h->sp.bos_id() : -1; }
int tq_spm_eos_id(const tq_spm* h) { return h ? h->sp.eos_id() : -1; }
int tq_spm_unk_id(const tq_spm* h) { return h ? h->sp.unk_id() : -1; }
int tq_spm_pad_id(const tq_spm* h) { return h ? h->sp.pad_id() : -1; }

long tq_spm_encode(const tq_spm* h, const char* text, long len, int* ids, long cap, char** err) {
    try {
        std::vector<int> out;
        auto status = h->sp.Encode(std::string(text, static_cast<std::size_t>(len)), &out);
        if (!status.ok()) {
            setErr(err, status.ToString());
            return -1;
        }
        for (long i = 0; i < static_cast<long>(out.size()) && i < cap; ++i) ids[i] = out[i];
        return static_cast<long>(out.size());
    } catch (const std::exception& e) {
        setErr(err, e.what());
    }
    return -1;
}

char* tq_spm_decode(const tq_spm* h, const int* ids, long n, char** err) {
    try {
        std::vector<int> v(ids, ids + n);
        for (int id : v)
            if (!validId(h, id)) {
                setErr(err, "token id " + std::to_string(id) + " out of range");
                return nullptr;
            }
        std::string out;
        auto status = h->sp.Decode(v, &out);
        if (!status.ok()) {
            setErr(err, status.ToString());
            return nullptr;
        }
        return dupString(out);
    } catch (const std::exception& e) {
        setErr(err, e.what());
    }
    return nullptr;
}

int tq_spm_train(const char* args, char** err) {
    try {
        auto status = sentencepiece::SentencePieceTrainer::Train(args);
        if (!status.ok()) {
            setErr(err, status.ToString());
            return -1;
        }
        return 0;
    } catch (const std::exception& e) {
        setErr(err, e.what());
    }
    return -1;
}

} // extern "C"
