// k-quant codec tests (q2_k, q3_k, q4_k, q5_k, q6_k):
//  (byte identity with llama.cpp's golden files, pure and imatrix, is tst_ggml_golden's, for
//  every type;)
//  - decoding of hand-built blocks, the expected values worked out by hand from the layouts
//    documented in ggml-common.h (see the comments), not by the decoder;
//  - round-trip error bounds on a generated 512 x 1536 tensor (the documented bounds in
//    kquants.h), importance weighting lowering the weighted error, thread independence,
//    and errors for bad input.
#include <QtTest/QtTest>
#include <cmath>
#include <cstring>
#include <random>
#include <sstream>

#include "core/io/gguf_reader.h"
#include "core/quant/codec.h"
#include "core/util/error.h"
#include "tests/common/fixtures.h"

using namespace taskquant;
using namespace taskquant::quant;

namespace {

const char* const kTypes[] = {"q2_k", "q3_k", "q4_k", "q5_k", "q6_k"};

std::vector<float> gaussian(std::size_t n, unsigned seed, float sigma = 0.02f) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.f, sigma);
    std::vector<float> v(n);
    for (auto& x : v)
        x = dist(rng);
    for (std::size_t i = 11; i < n; i += 1009) // a few outliers, as real weights have
        v[i] *= 10.f;
    return v;
}

void putHalf(std::string& b, std::size_t at, uint16_t h) {
    b[at] = static_cast<char>(h & 0xff);
    b[at + 1] = static_cast<char>(h >> 8);
}

template <class Fn> void expectError(Fn fn, const char* fragment) {
    try {
        fn();
    } catch (const Error& e) {
        QVERIFY2(std::string(e.what()).find(fragment) != std::string::npos, e.what());
        return;
    }
    QFAIL(qPrintable(QStringLiteral("no error; expected one mentioning ") + fragment));
}

} // namespace

class TstKQuants : public QObject {
    Q_OBJECT

