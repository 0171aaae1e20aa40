// The ggml block codecs against llama.cpp itself, and their round-trip bounds.
//
// goldenBytes: every tensor of ../shared/golden/ggml/source-f32.gguf, encoded with our codec
//   (with the importance vector llama-quantize derives from source.imatrix.gguf for the
//   imatrix-* files), must give byte for byte the tensor that llama-quantize wrote into
//   pure-TYPE.gguf / imatrix-TYPE.gguf. Only tensors stored in the type under test are
//   compared (--pure still leaves the 1-D norms in f32); at least one must be.
// goldenDecode: decoding llama.cpp's bytes must give exactly the values the format implies.
//   The implied values come from an independent parser of each block layout in this file
//   (ggml-common.h's structs), evaluated in ggml's dequantize_row_* order of operations.
// roundTrip: a generated tensor [6, 512] and [6, 1536] (Gaussian rows with outliers, a zero,
//   a constant, a 1e-6-scale and a 300-scale row) through every codec (no importance) stays
//   within each format's bound, which follows from the format and the quantiser's last step
//   (codes are the nearest level of the block's grid):
//   - per element: |x - x^| <= dist(x, G) + slack, where G is the set of values the block
//     (or sub-block) can represent, read from the encoded scales: a*k (+ m or - ml) for
//     codes k of the format's range, or a*K[i] for the iq4 levels K; slack covers the fp16
//     rounding of the stored scale and minimum (the encoder picks codes with the fp32 values:
//     2 kmax (|a| 2^-11 + 2^-24 |s|) + 2 (|m| 2^-11 + 2^-24), s the integer sub-scale) and float
//     rounding (|x| 2^-20). Hence |x - x^| <= step/2 + slack inside the grid's span; for q4_0,
//     e.g., with d = v / -8: |x - x^| <= |d|/2 except at the clamped end (|d|), plus 8 |fp16 error
//     of d|.
//   - in total: RMS(x - x^) <= 2 x the RMS error of a uniform quantiser with the format's 2^b
//     levels spanning each (sub-)block's [min, max] (step / sqrt(12)).
#include <QtTest/QtTest>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <sstream>

#include "core/io/gguf_reader.h"
#include "core/quant/codec.h"
#include "core/quant/ggml_search.h"
#include "core/quant/gguf_tensor.h"
#include "core/quant/half.h"
#include "core/util/error.h"
#include "tests/common/fixtures.h"
#include "tests/common/imatrix_fixture.h"

using namespace taskquant;

// Runs a statement; an exception (e.g. a type without a codec in this build) fails the current
// row with its message instead of aborting the whole test.
#define TQ_NO_THROW(statement)                                                                     \
    do {                                                                                           \
        try {                                                                                      \
            statement;                                                                             \
        } catch (const std::exception& tq_e_) {                                                    \
            QFAIL(tq_e_.what());                                                                   \
        }                                                                                          \
    } while (0)

