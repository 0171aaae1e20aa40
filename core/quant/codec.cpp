#include "core/quant/codec.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <numeric>
#include <sstream>
#include <thread>

#include "core/quant/ggml_blocks.h"
#include "core/quant/ggml_legacy.h"
#include "core/quant/half.h"
#include "core/quant/int_groups.h"
#include "core/quant/iq4.h"
#include "core/quant/kquants.h"
#include "core/quant/nf4.h"
#include "core/util/error.h"
#include "core/util/shape.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the codecs copy f32 data as is: a little-endian host is assumed");

namespace taskquant::quant {

namespace {

struct Geometry {
    int64_t numel = 0, rows = 0, cols = 0;
};

Geometry geometry(const Precision& p, const std::vector<int64_t>& shape) {
    if ((p.format == Format::IntSym || p.format == Format::IntAsym) &&
        ((p.bits != 4 && p.bits != 8) || p.groupSize < 0))
        throw Error(p.name() + ": integer codecs support 4 or 8 bits and a group size >= 0");
    Geometry g;
    g.numel = checkedNumel(shape);
    g.cols = shape.empty() ? 1 : shape.back();
    g.rows = g.cols == 0 ? 0 : g.numel / g.cols;
    if (!p.supportsShape(shape))
        throw Error(p.name() + ": cannot store a tensor of shape " + shapeText(shape) +
                    ": its rows (length " + std::to_string(g.cols) +
                    ") must be a multiple of the format's block size");
    return g;
}

std::string position(int64_t index, const Geometry& g) {
    std::ostringstream s;
    s << "element " << index;
    if (g.rows > 1)
        s << " (row " << index / g.cols << ", column " << index % g.cols << ")";
    return s.str();
}

void checkFinite(const Precision& p, const float* x, const Geometry& g) {
    for (int64_t i = 0; i < g.numel; ++i) {
        if (!std::isfinite(x[i]))
            throw Error(p.name() + ": " + position(i, g) + " is " +
                        (std::isnan(x[i]) ? "NaN" : "infinite") +
                        "; non-finite weights cannot be quantised or stored");
    }
}

// Runs fn(begin, end) over [0, units) split into contiguous chunks, one per thread; the
// first exception (by chunk order) is rethrown after all threads finished.
template <class Fn>
void parallelFor(int64_t units, int64_t elementsPerUnit, int64_t minElementsPerThread, int threads,
                 Fn fn) {
    if (units <= 0)
        return;
    int n = threads > 0
                ? threads
                : static_cast<int>(std::min(8u, std::max(1u, std::thread::hardware_concurrency())));
    const int64_t work = units * std::max<int64_t>(elementsPerUnit, 1);
    n = static_cast<int>(
        std::min<int64_t>({n, units, std::max<int64_t>(1, work / minElementsPerThread)}));
    if (n <= 1) {
        fn(int64_t(0), units);
        return;
    }
    const int64_t chunk = (units + n - 1) / n;
    std::vector<std::exception_ptr> errors(static_cast<std::size_t>(n));
    std::vector<std::thread> pool;
    auto run = [&](int t) {
        const int64_t b = t * chunk, e = std::min(units, b + chunk);
        try {
            if (b < e)
                fn(b, e);
        } catch (...) {
            errors[static_cast<std::size_t>(t)] = std::current_exception();
        }
    };
    for (int t = 1; t < n; ++t)
        pool.emplace_back(run, t);
    run(0);
    for (auto& th : pool)
        th.join();
    for (auto& e : errors)
        if (e)
            std::rethrow_exception(e);
}

constexpr int64_t kCheap = 1 << 18; // elements per thread worth a thread, cheap codecs
constexpr int64_t kHeavy = 1 << 14; // the k-quants do ~50x more work per element

// An importance vector must hold one finite, non-negative weight per column.
void checkImportance(const Precision& p, const float* w, const Geometry& g) {
    for (int64_t j = 0; j < g.cols; ++j) {
        if (!(w[j] >= 0.f) || !std::isfinite(w[j])) {
            std::ostringstream s;
            s << p.name() << ": importance weight of column " << j << " is " << w[j]
              << "; importance weights must be finite and >= 0";
            throw Error(s.str());
        }
    }
}

void encodeHalfLike(const Precision& p, const float* x, const Geometry& g, uint8_t* o,
                    int threads) {
    const bool bf = p.format == Format::BF16;
    parallelFor(g.numel, 1, kCheap, threads, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) {
            const uint16_t h = bf ? floatToBf16(x[i]) : floatToHalf(x[i]);
            if (!(bf ? bf16IsFinite(h) : halfIsFinite(h))) {
                std::ostringstream s;
                s << p.name() << ": " << position(i, g) << " = " << x[i] << " is outside the "
                  << p.name() << " range";
                throw Error(s.str());
            }
            storeU16(o + 2 * i, h);
        }
    });
}

} // namespace