  private slots:
    // ---------------------------------------------------------------- hand-built blocks
    void q2_KDecodesHandBuiltBlock() {
        // block_q2_K: scales[16] (low nibble scale, high nibble min), qs[64], d, dmin.
        // d = 1 (0x3C00), dmin = 0.5 (0x3800); x = d * sc * q - dmin * m.
        std::string b(84, '\0');
        b[0] = 0x21;            // sub-block 0: sc 1, m 2
        b[1] = 0x03;            // sub-block 1: sc 3, m 0
        b[2] = 0x12;            // sub-block 2: sc 2, m 1
        b[4] = 0x04;            // sub-block 4: sc 4
        b[6] = char(0xF1);      // sub-block 6: sc 1, m 15
        b[8] = 0x05;            // sub-block 8: sc 5
        b[16 + 0] = char(0xE4); // weights 0, 32, 64, 96 (2-bit fields 0..3): q = 0, 1, 2, 3
        b[16 + 16] = 0x03;      // weight 16 (sub-block 1): q = 3
        b[16 + 32] = 0x01;      // weight 128 (second half, sub-block 8): q = 1
        putHalf(b, 80, 0x3C00);
        putHalf(b, 82, 0x3800);
        std::vector<float> want(256, 0.f);
        const float subDefault[16] = {-1.f, 0, -0.5f, 0, 0, 0, -7.5f, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        for (int i = 0; i < 256; ++i)
            want[i] = subDefault[i / 16]; // q = 0: -dmin * m
        want[0] = -1.f;                   // 1*0 - 0.5*2
        want[32] = 2.f * 1 - 0.5f * 1;    // 1.5
        want[64] = 4.f * 2;               // 8
        want[96] = 1.f * 3 - 0.5f * 15;   // -4.5
        want[16] = 3.f * 3;               // 9
        want[128] = 5.f * 1;              // 5
        const std::vector<float> y = decode(Precision::parse("q2_k"), b, {256});
        for (int i = 0; i < 256; ++i)
            QVERIFY2(y[i] == want[i],
                     qPrintable(QString("weight %1: %2 != %3").arg(i).arg(y[i]).arg(want[i])));
    }
    void q3_KDecodesHandBuiltBlock() {
        // block_q3_K: hmask[32], qs[64], scales[12], d = 0.5 (0x3800). Stored 6-bit scales
        // s_j = 32 + actual: sub-block 0 actual 1 (s = 33: low nibble 1, top bits 2),
        // sub-block 9 actual -2 (s = 30: low nibble 14 in the high half of scales[1], top
        // bits 1 in scales[9] bits 4-5), every other actual 0 (s = 32: top bits 2).
        // x = d * actual * (q - 4), q = low 2 bits | hmask bit << 2.
        std::string b(110, '\0');
        b[96 + 0] = 0x01;
        b[96 + 1] = char(0xE0);
        b[96 + 8] = char(0xAA);
        b[96 + 9] = char(0x9A); // 10 10 01 10: j = 1, 5, 9, 13 -> 2, 2, 1, 2
        b[96 + 10] = char(0xAA);
        b[96 + 11] = char(0xAA);
        putHalf(b, 108, 0x3800);
        b[32 + 0] = 0x03; // weight 0: low bits 3
        b[0] = 0x01;      // weight 0: hmask[0] bit 0 -> q = 7 -> +3
        b[32 + 2] = 0x02; // weight 2: low bits 2, hmask[2] bit 0 -> q = 6 -> +2
        b[2] = 0x01;
        b[32 + 48] = 0x01; // weight 144 (h 1, l 16, sub-block 9): low bits 1
        b[16] = 0x10;      // hmask[16] bit 4 -> weight 144 high bit -> q = 5 -> +1
        std::vector<float> want(256, 0.f);
        for (int i = 0; i < 16; ++i)
            want[i] = 0.5f * 1 * -4; // -2
        for (int i = 144; i < 160; ++i)
            want[i] = 0.5f * -2 * -4; // 4
        want[0] = 0.5f * 3;
        want[2] = 0.5f * 2;
        want[144] = 0.5f * -2 * 1;
        const std::vector<float> y = decode(Precision::parse("q3_k"), b, {256});
        for (int i = 0; i < 256; ++i)
            QVERIFY2(y[i] == want[i],
                     qPrintable(QString("weight %1: %2 != %3").arg(i).arg(y[i]).arg(want[i])));
    }
    void q4_KDecodesHandBuiltBlock() {
        // block_q4_K: d = 1, dmin = 0.25 (0x3400), scales[12], qs[128].
        // Sub-block 0: sc 2, m 4 (bytes 0 and 4). Sub-block 5: sc 17 = 0b010001,
        // m 33 = 0b100001: byte 9 = 0x11 (low nibbles), byte 1 gets sc >> 4 = 1 in bits 6-7,
        // byte 5 gets m >> 4 = 2 in bits 6-7 -- so sub-block 1 (low six bits of bytes 1 and
        // 5) stays sc 0, m 0. x = d * sc * q - dmin * m.
        std::string b(144, '\0');
        putHalf(b, 0, 0x3C00);
        putHalf(b, 2, 0x3400);
        b[4 + 0] = 2;
        b[4 + 4] = 4;
        b[4 + 9] = 0x11;
        b[4 + 1] = 0x40;
        b[4 + 5] = char(0x80);
        b[16 + 0] = char(0xF3);  // weight 0: low nibble 3; weight 32 (sub-block 1): 15
        b[16 + 64] = char(0xA0); // weight 160 (sub-block 5, high nibble): 10
        std::vector<float> want(256, 0.f);
        for (int i = 0; i < 32; ++i)
            want[i] = -0.25f * 4; // q = 0 -> -1
        for (int i = 160; i < 192; ++i)
            want[i] = -0.25f * 33; // -8.25
        want[0] = 2.f * 3 - 1.f;
        want[160] = 17.f * 10 - 8.25f;
        const std::vector<float> y = decode(Precision::parse("q4_k"), b, {256});
        for (int i = 0; i < 256; ++i)
            QVERIFY2(y[i] == want[i],
                     qPrintable(QString("weight %1: %2 != %3").arg(i).arg(y[i]).arg(want[i])));
    }
    void q5_KDecodesHandBuiltBlock() {
        // block_q5_K: d = 0.5, dmin = 1, scales[12], qh[32], qs[128]. Sub-block 0: sc 3,
        // m 1. Sub-block 7: sc 63 (byte 11 low nibble 15, byte 3 bits 6-7 = 3), m 0.
        // Weight 64i + l has its fifth bit in bit 2i of qh[l], 64i + 32 + l in bit 2i + 1.
        std::string b(176, '\0');
        putHalf(b, 0, 0x3800);
        putHalf(b, 2, 0x3C00);
        b[4 + 0] = 3;
        b[4 + 4] = 1;
        b[4 + 11] = 0x0F;
        b[4 + 3] = char(0xC0);
        b[48 + 0] = 0x05;         // weight 0: low nibble 5
        b[16 + 0] = 0x01;         // ... fifth bit -> q = 21
        b[48 + 127] = char(0xF0); // weight 255 (pair 3, high nibble, l 31): 15
        b[16 + 31] = char(0x80);  // ... fifth bit (bit 7 of qh[31]) -> q = 31
        std::vector<float> want(256, 0.f);
        for (int i = 0; i < 32; ++i)
            want[i] = -1.f; // q = 0: -dmin * 1
        want[0] = 0.5f * 3 * 21 - 1.f;
        want[255] = 0.5f * 63 * 31;
        const std::vector<float> y = decode(Precision::parse("q5_k"), b, {256});
        for (int i = 0; i < 256; ++i)
            QVERIFY2(y[i] == want[i],
                     qPrintable(QString("weight %1: %2 != %3").arg(i).arg(y[i]).arg(want[i])));
    }
    void q6_KDecodesHandBuiltBlock() {
        // block_q6_K: ql[128], qh[64], int8 scales[16], d = 0.25 (0x3400). Weight
        // 128h + 32s + l: low nibble of ql[64h + l + 32(s & 1)] (high nibble for s >= 2), top
        // bits 2s of qh[32h + l]; x = d * scale * (q - 32).
        std::string b(210, '\0');
        b[192 + 0] = 2;
        b[192 + 4] = 1;
        b[192 + 15] = char(-3);
        putHalf(b, 208, 0x3400);
        b[0] = 0x75;   // weight 0: low nibble 5; weight 64 (s 2): high nibble 7
        b[128] = 0x23; // qh[0]: weight 0 top bits 3 (q = 53), weight 64 top bits 2 (q = 39)
        std::vector<float> want(256, 0.f);
        for (int i = 0; i < 16; ++i)
            want[i] = 0.25f * 2 * -32; // -16
        for (int i = 64; i < 80; ++i)
            want[i] = 0.25f * 1 * -32; // -8
        for (int i = 240; i < 256; ++i)
            want[i] = 0.25f * -3 * -32; // 24
        want[0] = 0.25f * 2 * 21;
        want[64] = 0.25f * 1 * 7;
        const std::vector<float> y = decode(Precision::parse("q6_k"), b, {256});
        for (int i = 0; i < 256; ++i)
            QVERIFY2(y[i] == want[i],
                     qPrintable(QString("weight %1: %2 != %3").arg(i).arg(y[i]).arg(want[i])));
    }

    // ---------------------------------------------------------------- round trips
    void roundTripWithinDocumentedBounds() {
        // hidden 512 x MLP 1536, Gaussian weights with outliers; importance log-normal per
        // column. Bounds: relative RMS error (kquants.h), with or without importance; with
        // importance the importance-weighted error must drop below the unweighted codec's.
        const int64_t rows = 512, cols = 1536;
        const std::vector<float> x = gaussian(rows * cols, 7);
        std::mt19937 rng(8);
        std::lognormal_distribution<float> ln(0.f, 1.5f);
        std::vector<float> w(cols);
        for (auto& v : w)
            v = ln(rng);
        const double bound[] = {0.35, 0.19, 0.095, 0.048, 0.025};
        double previous = 1.0;
        for (int t = 0; t < 5; ++t) {
            const Precision p = Precision::parse(kTypes[t]);
            double rel[2], weightedRel[2];
            for (int m = 0; m < 2; ++m) {
                const std::vector<float> y =
                    fakeQuantize(p, x.data(), {rows, cols}, 2, m ? w.data() : nullptr);
                double se = 0, sx = 0, wse = 0, wsx = 0;
                for (int64_t r = 0; r < rows; ++r)
                    for (int64_t c = 0; c < cols; ++c) {
                        const double xv = x[r * cols + c], e = y[r * cols + c] - xv;
                        QVERIFY(std::isfinite(e));
                        se += e * e;
                        sx += xv * xv;
                        wse += w[c] * e * e;
                        wsx += w[c] * xv * xv;
                    }
                rel[m] = std::sqrt(se / sx);
                weightedRel[m] = std::sqrt(wse / wsx);
                QVERIFY2(rel[m] < bound[t], qPrintable(QString("%1%2: relative RMS error %3 >= %4")
                                                           .arg(kTypes[t])
                                                           .arg(m ? " (importance)" : "")
                                                           .arg(rel[m])
                                                           .arg(bound[t])));
            }
            QVERIFY2(weightedRel[1] < 0.95 * weightedRel[0],
                     qPrintable(QString("%1: importance-weighted error %2 vs %3 without")
                                    .arg(kTypes[t])
                                    .arg(weightedRel[1])
                                    .arg(weightedRel[0])));
            QVERIFY2(rel[0] < previous, kTypes[t]); // more bits, less error
            previous = rel[0];
        }
    }
    void sizesFollowBlockGeometry() {
        const std::vector<float> x = gaussian(3 * 512, 3);
        const std::size_t perBlock[] = {84, 110, 144, 176, 210};
        for (int t = 0; t < 5; ++t)
            QCOMPARE(encode(Precision::parse(kTypes[t]), x.data(), {3, 512}).size(),
                     perBlock[t] * 6);
    }
    void zerosAndConstantsRoundTrip() {
        // zero rows stay exactly zero; a constant row is reproduced to within the type's
        // step (the codes cover it exactly for the asymmetric types)
        std::vector<float> x(4 * 256, 0.f);
        for (int i = 256; i < 512; ++i)
            x[i] = 0.75f;
        for (int i = 512; i < 768; ++i)
            x[i] = -0.75f;
        for (int i = 768; i < 1024; ++i)
            x[i] = 1e-6f * ((i % 7) - 3);
        const std::vector<float> imp(256, 1.f);
        for (const char* t : kTypes)
            for (const float* w : {static_cast<const float*>(nullptr), imp.data()}) {
                const auto y = fakeQuantize(Precision::parse(t), x.data(), {4, 256}, 1, w);
                for (int i = 0; i < 256; ++i)
                    QVERIFY2(y[i] == 0.f, t);
                for (int i = 256; i < 768; ++i)
                    QVERIFY2(
                        std::fabs(y[i] - x[i]) <= 0.26f * std::fabs(x[i]),
                        qPrintable(
                            QString("%1 weight %2: %3 for %4").arg(t).arg(i).arg(y[i]).arg(x[i])));
                // values whose fp16 scales underflow lose precision (kquants.h), but no more
                // than about twice their magnitude (max |x| = 3e-6 here)
                for (int i = 768; i < 1024; ++i)
                    QVERIFY2(
                        std::fabs(y[i] - x[i]) <= 2.5f * 3e-6f,
                        qPrintable(
                            QString("%1 weight %2: %3 for %4").arg(t).arg(i).arg(y[i]).arg(x[i])));
            }
    }
    void resultIndependentOfThreadCount() {
        const std::vector<float> x = gaussian(48 * 1024, 5);
        std::vector<float> w(1024);
        for (int i = 0; i < 1024; ++i)
            w[i] = 0.1f + (i % 13);
        for (const char* t : kTypes) {
            const Precision p = Precision::parse(t);
            QVERIFY2(encode(p, x.data(), {48, 1024}, 1) == encode(p, x.data(), {48, 1024}, 5), t);
            QVERIFY2(encode(p, x.data(), {48, 1024}, 1, w.data()) ==
                         encode(p, x.data(), {48, 1024}, 3, w.data()),
                     t);
            // importance changes the bytes (it is not ignored)
            QVERIFY2(encode(p, x.data(), {48, 1024}, 1) !=
                         encode(p, x.data(), {48, 1024}, 1, w.data()),
                     t);
        }
    }

    // ---------------------------------------------------------------- errors
    void badInputIsAnError() {
        const std::vector<float> x = gaussian(2 * 512, 9);
        for (const char* t : kTypes) {
            const Precision p = Precision::parse(t);
            expectError([&] { encode(p, x.data(), {4, 256 + 128}); }, "multiple");
            std::vector<float> w(512, 1.f);
            w[300] = -1.f;
            expectError([&] { encode(p, x.data(), {2, 512}, 1, w.data()); }, "column 300");
            w[300] = std::numeric_limits<float>::quiet_NaN();
            expectError([&] { encode(p, x.data(), {2, 512}, 1, w.data()); }, "column 300");
            w[300] = 1.f;
            std::vector<float> big(512, 0.f);
            big[300] = 1e9f; // no fp16 super-block scale can hold it
            expectError([&] { encode(p, big.data(), {2, 256}); }, "row 1, super-block 0");
            expectError([&] { encode(p, big.data(), {2, 256}, 1, w.data()); }, t);
            const std::string b = encode(p, x.data(), {2, 512});
            expectError([&] { decode(p, b.substr(1), {2, 512}); }, "bytes");
        }
    }
    void hostileBytesDecodeWithoutCrashing() {
        std::mt19937 rng(15);
        for (const char* t : kTypes) {
            const Precision p = Precision::parse(t);
            std::string junk(p.bytes({3, 256}), '\0');
            for (auto& c : junk)
                c = static_cast<char>(rng());
            QCOMPARE(decode(p, junk, {3, 256}).size(), std::size_t(768));
        }
    }
};

QTEST_APPLESS_MAIN(TstKQuants)
#include "tst_kquants.moc"
