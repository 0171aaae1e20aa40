// libtaskquant_spm.so: sentencepiece behind a C interface, loaded with RTLD_DEEPBIND so its
// embedded protobuf stays apart from libtorch's. No exception crosses the C boundary.
#include "core/spm_shim/spm_shim.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>
#include <string>
#include <vector>

struct tq_spm {
    sentencepiece::SentencePieceProcessor sp;
    std::vector<std::string> pieces;
    std::vector<int> types;     // SentencePiece.Type per id, from the model's piece table
    bool addDummyPrefix = true; // NormalizerSpec.add_dummy_prefix
};

namespace {
char* dupString(const std::string& s) {
    char* p = static_cast<char*>(std::malloc(s.size() + 1));
    if (p)
        std::memcpy(p, s.c_str(), s.size() + 1);
    return p;
}
void setErr(char** err, const std::string& s) {
    if (err)
        *err = dupString(s);
}
bool validId(const tq_spm* h, int id) {
    return h && id >= 0 && id < h->sp.GetPieceSize();
}

// A minimal protobuf wire-format reader over the serialized ModelProto, for the two facts the
// public SentencePieceProcessor API does not expose: each piece's type (user-defined pieces are
// indistinguishable from normal ones there) and NormalizerSpec.add_dummy_prefix.
// sentencepiece_model.proto: ModelProto { repeated SentencePiece pieces = 1;
// NormalizerSpec normalizer_spec = 3; } SentencePiece { string piece = 1; float score = 2;
// Type type = 3 [default = NORMAL]; } NormalizerSpec { bool add_dummy_prefix = 3 [default = true];
// }
struct Wire {
    const unsigned char* p;
    const unsigned char* end;
    bool varint(uint64_t& v) {
        v = 0;
        for (int shift = 0; shift < 64 && p < end; shift += 7) {
            unsigned char b = *p++;
            v |= static_cast<uint64_t>(b & 0x7F) << shift;
            if (!(b & 0x80))
                return true;
        }
        return false;
    }
    // Reads one field: its number, wire type, varint value or the span of a length-delimited one;
    // a group (wire types 3 and 4, kept by protobuf as unknown fields) is skipped whole, up to
    // protobuf's own nesting limit.
    bool field(uint32_t& number, uint32_t& wireType, uint64_t& value, Wire& sub, int depth = 0) {
        uint64_t key;
        if (!varint(key))
            return false;
        number = static_cast<uint32_t>(key >> 3);
        wireType = static_cast<uint32_t>(key & 7);
        switch (wireType) {
        case 0:
            return varint(value);
        case 1:
            if (end - p < 8)
                return false;
            p += 8;
            return true;
        case 5:
            if (end - p < 4)
                return false;
            p += 4;
            return true;
        case 2:
            if (!varint(value) || value > static_cast<uint64_t>(end - p))
                return false;
            sub = Wire{p, p + value};
            p += value;
            return true;
        case 3:
            while (depth < 100) {
                uint32_t n2, t2;
                uint64_t v2 = 0;
                Wire s2{nullptr, nullptr};
                if (!field(n2, t2, v2, s2, depth + 1))
                    return false;
                if (t2 == 4)
                    return n2 == number;
            }
            return false;
        case 4:
            return depth > 0; // the end of the group being skipped
        default:
            return false;
        }
    }
    // Calls fn(number, wireType, value, sub) for each field to the end; false at a malformed
    // one (or when fn returns false).
    template <class Fn> bool each(Fn fn) {
        while (p < end) {
            uint32_t number, wireType;
            uint64_t value = 0;
            Wire sub{nullptr, nullptr};
            if (!field(number, wireType, value, sub) || !fn(number, wireType, value, sub))
                return false;
        }
        return true;
    }
    static Wire of(const std::string& bytes) {
        const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
        return Wire{b, b + bytes.size()};
    }
};

bool readModelFacts(const std::string& data, std::vector<int>& types, bool& addDummyPrefix) {
    return Wire::of(data).each([&](uint32_t number, uint32_t wireType, uint64_t, Wire sub) {
        if (number == 1 && wireType == 2) {
            int type = 1;
            // protobuf keeps an unknown enum value as an unknown field: the type stays NORMAL.
            const bool ok = sub.each([&](uint32_t n2, uint32_t t2, uint64_t v2, Wire) {
                if (n2 == 3 && t2 == 0 && v2 >= 1 && v2 <= 6)
                    type = static_cast<int>(v2);
                return true;
            });
            types.push_back(type);
            return ok;
        }
        if (number == 3 && wireType == 2)
            return sub.each([&](uint32_t n2, uint32_t t2, uint64_t v2, Wire) {
                if (n2 == 3 && t2 == 0)
                    addDummyPrefix = v2 != 0;
                return true;
            });
        return true;
    });
}
// sentencepiece trusts a model's precompiled character maps (NormalizerSpec.precompiled_charsmap
// = 2, in normalizer_spec = 3 and denormalizer_spec = 5): a darts-clone double-array trie whose
// child positions, and the offsets of replacement strings its leaves hold, it follows without a
// bounds check (a malformed map made Normalizer::NormalizePrefix read outside the model: found by
// the sentencepiece fuzz target). Layout (sentencepiece's normalizer.cc): a little-endian uint32
// trie size in bytes, the trie's 32-bit units, then the NUL-terminated replacement strings.
// A lookup reads, at each node, the unit at (node ^ byte) for the text's next byte, whatever it
// is; so every node reachable from the root must have all 256 of those inside the trie, each
// leaf's string offset must lie inside the strings, no path may loop, and no path may hold more
// than 32 leaves (the matches NormalizePrefix keeps). darts-clone units: has_leaf = bit 8,
// value = bits 0..30, label = bits 0..7 and 31 (a leaf unit never matches a byte), offset =
// (unit >> 10) << ((unit & (1 << 9)) >> 6). Checked on the nodes reachable from the root
// (depth-first, each node once: darts-clone shares identical subtrees). Empty when valid.
std::string charsMapProblem(const std::string& blob) {
    if (blob.empty())
        return {}; // no map: identity normalization
    if (blob.size() <= 4)
        return "its precompiled character map is " + std::to_string(blob.size()) + " bytes long";
    const auto* b = reinterpret_cast<const unsigned char*>(blob.data());
    auto le32 = [](const unsigned char* u) {
        return uint32_t(u[0]) | uint32_t(u[1]) << 8 | uint32_t(u[2]) << 16 | uint32_t(u[3]) << 24;
    };
    const uint64_t trieBytes = le32(b);
    if (trieBytes + 4 > blob.size())
        return "its character map's trie (" + std::to_string(trieBytes) +
               " bytes) is longer than the map (" + std::to_string(blob.size()) + " bytes)";
    const std::size_t units = static_cast<std::size_t>(trieBytes / 4);
    const std::size_t strings = blob.size() - 4 - static_cast<std::size_t>(trieBytes);
    if (units == 0)
        return "its character map's trie is empty";
    auto unit = [&](std::size_t i) { return le32(b + 4 + 4 * i); };
    auto offset = [](uint32_t u) { return std::size_t((u >> 10) << ((u & (1u << 9)) >> 6)); };
    const std::string bad = "its character map's trie is malformed: ";
    auto inside = [&](std::size_t node) { return (node | 0xFF) < units; };
    // state: 0 unseen, 1 on the path, 2 done; leaves: the most leaves on a path from the node
    std::vector<unsigned char> state(units, 0), leaves(units, 0);
    struct Frame {
        std::size_t node;
        unsigned next; // the byte to look at next
    };
    const std::size_t root = offset(unit(0));
    if (!inside(root))
        return bad + "its root lies outside it";
    std::vector<Frame> path{{root, 0}};
    state[root] = 1;
    while (!path.empty()) {
        Frame& f = path.back();
        if (f.next == 256) {
            state[f.node] = 2;
            path.pop_back();
            continue;
        }
        const unsigned c = f.next;
        const std::size_t child = f.node ^ c;
        const uint32_t u = unit(child);
        if ((u & ((1u << 31) | 0xFFu)) != c) {
            ++f.next;
            continue;
        }
        const std::size_t to = child ^ offset(u);
        const unsigned leaf = (u >> 8) & 1;
        if (!inside(to))
            return bad + "a node lies outside it";
        if (leaf && (unit(to) & ((1u << 31) - 1)) >= strings)
            return bad + "a replacement string lies outside the map";
        if (state[to] == 1)
            return bad + "a path loops";
        if (state[to] == 0) { // look at this byte again once the node below is done
            state[to] = 1;
            path.push_back({to, 0});
            continue;
        }
        const unsigned below = leaf + leaves[to];
        if (below > 32)
            return bad + "a path holds more than 32 matches";
        leaves[f.node] = static_cast<unsigned char>(std::max<unsigned>(leaves[f.node], below));
        ++f.next;
    }
    return {};
}

// The first problem of the model's character maps, as sentencepiece parsed them (its own
// serialization: merged specs, the last map of each), or empty.
std::string charsMapsProblem(const std::string& model) {
    std::string problem;
    const bool read =
        Wire::of(model).each([&](uint32_t number, uint32_t wireType, uint64_t, Wire sub) {
            if ((number != 3 && number != 5) || wireType != 2)
                return true;
            std::string map;
            if (!sub.each([&](uint32_t n2, uint32_t t2, uint64_t, Wire s2) {
                    if (n2 == 2 && t2 == 2)
                        map.assign(reinterpret_cast<const char*>(s2.p), std::size_t(s2.end - s2.p));
                    return true;
                }))
                return false;
            problem = charsMapProblem(map);
            if (!problem.empty())
                problem = (number == 3 ? "normalizer: " : "denormalizer: ") + problem;
            return problem.empty();
        });
    return problem.empty() && !read ? "its serialized form cannot be read back" : problem;
}
} // namespace

