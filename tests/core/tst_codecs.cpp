// Codec tests: fp16/bf16 rounding against a brute-force reference, exact bytes of small
// hand-worked cases, encoded sizes, error bounds from theory on random data, edge inputs and
// errors. Expected values come from hand calculations (in the comments) or from the simple
// reference code in this file, never from the codecs themselves.
#include <QtTest/QtTest>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "core/quant/codec.h"
#include "core/quant/half.h"
#include "core/util/error.h"
#include "core/util/shape.h"

using namespace taskquant;
using namespace taskquant::quant;

namespace {

const char* const kAllNames[] = {"f32",           "f16",      "bf16",           "int8_g128",
                                 "int8_g32",      "int4_g64", "int4_g32",       "int4_g128",
                                 "int4_pc",       "int8_pc",  "int4_g128_asym", "int8_pc_asym",
                                 "int4_g32_asym", "nf4",      "q8_0",           "q4_0",
                                 "q4_k"};

std::vector<float> gaussian(std::size_t n, unsigned seed, float sigma = 0.02f) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.f, sigma);
    std::vector<float> v(n);
    for (auto& x : v)
        x = dist(rng);
    // a few outliers, as real weight matrices have
    for (std::size_t i = 7; i < n; i += 997)
        v[i] *= 12.f;
    return v;
}

std::string hex(const std::string& bytes) {
    static const char* digits = "0123456789ABCDEF";
    std::string s;
    for (unsigned char c : bytes) {
        if (!s.empty())
            s += ' ';
        s += digits[c >> 4];
        s += digits[c & 15];
    }
    return s;
}

float f32(uint32_t bits) {
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

// Every finite non-negative half as a double, ascending, with its bit pattern.
const std::vector<std::pair<double, uint16_t>>& positiveHalves() {
    static const std::vector<std::pair<double, uint16_t>> table = [] {
        std::vector<std::pair<double, uint16_t>> t;
        for (uint32_t h = 0; h < 0x7c00; ++h) {
            const int e = static_cast<int>(h >> 10), m = static_cast<int>(h & 0x3ff);
            const double v = e == 0 ? std::ldexp(m, -24) : std::ldexp(1024 + m, e - 25);
            t.emplace_back(v, static_cast<uint16_t>(h));
        }
        return t;
    }();
    return table;
}

// Reference float -> half: nearest finite half by search, ties to the even pattern, beyond
// 65520 infinity. Independent of the bit tricks in half.cpp.
uint16_t referenceHalf(float f) {
    const uint16_t sign = std::signbit(f) ? 0x8000 : 0;
    const double a = std::fabs(static_cast<double>(f));
    if (a >= 65520.0)
        return sign | 0x7c00;
    const auto& t = positiveHalves();
    auto hi = std::lower_bound(t.begin(), t.end(), std::make_pair(a, uint16_t(0)));
    if (hi == t.begin())
        return sign | hi->second;
    auto lo = hi - 1;
    if (hi == t.end())
        return sign | lo->second;
    const double dl = a - lo->first, dh = hi->first - a;
    if (dl < dh)
        return sign | lo->second;
    if (dh < dl)
        return sign | hi->second;
    return sign | ((lo->second & 1) ? hi->second : lo->second);
}

float halfValue(uint16_t h) { // reference half -> float from the table
    const auto& t = positiveHalves();
    const double v = t[h & 0x7fff].first;
    return static_cast<float>((h & 0x8000) ? -v : v);
}

void expectError(const std::function<void()>& f, const char* needle) {
    try {
        f();
    } catch (const Error& e) {
        QVERIFY2(std::string(e.what()).find(needle) != std::string::npos, e.what());
        return;
    }
    QFAIL(qPrintable(QStringLiteral("expected an Error mentioning ") + QLatin1String(needle)));
}

} // namespace