namespace {

const char* const kTypes[] = {"q4_0", "q4_1", "q5_0", "q5_1", "q8_0",   "q2_k",
                              "q3_k", "q4_k", "q5_k", "q6_k", "iq4_nl", "iq4_xs"};

const int8_t kIq4[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

// One decoded element as the format defines it: value = a*k (+ c if op > 0, - c if op < 0),
// or a * K[k] for the iq4 formats; k lies in [klo, khi]; s is the integer sub-block scale.
struct Element {
    float a = 0, c = 0;
    int op = 0, k = 0, klo = 0, khi = 0;
    bool nonLinear = false;
    float s = 1;
    float value() const {
        if (nonLinear)
            return a * static_cast<float>(kIq4[k]);
        const float ak = a * static_cast<float>(k);
        return op > 0 ? ak + c : op < 0 ? ak - c : ak;
    }
};

float h16(const uint8_t* p) {
    return quant::halfToFloat(static_cast<uint16_t>(p[0] | (p[1] << 8)));
}

// get_scale_min_k4 of ggml (q4_k, q5_k): 6-bit scale and minimum of sub-block j.
void scaleMinK4(int j, const uint8_t* q, int* sc, int* m) {
    if (j < 4) {
        *sc = q[j] & 63;
        *m = q[j + 4] & 63;
    } else {
        *sc = (q[j + 4] & 0xf) | ((q[j - 4] >> 6) << 4);
        *m = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
    }
}

struct Layout {
    int weights, bytes;
};

Layout layout(const std::string& t) {
    if (t == "q4_0" || t == "iq4_nl")
        return {32, 18};
    if (t == "q4_1")
        return {32, 20};
    if (t == "q5_0")
        return {32, 22};
    if (t == "q5_1")
        return {32, 24};
    if (t == "q8_0")
        return {32, 34};
    if (t == "q2_k")
        return {256, 84};
    if (t == "q3_k")
        return {256, 110};
    if (t == "q4_k")
        return {256, 144};
    if (t == "q5_k")
        return {256, 176};
    if (t == "q6_k")
        return {256, 210};
    if (t == "iq4_xs")
        return {256, 136};
    return {0, 0};
}

// Parses one block of type t into its elements (independently of the codecs).
void parseBlock(const std::string& t, const uint8_t* b, Element* e) {
    const Layout L = layout(t);
    for (int i = 0; i < L.weights; ++i)
        e[i] = Element{};
    if (t == "q4_0" || t == "q4_1" || t == "iq4_nl") {
        const bool min = t == "q4_1";
        const float d = h16(b), m = min ? h16(b + 2) : 0.f;
        const uint8_t* qs = b + (min ? 4 : 2);
        for (int i = 0; i < 32; ++i) {
            const int nib = i < 16 ? (qs[i] & 15) : (qs[i - 16] >> 4);
            Element& x = e[i];
            x.a = d;
            if (t == "iq4_nl") {
                x.nonLinear = true;
                x.k = nib;
                x.klo = 0;
                x.khi = 15;
            } else if (min) {
                x.c = m;
                x.op = 1;
                x.k = nib;
                x.khi = 15;
            } else {
                x.k = nib - 8;
                x.klo = -8;
                x.khi = 7;
            }
        }
    } else if (t == "q5_0" || t == "q5_1") {
        const bool min = t == "q5_1";
        const float d = h16(b), m = min ? h16(b + 2) : 0.f;
        const uint8_t* qh = b + (min ? 4 : 2);
        const uint8_t* qs = qh + 4;
        const uint32_t h =
            qh[0] | (qh[1] << 8) | (qh[2] << 16) | (static_cast<uint32_t>(qh[3]) << 24);
        for (int i = 0; i < 32; ++i) {
            const int nib = i < 16 ? (qs[i] & 15) : (qs[i - 16] >> 4);
            const int code = nib | static_cast<int>(((h >> i) & 1u) << 4);
            Element& x = e[i];
            x.a = d;
            if (min) {
                x.c = m;
                x.op = 1;
                x.k = code;
                x.khi = 31;
            } else {
                x.k = code - 16;
                x.klo = -16;
                x.khi = 15;
            }
        }
    } else if (t == "q8_0") {
        const float d = h16(b);
        for (int i = 0; i < 32; ++i) {
            e[i].a = d;
            e[i].k = static_cast<int8_t>(b[2 + i]);
            e[i].klo = -128;
            e[i].khi = 127;
        }
    } else if (t == "q2_k") { // scales[16], qs[64], d, dmin
        const float d = h16(b + 80), dmin = h16(b + 82);
        for (int i = 0; i < 256; ++i) {
            const int n = i / 128, g = (i % 128) / 32, l = i % 32;
            const uint8_t sc = b[i / 16];
            Element& x = e[i];
            x.a = d * static_cast<float>(sc & 0xf);
            x.c = dmin * static_cast<float>(sc >> 4);
            x.op = -1;
            x.s = static_cast<float>(sc & 0xf);
            x.k = (b[16 + 32 * n + l] >> (2 * g)) & 3;
            x.khi = 3;
        }
    } else if (t == "q3_k") { // hmask[32], qs[64], scales[12], d
        const float d = h16(b + 108);
        const uint8_t* s = b + 96;
        for (int i = 0; i < 256; ++i) {
            const int n = i / 128, g = (i % 128) / 32, l = i % 32, j = i / 16;
            const int lo = j < 8 ? (s[j] & 0xf) : (s[j - 8] >> 4);
            const int sc = (lo | (((s[8 + j % 4] >> (2 * (j / 4))) & 3) << 4)) - 32;
            const int q = (b[32 + 32 * n + l] >> (2 * g)) & 3;
            const bool high = b[l] & (1 << (4 * n + g));
            Element& x = e[i];
            x.a = d * static_cast<float>(sc);
            x.s = static_cast<float>(sc);
            x.k = q - (high ? 0 : 4);
            x.klo = -4;
            x.khi = 3;
        }
    } else if (t == "q4_k" || t == "q5_k") { // d, dmin, scales[12], (qh[32]), qs[128]
        const bool five = t == "q5_k";
        const float d = h16(b), dmin = h16(b + 2);
        const uint8_t* qh = b + 16;
        const uint8_t* qs = b + (five ? 48 : 16);
        for (int i = 0; i < 256; ++i) {
            const int p = i / 64, w = i % 64;
            int sc, m;
            scaleMinK4(i / 32, b + 4, &sc, &m);
            int q = w < 32 ? (qs[32 * p + w] & 0xf) : (qs[32 * p + w - 32] >> 4);
            if (five && (qh[w % 32] & ((w < 32 ? 1 : 2) << (2 * p))))
                q += 16;
            Element& x = e[i];
            x.a = d * static_cast<float>(sc);
            x.c = dmin * static_cast<float>(m);
            x.op = -1;
            x.s = static_cast<float>(sc);
            x.k = q;
            x.khi = five ? 31 : 15;
        }
    } else if (t == "q6_k") { // ql[128], qh[64], int8 scales[16], d
        const float d = h16(b + 208);
        for (int i = 0; i < 256; ++i) {
            const int n = i / 128, g = (i % 128) / 32, l = i % 32;
            const uint8_t* ql = b + 64 * n;
            const uint8_t* qh = b + 128 + 32 * n;
            const int low = g == 0   ? (ql[l] & 0xf)
                            : g == 1 ? (ql[l + 32] & 0xf)
                            : g == 2 ? (ql[l] >> 4)
                                     : (ql[l + 32] >> 4);
            const int high = (qh[l] >> (2 * g)) & 3;
            const int sc = static_cast<int8_t>(b[192 + i / 16]);
            Element& x = e[i];
            x.a = d * static_cast<float>(sc);
            x.s = static_cast<float>(sc);
            x.k = (low | (high << 4)) - 32;
            x.klo = -32;
            x.khi = 31;
        }
    } else if (t == "iq4_xs") { // d, scales_h, scales_l[4], qs[128]
        const float d = h16(b);
        const int sh = b[2] | (b[3] << 8);
        for (int i = 0; i < 256; ++i) {
            const int ib = i / 32, w = i % 32;
            const int ls =
                ((b[4 + ib / 2] >> (4 * (ib % 2))) & 0xf) | (((sh >> (2 * ib)) & 3) << 4);
            const uint8_t* qs = b + 8 + 16 * ib;
            Element& x = e[i];
            x.a = d * static_cast<float>(ls - 32);
            x.s = static_cast<float>(ls - 32);
            x.nonLinear = true;
            x.k = w < 16 ? (qs[w] & 0xf) : (qs[w - 16] >> 4);
            x.khi = 15;
        }
    }
}

std::vector<Element> parseAll(const std::string& t, const uint8_t* bytes, std::size_t size) {
    const Layout L = layout(t);
    const std::size_t blocks = size / static_cast<std::size_t>(L.bytes);
    std::vector<Element> e(blocks * static_cast<std::size_t>(L.weights));
    for (std::size_t b = 0; b < blocks; ++b)
        parseBlock(t, bytes + b * L.bytes, e.data() + b * L.weights);
    return e;
}

// Distance from x to the nearest value the element's (sub-)block can represent.
double gridDistance(const Element& e, double x) {
    double best = 1e300;
    if (e.nonLinear) {
        for (int8_t v : kIq4)
            best = std::min(best, std::fabs(x - static_cast<double>(e.a) * v));
        return best;
    }
    const double c = e.op > 0 ? e.c : e.op < 0 ? -static_cast<double>(e.c) : 0.0;
    int k0 = e.klo;
    if (e.a != 0.f)
        k0 = static_cast<int>(
            std::clamp(std::nearbyint((x - c) / e.a), double(e.klo), double(e.khi)));
    for (int k = std::max(e.klo, k0 - 1); k <= std::min(e.khi, k0 + 1); ++k)
        best = std::min(best, std::fabs(x - (static_cast<double>(e.a) * k + c)));
    return best;
}

std::string blockHex(const uint8_t* p, int n) {
    std::ostringstream s;
    for (int i = 0; i < n; ++i) {
        static const char* digits = "0123456789abcdef";
        s << digits[p[i] >> 4] << digits[p[i] & 15];
    }
    return s.str();
}

// Effective bits and (sub-)block length of the uniform quantiser the RMS bound compares with.
std::pair<int, int> uniformModel(const std::string& t) {
    if (t == "q2_k")
        return {2, 16};
    if (t == "q3_k")
        return {3, 16};
    if (t == "q6_k")
        return {6, 16};
    if (t == "q4_k" || t == "iq4_xs" || t == "iq4_nl" || t == "q4_0" || t == "q4_1")
        return {4, 32};
    if (t == "q5_k" || t == "q5_0" || t == "q5_1")
        return {5, 32};
    return {8, 32}; // q8_0
}

std::vector<float> generated(int64_t cols) {
    std::mt19937 rng(static_cast<unsigned>(cols));
    std::normal_distribution<float> dist(0.f, 1.f);
    std::vector<float> x(static_cast<std::size_t>(6 * cols));
    for (int64_t r = 0; r < 6; ++r)
        for (int64_t j = 0; j < cols; ++j) {
            float v = dist(rng);
            const std::size_t i = static_cast<std::size_t>(r * cols + j);
            switch (r) {
            case 0:
                x[i] = 0.02f * v * ((j % 97 == 5) ? 15.f : 1.f);
                break; // outliers
            case 1:
                x[i] = 0.f;
                break;
            case 2:
                x[i] = 0.37f;
                break; // constant
            case 3:
                x[i] = 1e-6f * v;
                break;
            case 4:
                x[i] = 300.f * v / (1.f + std::fabs(v));
                break; // |x| < 300
            default:
                x[i] = 0.05f * v * v * v;
                break; // heavy tails
            }
        }
    return x;
}

} // namespace

class TstGgmlGolden : public QObject {
    Q_OBJECT