namespace sentencepiece::logging {
void SetMinLogLevel(int level); // exported by libsentencepiece (common.h is not installed)
}

extern "C" {

tq_spm* tq_spm_load(const char* data, long size, char** err) {
    try {
        if (!data || size <= 0) {
            setErr(err, "empty sentencepiece model");
            return nullptr;
        }
        auto h = std::make_unique<tq_spm>();
        auto status =
            h->sp.LoadFromSerializedProto(std::string(data, static_cast<std::size_t>(size)));
        if (!status.ok()) {
            setErr(err, "not a valid sentencepiece model: " + status.ToString());
            return nullptr;
        }
        const std::string mapProblem = charsMapsProblem(h->sp.serialized_model_proto());
        if (!mapProblem.empty()) {
            setErr(err, "not a valid sentencepiece model: " + mapProblem);
            return nullptr;
        }
        if (h->sp.GetPieceSize() == 0) {
            setErr(err, "sentencepiece model has no pieces");
            return nullptr;
        }
        int n = h->sp.GetPieceSize();
        h->pieces.reserve(n);
        for (int i = 0; i < n; ++i)
            h->pieces.push_back(h->sp.IdToPiece(i));
        std::string bytes(data, static_cast<std::size_t>(size));
        if (!readModelFacts(bytes, h->types, h->addDummyPrefix) ||
            h->types.size() != static_cast<std::size_t>(n)) {
            // sentencepiece accepted it, so this cannot really happen; fall back to its queries.
            h->types.clear();
            h->addDummyPrefix = true;
        }
        return h.release();
    } catch (const std::exception& e) {
        setErr(err, e.what());
    } catch (...) {
        setErr(err, "unknown sentencepiece error");
    }
    return nullptr;
}

void tq_spm_destroy(tq_spm* h) {
    delete h;
}
void tq_spm_free(void* p) {
    std::free(p);
}

int tq_spm_piece_size(const tq_spm* h) {
    return h ? h->sp.GetPieceSize() : 0;
}
const char* tq_spm_id_to_piece(const tq_spm* h, int id) {
    return validId(h, id) ? h->pieces[id].c_str() : "";
}
float tq_spm_score(const tq_spm* h, int id) {
    return validId(h, id) ? h->sp.GetScore(id) : 0.f;
}
int tq_spm_type(const tq_spm* h, int id) {
    if (!validId(h, id))
        return 0;
    if (!h->types.empty())
        return h->types[id];
    if (h->sp.IsUnknown(id))
        return 2;
    if (h->sp.IsControl(id))
        return 3;
    if (h->sp.IsUnused(id))
        return 5;
    if (h->sp.IsByte(id))
        return 6;
    return 1;
}
int tq_spm_add_dummy_prefix(const tq_spm* h) {
    return h && h->addDummyPrefix ? 1 : 0;
}
int tq_spm_bos_id(const tq_spm* h) {
    return h ? h->sp.bos_id() : -1;
}
int tq_spm_eos_id(const tq_spm* h) {
    return h ? h->sp.eos_id() : -1;
}
int tq_spm_unk_id(const tq_spm* h) {
    return h ? h->sp.unk_id() : -1;
}
int tq_spm_pad_id(const tq_spm* h) {
    return h ? h->sp.pad_id() : -1;
}

long tq_spm_encode(const tq_spm* h, const char* text, long len, int* ids, long cap, char** err) {
    try {
        std::vector<int> out;
        auto status = h->sp.Encode(std::string(text, static_cast<std::size_t>(len)), &out);
        if (!status.ok()) {
            setErr(err, status.ToString());
            return -1;
        }
        for (long i = 0; i < static_cast<long>(out.size()) && i < cap; ++i)
            ids[i] = out[i];
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
        // The trainer logs progress to std::cerr. Under RTLD_DEEPBIND this module resolves
        // std::cerr to libstdc++'s own storage, which is left unconstructed when the executable
        // holds a copy-relocated std::cerr (any PIE that uses it): writing there crashes. Only
        // errors (which also come back as a status) are logged.
        sentencepiece::logging::SetMinLogLevel(2);
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