class TstCodecs : public QObject {
    Q_OBJECT
  private slots:
    // ---------------------------------------------------------------- fp16 / bf16
    void halfDecodesKnownPatterns() {
        QCOMPARE(halfToFloat(0x3c00), 1.0f);
        QCOMPARE(halfToFloat(0xc000), -2.0f);
        QCOMPARE(halfToFloat(0x7bff), 65504.0f);
        QCOMPARE(halfToFloat(0x0400), std::ldexp(1.0f, -14));
        QCOMPARE(halfToFloat(0x0001), std::ldexp(1.0f, -24));
        QCOMPARE(halfToFloat(0x03ff), std::ldexp(1023.0f, -24));
        QVERIFY(std::isinf(halfToFloat(0x7c00)) && halfToFloat(0xfc00) < 0);
        QVERIFY(std::isnan(halfToFloat(0x7e00)));
        for (uint32_t h = 0; h < 0x7c00; ++h) {
            QCOMPARE(halfToFloat(static_cast<uint16_t>(h)), halfValue(static_cast<uint16_t>(h)));
            QCOMPARE(halfToFloat(static_cast<uint16_t>(h | 0x8000)),
                     halfValue(static_cast<uint16_t>(h | 0x8000)));
        }
    }
    void halfRoundTripsEveryPattern() {
        for (uint32_t h = 0; h < 0x10000; ++h) {
            const float f = halfToFloat(static_cast<uint16_t>(h));
            if (std::isnan(f)) {
                QVERIFY(std::isnan(halfToFloat(floatToHalf(f))));
                continue;
            }
            QCOMPARE(floatToHalf(f), static_cast<uint16_t>(h));
        }
    }
    void halfRoundsToNearestEven() {
        // 1 + 2^-11 lies halfway between 1 (0x3C00, even) and 1 + 2^-10 (0x3C01): even wins.
        QCOMPARE(floatToHalf(1.0f + std::ldexp(1.0f, -11)), uint16_t(0x3c00));
        // 1 + 3 * 2^-11 lies halfway between 0x3C01 and 0x3C02: 0x3C02 is even.
        QCOMPARE(floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), uint16_t(0x3c02));
        QCOMPARE(floatToHalf(65519.0f), uint16_t(0x7bff));
        QCOMPARE(floatToHalf(65520.0f), uint16_t(0x7c00)); // tie with 65536 -> infinity
        QCOMPARE(floatToHalf(-1e9f), uint16_t(0xfc00));
        QCOMPARE(floatToHalf(std::ldexp(1.0f, -25)), uint16_t(0x0000)); // tie with 0
        QCOMPARE(floatToHalf(std::ldexp(1.5f, -25)), uint16_t(0x0001));
        QCOMPARE(floatToHalf(std::ldexp(3.0f, -25)), uint16_t(0x0002)); // 1.5 ulp -> even 2
        QCOMPARE(floatToHalf(-0.0f), uint16_t(0x8000));
        QVERIFY(std::isnan(halfToFloat(floatToHalf(std::numeric_limits<float>::quiet_NaN()))));
        // random floats over the whole half range against the brute-force reference
        std::mt19937 rng(1);
        std::uniform_int_distribution<uint32_t> bits(0x30000000u, 0x47800000u);
        for (int i = 0; i < 200000; ++i) {
            const float f = f32(bits(rng) | ((i & 1) ? 0x80000000u : 0u));
            if (floatToHalf(f) != referenceHalf(f))
                QFAIL(qPrintable(QStringLiteral("float %1 (0x%2)")
                                     .arg(double(f))
                                     .arg(QString::number(bits(rng), 16))));
        }
    }
    void bf16RoundsToNearestEven() {
        QCOMPARE(floatToBf16(1.0f), uint16_t(0x3f80));
        QCOMPARE(floatToBf16(f32(0x3f808000u)), uint16_t(0x3f80)); // tie, even below
        QCOMPARE(floatToBf16(f32(0x3f818000u)), uint16_t(0x3f82)); // tie, even above
        QCOMPARE(floatToBf16(f32(0x3f808001u)), uint16_t(0x3f81));
        QCOMPARE(floatToBf16(f32(0xc0490fdbu)), uint16_t(0xc049)); // -pi
        QCOMPARE(floatToBf16(f32(0x7f7fffffu)), uint16_t(0x7f80)); // FLT_MAX rounds to inf
        QVERIFY(std::isnan(bf16ToFloat(floatToBf16(std::numeric_limits<float>::quiet_NaN()))));
        QCOMPARE(bf16ToFloat(0xc049), f32(0xc0490000u));
    }

    // ---------------------------------------------------------------- exact bytes
    void q4_0BlockHandWorked() {
        // x[0..15] = -8..7, x[16..31] = 0, 0.5, ..., 7.5. The largest magnitude is x[0] = -8,
        // so d = -8 / -8 = 1 (fp16 00 3C) and q = trunc(x + 8.5): low nibbles 0..15; high
        // nibbles trunc(0.5m + 8.5) = 8,9,9,10,10,...,15,15 and 16 -> clamped to 15.
        std::vector<float> x(32);
        for (int j = 0; j < 16; ++j)
            x[j] = static_cast<float>(j - 8);
        for (int m = 0; m < 16; ++m)
            x[16 + m] = 0.5f * m;
        const std::string bytes = encode(Precision::parse("q4_0"), x.data(), {32});
        QCOMPARE(hex(bytes), std::string("00 3C 80 91 92 A3 A4 B5 B6 C7 C8 D9 DA EB EC FD FE FF"));
        // decode: x^ = (q - 8) * d; 0.5 -> 9 -> 1.0 (round half up), 7.5 -> clamped -> 7
        const std::vector<float> y = decode(Precision::parse("q4_0"), bytes, {32});
        QCOMPARE(y[0], -8.0f);
        QCOMPARE(y[16 + 1], 1.0f);
        QCOMPARE(y[31], 7.0f);
    }
    void q4_0SignOfScaleFollowsLargestElement() {
        // largest magnitude +4 -> d = 4 / -8 = -0.5 (fp16 0xB800); x = 4 -> q = trunc(-8 + 8.5)
        // = 0 -> low nibble 0; zeros -> q = 8.
        std::vector<float> x(32, 0.f);
        x[0] = 4.f;
        x[16] = -4.f; // x / d = 8 -> trunc(16.5) = 16 -> clamped to 15 -> decodes to -3.5
        const std::string bytes = encode(Precision::parse("q4_0"), x.data(), {32});
        QCOMPARE(hex(bytes.substr(0, 4)), std::string("00 B8 F0 88"));
        const std::vector<float> y = decode(Precision::parse("q4_0"), bytes, {32});
        QCOMPARE(y[0], 4.0f);
        QCOMPARE(y[16], -3.5f);
    }
    void q8_0BlockHandWorked() {
        // amax 127 -> d = 1 (00 3C), q = roundf(x): ties away from zero (2.5 -> 3, -0.5 -> -1)
        std::vector<float> x(32, 0.f);
        const float v[] = {127.f, -127.f, 0.5f, -0.5f, 1.5f, 2.5f, -2.5f, 3.49f, 0.2f, -100.6f};
        std::copy(std::begin(v), std::end(v), x.begin());
        const std::string bytes = encode(Precision::parse("q8_0"), x.data(), {32});
        QCOMPARE(bytes.size(), std::size_t(34));
        QCOMPARE(hex(bytes.substr(0, 12)), std::string("00 3C 7F 81 01 FF 02 03 FD 03 00 9B"));
        QCOMPARE(hex(bytes.substr(12)), hex(std::string(22, '\0')));
    }
    void q4_KSuperBlockHandWorked() {
        // Sub-block j holds 0.1k - 0.1j for k = 0..15, twice. Each sub-block is an exact
        // 16-level grid: scale 0.1, minimum -0.1j, codes k. Largest scale 0.1 -> every 6-bit
        // scale is 63 and d = fp16(0.1/63) = 0x1680; largest minimum 0.7 -> m_j = 9j and
        // dmin = fp16(0.7/63) = 0x21B0. Packing (ggml get_scale_min_k4):
        //   bytes 0-3: 63 | (63 >> 4) << 6 = FF;  bytes 4-7: m_0..m_3 = 0, 9, 18, 27 plus the top
        //   bits of m_4..m_7 (36, 45, 54, 63 -> 2, 2, 3, 3) << 6 = 80 89 D2 DB;
        //   bytes 8-11: (63 & 15) | (m_j & 15) << 4 for j = 4..7 = 4F DF 6F FF.
        // Codes: qs[32i + l] = k | k << 4 with k = l % 16.
        std::vector<float> x(256);
        for (int j = 0; j < 8; ++j)
            for (int i = 0; i < 32; ++i)
                x[32 * j + i] = 0.1f * (i % 16) - 0.1f * j;
        const std::string bytes = encode(Precision::parse("q4_k"), x.data(), {256});
        QCOMPARE(bytes.size(), std::size_t(144));
        QCOMPARE(hex(bytes.substr(0, 16)),
                 std::string("80 16 B0 21 FF FF FF FF 80 89 D2 DB 4F DF 6F FF"));
        for (int i = 0; i < 128; ++i)
            QCOMPARE(static_cast<uint8_t>(bytes[16 + i]), static_cast<uint8_t>((i % 16) * 0x11));
        // x^ = d * 63 * k - dmin * 9j with the fp16 values of d and dmin
        const float d = 0.0015869140625f * 63, dmin = 0.01110839844f * 9;
        const std::vector<float> y = decode(Precision::parse("q4_k"), bytes, {256});
        for (int j = 0; j < 8; ++j)
            for (int i = 0; i < 32; ++i)
                QVERIFY(std::fabs(y[32 * j + i] - (d * (i % 16) - dmin * j)) < 1e-6f);
    }
    void intSymHandWorked() {
        // int4_pc on [7, -3.5, 0.5, 1.5]: scale 7/7 = 1 (00 3C); q = round-half-even:
        // 7, -4, 0, 2 -> stored +8: 15, 4, 8, 10 -> low nibble first: 4F A8.
        const float x[] = {7.f, -3.5f, 0.5f, 1.5f};
        QCOMPARE(hex(encode(Precision::parse("int4_pc"), x, {1, 4})), std::string("4F A8 00 3C"));
        // int8_g32 on the same: scale 7/127 = 0.0551181 -> fp16 0x2B0E (0.055114746);
        // q = x / s rounded: 127.008 -> 127, -63.504 -> -64 (C0), 9.07 -> 9, 27.2 -> 27 (1B).
        QCOMPARE(hex(encode(Precision::parse("int8_g32"), x, {4})),
                 std::string("7F C0 09 1B 0E 2B"));
    }
    void intAsymHandWorked() {
        // int8_pc_asym on [-1, 0, 1.5, 4]: s = 5/255 -> fp16 0x2505 (0.019607544),
        // m = -1 (00 BC); q = round((x + 1) / s) = 0, 51.0008 -> 51, 127.502 -> 128,
        // 255.004 -> 255.
        const float x[] = {-1.f, 0.f, 1.5f, 4.f};
        QCOMPARE(hex(encode(Precision::parse("int8_pc_asym"), x, {1, 4})),
                 std::string("00 33 80 FF 05 25 00 BC"));
    }
    void nf4HandWorked() {
        // absmax 2; normalised 1, -1, 0, 0.5, 0.25 -> codes 15, 0, 7, 12, 10 (bitsandbytes'
        // split points 0.8615, -0.8481, (-0.0455, 0.0398), (0.3893, 0.5017), (0.2035, 0.2920)).
        // First element of each pair in the high nibble: F0 7C A0; then fp32 absmax 2.0.
        const float x[] = {2.f, -2.f, 0.f, 1.f, 0.5f};
        const std::string bytes = encode(Precision::parse("nf4"), x, {5});
        QCOMPARE(hex(bytes), std::string("F0 7C A0 00 00 00 40"));
        const std::vector<float> y = decode(Precision::parse("nf4"), bytes, {5});
        QCOMPARE(y[3], 0.44070982933044434f * 2.f); // 0.5 < split 0.5017: code 12
        QCOMPARE(y[4], 0.24611230194568634f * 2.f);
    }

    // ---------------------------------------------------------------- sizes, layouts
    void encodedSizesMatchPrecisionBytes() {
        const std::vector<std::vector<int64_t>> shapes = {{256}, {3, 256}, {2, 3, 512}, {1, 768}};
        const std::vector<std::vector<int64_t>> odd = {{7}, {3, 100}, {5, 33}, {}, {0, 64}};
        for (const char* name : kAllNames) {
            const Precision p = Precision::parse(name);
            for (auto shapeSet : {&shapes, &odd}) {
                for (const auto& shape : *shapeSet) {
                    if (!p.supportsShape(shape))
                        continue;
                    const auto x = gaussian(static_cast<std::size_t>(checkedNumel(shape)), 3);
                    QCOMPARE(static_cast<uint64_t>(encode(p, x.data(), shape).size()),
                             p.bytes(shape));
                }
            }
        }
        // hand-counted: int4_g64 on rows of 100 = group 64 (32 B + 2) + group 36 (18 B + 2)
        const auto x = gaussian(300, 4);
        QCOMPARE(encode(Precision::parse("int4_g64"), x.data(), {3, 100}).size(),
                 std::size_t(3 * (34 + 20)));
        QCOMPARE(encode(Precision::parse("int4_g128_asym"), x.data(), {3, 100}).size(),
                 std::size_t(3 * (50 + 4)));
        QCOMPARE(encode(Precision::parse("nf4"), x.data(), {3, 100}).size(),
                 std::size_t(150 + 4 * 5));
        QCOMPARE(encode(Precision::parse("q4_k"), x.data(), {1, 256}).size(), std::size_t(144));
    }
    void intLayoutMatchesIndependentParser() {
        // Parse the bytes per the documented layout and compare with decode().
        for (const char* name :
             {"int4_g32", "int8_g128", "int4_g64_asym", "int8_pc_asym", "int4_pc"}) {
            const Precision p = Precision::parse(name);
            const int64_t rows = 3, cols = 100;
            const auto x = gaussian(rows * cols, 5);
            const std::string b = encode(p, x.data(), {rows, cols});
            const std::vector<float> y = decode(p, b, {rows, cols});
            const int64_t g = p.groupSize ? p.groupSize : cols;
            const bool asym = p.format == Format::IntAsym;
            std::size_t pos = 0;
            for (int64_t r = 0; r < rows; ++r) {
                for (int64_t c0 = 0; c0 < cols; c0 += g) {
                    const int64_t n = std::min(g, cols - c0);
                    const std::size_t codeBytes = static_cast<std::size_t>((n * p.bits + 7) / 8);
                    auto u16 = [&](std::size_t at) {
                        return static_cast<uint16_t>(static_cast<uint8_t>(b[at]) |
                                                     (static_cast<uint8_t>(b[at + 1]) << 8));
                    };
                    const float s = halfValue(u16(pos + codeBytes));
                    const float m = asym ? halfValue(u16(pos + codeBytes + 2)) : 0.f;
                    for (int64_t i = 0; i < n; ++i) {
                        int q;
                        if (p.bits == 8) {
                            q = static_cast<uint8_t>(b[pos + i]);
                            if (!asym)
                                q = static_cast<int8_t>(q);
                        } else {
                            const uint8_t byte = static_cast<uint8_t>(b[pos + i / 2]);
                            q = (i % 2) ? byte >> 4 : byte & 15;
                            if (!asym)
                                q -= 8;
                        }
                        QCOMPARE(y[r * cols + c0 + i], asym ? q * s + m : q * s);
                    }
                    pos += codeBytes + (asym ? 4 : 2);
                }
            }
            QCOMPARE(pos, b.size());
        }
    }

    // ---------------------------------------------------------------- error bounds
    void intSymmetricErrorWithinHalfStep() {
        for (const char* name :
             {"int8_g128", "int8_g32", "int4_g32", "int4_g64", "int4_g128", "int4_pc", "int8_pc"}) {
            const Precision p = Precision::parse(name);
            const int qmax = (1 << (p.bits - 1)) - 1;
            const int64_t rows = 4, cols = 300; // partial last groups for every group size
            const auto x = gaussian(rows * cols, 6);
            const auto y = fakeQuantize(p, x.data(), {rows, cols});
            const int64_t g = p.groupSize ? p.groupSize : cols;
            for (int64_t r = 0; r < rows; ++r) {
                for (int64_t c0 = 0; c0 < cols; c0 += g) {
                    const int64_t n = std::min(g, cols - c0);
                    float absmax = 0;
                    for (int64_t i = 0; i < n; ++i)
                        absmax = std::max(absmax, std::fabs(x[r * cols + c0 + i]));
                    const float s = halfValue(referenceHalf(absmax / qmax));
                    for (int64_t i = 0; i < n; ++i) {
                        const int64_t k = r * cols + c0 + i;
                        QVERIFY2(std::fabs(x[k] - y[k]) <= s / 2 * (1 + 1e-5f), name);
                        // on the grid: an integer multiple of s within +-qmax
                        const float q = y[k] / s;
                        QVERIFY(std::fabs(q - std::round(q)) < 1e-4f && std::fabs(q) <= qmax);
                    }
                }
            }
        }
    }
    void intAsymmetricErrorWithinHalfStep() {
        for (const char* name : {"int4_g128_asym", "int8_pc_asym", "int4_g32_asym"}) {
            const Precision p = Precision::parse(name);
            const int qmax = (1 << p.bits) - 1;
            const int64_t rows = 3, cols = 260;
            auto x = gaussian(rows * cols, 7);
            for (auto& v : x)
                v += 0.03f; // off-centre, as asymmetric groups are for
            const auto y = fakeQuantize(p, x.data(), {rows, cols});
            const int64_t g = p.groupSize ? p.groupSize : cols;
            for (int64_t r = 0; r < rows; ++r) {
                for (int64_t c0 = 0; c0 < cols; c0 += g) {
                    const int64_t n = std::min(g, cols - c0);
                    const float* xs = &x[r * cols + c0];
                    const float lo = *std::min_element(xs, xs + n),
                                hi = *std::max_element(xs, xs + n);
                    const float s = halfValue(referenceHalf((hi - lo) / qmax));
                    const float m = halfValue(referenceHalf(lo));
                    // half a step, plus what rounding the minimum to fp16 can shift at the ends
                    const float bound = s / 2 * (1 + 1e-4f) + std::fabs(m - lo);
                    for (int64_t i = 0; i < n; ++i)
                        QVERIFY2(std::fabs(xs[i] - y[r * cols + c0 + i]) <= bound, name);
                }
            }
        }
    }
    void q8_0ErrorWithinHalfStep() {
        const auto x = gaussian(64 * 32, 8);
        const auto y = fakeQuantize(Precision::parse("q8_0"), x.data(), {64, 32});
        for (int b = 0; b < 64; ++b) {
            float amax = 0;
            for (int j = 0; j < 32; ++j)
                amax = std::max(amax, std::fabs(x[32 * b + j]));
            const float d = amax / 127, d16 = halfValue(referenceHalf(d));
            // codes use the fp32 d; decoding uses the fp16 one: at most 127 * |d - d16| more
            const float bound = d / 2 * (1 + 1e-5f) + 127 * std::fabs(d - d16);
            for (int j = 0; j < 32; ++j)
                QVERIFY(std::fabs(x[32 * b + j] - y[32 * b + j]) <= bound);
        }
    }
    void q4_0ErrorWithinHalfStepExceptClampedEnd() {
        const auto x = gaussian(64 * 32, 9);
        const auto y = fakeQuantize(Precision::parse("q4_0"), x.data(), {2048});
        for (int b = 0; b < 64; ++b) {
            float amax = 0, max = 0;
            for (int j = 0; j < 32; ++j)
                if (amax < std::fabs(x[32 * b + j]))
                    amax = std::fabs(x[32 * b + j]), max = x[32 * b + j];
            const float d = max / -8, d16 = halfValue(referenceHalf(d));
            for (int j = 0; j < 32; ++j) {
                const float v = x[32 * b + j];
                // 16 levels -8..7: the end opposite the largest element is clamped at 7, a
                // full step away at worst
                const bool clamped = v / d + 8.5f >= 16.f;
                const float bound = (clamped ? std::fabs(d) : std::fabs(d) / 2) * (1 + 1e-5f) +
                                    8 * std::fabs(d - d16);
                QVERIFY(std::fabs(v - y[32 * b + j]) <= bound);
            }
        }
    }
    void nf4PicksNearestLevelWithinHalfGap() {
        const int64_t n = 64 * 40 + 17; // partial last block
        const auto x = gaussian(static_cast<std::size_t>(n), 10);
        const auto y = fakeQuantize(Precision::parse("nf4"), x.data(), {n});
        const float levels[16] = {-1.0f,
                                  -0.6961928009986877f,
                                  -0.5250730514526367f,
                                  -0.39491748809814453f,
                                  -0.28444138169288635f,
                                  -0.18477343022823334f,
                                  -0.09105003625154495f,
                                  0.0f,
                                  0.07958029955625534f,
                                  0.16093020141124725f,
                                  0.24611230194568634f,
                                  0.33791524171829224f,
                                  0.44070982933044434f,
                                  0.5626170039176941f,
                                  0.7229568362236023f,
                                  1.0f};
        float maxGap = 0;
        for (int i = 1; i < 16; ++i)
            maxGap = std::max(maxGap, levels[i] - levels[i - 1]);
        for (int64_t b = 0; b * 64 < n; ++b) {
            const int64_t begin = b * 64, end = std::min(n, begin + 64);
            float absmax = 0;
            for (int64_t i = begin; i < end; ++i)
                absmax = std::max(absmax, std::fabs(x[i]));
            for (int64_t i = begin; i < end; ++i) {
                QVERIFY(std::fabs(x[i] - y[i]) <= maxGap / 2 * absmax * (1 + 1e-5f));
                // nearest level by brute force (skipping values within 1e-6 of a midpoint)
                const float v = x[i] / absmax;
                int best = 0;
                for (int k = 1; k < 16; ++k)
                    if (std::fabs(v - levels[k]) < std::fabs(v - levels[best]))
                        best = k;
                bool nearMid = false;
                for (int k = 1; k < 16; ++k)
                    nearMid |= std::fabs(v - (levels[k] + levels[k - 1]) / 2) < 1e-6f;
                if (!nearMid)
                    QCOMPARE(y[i], levels[best] * absmax);
            }
        }
    }
    void q4_KStructureAndErrorBound() {
        const int64_t rows = 8, cols = 512;
        const auto x = gaussian(rows * cols, 11);
        const Precision p = Precision::parse("q4_k");
        const std::string b = encode(p, x.data(), {rows, cols});
        const auto y = decode(p, b, {rows, cols});
        for (int64_t blk = 0; blk < rows * cols / 256; ++blk) {
            for (int j = 0; j < 8; ++j) {
                const float* xs = &x[256 * blk + 32 * j];
                const float lo = std::min(0.f, *std::min_element(xs, xs + 32));
                const float hi = *std::max_element(xs, xs + 32);
                for (int i = 0; i < 32; ++i) {
                    const float v = y[256 * blk + 32 * j + i];
                    // ggml's least-squares fit may clip the extremes but never by more than
                    // a couple of the 15 steps spanning the sub-block's range
                    QVERIFY(std::fabs(v - xs[i]) <= 2.5f * (hi - lo) / 15);
                }
            }
        }
        // 4.5 bits with fitted minimums beat q4_0 and symmetric int4 on the same data
        const double eK = mse(x.data(), y.data(), y.size());
        const auto y0 = fakeQuantize(Precision::parse("q4_0"), x.data(), {rows, cols});
        QVERIFY(eK < mse(x.data(), y0.data(), y0.size()));
    }
    void moreBitsMeanLessError() {
        const auto x = gaussian(16 * 512, 12);
        auto err = [&](const char* name) {
            return quantizationMse(Precision::parse(name), x.data(), {16, 512});
        };
        QCOMPARE(err("f32"), 0.0);
        QVERIFY(err("f16") < err("bf16"));
        QVERIFY(err("bf16") < err("int8_g128"));
        QVERIFY(err("int8_g32") < err("int8_pc"));
        QVERIFY(err("q8_0") < err("q4_k"));
        QVERIFY(err("int8_g128") < err("int4_g32"));
        QVERIFY(err("int4_g32") < err("int4_g128"));
        QVERIFY(err("int4_g128") < err("int4_pc"));
        QVERIFY(err("q4_k") < err("q4_0"));
        QVERIFY(err("nf4") < err("int4_g64")); // NF4 levels suit Gaussian weights
    }
    void reencodingIsStable() {
        // fake-quantised values are on the grid already: quantising them again changes nothing
        const auto x = gaussian(4 * 256, 13);
        for (const char* name : {"int8_g128", "int4_g32", "q8_0", "nf4", "f16", "bf16"}) {
            const Precision p = Precision::parse(name);
            const auto y = fakeQuantize(p, x.data(), {4, 256});
            const auto z = fakeQuantize(p, y.data(), {4, 256});
            QVERIFY2(y == z, name);
        }
    }

    // ---------------------------------------------------------------- edge inputs
    void zerosStayZeroEverywhere() {
        const std::vector<float> x(2 * 512, 0.f);
        for (const char* name : kAllNames) {
            const auto y = fakeQuantize(Precision::parse(name), x.data(), {2, 512});
            for (float v : y)
                QVERIFY2(v == 0.f, name);
        }
    }
    void constantAndExtremeInputsStayFinite() {
        const std::vector<float> values = {3.0f, -3.0f, 1e-30f, -1e-40f /* subnormal */, 65000.f};
        for (float c : values) {
            std::vector<float> x(512, c);
            x[5] = c * 0.5f; // not quite constant either
            for (const char* name : kAllNames) {
                const Precision p = Precision::parse(name);
                std::vector<float> y;
                try {
                    y = fakeQuantize(p, x.data(), {2, 256});
                } catch (const Error& e) {
                    // only a magnitude beyond what a format's fp16 fields hold may be refused
                    QVERIFY2(std::fabs(c) > 1000.f, e.what());
                    continue;
                }
                for (std::size_t i = 0; i < y.size(); ++i) {
                    QVERIFY2(std::isfinite(y[i]), name);
                    QVERIFY2(std::fabs(y[i] - x[i]) <= std::fabs(x[i]) * 0.51f + 1e-30f, name);
                }
            }
        }
        // a tensor of tiny values next to normal ones decodes to ~0, not garbage
        std::vector<float> x(256, 1e-38f);
        x[0] = 1.f;
        for (const char* name : kAllNames) {
            const auto y = fakeQuantize(Precision::parse(name), x.data(), {256});
            for (float v : y)
                QVERIFY2(std::isfinite(v) && std::fabs(v) <= 1.01f, name);
        }
    }
    void largeValuesRefusedWhereFp16FieldsOverflow() {
        std::vector<float> x(256, 0.f);
        x[3] = 1e9f;
        for (const char* name : {"f16", "q8_0", "q4_0", "q4_k", "int8_g128", "int4_g128_asym"})
            expectError([&] { encode(Precision::parse(name), x.data(), {256}); }, name);
        for (const char* name : {"f32", "bf16", "nf4"}) {
            const auto y = fakeQuantize(Precision::parse(name), x.data(), {256});
            QVERIFY(std::fabs(y[3] - 1e9f) < 1e9f * 0.01f);
        }
        x[3] = 70000.f; // beyond f16 but fine for int8 (scale 551) and q8_0
        expectError([&] { encode(Precision::parse("f16"), x.data(), {256}); }, "element 3");
        // d = 70000/127 = 551.18 -> fp16 551: decodes to 127 * 551 = 69977
        QCOMPARE(fakeQuantize(Precision::parse("q8_0"), x.data(), {256})[3], 69977.f);
    }
    void nonFiniteInputIsAnError() {
        for (float bad :
             {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
              -std::numeric_limits<float>::infinity()}) {
            std::vector<float> x(2 * 256, 0.5f);
            x[256 + 9] = bad;
            for (const char* name : kAllNames) {
                expectError(
                    [&] {
                        encode(Precision::parse(name), x.data(), {2, 256});
                    },
                    "row 1, column 9");
                expectError(
                    [&] {
                        fakeQuantize(Precision::parse(name), x.data(), {2, 256});
                    },
                    std::isnan(bad) ? "NaN" : "infinite");
            }
        }
    }
    void badShapesAndSizesAreErrors() {
        const auto x = gaussian(300, 14);
        expectError([&] { encode(Precision::parse("q4_k"), x.data(), {3, 100}); }, "multiple");
        expectError([&] { encode(Precision::parse("q8_0"), x.data(), {300}); }, "q8_0");
        expectError([&] { encode(Precision::parse("int8_g128"), x.data(), {-1, 3}); }, "negative");
        const std::string b = encode(Precision::parse("int4_g32"), x.data(), {3, 100});
        expectError([&] { decode(Precision::parse("int4_g32"), b.substr(1), {3, 100}); }, "bytes");
        expectError([&] { decode(Precision::parse("int8_g32"), b, {3, 100}); }, "bytes");
        Precision weird{Format::IntSym, 3, 32};
        expectError([&] { encode(weird, x.data(), {300}); }, "4 or 8 bits");
        // empty tensors encode to nothing
        QVERIFY(encode(Precision::parse("q4_k"), nullptr, {0, 256}).empty());
    }
    void hostileBytesDecodeWithoutCrashing() {
        std::mt19937 rng(15);
        for (const char* name : kAllNames) {
            const Precision p = Precision::parse(name);
            std::string junk(p.bytes({2, 256}), '\0');
            for (auto& c : junk)
                c = static_cast<char>(rng());
            const auto y = decode(p, junk, {2, 256}); // values may be anything, no crash
            QCOMPARE(y.size(), std::size_t(512));
        }
    }
    void resultIndependentOfThreadCount() {
        const auto x = gaussian(64 * 4096, 16);
        for (const char* name : {"q4_k", "nf4", "int4_g64", "q8_0", "bf16"}) {
            const Precision p = Precision::parse(name);
            QVERIFY2(encode(p, x.data(), {64, 4096}, 1) == encode(p, x.data(), {64, 4096}, 5),
                     name);
        }
        // an error found on a worker thread reaches the caller
        std::vector<float> big(64 * 4096, 0.f);
        big[40 * 4096 + 1] = 1e9f;
        expectError([&] { encode(Precision::parse("q4_k"), big.data(), {64, 4096}, 4); }, "q4_k");
    }
};

QTEST_APPLESS_MAIN(TstCodecs)
#include "tst_codecs.moc"
