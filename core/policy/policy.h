#pragma once
// Policy: which storage precision every tensor of a model gets.
//   precisionFor(name) = overrides[name] if present, else by taxonomy class:
//     block linear weights -> defaultPrecision; their biases -> biases;
//     norms (weights and biases) -> norms; embeddings -> embeddings;
//     lm_head weight -> lmHead (its bias -> biases); anything unknown -> other.
// Embeddings, lm_head, norms, biases and unknown tensors are explicit fields, kept f16 by
// default. Sizes are always quant::Precision::bytes(shape) (scales included).
//
// JSON (read strictly, written atomically):
//   {"format": "taskquant-policy", "version": 1, "default": "int4_g128",
//    "embeddings": "f16", "lm_head": "f16", "norms": "f16", "biases": "f16", "other": "f16",
//    "reference": "f16", "overrides": {"<name>": "<precision>", ...}, "scheme": {...},
//    "provenance": {"map", "map_method", "map_dataset", "model_fingerprint", "method",
//                   "params": {...}, "tool_version",
//                   "calibration": null | {"dataset", "split", "samples", "hash"}},
//    "estimate": null | {"bytes", "reference_bytes", "weights", "average_bits",
//                        "reference_bits", "tensors", "tensors_without_shape",
//                        "by_precision": {"<precision>": {"tensors", "weights", "bytes"}}}}
// "scheme" carries free-form quantization parameters for codecs and exporters (an object).
// Value type; thread-safe to read.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/quant/precision.h"

namespace taskquant::policy {

// The calibration text a policy was built from (its map, its error weighting and its codecs'
// importance matrix): the data set ("KIND:PATH", or a file-less kind's name), the split
// ("train", "calibration", ...), the number of samples and a hash of the texts (hex FNV-1a 64 of
// the sampled texts, each followed by a NUL byte: calibrationHash).
struct CalibrationText {
    std::string dataset, split;
    int64_t samples = 0;
    std::string hash;
    bool operator==(const CalibrationText& o) const {
        return dataset == o.dataset && split == o.split && samples == o.samples && hash == o.hash;
    }
};
std::string calibrationHash(const std::vector<std::string>& texts);

struct PolicyProvenance {
    std::string map;       // the map file the policy was made from
    std::string mapMethod; // its sensitivity method (fisher, magnitude_l2, ...)
    std::string mapDataset;
    std::string modelFingerprint;
    std::string method; // pct, otsu, elbow, gradient, cumulative, knapsack, blocks, optimal, manual
    nlohmann::json params = nlohmann::json::object(); // method parameters and outcome
    std::string toolVersion;
    std::optional<CalibrationText> calibration; // null: not recorded
};

struct PrecisionTally {
    int64_t tensors = 0;
    int64_t weights = 0;
    uint64_t bytes = 0;
};

struct SizeEstimate {
    uint64_t bytes = 0;              // tensors with a known shape, at their policy precision
    uint64_t referenceBytes = 0;     // the same tensors at the reference precision
    int64_t weights = 0;             // parameters of those tensors
    double averageBits = 0;          // 8 * bytes / weights
    double referenceBits = 0;        // 8 * referenceBytes / weights
    int64_t tensors = 0;             // tensors counted
    int64_t tensorsWithoutShape = 0; // tensors not counted (shape unknown)
    std::map<std::string, PrecisionTally> byPrecision;
};

struct TensorShape {
    std::string name;
    std::optional<std::vector<int64_t>> shape; // nullopt = unknown
};

struct Policy {
    quant::Precision defaultPrecision = quant::Precision::parse("int4_g128");
    quant::Precision embeddings = quant::Precision::parse("f16");
    quant::Precision lmHead = quant::Precision::parse("f16");
    quant::Precision norms = quant::Precision::parse("f16");
    quant::Precision biases = quant::Precision::parse("f16");
    quant::Precision other = quant::Precision::parse("f16");
    quant::Precision reference = quant::Precision::parse("f16"); // the unquantized storage
    std::map<std::string, quant::Precision> overrides;
    nlohmann::json scheme = nlohmann::json::object();
    PolicyProvenance provenance;
    std::optional<SizeEstimate> estimate;

    quant::Precision precisionFor(const std::string& name) const;
    // The precision a tensor would get without an override.
    quant::Precision classPrecision(const std::string& name) const;
    // Throws taskquant::Error when a precision cannot store a tensor's shape.
    SizeEstimate estimateSize(const std::vector<TensorShape>& tensors) const;

    static Policy fromJson(const nlohmann::json& j, const std::string& source);
    static Policy readFile(const std::string& path);
    nlohmann::ordered_json toJson() const;
    void writeFile(const std::string& path) const;
};

} // namespace taskquant::policy
