// GGUF layer tests: metadata of every type and tensors of every supported type round-trip
// through writeGguf/GgufFile; a small file's bytes equal a layout assembled by hand from the
// specification; data offsets are aligned; every malformed-header case gives an Error naming
// the file; truncations and byte flips never crash; a cancelled write leaves no file.
#include <QtTest/QtTest>
#include <cmath>
#include <cstring>
#include <fstream>
#include <random>

#include "core/io/atomic_file.h"
#include "core/io/gguf_reader.h"
#include "core/io/gguf_writer.h"
#include "core/quant/codec.h"
#include "core/quant/gguf_tensor.h"
#include "core/util/error.h"
#include "core/util/shape.h"

using namespace taskquant;
using namespace taskquant::io;

namespace {

// Raw little-endian GGUF assembly, independent of the writer under test.
struct Raw {
    std::string b;
    Raw& u8(uint8_t v) {
        b.push_back(static_cast<char>(v));
        return *this;
    }
    Raw& u32(uint32_t v) {
        for (int i = 0; i < 4; ++i)
            u8(static_cast<uint8_t>(v >> (8 * i)));
        return *this;
    }
    Raw& u64(uint64_t v) {
        for (int i = 0; i < 8; ++i)
            u8(static_cast<uint8_t>(v >> (8 * i)));
        return *this;
    }
    Raw& str(const std::string& s) {
        u64(s.size());
        b += s;
        return *this;
    }
    Raw& header(uint64_t tensors, uint64_t kvs, uint32_t version = 3) {
        b += "GGUF";
        return u32(version).u64(tensors).u64(kvs);
    }
    Raw& kvU32(const std::string& key, uint32_t v) { return str(key).u32(4).u32(v); }
    Raw& tensor(const std::string& name, std::vector<uint64_t> ne, uint32_t type, uint64_t offset) {
        str(name).u32(static_cast<uint32_t>(ne.size()));
        for (auto d : ne)
            u64(d);
        return u32(type).u64(offset);
    }
    Raw& pad(std::size_t a) {
        while (b.size() % a)
            u8(0);
        return *this;
    }
    Raw& zeros(std::size_t n) {
        b.append(n, '\0');
        return *this;
    }
};

std::vector<float> gaussian(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.f, 0.05f);
    std::vector<float> v(n);
    for (auto& x : v)
        x = dist(rng);
    return v;
}

GgufTensorSource source(const std::string& name, GgmlType type, std::vector<int64_t> shape,
                        std::string bytes) {
    return GgufTensorSource{name, type, std::move(shape), [b = std::move(bytes)] { return b; }};
}

} // namespace

