#include "core/policy/error_measure.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <numeric>
#include <thread>

#include "core/quant/codec.h"
#include "core/util/error.h"
#include "core/util/shape.h"

namespace taskquant::policy {

namespace {
constexpr int64_t kBlockValues = int64_t(1) << 22; // 16 MiB of fp32 per block of rows
}

SquaredError squaredError(const float* a, const float* b, int64_t numel, int64_t cols,
                          const float* w) {
    SquaredError r;
    if (numel <= 0)
        return r;
    if (cols <= 0)
        cols = numel;
    double meanW = 0;
    if (w) {
        for (int64_t c = 0; c < cols; ++c)
            meanW += w[c];
        meanW /= static_cast<double>(cols);
    }
    const bool weighted = w && meanW > 0;
    for (int64_t i = 0; i < numel; ++i) {
        const double d = static_cast<double>(a[i]) - static_cast<double>(b[i]);
        r.sse += d * d;
        if (weighted)
            r.weightedSse += static_cast<double>(w[i % cols]) * d * d;
    }
    r.weightedSse = weighted ? r.weightedSse / meanW : r.sse;
    return r;
}

SquaredError elementSquaredError(const float* a, const float* b, int64_t numel, const float* f,
                                 double meanF) {
    SquaredError r;
    if (numel <= 0)
        return r;
    if (meanF < 0) {
        meanF = 0;
        for (int64_t i = 0; i < numel; ++i)
            meanF += f[i];
        meanF /= static_cast<double>(numel);
    }
    for (int64_t i = 0; i < numel; ++i) {
        const double d = static_cast<double>(a[i]) - static_cast<double>(b[i]);
        r.sse += d * d;
        r.weightedSse += static_cast<double>(f[i]) * d * d;
    }
    r.weightedSse = meanF > 0 ? r.weightedSse / meanF : r.sse;
    return r;
}

std::vector<quant::Precision> defaultGgufCandidates() {
    std::vector<quant::Precision> out{quant::Precision::parse("f16")};
    const std::vector<float> probe(256, 0.5f);
    for (const std::string& n : quant::Precision::ggufBlockNames()) {
        const quant::Precision p = quant::Precision::parse(n);
        try {
            quant::encode(p, probe.data(), {1, 256}, 1);
        } catch (const Error&) {
            continue; // no codec in this build
        }
        out.push_back(p);
    }
    return out;
}

ErrorTable measureErrors(const std::vector<WeightView>& weights,
                         const std::vector<quant::Precision>& precisions,
                         const ErrorMeasureOptions& o, const JobControl& job) {
    if (precisions.empty())
        throw Error("errors: no precisions to measure");
    const std::size_t np = precisions.size();
    std::vector<ErrorRow> rows(weights.size());
    std::vector<std::pair<std::size_t, std::size_t>> work;
    for (std::size_t t = 0; t < weights.size(); ++t) {
        const WeightView& v = weights[t];
        if (!v.data && !v.readRows)
            throw Error("errors: \"" + v.name + "\" has no data");
        ErrorRow& r = rows[t];
        r.name = v.name;
        r.shape = v.shape;
        r.numel = checkedNumel(v.shape);
        r.error.assign(np, std::nullopt);
        r.sse.assign(np, std::nullopt);
        r.weightedSse.assign(np, std::nullopt);
        r.bytes.assign(np, std::nullopt);
        if (v.elementWeights && r.numel > 0) {
            double m = 0;
            for (int64_t i = 0; i < r.numel; ++i)
                m += static_cast<double>(v.elementWeights[i]);
            r.fisherMean = m / static_cast<double>(r.numel);
        }
        for (std::size_t j = 0; j < np; ++j)
            if (precisions[j].supportsShape(v.shape))
                work.emplace_back(t, j);
    }
    // Large tensors first, so the threads finish together.
    std::stable_sort(work.begin(), work.end(), [&](const auto& a, const auto& b) {
        return rows[a.first].numel > rows[b.first].numel;
    });
    int threads = o.threads > 0
                      ? o.threads
                      : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    threads = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(threads),
                                                     std::max<std::size_t>(1, work.size())));
    std::atomic<std::size_t> next{0}, done{0};
    std::atomic<bool> stop{false};
    std::mutex m;
    std::exception_ptr failure;
    const std::size_t total = work.size();
    auto worker = [&](bool reporter) {
        for (;;) {
            if (stop.load())
                return;
            const std::size_t k = next.fetch_add(1);
            if (k >= total)
                return;
            try {
                if (job.cancelled())
                    throw Cancelled();
                const auto [t, j] = work[k];
                const WeightView& v = weights[t];
                const quant::Precision& p = precisions[j];
                ErrorRow& r = rows[t];
                // In blocks of rows (about kBlockValues values): every codec is local to a row
                // (ggml's blocks, int groups) or to 64 consecutive values (nf4), so a block of
                // rows whose size is a multiple of 256 quantizes as it does in the whole tensor;
                // each thread then holds one block's quantized copy, not the tensor's (the
                // 128,256-row embedding of Llama 3 is 1.6 GB in fp32).
                const int64_t cols = v.shape.empty() ? 1 : std::max<int64_t>(1, v.shape.back());
                const int64_t rowCount = r.numel / cols;
                const int64_t blockRows = v.shape.size() < 2
                                              ? rowCount
                                              : quant::rowsPerBlock(rowCount, cols, kBlockValues);
                const float* columns = v.columnWeights ? v.columnWeights : v.importance;
                SquaredError e;
                std::vector<float> rowsRead; // one block's fp32 rows when they are read
                for (int64_t row = 0; row < rowCount; row += blockRows) {
                    const int64_t n = std::min(blockRows, rowCount - row);
                    const float* data = v.data ? v.data + row * cols : nullptr;
                    if (!data) {
                        rowsRead.resize(static_cast<std::size_t>(n * cols));
                        v.readRows(row, n, rowsRead.data());
                        data = rowsRead.data();
                    }
                    const std::vector<float> q = quant::fakeQuantize(
                        p, data, n == rowCount ? v.shape : std::vector<int64_t>{n, cols}, 1,
                        v.importance);
                    const SquaredError b =
                        v.elementWeights ? elementSquaredError(q.data(), data, n * cols,
                                                               v.elementWeights + row * cols,
                                                               r.fisherMean.value_or(-1))
                                         : squaredError(q.data(), data, n * cols, cols, columns);
                    e.sse += b.sse;
                    e.weightedSse += b.weightedSse;
                }
                r.sse[j] = e.sse;
                r.weightedSse[j] = e.weightedSse;
                r.error[j] = r.numel ? e.sse / static_cast<double>(r.numel) : 0.0;
                r.bytes[j] = p.bytes(v.shape);
            } catch (...) {
                std::lock_guard<std::mutex> lock(m);
                if (!failure) {
                    try {
                        throw;
                    } catch (const Cancelled&) {
                        failure = std::current_exception();
                    } catch (const std::exception& e) {
                        const auto [t, j] = work[k];
                        failure =
                            std::make_exception_ptr(Error("errors: " + weights[t].name + " at " +
                                                          precisions[j].name() + ": " + e.what()));
                    }
                }
                stop.store(true);
                return;
            }
            const std::size_t d = ++done;
            if (reporter) {
                std::lock_guard<std::mutex> lock(m);
                job.report(static_cast<double>(d) / static_cast<double>(total),
                           "measuring quantization errors", static_cast<long long>(d),
                           static_cast<long long>(total));
            }
        }
    };
    // Progress is reported on the calling thread's loop only (ProgressFn runs on the worker
    // thread that called measureErrors; see progress.h), by the calling thread as worker 0.
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i)
        pool.emplace_back(worker, false);
    worker(true);
    for (auto& th : pool)
        th.join();
    if (failure)
        std::rethrow_exception(failure);
    job.check();
    job.report(1.0, "measuring quantization errors", static_cast<long long>(total),
               static_cast<long long>(total));
    std::vector<std::string> names;
    for (const auto& p : precisions)
        names.push_back(p.name());
    ErrorTable table(std::move(names), std::move(rows), "mse", "error table");
    table.setImportance(o.importanceLabel);
    return table;
}

} // namespace taskquant::policy
