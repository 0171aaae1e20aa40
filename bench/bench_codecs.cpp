// Codec throughput: encodes a rows x 4096 Gaussian tensor (default 4096 rows, 64 MB of f32)
// in every precision on all threads (without and with an importance vector, as llama-quantize
// --imatrix passes one) and on one thread, decodes it on one thread, and prints MB/s of f32
// input beside the raw write speed of the same bytes (a memcpy of the f32 input measured in
// the same run) and the ratio. Usage: bench_codecs [rows] [threads] [type ...]
// (threads 0 = automatic, the codecs' default). "1t cpu" columns: MB per second of the
// encoding thread's own CPU time (robust on a loaded machine; x threads ~ the unloaded
// all-threads speed). Not a test: numbers vary by machine and load.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <exception>
#include <random>
#include <string>
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
// CPU time of the calling thread: on a shared machine the one-thread encode's CPU time
// measures the codec's cost without the waiting that other processes cause.
double threadSeconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}
// Best of `reps` runs: the machine may be shared, the minimum is the least disturbed.
template <class F> double best(int reps, F f) {
    double t = 1e30;
    for (int i = 0; i < reps; ++i)
        t = std::min(t, seconds(f));
    return t;
}
} // namespace

int main(int argc, char** argv) {
    const int64_t rows = argc > 1 ? std::atoll(argv[1]) : 4096, cols = 4096;
    const int threads = argc > 2 ? std::atoi(argv[2]) : 0;
    std::vector<std::string> names;
    for (int i = 3; i < argc; ++i)
        names.emplace_back(argv[i]);
    if (names.empty())
        names = {"f16",  "bf16", "int8_g128", "int4_g64", "int4_g128_asym", "nf4",
                 "q4_0", "q4_1", "q5_0",      "q5_1",     "q8_0",           "q2_k",
                 "q3_k", "q4_k", "q5_k",      "q6_k",     "iq4_nl",         "iq4_xs"};

    std::vector<float> x(static_cast<std::size_t>(rows * cols));
    std::mt19937 rng(1);
    std::normal_distribution<float> dist(0.f, 0.02f);
    for (auto& v : x)
        v = dist(rng);
    // An imatrix-like importance vector: mean squared activations, log-normal across columns.
    std::vector<float> importance(static_cast<std::size_t>(cols));
    std::normal_distribution<float> logDist(0.f, 1.f);
    for (auto& v : importance)
        v = std::exp(logDist(rng));
    const double mb = static_cast<double>(x.size()) * 4 / 1e6;

    std::vector<float> copy(x.size());
    const double tCopy = best(3, [&] { std::memcpy(copy.data(), x.data(), x.size() * 4); });
    std::printf("tensor %lld x %lld (%.0f MB f32); threads %d (0 = auto; hardware %u); "
                "raw write (memcpy of the f32 input) %.0f MB/s\n",
                static_cast<long long>(rows), static_cast<long long>(cols), mb, threads,
                std::thread::hardware_concurrency(), mb / tCopy);
    std::printf("%-15s %10s %10s %10s %10s %10s %10s %10s %8s\n", "precision", "enc MB/s",
                "enc+imp", "enc 1t", "1t cpu", "1t+imp cpu", "dec 1t", "enc/write", "bits/w");
    for (const std::string& name : names) {
        const Precision p = Precision::parse(name);
        const std::vector<int64_t> shape = {rows, cols};
        std::string bytes;
        try {
            const double tn = best(2, [&] { bytes = encode(p, x.data(), shape, threads); });
            const double ti =
                best(2, [&] { bytes = encode(p, x.data(), shape, threads, importance.data()); });
            const double t1 = best(1, [&] { bytes = encode(p, x.data(), shape, 1); });
            double c0 = threadSeconds();
            bytes = encode(p, x.data(), shape, 1);
            const double c1 = threadSeconds() - c0;
            c0 = threadSeconds();
            bytes = encode(p, x.data(), shape, 1, importance.data());
            const double c1i = threadSeconds() - c0;
            const double td = best(2, [&] {
                decode(p, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), shape,
                       copy.data(), 1);
            });
            std::printf("%-15s %10.0f %10.0f %10.0f %10.0f %10.0f %10.0f %10.4f %8.3f\n",
                        name.c_str(), mb / tn, mb / ti, mb / t1, mb / c1, mb / c1i, mb / td,
                        tCopy / tn, p.bitsPerWeight(shape));
        } catch (const std::exception& e) {
            std::printf("%-15s (no codec in this build: %s)\n", name.c_str(), e.what());
        }
        std::fflush(stdout);
    }
    return 0;
}
