#pragma once
// Importance matrices ("imatrix") as llama.cpp's llama-imatrix writes them and llama-quantize
// reads them, in both file formats:
//
//  GGUF (current): general.type = "imatrix", imatrix.datasets (ARRAY of STRING),
//    imatrix.chunk_count (UINT32), imatrix.chunk_size (UINT32); per weight tensor NAME (its
//    GGUF name, e.g. blk.0.attn_q.weight), in name order:
//      NAME.in_sum2  F32 [nmat, columns] (1-D [columns] when nmat = 1): per input column, the
//                    sum over all tokens of the squared activation that multiplies the weight;
//      NAME.counts   F32 [nmat, 1] (1-D [1] when nmat = 1): the number of tokens summed;
//      NAME.in_sum   F32 like in_sum2 (optional, newer llama.cpp: the plain sums), kept as is.
//    nmat is the number of experts of a 3-D weight, 1 for a plain matrix.
//  Legacy .dat: int32 n_entries; per entry: int32 name length, the name, int32 ncall,
//    int32 nval, float values[nval] where values = (sum / count) * ncall and
//    ncall = ceil(max count / chunk size); then optionally int32 chunk count and
//    int32 length + the dataset file name.
//
// Importance (the quant_weights llama-quantize hands the codecs, per tensor): GGUF:
// in_sum2[j] / count of its matrix (1 for a matrix whose count is 0); legacy: values / ncall.
//
// Reading treats the file as untrusted: a truncated or malformed file, a tensor that is not F32
// or has the wrong shape, an in_sum2 without its counts (or the reverse), a duplicate name, a
// NaN, infinite or negative sum or count, a count that is not a whole number, a count of zero for a
// single-matrix tensor (or for every matrix of an expert tensor), a legacy ncall below 1, or
// trailing bytes, throw one taskquant::Error naming the file and the problem. Parsing is linear in
// the file size. Writing is atomic (core/io/atomic_file.h). Pure C++; value types;
// thread-compatible.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace taskquant::io {

enum class ImatrixFormat { Gguf, Legacy };

struct ImatrixEntry {
    std::string name;               // GGUF tensor name
    int64_t columns = 0;            // input columns of one matrix
    std::vector<float> sums;        // in_sum2 (GGUF) / stored values (legacy): matrices()*columns
    std::vector<float> counts;      // per matrix: tokens (GGUF) / {ncall} (legacy)
    std::vector<float> activations; // in_sum, empty when absent
    int64_t matrices() const { return int64_t(counts.size()); }
};

struct Imatrix {
    ImatrixFormat format = ImatrixFormat::Gguf; // what `sums` and `counts` mean
    std::vector<std::string> datasets;
    uint32_t chunkCount = 0;           // GGUF imatrix.chunk_count / legacy trailing chunk count
    uint32_t chunkSize = 0;            // GGUF imatrix.chunk_size; 0 when unknown (legacy)
    std::vector<ImatrixEntry> entries; // sorted by name, names unique

    const ImatrixEntry* find(const std::string& name) const; // nullptr if absent
    // llama-quantize's importance vector of an entry (matrices()*columns floats).
    std::vector<float> importance(const ImatrixEntry& e) const;
    // The same data in the other format's meaning. To legacy: ncall = ceil(max count /
    // chunkSize) (chunkSize must be set), values = (sum / count) * ncall. To GGUF (as
    // llama-imatrix converts): sums = values * chunkSize, counts = ncall * chunkSize, with
    // chunkSize = `legacyChunkSize` (llama-imatrix's default context is 512).
    Imatrix toLegacy() const;
    Imatrix toGguf(uint32_t legacyChunkSize = 512) const;
};

// Reads either format (GGUF when the file starts with "GGUF", legacy otherwise).
Imatrix readImatrix(const std::string& path);
// Writes in the format the Imatrix holds (GGUF byte-compatible with llama-imatrix's writer).
void writeImatrix(const std::string& path, const Imatrix& m);

// Checks an imatrix against a model's weight matrices, given as {GGUF name, columns}: every
// entry must name one of them and have their column count and a single matrix. Throws
// taskquant::Error naming `path` and the first offending entry.
void checkImatrixMatches(const Imatrix& m, const std::string& path,
                         const std::vector<std::pair<std::string, int64_t>>& tensors);

} // namespace taskquant::io