  private slots:
    void goldenBytes_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<bool>("imatrix");
        for (const char* t : kTypes) {
            QTest::newRow((std::string("pure-") + t).c_str()) << QString(t) << false;
            QTest::newRow((std::string("imatrix-") + t).c_str()) << QString(t) << true;
        }
    }

    void goldenBytes() {
        QFETCH(QString, type);
        QFETCH(bool, imatrix);
        const std::string t = type.toStdString();
        const std::string file =
            std::string("golden/ggml/") + (imatrix ? "imatrix-" : "pure-") + t + ".gguf";
        TQ_REQUIRE_FIXTURE("golden/ggml/source-f32.gguf");
        TQ_REQUIRE_FIXTURE(file);
        TQ_REQUIRE_FIXTURE("golden/ggml/source.imatrix.gguf");
        const auto source = io::GgufFile::open(tqtest::fixture("golden/ggml/source-f32.gguf"));
        const auto golden = io::GgufFile::open(tqtest::fixture(file));
        const auto importance =
            tqtest::loadImatrixGguf(tqtest::fixture("golden/ggml/source.imatrix.gguf"));
        const quant::Precision p = quant::Precision::parse(t);
        int compared = 0, weighted = 0;
        for (const auto& g : golden->tensors()) {
            std::string gt = io::ggmlTypeInfo(g.type).name;
            std::transform(gt.begin(), gt.end(), gt.begin(), ::tolower);
            if (gt != t)
                continue;
            const io::GgufTensorInfo* s = source->find(g.name);
            QVERIFY2(s, qPrintable(QString::fromStdString("source lacks " + g.name)));
            QCOMPARE(s->shape, g.shape);
            const std::vector<float> x = quant::dequantize(*source, *s);
            const float* w = nullptr;
            if (imatrix) {
                const auto it = importance.find(g.name);
                if (it != importance.end()) {
                    QCOMPARE(static_cast<int64_t>(it->second.size()), s->shape.back());
                    w = it->second.data();
                    ++weighted;
                }
            }
            std::string bytes;
            TQ_NO_THROW(bytes = quant::encode(p, x.data(), s->shape, 0, w));
            QCOMPARE(static_cast<uint64_t>(bytes.size()), g.nbytes);
            const uint8_t* want = golden->data(g);
            if (std::memcmp(bytes.data(), want, bytes.size()) != 0) {
                std::size_t i = 0;
                while (static_cast<uint8_t>(bytes[i]) == want[i])
                    ++i;
                const int bb = static_cast<int>(layout(t).bytes);
                const std::size_t block = i / static_cast<std::size_t>(bb);
                std::ostringstream m;
                m << t << (imatrix ? " imatrix" : " pure") << ": tensor " << g.name
                  << " differs first at byte " << i << " (block " << block << "): ours "
                  << blockHex(reinterpret_cast<const uint8_t*>(bytes.data()) + block * bb, bb)
                  << " llama.cpp " << blockHex(want + block * bb, bb);
                QFAIL(m.str().c_str());
            }
            ++compared;
        }
        QVERIFY2(compared > 0, "no tensor of this type in the golden file");
        if (imatrix)
            QVERIFY2(weighted > 0, "no tensor had an importance vector");
        qInfo("%s: %d tensors byte-identical (%d with importance)", qPrintable(type), compared,
              weighted);
    }

