#pragma once
// ErrorTable: the measured quantization error of every quantizable weight at every candidate
// precision, the input of the optimal allocator. Filled by a caller (the codecs compute the
// mean squared error of each weight quantized and dequantized at each precision); read and
// written as JSON:
//   {"format": "taskquant-errors", "version": 1, "metric": "mse",
//    "precisions": ["f16", "int8_g128", "int4_g128"],
//    "tensors": [{"name": "...", "shape": [out, in], "error": [0.0, 1.2e-7, 3.4e-5]}, ...]}
// error[j] belongs to precisions[j]; null = not measured / not allowed for this tensor.
// Value type; thread-safe to read. Malformed files throw taskquant::Error naming the file.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace taskquant::policy {

struct ErrorRow {
    std::string name;
    std::vector<int64_t> shape;
    std::vector<std::optional<double>> error; // per precision, finite >= 0 when present
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
    std::map<std::string, std::size_t> index_;
};

} // namespace taskquant::policy