class TstGguf : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::string path(const char* name) {
        return dir_.filePath(QString::fromLatin1(name)).toStdString();
    }
    std::string writeRaw(const char* name, const std::string& bytes) {
        const std::string p = path(name);
        std::ofstream(p, std::ios::binary)
            .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        return p;
    }
    void expectBroken(const std::string& bytes, const char* needle) {
        const std::string p = writeRaw("broken.gguf", bytes);
        try {
            GgufFile::open(p);
        } catch (const Error& e) {
            const std::string msg = e.what();
            QVERIFY2(msg.find(p) != std::string::npos, e.what()); // names the file
            QVERIFY2(msg.find(needle) != std::string::npos, e.what());
            return;
        }
        QFAIL(qPrintable(QStringLiteral("accepted a file that should fail with: ") +
                         QLatin1String(needle)));
    }
    // A valid file with one kv and one 2x32 F32 tensor, parts addressable for surgery.
    static Raw validBase(uint32_t ggmlType = 0, std::vector<uint64_t> ne = {32, 2},
                         uint64_t offset = 0, std::size_t dataBytes = 256) {
        Raw r;
        r.header(1, 1).kvU32("test.value", 7).tensor("w", std::move(ne), ggmlType, offset).pad(32);
        r.zeros(dataBytes);
        return r;
    }

  private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void metadataOfEveryTypeRoundTrips() {
        GgufMetadata m;
        m.set("t.u8", uint8_t(200));
        m.set("t.i8", int8_t(-100));
        m.set("t.u16", uint16_t(60000));
        m.set("t.i16", int16_t(-30000));
        m.set("t.u32", uint32_t(4000000000u));
        m.set("t.i32", int32_t(-2000000000));
        m.set("t.u64", uint64_t(1) << 63);
        m.set("t.i64", -(int64_t(1) << 62));
        m.set("t.f32", 3.25f);
        m.set("t.f64", -1.0e300);
        m.set("t.bool", true);
        m.set("t.bool_false", false);
        m.set("t.str", std::string("h\xc3\xa9llo\0world", 12));
        m.set("t.empty_str", "");
        m.set("t.a_u8", std::vector<uint8_t>{1, 2, 255});
        m.set("t.a_i8", std::vector<int8_t>{-1, 2});
        m.set("t.a_u16", std::vector<uint16_t>{65535});
        m.set("t.a_i16", std::vector<int16_t>{-5, 5});
        m.set("t.a_u32", std::vector<uint32_t>{1, 2, 3});
        m.set("t.a_i32", std::vector<int32_t>{-1, 0, 1});
        m.set("t.a_u64", std::vector<uint64_t>{~uint64_t(0)});
        m.set("t.a_i64", std::vector<int64_t>{INT64_MIN, INT64_MAX});
        m.set("t.a_f32", std::vector<float>{-0.5f, 1e-30f, 7.0f});
        m.set("t.a_f64", std::vector<double>{3.141592653589793});
        m.set("t.a_bool", std::vector<bool>{true, false, true});
        m.set("t.a_str", std::vector<std::string>{"<s>", "", "\xe2\x96\x81the"});
        m.set("t.a_empty", std::vector<float>{});
        m.set("t.u32", uint32_t(5)); // replacing keeps the position
        QCOMPARE(m.entries()[4].first, std::string("t.u32"));

        const std::string p = path("meta.gguf");
        writeGguf(p, m, {});
        const auto f = GgufFile::open(p);
        QCOMPARE(f->version(), 3u);
        QCOMPARE(f->metadata().size(), m.size());
        for (std::size_t i = 0; i < m.size(); ++i) {
            QCOMPARE(f->metadata().entries()[i].first, m.entries()[i].first);
            QVERIFY2(f->metadata().entries()[i].second == m.entries()[i].second,
                     m.entries()[i].first.c_str());
        }
        QCOMPARE(f->metadata().get<uint32_t>("t.u32"), 5u);
        QCOMPARE(f->metadata().find("t.a_str")->elementType(), GgufType::STRING);
        QCOMPARE(f->metadata().find("t.a_empty")->typeString(), std::string("ARRAY[FLOAT32]"));
        QCOMPARE(*f->metadata().find("t.u16")->asInt(), int64_t(60000));
        QVERIFY_EXCEPTION_THROWN(f->metadata().get<std::string>("t.u8"), Error);
        QVERIFY_EXCEPTION_THROWN(f->metadata().get<std::string>("t.absent"), Error);
        QVERIFY(f->tensors().empty());
    }

    void smallFileMatchesHandAssembledLayout() {
        // key "a" = UINT32 7; F32 tensor "t" of row-major shape [2, 3] stored with ne = (3, 2)
        GgufMetadata m;
        m.set("a", uint32_t(7));
        std::string data(24, '\0');
        for (int i = 0; i < 6; ++i) {
            const float v = static_cast<float>(i) + 0.5f;
            std::memcpy(&data[4 * i], &v, 4);
        }
        const std::string p = path("small.gguf");
        writeGguf(p, m, {source("t", GgmlType::F32, {2, 3}, data)});
        Raw expected;
        expected.header(1, 1).kvU32("a", 7).tensor("t", {3, 2}, 0, 0).pad(32);
        expected.b += data;
        expected.pad(32);
        QCOMPARE(readFile(p), expected.b);
        const auto f = GgufFile::open(p);
        QCOMPARE(f->tensors()[0].shape, (std::vector<int64_t>{2, 3}));
        QCOMPARE(quant::dequantize(*f, f->tensors()[0])[5], 5.5f);
    }

    void tensorsOfEveryTypeRoundTrip() {
        struct Case {
            const char* precision;
            GgmlType type;
            std::vector<int64_t> shape;
        };
        const std::vector<Case> cases = {
            {"f32", GgmlType::F32, {3}},           {"f16", GgmlType::F16, {5, 7}},
            {"bf16", GgmlType::BF16, {2, 3, 4}},   {"q8_0", GgmlType::Q8_0, {4, 64}},
            {"q4_0", GgmlType::Q4_0, {3, 96}},     {"q4_k", GgmlType::Q4_K, {2, 512}},
            {"q4_k", GgmlType::Q4_K, {2, 2, 256}}, {"f32", GgmlType::F32, {}},
            {"f16", GgmlType::F16, {0, 8}},
        };
        std::vector<GgufTensorSource> sources;
        std::vector<std::vector<float>> inputs;
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const auto p = quant::Precision::parse(cases[i].precision);
            QCOMPARE(quant::ggmlTypeFor(p).value(), cases[i].type);
            inputs.push_back(
                gaussian(static_cast<std::size_t>(checkedNumel(cases[i].shape)), unsigned(i)));
            sources.push_back(source("blk." + std::to_string(i) + ".weight", cases[i].type,
                                     cases[i].shape,
                                     quant::encode(p, inputs[i].data(), cases[i].shape)));
        }
        GgufMetadata m;
        m.set("general.architecture", "llama");
        const std::string p = path("tensors.gguf");
        writeGguf(p, m, sources);
        const auto f = GgufFile::open(p);
        QCOMPARE(f->tensors().size(), cases.size());
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const GgufTensorInfo* t = f->find("blk." + std::to_string(i) + ".weight");
            QVERIFY(t);
            QCOMPARE(t->type, cases[i].type);
            QCOMPARE(t->shape, cases[i].shape);
            const auto prec = quant::Precision::parse(cases[i].precision);
            QCOMPARE(t->nbytes, prec.bytes(cases[i].shape));
            const std::string raw = sources[i].bytes();
            QVERIFY(std::memcmp(f->data(*t), raw.data(), raw.size()) == 0);
            const auto expected = quant::fakeQuantize(prec, inputs[i].data(), cases[i].shape);
            QVERIFY2(quant::dequantize(*f, *t) == expected, cases[i].precision);
        }
    }

    void dataOffsetsAreAligned() {
        for (uint32_t alignment : {32u, 64u, 256u}) {
            GgufMetadata m;
            if (alignment != 32)
                m.set("general.alignment", alignment);
            std::vector<GgufTensorSource> s;
            for (int i = 0; i < 5; ++i) // 4, 8, 12, ... bytes: never a multiple of the alignment
                s.push_back(source("t" + std::to_string(i), GgmlType::F32, {i + 1},
                                   std::string(4 * (i + 1), char(i + 1))));
            s.push_back(source("q", GgmlType::Q8_0, {32}, std::string(34, 'q')));
            const std::string p = path("aligned.gguf");
            writeGguf(p, m, s);
            const auto f = GgufFile::open(p);
            QCOMPARE(f->alignment(), alignment);
            QCOMPARE(f->dataOffset() % alignment, uint64_t(0));
            uint64_t expectedOffset = f->dataOffset();
            for (const auto& t : f->tensors()) {
                QCOMPARE(t.offset % alignment, uint64_t(0));
                QCOMPARE(t.offset, expectedOffset); // packed in order, each padded
                expectedOffset += (t.nbytes + alignment - 1) / alignment * alignment;
                QCOMPARE(static_cast<uint8_t>(*f->data(t)),
                         static_cast<uint8_t>(t.name == "q" ? 'q' : t.name[1] - '0' + 1));
            }
            QCOMPARE(f->fileSize(), expectedOffset);
        }
    }

    void writerRejectsInvalidInput() {
        const std::string p = path("rejected.gguf");
        auto rejects = [&](const GgufMetadata& m, const std::vector<GgufTensorSource>& s,
                           const char* needle) {
            try {
                writeGguf(p, m, s);
            } catch (const Error& e) {
                QVERIFY2(std::string(e.what()).find(needle) != std::string::npos, e.what());
                QVERIFY(!QFileInfo::exists(QString::fromStdString(p)));
                return;
            }
            QFAIL(needle);
        };
        const GgufMetadata none;
        GgufMetadata badAlign;
        badAlign.set("general.alignment", uint32_t(48));
        rejects(badAlign, {}, "power of two");
        badAlign.set("general.alignment", uint64_t(64));
        rejects(badAlign, {}, "UINT32");
        rejects(none, {source(std::string(64, 'n'), GgmlType::F32, {1}, std::string(4, 0))},
                "bytes");
        rejects(none,
                {source("a", GgmlType::F32, {1}, std::string(4, 0)),
                 source("a", GgmlType::F32, {1}, std::string(4, 0))},
                "duplicate");
        rejects(none, {source("a", GgmlType::F32, {1, 1, 1, 1, 1}, std::string(4, 0))},
                "at most 4");
        rejects(none, {source("a", GgmlType::Q4_K, {2, 100}, std::string(4, 0))},
                "multiple of 256");
        rejects(none, {source("a", GgmlType::F16, {4}, std::string(7, 0))}, "expected 8");
        rejects(none, {GgufTensorSource{"a", GgmlType::F32, {1}, {}}}, "no data source");
    }

    void malformedHeadersGiveErrors() {
        QVERIFY(GgufFile::open(writeRaw("ok.gguf", validBase().b))->tensors().size() == 1);

        expectBroken("", "too small");
        expectBroken("GGUF\x03\0\0\0", "too small");
        {
            Raw r = validBase();
            r.b[0] = 'X';
            expectBroken(r.b, "magic");
        }
        expectBroken(Raw().header(0, 0, 1).b, "version 1");
        expectBroken(Raw().header(0, 0, 7).b, "unsupported GGUF version 7");
        expectBroken(Raw().header(0, 0, 0x03000000).b, "big-endian");
        expectBroken(Raw().header(uint64_t(1) << 60, 0).zeros(64).b, "tensors, more than the file");
        expectBroken(Raw().header(0, ~uint64_t(0)).zeros(64).b, "metadata entries, more than");
        expectBroken(Raw().header(0, 1).u64(1000).zeros(20).b, "past the end of the file");
        expectBroken(Raw().header(0, 1).str("k").u32(13).u32(0).b, "unknown value type 13");
        expectBroken(Raw().header(0, 1).str("k").u32(9).u32(77).u64(0).b,
                     "array of unknown value type");
        expectBroken(Raw().header(0, 1).str("k").u32(9).u32(9).u64(1).u32(4).u64(0).b,
                     "array of arrays");
        expectBroken(Raw().header(0, 1).str("k").u32(9).u32(4).u64(uint64_t(1) << 62).u32(0).b,
                     "more than the file holds");
        expectBroken(Raw().header(0, 1).str("k").u32(9).u32(8).u64(1).u64(5).b + "abc",
                     "past the end");
        expectBroken(Raw().header(0, 1).str("k").u32(7).u8(2).zeros(8).b, "BOOL");
        expectBroken(Raw().header(0, 2).kvU32("k", 1).kvU32("k", 2).b,
                     "duplicate metadata key 'k'");
        expectBroken(Raw().header(0, 1).str("").u32(4).u32(1).b, "empty");
        expectBroken(Raw().header(0, 1).kvU32("general.alignment", 24).b, "not a power of two");
        expectBroken(Raw().header(0, 1).str("general.alignment").u32(10).u64(32).b,
                     "expected UINT32");
        expectBroken(Raw().header(0, 1).str("k").u32(4).u8(1).b, "truncated");

        expectBroken(validBase(0, {1, 1, 1, 1, 2}).b, "dimensions (at most 4)");
        expectBroken(validBase(99).b, "unknown ggml type 99");
        expectBroken(validBase(0, {~uint64_t(0)}).b, "invalid dimension");
        expectBroken(validBase(0, {uint64_t(1) << 40, uint64_t(1) << 40}).b, "too many elements");
        expectBroken(validBase(12, {100, 2}).b, "multiple of 256");
        expectBroken(validBase(0, {32, 2}, 16).b, "not a multiple of the alignment");
        expectBroken(validBase(0, {32, 2}, 1 << 20).b, "outside the file");
        expectBroken(validBase(0, {32, 2}, 0, 255).b, "outside the file"); // truncated data
        expectBroken(validBase(0, {32, 2}, ~uint64_t(31)).b, "outside the file");
        // A tensor of zero elements in a file that ends before its (aligned) data section.
        expectBroken(Raw().header(1, 1).kvU32("general.alignment", 4096).tensor("e", {0}, 0, 0).b,
                     "outside the file");
        {
            Raw r;
            r.header(1, 0).tensor(std::string(64, 'x'), {1}, 0, 0).pad(32).zeros(32);
            expectBroken(r.b, "name of 64 bytes");
        }
        {
            Raw r; // two tensors sharing bytes
            r.header(2, 0).tensor("a", {64}, 0, 0).tensor("b", {8}, 0, 32).pad(32).zeros(256);
            expectBroken(r.b, "overlap");
        }
        {
            Raw r;
            r.header(2, 0).tensor("a", {8}, 0, 0).tensor("a", {8}, 0, 32).pad(32).zeros(64);
            expectBroken(r.b, "duplicate tensor name 'a'");
        }
    }

    void truncationsAndByteFlipsNeverCrash() {
        GgufMetadata m;
        m.set("general.name", "fuzz");
        m.set("tokenizer.ggml.tokens", std::vector<std::string>{"a", "bb", "ccc"});
        m.set("tokenizer.ggml.scores", std::vector<float>{0.f, -1.f, -2.f});
        const auto x = gaussian(512, 99);
        const std::string p = path("fuzz-src.gguf");
        writeGguf(p, m,
                  {source("q", GgmlType::Q4_K, {2, 256},
                          quant::encode(quant::Precision::parse("q4_k"), x.data(), {2, 256})),
                   source("f", GgmlType::F16, {8}, std::string(16, 0))});
        const std::string good = readFile(p);
        const auto parsed = GgufFile::open(p);
        const uint64_t dataStart = parsed->dataOffset();
        uint64_t dataEnd = 0; // the file may end with padding after this
        for (const auto& t : parsed->tensors())
            dataEnd = std::max(dataEnd, t.offset + t.nbytes);
        for (std::size_t n = 0; n < dataEnd; n += (n < dataStart + 64 ? 1 : 97))
            QVERIFY_EXCEPTION_THROWN(GgufFile::open(writeRaw("cut.gguf", good.substr(0, n))),
                                     Error);
        std::mt19937 rng(3);
        int accepted = 0, rejected = 0;
        for (int i = 0; i < 1000; ++i) {
            std::string bad = good;
            const int flips = 1 + static_cast<int>(rng() % 3);
            for (int k = 0; k < flips; ++k)
                bad[rng() % dataStart] = static_cast<char>(rng());
            try {
                const auto f = GgufFile::open(writeRaw("flip.gguf", bad));
                for (const auto& t : f->tensors()) {
                    try {
                        quant::dequantize(*f, t);
                    } catch (const Error&) {
                    }
                }
                ++accepted;
            } catch (const Error&) {
                ++rejected;
            }
        }
        QVERIFY(rejected > 0 && accepted + rejected == 1000);
    }

    void unsupportedTypesAreListedButNotDequantised() {
        const std::string p = path("iq2xxs.gguf");
        writeGguf(p, {}, {source("w", GgmlType::IQ2_XXS, {256}, std::string(66, '\0'))});
        const auto f = GgufFile::open(p);
        QCOMPARE(f->tensors()[0].type, GgmlType::IQ2_XXS);
        QCOMPARE(f->tensors()[0].nbytes, uint64_t(66));
        try {
            quant::dequantize(*f, f->tensors()[0]);
            QFAIL("dequantised iq2_xxs");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("iq2_xxs") != std::string::npos);
            QVERIFY(std::string(e.what()).find(p) != std::string::npos);
        }
        // q6_K has a codec now: an all-zero block (d = 0) dequantises to zeros
        const std::string q = path("q6k.gguf");
        writeGguf(q, {}, {source("w", GgmlType::Q6_K, {256}, std::string(210, '\0'))});
        const auto g = GgufFile::open(q);
        QCOMPARE(g->tensors()[0].nbytes, uint64_t(210));
        const std::vector<float> y = quant::dequantize(*g, g->tensors()[0]);
        QCOMPARE(y.size(), std::size_t(256));
        for (float v : y)
            QCOMPARE(v, 0.f);
    }

    void cancelLeavesNoFileAndKeepsPrevious() {
        QTemporaryDir d;
        const std::string p = d.filePath(QStringLiteral("model.gguf")).toStdString();
        writeFileAtomically(p, "previous contents");
        CancelToken cancel;
        int produced = 0;
        std::vector<GgufTensorSource> s;
        for (int i = 0; i < 4; ++i)
            s.push_back(GgufTensorSource{"t" + std::to_string(i), GgmlType::F32, {1024}, [&] {
                                             ++produced;
                                             return std::string(4096, 'x');
                                         }});
        JobControl job;
        job.cancel = &cancel;
        job.progress = [&](const ProgressInfo& info) {
            if (info.message == "writing t2")
                cancel.cancel(); // after two tensors went out
        };
        QVERIFY_EXCEPTION_THROWN(writeGguf(p, {}, s, job), Cancelled);
        QCOMPARE(produced, 2);
        QCOMPARE(readFile(p), std::string("previous contents"));
        QCOMPARE(QDir(d.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);

        // a failing source part-way leaves nothing either
        const std::string q = d.filePath(QStringLiteral("other.gguf")).toStdString();
        s[1].bytes = []() -> std::string { throw Error("source failed"); };
        QVERIFY_EXCEPTION_THROWN(writeGguf(q, {}, s), Error);
        QVERIFY(!QFileInfo::exists(QString::fromStdString(q)));
        QCOMPARE(QDir(d.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
    }

    void progressCoversAllBytes() {
        std::vector<double> fractions;
        JobControl job;
        job.progress = [&](const ProgressInfo& i) { fractions.push_back(i.fraction); };
        std::vector<GgufTensorSource> s;
        for (int i = 0; i < 3; ++i)
            s.push_back(source("t" + std::to_string(i), GgmlType::F32, {64}, std::string(256, 0)));
        writeGguf(path("progress.gguf"), {}, s, job);
        QCOMPARE(fractions.size(), std::size_t(4));
        QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
        QCOMPARE(fractions.front(), 0.0);
        QCOMPARE(fractions.back(), 1.0);
        QCOMPARE(fractions[1], 1.0 / 3);
    }
};

QTEST_APPLESS_MAIN(TstGguf)
#include "tst_gguf.moc"