    void goldenDecode_data() {
        QTest::addColumn<QString>("type");
        for (const char* t : kTypes)
            QTest::newRow(t) << QString(t);
    }

    // decode() of llama.cpp's bytes equals the values implied by the layout, element by
    // element (every tensor of the type, so every block).
    void goldenDecode() {
        QFETCH(QString, type);
        const std::string t = type.toStdString();
        const std::string file = "golden/ggml/imatrix-" + t + ".gguf";
        TQ_REQUIRE_FIXTURE(file);
        const auto golden = io::GgufFile::open(tqtest::fixture(file));
        const quant::Precision p = quant::Precision::parse(t);
        int tensors = 0;
        for (const auto& g : golden->tensors()) {
            std::string gt = io::ggmlTypeInfo(g.type).name;
            std::transform(gt.begin(), gt.end(), gt.begin(), ::tolower);
            if (gt != t)
                continue;
            const std::vector<Element> implied = parseAll(t, golden->data(g), g.nbytes);
            std::vector<float> y(implied.size());
            TQ_NO_THROW(quant::decode(p, golden->data(g), g.nbytes, g.shape, y.data(), 1));
            for (std::size_t i = 0; i < y.size(); ++i) {
                const float want = implied[i].value();
                if (!(y[i] == want)) {
                    QFAIL(qPrintable(QString("%1 %2 element %3: decoded %4, the format implies %5")
                                         .arg(type, QString::fromStdString(g.name))
                                         .arg(i)
                                         .arg(double(y[i]), 0, 'g', 9)
                                         .arg(double(want), 0, 'g', 9)));
                }
            }
            ++tensors;
        }
        QVERIFY(tensors > 0);
    }