std::string encode(const Precision& p, const float* x, const std::vector<int64_t>& shape,
                   int threads, const float* importance) {
    const Geometry g = geometry(p, shape);
    if (g.numel > 0 && !x)
        throw Error(p.name() + ": no data given for shape " + shapeText(shape));
    checkFinite(p, x, g);
    if (importance && g.numel > 0)
        checkImportance(p, importance, g);
    std::string out(p.bytes(shape), '\0');
    auto* o = reinterpret_cast<uint8_t*>(out.data());
    using namespace detail;
    switch (p.format) {
    case Format::F32:
        if (g.numel)
            std::memcpy(o, x, static_cast<std::size_t>(g.numel) * 4);
        break;
    case Format::F16:
    case Format::BF16:
        encodeHalfLike(p, x, g, o, threads);
        break;
    case Format::IntSym:
    case Format::IntAsym:
        parallelFor(g.rows, g.cols, kCheap, threads,
                    [&](int64_t b, int64_t e) { encodeIntRows(p, x, g.cols, b, e, o); });
        break;
    case Format::NF4:
        parallelFor((g.numel + kNf4Block - 1) / kNf4Block, kNf4Block, kCheap, threads,
                    [&](int64_t b, int64_t e) { encodeNf4(x, g.numel, b, e, o); });
        break;
    case Format::Q4_1:
        if (importance)
            parallelFor(g.rows, g.cols, kHeavy, threads, [&](int64_t b, int64_t e) {
                encodeQ4_1Weighted(x, g.cols, b, e, importance, o);
            });
        else
            parallelFor(g.numel / kQ4_1Block, kQ4_1Block, kCheap, threads,
                        [&](int64_t b, int64_t e) { encodeQ4_1(x, b, e, o); });
        break;
    case Format::Q5_0:
        if (importance)
            parallelFor(g.rows, g.cols, kHeavy, threads, [&](int64_t b, int64_t e) {
                encodeQ5_0Weighted(x, g.cols, b, e, importance, o);
            });
        else
            parallelFor(g.numel / kQ5_0Block, kQ5_0Block, kCheap, threads,
                        [&](int64_t b, int64_t e) { encodeQ5_0(x, b, e, o); });
        break;
    case Format::Q5_1:
        if (importance)
            parallelFor(g.rows, g.cols, kHeavy, threads, [&](int64_t b, int64_t e) {
                encodeQ5_1Weighted(x, g.cols, b, e, importance, o);
            });
        else
            parallelFor(g.numel / kQ5_1Block, kQ5_1Block, kCheap, threads,
                        [&](int64_t b, int64_t e) { encodeQ5_1(x, b, e, o); });
        break;
    case Format::IQ4_NL: // llama.cpp always runs the weighted search (x^2 without importance)
        parallelFor(g.numel / kIq4NlBlock, kIq4NlBlock, kHeavy, threads,
                    [&](int64_t b, int64_t e) { encodeIq4Nl(x, g.cols, b, e, importance, o); });
        break;
    case Format::IQ4_XS:
        parallelFor(g.numel / kIq4XsBlock, kIq4XsBlock, kHeavy, threads,
                    [&](int64_t b, int64_t e) { encodeIq4Xs(x, g.cols, b, e, importance, o); });
        break;
    case Format::Q8_0:
        parallelFor(g.numel / kQ8_0Block, kQ8_0Block, kCheap, threads,
                    [&](int64_t b, int64_t e) { encodeQ8_0(x, b, e, o); });
        break;
    case Format::Q4_0:
        if (importance)
            parallelFor(g.rows, g.cols, kHeavy, threads, [&](int64_t b, int64_t e) {
                encodeQ4_0Weighted(x, g.cols, b, e, importance, o);
            });
        else
            parallelFor(g.numel / kQ4_0Block, kQ4_0Block, kCheap, threads,
                        [&](int64_t b, int64_t e) { encodeQ4_0(x, b, e, o); });
        break;
    case Format::Q2_K:
    case Format::Q3_K:
    case Format::Q4_K:
    case Format::Q5_K:
    case Format::Q6_K: {
        const auto fn = p.format == Format::Q2_K   ? encodeQ2_K
                        : p.format == Format::Q3_K ? encodeQ3_K
                        : p.format == Format::Q4_K ? encodeQ4_K
                        : p.format == Format::Q5_K ? encodeQ5_K
                                                   : encodeQ6_K;
        parallelFor(g.rows, g.cols, kHeavy, threads,
                    [&](int64_t b, int64_t e) { fn(x, g.cols, b, e, importance, o); });
        break;
    }
    default:
        throw Error(p.name() + ": no codec for this GGUF type in this build");
    }
    return out;
}

