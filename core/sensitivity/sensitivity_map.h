#pragma once
// SensitivityMap: one score per weight tensor of a model, keyed by Hugging Face parameter
// name, with the provenance that produced it and, for sample-based methods, what an exact
// merge of shards needs.
//
// Value type meant to be shared read-only (std::shared_ptr<const SensitivityMap>): the
// constructor validates, accessors are const, "with..." functions return modified copies.
// Thread-safe to read from any number of threads.
//
// File formats (readFile() accepts both, detected from the content):
//  * versioned: {"format": "taskquant-map", "version": 1, "provenance": {...},
//    "merge": null | {"reduction": "mean"|"sum", "count": N},
//    "entries": [{"name", "score", "numel", "shape"?, "sum"?}, ...]}  ("sum" iff merge)
//    optional "uncertainty": {"method": "bootstrap", "resamples", "level", "samples", "seed",
//    "top_k", "lower": [per entry], "upper": [per entry],
//    "top_stability": [{"name", "probability"}, ...]} (bootstrap.h; maps without it stay
//    valid; merged maps drop it: it needs the per-sample values of every shard)
//  * flat TaskQuant study maps: {"<name>": score, ...} (file order kept, nothing else known).
// Every malformed file throws taskquant::Error naming the file and the problem.
// Writing is atomic (temporary file, then rename).
//
// Merge state (Fisher and other per-sample sums): sums[i] is the sum over processed samples
// of tensor i's per-sample contribution, count the number of processed (not skipped)
// samples. With reduction Mean score = sum / count; with Sum score = sum.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace taskquant::sensitivity {

struct MapEntry {
    std::string name;  // Hugging Face parameter name, e.g. "model.layers.3.mlp.up_proj.weight"
    double score = 0;  // finite, >= 0
    int64_t numel = 0; // parameter count, 0 if unknown
    std::optional<std::vector<int64_t>> shape; // when known, numel == product(shape)
};

struct Provenance {
    std::string modelFingerprint; // identifies the weights (e.g. hash of the safetensors headers)
    std::string architecture;     // config model_type ("llama", "phi", ...), may be empty
    std::string method;           // "fisher", "magnitude_l2", "magnitude_l1", "perturbation", ...
    std::string dataset;          // "gsm8k", "math", "wikitext", a file name, ...
    int64_t samples = 0;          // calibration samples seen (processed + skipped)
    int64_t tokens = 0;           // tokens in the processed samples
    nlohmann::json settings = nlohmann::json::object(); // method settings (max_length, seed, ...)
    std::optional<double> clipThreshold; // gradient-norm clip threshold; nullopt = no clipping
    double clipRate = 0;                 // fraction of tensor gradients clipped, 0..1
    int64_t skippedSamples = 0;          // non-finite losses or gradients
    std::string device;                  // "cpu", "cuda:0", ...
    std::string dtype;                   // "fp32", "bf16", "fp16"
    double wallSeconds = 0;
    std::string toolVersion;
    int shardIndex = 0; // this map is shard shardIndex of shardCount
    int shardCount = 0; // 0 = not sharded
};

enum class Reduction { Mean, Sum };

// Bootstrap confidence intervals of the scores and the stability of the top ranks
// (bootstrap.h). lower/upper: one per entry, 0 <= lower <= upper, finite.
struct ScoreUncertainty {
    std::string method = "bootstrap";
    int resamples = 0;
    double level = 0.95;
    int64_t samples = 0;
    uint64_t seed = 0;
    int topK = 0;
    std::vector<double> lower, upper;
    std::vector<std::pair<std::string, double>> topStability; // name, P(stays in the top k)
};

struct MergeState {
    Reduction reduction = Reduction::Mean;
    int64_t count = 0;        // processed samples folded into the sums
    std::vector<double> sums; // one per entry, same order as entries()
};

class SensitivityMap {
  public:
    SensitivityMap() = default;
    // Validates (throws Error(source, ...)): unique non-empty names, finite non-negative
    // scores, numel >= 0 and equal to the shape product, non-negative provenance counts,
    // clip rate in [0, 1], sums sized like entries, finite and >= 0, count >= 0, and
    // scores consistent with the sums (relative 1e-6), shard index in [0, count).
    SensitivityMap(std::vector<MapEntry> entries, Provenance provenance,
                   std::optional<MergeState> merge = std::nullopt, std::string source = "");

    const std::vector<MapEntry>& entries() const { return entries_; }
    const Provenance& provenance() const { return provenance_; }
    const std::optional<MergeState>& mergeState() const { return merge_; }
    // The file this map was read from, or "" for maps made in memory.
    const std::string& source() const { return source_; }
    // True when it was read from the flat study format (no provenance, no counts).
    bool importedFromFlat() const { return flat_; }

    std::size_t size() const { return entries_.size(); }
    bool empty() const { return entries_.empty(); }
    std::optional<std::size_t> indexOf(const std::string& name) const;
    const MapEntry* find(const std::string& name) const; // nullptr if absent
    std::vector<std::string> names() const;
    std::vector<double> scores() const;
    // 1 = highest score; ties keep entry order. One per entry.
    std::vector<int> ranks() const;

    SensitivityMap withProvenance(Provenance p) const;
    SensitivityMap withSource(std::string source) const;
    const std::optional<ScoreUncertainty>& uncertainty() const { return uncertainty_; }
    // Validates like the constructor (sizes, ranges, names); throws Error(source, ...).
    SensitivityMap withUncertainty(ScoreUncertainty u) const;

    // Either file format. maxBytes bounds what is read.
    static SensitivityMap readFile(const std::string& path, std::size_t maxBytes = 256u << 20);
    // `j` must be ordered_json to keep file order for flat maps.
    static SensitivityMap fromJson(const nlohmann::ordered_json& j, const std::string& source);
    nlohmann::ordered_json toJson() const;
    void writeFile(const std::string& path) const; // versioned format, atomic
    // name,layer,kind,numel,score,rank (layer empty outside blocks; kind = taxonomy kindId),
    // one row per entry in entry order; written atomically.
    void writeCsv(const std::string& path) const;
    std::string toCsv() const;

  private:
    std::vector<MapEntry> entries_;
    Provenance provenance_;
    std::optional<MergeState> merge_;
    std::optional<ScoreUncertainty> uncertainty_;
    std::string source_;
    bool flat_ = false;
    std::map<std::string, std::size_t> index_;
};

// Exact merge of the shard maps of one run. Checked (else Error naming the offending map's
// source): every map has merge state and is shard i of the same N, each i in 0..N-1 exactly
// once; same model fingerprint, method, dataset, settings, clip threshold, reduction and
// tensor names (in any order). Merged sums add, counts add; score = sums / count for Mean
// (0 when the count is 0), sums for Sum. samples, tokens, skipped samples and wall seconds
// add; clip rate is the count-weighted mean (exact: every processed sample clips among the
// same set of tensors). Entry order, numel and shapes follow the first map; the result is
// not marked as a shard.
SensitivityMap mergeMaps(const std::vector<SensitivityMap>& shards);

std::string reductionName(Reduction r); // "mean" | "sum"

} // namespace taskquant::sensitivity