    // A hand-worked iq4_nl block: d = 0.5 (0x3800), codes 0..15 then 15..0:
    // values 0.5 * K[code]. Checks the nibble order and the level table by hand.
    void iq4NlHandWorked() {
        uint8_t block[18] = {0x00, 0x38};
        for (int j = 0; j < 16; ++j)
            block[2 + j] = static_cast<uint8_t>(j | ((15 - j) << 4));
        float y[32];
        quant::decode(quant::Precision::parse("iq4_nl"), block, 18, {32}, y, 1);
        QCOMPARE(y[0], -63.5f);  // 0.5 * -127
        QCOMPARE(y[8], 0.5f);    // 0.5 * 1
        QCOMPARE(y[15], 56.5f);  // 0.5 * 113
        QCOMPARE(y[16], 56.5f);  // weight 16: high nibble of qs[0] = 15
        QCOMPARE(y[31], -63.5f); // weight 31: high nibble of qs[15] = 0
    }

    // A hand-worked q5_1 block: d = 1 (0x3c00), m = -16 (0xcc00), weight j has code j:
    // low nibbles j & 15, qh bit j set for j >= 16. x^_j = j - 16.
    void q5_1HandWorked() {
        uint8_t block[24] = {0x00, 0x3c, 0x00, 0xcc, 0x00, 0x00, 0xff, 0xff};
        for (int j = 0; j < 16; ++j)
            block[8 + j] = static_cast<uint8_t>(j | (j << 4));
        float y[32];
        quant::decode(quant::Precision::parse("q5_1"), block, 24, {32}, y, 1);
        for (int j = 0; j < 32; ++j)
            QCOMPARE(y[j], static_cast<float>(j - 16));
        // and the encoder maps x_j = j - 16 back to exactly these bytes:
        // min -16, max 15, d = 31/31 = 1, q = trunc((x + 16) + 0.5) = j.
        const std::string bytes = quant::encode(quant::Precision::parse("q5_1"), y, {32}, 1);
        QCOMPARE(QByteArray(bytes.data(), 24).toHex(),
                 QByteArray(reinterpret_cast<char*>(block), 24).toHex());
    }

