#pragma once
// ErrorTable: the measured quantization error of every quantizable weight at every candidate
// precision, the input of the optimal allocator. Filled by a caller (the codecs compute the
// mean squared error of each weight quantized and dequantized at each precision); read and
// written as JSON:
//   {"format": "taskquant-errors", "version": 1, "metric": "mse",
//    "precisions": ["f16", "int8_g128", "int4_g128"],
//    "tensors": [{"name": "...", "shape": [out, in], "error": [0.0, 1.2e-7, 3.4e-5]}, ...]}
// error[j] belongs to precisions[j]; null = not measured / not allowed for this tensor.
// Optional fields (written by `taskquant errors`; files without them stay valid, and readers
// that do not know them ignore them):
//   top level: "importance": "none" | a description of the per-column weights used
//              (e.g. "imatrix:FILE");
//              "task_text": {"source", "ctx", "chunks", "tokens", "seed", "tokens_fnv1a64"}:
//              the text whose statistics weighted "weighted_sse" (a data set KIND:PATH or a
//              text file; its windows; FNV-1a 64 over the windows' token ids, little-endian
//              int64, 16 hex digits), so a policy can say which task text it was made for;
//   per tensor: "numel": N,
//               "sse": [...]          sum over the tensor of (x^ - x)^2, x^ = the values the
//                                     exporter's bytes decode to (quant::fakeQuantize);
//               "weighted_sse": [...] sum_ij w_j (x^_ij - x_ij)^2 / mean_j(w_j) with w the
//                                     per-column importance (imatrix); equal to "sse" when all
//                                     weights are equal, so the two share one scale;
//               "bytes": [...]        exact encoded bytes (Precision::bytes, scales included);
//               "fisher_mean": x      mean per-weight Fisher of the task text (finite >= 0) when
//                                     weighted_sse is weighted by it.
//   Each optional array has one entry per precision (null where "error" is null).
// Value type; thread-safe to read. Malformed files throw taskquant::Error naming the file.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace taskquant::policy {

struct ErrorTaskText {
    std::string source; // "" = no task text recorded
    int64_t ctx = 0, chunks = 0, tokens = 0;
    uint64_t seed = 0;
    std::string tokensFnv1a64;
    bool empty() const { return source.empty(); }
    // FNV-1a 64 of the token ids (each as 8 little-endian bytes), 16 hex digits.
    static std::string hashTokens(const std::vector<std::vector<int64_t>>& chunks);
};

struct ErrorRow {
    std::string name;
    std::vector<int64_t> shape;
    std::vector<std::optional<double>> error; // per precision, finite >= 0 when present
    // Optional (empty = absent; else one per precision, same rules as error).
    int64_t numel = 0; // 0 = not recorded
    std::vector<std::optional<double>> sse;
    std::vector<std::optional<double>> weightedSse;
    std::vector<std::optional<uint64_t>> bytes;
    // "fisher_mean": the mean of the task text's per-weight Fisher over the tensor, written
    // where weighted_sse is weighted by it (the damage model's level, damage_model.h (4')).
    std::optional<double> fisherMean;
};

class ErrorTable {
  public:
    ErrorTable() = default;
    // Validates: canonical, distinct precision names (quant::Precision::parse), unique names,
    // one error per precision, finite non-negative errors, non-negative shapes.
    ErrorTable(std::vector<std::string> precisions, std::vector<ErrorRow> rows,
               std::string metric = "mse", const std::string& source = "error table");

    const std::vector<std::string>& precisions() const { return precisions_; }
    const std::vector<ErrorRow>& rows() const { return rows_; }
    const std::string& metric() const { return metric_; }
    // "none", or how the weighted errors were weighted; "" when the file does not say.
    const std::string& importance() const { return importance_; }
    void setImportance(std::string s) { importance_ = std::move(s); }
    const ErrorTaskText& taskText() const { return taskText_; }
    void setTaskText(ErrorTaskText t) { taskText_ = std::move(t); }
    // The same table with rows renamed (old name -> new name; names not listed kept). Throws
    // taskquant::Error when two rows end up with one name.
    ErrorTable renamed(const std::map<std::string, std::string>& names) const;
    // Whether every row carries "sse" (then the damage model can use it).
    bool hasSse() const;
    const ErrorRow* find(const std::string& name) const;
    // Column of a precision name (canonical or not), or -1.
    int column(const std::string& precision) const;

    static ErrorTable readFile(const std::string& path);
    void writeFile(const std::string& path) const; // atomic
    std::string toJsonText() const;

  private:
    std::vector<std::string> precisions_;
    std::vector<ErrorRow> rows_;
    std::string metric_ = "mse";
    std::string importance_;
    ErrorTaskText taskText_;
    std::map<std::string, std::size_t> index_;
};

} // namespace taskquant::policy
