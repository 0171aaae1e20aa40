// Codec throughput: encodes and decodes a 4096 x 4096 Gaussian tensor in every precision on
// one thread and on all threads, printing MB/s of float input and the ratio to a plain memcpy
// of the same data measured in the same run. Not a test: numbers vary by machine.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

#include "core/quant/codec.h"

using namespace taskquant::quant;

namespace {
template <class F> double seconds(F f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
} // namespace

int main(int argc, char** argv) {
    const int64_t rows = argc > 1 ? std::atoll(argv[1]) : 4096, cols = 4096;
    std::vector<float> x(static_cast<std::size_t>(rows * cols));
    std::mt19937 rng(1);
    std::normal_distribution<float> dist(0.f, 0.02f);
    for (auto& v : x)
        v = dist(rng);
    const double mb = static_cast<double>(x.size()) * 4 / 1e6;

    std::vector<float> copy(x.size());
    const double tCopy = seconds([&] { std::memcpy(copy.data(), x.data(), x.size() * 4); });
    std::printf("tensor %lld x %lld (%.0f MB f32); memcpy %.0f MB/s; hardware threads %u\n",
                static_cast<long long>(rows), static_cast<long long>(cols), mb, mb / tCopy,
                std::thread::hardware_concurrency());
    std::printf("%-16s %12s %12s %12s %12s %12s\n", "precision", "enc 1t MB/s", "enc all MB/s",
                "dec 1t MB/s", "enc/memcpy", "bits/weight");
    for (const char* name : {"f16", "bf16", "int8_g128", "int4_g64", "int4_g128_asym", "nf4",
                             "q8_0", "q4_0", "q4_k"}) {
        const Precision p = Precision::parse(name);
        std::string bytes;
        const double t1 = seconds([&] { bytes = encode(p, x.data(), {rows, cols}, 1); });
        const double tn = seconds([&] { bytes = encode(p, x.data(), {rows, cols}, 0); });
        const double td = seconds([&] {
            decode(p, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), {rows, cols},
                   copy.data(), 1);
        });
        std::printf("%-16s %12.0f %12.0f %12.0f %12.4f %12.3f\n", name, mb / t1, mb / tn, mb / td,
                    tCopy / t1, p.bitsPerWeight({rows, cols}));
    }
    return 0;
}