    void roundTrip_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("cols");
        for (const char* t : kTypes)
            for (int cols : {512, 1536})
                QTest::newRow((std::string(t) + "/" + std::to_string(cols)).c_str())
                    << QString(t) << cols;
    }

    void roundTrip() {
        QFETCH(QString, type);
        QFETCH(int, cols);
        const std::string t = type.toStdString();
        const quant::Precision p = quant::Precision::parse(t);
        const std::vector<float> x = generated(cols);
        const std::vector<int64_t> shape = {6, cols};
        std::string bytes;
        TQ_NO_THROW(bytes = quant::encode(p, x.data(), shape, 2));
        QCOMPARE(static_cast<uint64_t>(bytes.size()), p.bytes(shape));
        std::vector<float> y;
        TQ_NO_THROW(y = quant::decode(p, bytes, shape, 1));
        const std::vector<Element> e =
            parseAll(t, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
        QCOMPARE(e.size(), x.size());
        double sumErr2 = 0, sumUniform2 = 0;
        for (std::size_t i = 0; i < x.size(); ++i) {
            QVERIFY(std::isfinite(y[i]));
            QVERIFY(y[i] == e[i].value()); // decode agrees with the layout
            const int kmax =
                e[i].nonLinear ? 127 : std::max(std::abs(e[i].klo), std::abs(e[i].khi));
            const double slack =
                2.0 * kmax * (std::fabs(e[i].a) * 0x1p-11 + 0x1p-24 * std::fabs(e[i].s)) +
                2.0 * (std::fabs(e[i].c) * 0x1p-11 + 0x1p-24) + std::fabs(x[i]) * 0x1p-20;
            const double err = std::fabs(static_cast<double>(x[i]) - y[i]);
            const double dist = gridDistance(e[i], x[i]);
            if (err > dist + slack)
                QFAIL(
                    qPrintable(QString("%1 element %2 (row %3): x = %4, x^ = %5, error %6 but the "
                                       "block can represent a value within %7 (slack %8)")
                                   .arg(type)
                                   .arg(i)
                                   .arg(i / static_cast<std::size_t>(cols))
                                   .arg(double(x[i]), 0, 'g', 9)
                                   .arg(double(y[i]), 0, 'g', 9)
                                   .arg(err, 0, 'g', 6)
                                   .arg(dist, 0, 'g', 6)
                                   .arg(slack, 0, 'g', 6)));
            sumErr2 += err * err;
        }
        const auto [bits, sub] = uniformModel(t);
        for (std::size_t b = 0; b < x.size(); b += static_cast<std::size_t>(sub)) {
            const auto [lo, hi] = std::minmax_element(x.begin() + b, x.begin() + b + sub);
            const double step = (static_cast<double>(*hi) - *lo) / ((1 << bits) - 1);
            sumUniform2 += sub * step * step / 12.0;
        }
        QVERIFY2(sumErr2 <= 4.0 * sumUniform2,
                 qPrintable(QString("%1: RMS error %2, uniform-quantiser RMS %3")
                                .arg(type)
                                .arg(std::sqrt(sumErr2 / x.size()))
                                .arg(std::sqrt(sumUniform2 / x.size()))));
        // zero rows stay exactly zero
        for (int64_t j = 0; j < cols; ++j)
            QCOMPARE(y[static_cast<std::size_t>(cols + j)], 0.f);
    }

    void importanceMustBeFiniteAndNonNegative() {
        const std::vector<float> x(64, 0.5f);
        std::vector<float> w(32, 1.f);
        w[7] = -1.f;
        for (const char* t : {"q4_0", "iq4_nl"}) {
            try {
                quant::encode(quant::Precision::parse(t), x.data(), {2, 32}, 1, w.data());
                QFAIL("negative importance accepted");
            } catch (const Error& e) {
                QVERIFY2(std::string(e.what()).find("column 7") != std::string::npos, e.what());
            }
        }
        w[7] = std::nanf("");
        QVERIFY_THROWS_EXCEPTION(
            Error, quant::encode(quant::Precision::parse("q5_1"), x.data(), {2, 32}, 1, w.data()));
    }

    // The vectorised importance-weighted search handles rows whose block count is not a
    // multiple of its 8 lanes: a [3, 96] tensor (3 blocks a row) gives the same bytes as the
    // same rows encoded one by one, and the result does not depend on the thread count.
    void weightedRowsIndependentOfGrouping() {
        const std::vector<float> x = [] {
            std::mt19937 rng(3);
            std::normal_distribution<float> d(0.f, 1.f);
            std::vector<float> v(3 * 96);
            for (auto& f : v)
                f = d(rng);
            return v;
        }();
        std::vector<float> w(96);
        for (int j = 0; j < 96; ++j)
            w[j] = 0.1f + static_cast<float>(j % 7);
        for (const char* t : {"q4_0", "q4_1", "q5_0", "q5_1", "iq4_nl"}) {
            const quant::Precision p = quant::Precision::parse(t);
            const std::string all = quant::encode(p, x.data(), {3, 96}, 1, w.data());
            QCOMPARE(quant::encode(p, x.data(), {3, 96}, 3, w.data()), all);
            std::string rows;
            for (int r = 0; r < 3; ++r)
                rows += quant::encode(p, x.data() + 96 * r, {96}, 1, w.data());
            QCOMPARE(rows, all);
            // importance changes the result (the weighted search runs)
            QVERIFY(quant::encode(p, x.data(), {3, 96}, 1) != all || std::string(t) == "iq4_nl");
        }
    }

    // The 8-lane searches equal the scalar transcriptions of ggml's make_qx_quants and
    // make_qkx3_quants lane by lane, including all-zero, constant and one-hot blocks.
    void vectorSearchesEqualScalarOnes() {
        std::mt19937 rng(11);
        std::normal_distribution<float> d(0.f, 1.f);
        std::uniform_real_distribution<float> u(0.f, 2.f);
        for (int round = 0; round < 200; ++round) {
            float x[8][32], w[8][32];
            for (int k = 0; k < 8; ++k)
                for (int j = 0; j < 32; ++j) {
                    const int kind = (round + k) % 6;
                    x[k][j] = kind == 0   ? 0.f
                              : kind == 1 ? 0.25f
                              : kind == 2 ? (j == 5 ? 3.f : 0.f)
                              : kind == 3 ? std::fabs(d(rng))
                                          : d(rng) * (kind == 4 ? 1e-6f : 1.f);
                    w[k][j] = (j + round) % 9 == 0 ? 0.f : u(rng);
                }
            const float* xs[8];
            const float* ws[8];
            uint8_t L8[8][32];
            uint8_t* Ls[8];
            for (int k = 0; k < 8; ++k) {
                xs[k] = x[k];
                ws[k] = w[k];
                Ls[k] = L8[k];
            }
            for (int nmax : {8, 16}) {
                float s8[8];
                quant::detail::makeQxQuants32x8(nmax, xs, ws, Ls, s8);
                for (int k = 0; k < 8; ++k) {
                    uint8_t L[32];
                    const float s = quant::detail::makeQxQuants32(nmax, x[k], w[k], L);
                    QVERIFY(std::memcmp(&s, &s8[k], 4) == 0);
                    QVERIFY(std::memcmp(L, L8[k], 32) == 0);
                }
            }
            for (int nmax : {15, 31}) {
                float s8[8], m8[8];
                quant::detail::makeQkx3Quants32x8(nmax, xs, ws, Ls, s8, m8);
                for (int k = 0; k < 8; ++k) {
                    uint8_t L[32];
                    float m;
                    const float s = quant::detail::makeQkx3Quants32(nmax, x[k], w[k], L, &m);
                    QVERIFY(std::memcmp(&s, &s8[k], 4) == 0);
                    QVERIFY(std::memcmp(&m, &m8[k], 4) == 0);
                    QVERIFY(std::memcmp(L, L8[k], 32) == 0);
                }
            }
        }
    }
};

QTEST_APPLESS_MAIN(TstGgmlGolden)
#include "tst_ggml_golden.moc"