void decode(const Precision& p, const uint8_t* in, std::size_t size,
            const std::vector<int64_t>& shape, float* y, int threads) {
    const Geometry g = geometry(p, shape);
    const uint64_t expected = p.bytes(shape);
    if (size != expected)
        throw Error(p.name() + ": a tensor of shape " + shapeText(shape) + " takes " +
                    std::to_string(expected) + " bytes, got " + std::to_string(size));
    if (g.numel > 0 && (!in || !y))
        throw Error(p.name() + ": no buffer given to decode");
    using namespace detail;
    switch (p.format) {
    case Format::F32:
        if (g.numel)
            std::memcpy(y, in, static_cast<std::size_t>(g.numel) * 4);
        break;
    case Format::F16:
    case Format::BF16: {
        const bool bf = p.format == Format::BF16;
        parallelFor(g.numel, 1, kCheap, threads, [&](int64_t b, int64_t e) {
            for (int64_t i = b; i < e; ++i) {
                const uint16_t h = loadU16(in + 2 * i);
                y[i] = bf ? bf16ToFloat(h) : halfToFloat(h);
            }
        });
        break;
    }
    case Format::IntSym:
    case Format::IntAsym:
        parallelFor(g.rows, g.cols, kCheap, threads,
                    [&](int64_t b, int64_t e) { decodeIntRows(p, in, g.cols, b, e, y); });
        break;
    case Format::NF4:
        parallelFor((g.numel + kNf4Block - 1) / kNf4Block, kNf4Block, kCheap, threads,
                    [&](int64_t b, int64_t e) { decodeNf4(in, g.numel, b, e, y); });
        break;
    case Format::Q4_1:
        parallelFor(g.numel / kQ4_1Block, kQ4_1Block, kCheap, threads,
                    [&](int64_t b, int64_t e) { decodeQ4_1(in, b, e, y); });
        break;
    case Format::Q5_0:
        parallelFor(g.numel / kQ5_0Block, kQ5_0Block, kCheap, threads,
                    [&](int64_t b, int64_t e) { decodeQ5_0(in, b, e, y); });
        break;
    case Format::Q5_1:
        parallelFor(g.numel / kQ5_1Block, kQ5_1Block, kCheap, threads,
                    [&](int64_t b, int64_t e) { decodeQ5_1(in, b, e, y); });
        break;
    case Format::IQ4_NL:
        parallelFor(g.numel / kIq4NlBlock, kIq4NlBlock, kCheap, threads,
                    [&](int64_t b, int64_t e) { decodeIq4Nl(in, b, e, y); });
        break;
    case Format::IQ4_XS:
        parallelFor(g.numel / kIq4XsBlock, kIq4XsBlock, kCheap, threads,
                    [&](int64_t b, int64_t e) { decodeIq4Xs(in, b, e, y); });
        break;
    case Format::Q8_0:
        parallelFor(g.numel / kQ8_0Block, kQ8_0Block, kCheap, threads,
                    [&](int64_t b, int64_t e) { decodeQ8_0(in, b, e, y); });
        break;
    case Format::Q4_0:
        parallelFor(g.numel / kQ4_0Block, kQ4_0Block, kCheap, threads,
                    [&](int64_t b, int64_t e) { decodeQ4_0(in, b, e, y); });
        break;
    case Format::Q2_K:
    case Format::Q3_K:
    case Format::Q4_K:
    case Format::Q5_K:
    case Format::Q6_K: {
        const auto fn = p.format == Format::Q2_K   ? decodeQ2_K
                        : p.format == Format::Q3_K ? decodeQ3_K
                        : p.format == Format::Q4_K ? decodeQ4_K
                        : p.format == Format::Q5_K ? decodeQ5_K
                                                   : decodeQ6_K;
        parallelFor(g.numel / kQK_K, kQK_K, kCheap, threads,
                    [&](int64_t b, int64_t e) { fn(in, b, e, y); });
        break;
    }
    default:
        throw Error(p.name() + ": no codec for this GGUF type in this build");
    }
}

std::vector<float> decode(const Precision& p, const std::string& bytes,
                          const std::vector<int64_t>& shape, int threads) {
    std::vector<float> out(static_cast<std::size_t>(checkedNumel(shape)));
    decode(p, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), shape, out.data(),
           threads);
    return out;
}

std::vector<float> fakeQuantize(const Precision& p, const float* data,
                                const std::vector<int64_t>& shape, int threads,
                                const float* importance) {
    return decode(p, encode(p, data, shape, threads, importance), shape, threads);
}

int64_t rowsPerBlock(int64_t rows, int64_t cols, int64_t maxValues) {
    cols = std::max<int64_t>(1, cols);
    const int64_t unit = 256 / std::gcd<int64_t>(cols, 256);
    const int64_t block = std::max<int64_t>(unit, maxValues / cols / unit * unit);
    return std::max<int64_t>(1, std::min(rows, block));
}

double mse(const float* a, const float* b, std::size_t n) {
    if (n == 0)
        return 0.0;
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double d = static_cast<double>(a[i]) - static_cast<double>(b[i]);
        sum += d * d;
    }
    return sum / static_cast<double>(n);
}

double quantizationMse(const Precision& p, const float* data, const std::vector<int64_t>& shape,
                       int threads, const float* importance) {
    const std::vector<float> q = fakeQuantize(p, data, shape, threads, importance);
    return mse(data, q.data(), q.size());
}

} // namespace taskquant::quant
