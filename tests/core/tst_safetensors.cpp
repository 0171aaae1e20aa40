// Safetensors reading, writing and model-directory loading. Malformed files are built byte by
// byte here; expectations come from the format description, not from the code under test.
#include <QtTest/QtTest>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/io/atomic_file.h"
#include "core/io/safetensors.h"
#include "core/util/error.h"
#include "tests/common/fixtures.h"

using namespace taskquant;
using io::DType;

namespace {

std::string le64(uint64_t v) {
    std::string s(8, '\0');
    for (int i = 0; i < 8; ++i)
        s[i] = char((v >> (8 * i)) & 0xff);
    return s;
}

// A safetensors file from raw header text and buffer; lengthField overrides the length.
std::string stBytes(const std::string& header, const std::string& buffer,
                    std::optional<uint64_t> lengthField = std::nullopt) {
    return le64(lengthField.value_or(header.size())) + header + buffer;
}

void writeRaw(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

std::string pattern(std::size_t n, unsigned seed) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i)
        s[i] = char((i * 131 + seed * 17 + 7) & 0xff);
    return s;
}

std::vector<std::string> filesIn(const QTemporaryDir& dir) {
    std::vector<std::string> out;
    for (const auto& f : QDir(dir.path()).entryList(QDir::Files | QDir::Hidden))
        out.push_back(f.toStdString());
    return out;
}

io::TensorSource source(const std::string& name, DType dt, std::vector<int64_t> shape,
                        std::string bytes) {
    return io::TensorSource{name, dt, std::move(shape), [bytes] { return bytes; }};
}

} // namespace

// Asserts that opening `path` fails with a message naming the file and containing every part.
#define EXPECT_OPEN_ERROR(path, ...)                                                               \
    do {                                                                                           \
        const std::string path_ = (path);                                                          \
        bool threw_ = false;                                                                       \
        try {                                                                                      \
            io::SafetensorsFile::open(path_);                                                      \
        } catch (const Error& e) {                                                                 \
            threw_ = true;                                                                         \
            const std::string msg_ = e.what();                                                     \
            QVERIFY2(msg_.find(path_) == 0, msg_.c_str());                                         \
            for (const char* part_ : {__VA_ARGS__})                                                \
                QVERIFY2(msg_.find(part_) != std::string::npos,                                    \
                         qPrintable(QString::fromStdString(std::string("missing \"") + part_ +     \
                                                           "\" in: " + msg_)));                    \
        }                                                                                          \
        QVERIFY2(threw_, "expected an error");                                                     \
    } while (0)

#define EXPECT_DIR_ERROR(dir, ...)                                                                 \
    do {                                                                                           \
        bool threw_ = false;                                                                       \
        try {                                                                                      \
            io::SafetensorsCheckpoint::openDirectory(dir);                                         \
        } catch (const Error& e) {                                                                 \
            threw_ = true;                                                                         \
            const std::string msg_ = e.what();                                                     \
            for (const char* part_ : {__VA_ARGS__})                                                \
                QVERIFY2(msg_.find(part_) != std::string::npos,                                    \
                         qPrintable(QString::fromStdString(std::string("missing \"") + part_ +     \
                                                           "\" in: " + msg_)));                    \
        }                                                                                          \
        QVERIFY2(threw_, "expected an error");                                                     \
    } while (0)

class TstSafetensors : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    int counter_ = 0;
    // Writes bytes to a fresh file and returns its path.
    std::string bad(const std::string& bytes) {
        std::string p = tmp_.filePath(QString("bad%1.safetensors").arg(++counter_)).toStdString();
        writeRaw(p, bytes);
        return p;
    }
    // One F32 tensor "w" of shape [2] whose entry body is given.
    std::string badEntry(const std::string& entry, const std::string& buffer = pattern(8, 1)) {
        return bad(stBytes("{\"w\":" + entry + "}", buffer));
    }

  private slots:
    void dtypeTable() {
        QCOMPARE(io::dtypeSize(DType::BF16), std::size_t(2));
        QCOMPARE(io::dtypeSize(DType::F64), std::size_t(8));
        QCOMPARE(io::dtypeSize(DType::F8_E5M2), std::size_t(1));
        QCOMPARE(io::dtypeName(DType::F8_E4M3), std::string("F8_E4M3"));
        QVERIFY(io::parseDType("BF16") == DType::BF16);
        QVERIFY(!io::parseDType("bf16"));
        QVERIFY(!io::parseDType("F128"));
    }

    void writesExactReferenceLayout() {
        // Expected bytes by hand: 8-byte LE header length, compact JSON padded with spaces to a
        // multiple of 8, then the tensors back to back in the order given.
        const std::string path = tmp_.filePath("ref.safetensors").toStdString();
        const std::string a = pattern(8, 2), b = pattern(6, 3);
        io::writeSafetensors(path,
                             {source("a", DType::F32, {2}, a), source("b", DType::I16, {3}, b)},
                             {{"format", "pt"}});
        std::string json = R"({"__metadata__":{"format":"pt"},)"
                           R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                           R"("b":{"dtype":"I16","shape":[3],"data_offsets":[8,14]}})";
        const std::size_t padded = (json.size() + 7) / 8 * 8;
        json.append(padded - json.size(), ' ');
        QCOMPARE(io::readFile(path), le64(padded) + json + a + b);
    }

    void roundTripAllDtypes() {
        const std::string path = tmp_.filePath("all.safetensors").toStdString();
        const std::vector<std::pair<std::string, DType>> all = {
            {"F64", DType::F64},   {"F32", DType::F32},         {"F16", DType::F16},
            {"BF16", DType::BF16}, {"I64", DType::I64},         {"I32", DType::I32},
            {"I16", DType::I16},   {"I8", DType::I8},           {"U8", DType::U8},
            {"BOOL", DType::BOOL}, {"F8_E4M3", DType::F8_E4M3}, {"F8_E5M2", DType::F8_E5M2}};
        const std::vector<std::size_t> sizes = {8, 4, 2, 2, 8, 4, 2, 1, 1, 1, 1, 1};
        std::vector<io::TensorSource> src;
        std::vector<std::string> data;
        for (std::size_t i = 0; i < all.size(); ++i) {
            std::vector<int64_t> shape = {int64_t(i % 3 + 1), 3};
            data.push_back(pattern(std::size_t(shape[0] * 3) * sizes[i], unsigned(i)));
            src.push_back(source("t." + all[i].first, all[i].second, shape, data.back()));
        }
        src.push_back(source("empty", DType::F32, {0, 4}, ""));
        src.push_back(source("scalar", DType::F64, {}, pattern(8, 99)));
        const std::map<std::string, std::string> meta = {{"format", "pt"}, {"note", "héllo"}};
        io::writeSafetensors(path, src, meta);

        auto f = io::SafetensorsFile::open(path);
        QCOMPARE(f->tensors().size(), src.size());
        QCOMPARE(f->metadata(), meta);
        for (std::size_t i = 0; i < all.size(); ++i) {
            const auto* t = f->find("t." + all[i].first);
            QVERIFY(t);
            QCOMPARE(io::dtypeName(t->dtype), all[i].first);
            QCOMPARE(t->shape, (std::vector<int64_t>{int64_t(i % 3 + 1), 3}));
            QCOMPARE(t->nbytes, uint64_t(data[i].size()));
            QCOMPARE(std::string(reinterpret_cast<const char*>(f->data(*t)), t->nbytes), data[i]);
        }
        QCOMPARE(f->find("empty")->numel(), int64_t(0));
        QCOMPARE(f->find("scalar")->numel(), int64_t(1));
        QCOMPARE(std::string(reinterpret_cast<const char*>(f->data(*f->find("scalar"))), 8),
                 pattern(8, 99));
        QVERIFY(f->find("missing") == nullptr);
        // Offsets are in the given order and contiguous; the header length is a multiple of 8.
        uint64_t headerLen = 0;
        for (int i = 7; i >= 0; --i)
            headerLen = headerLen << 8 | f->mapping()->data()[i];
        QCOMPARE(headerLen % 8, uint64_t(0));
        uint64_t expectOffset = 8 + headerLen;
        for (const auto& s : src) {
            const auto* t = f->find(s.name);
            QCOMPARE(t->offset, expectOffset);
            expectOffset += t->nbytes;
        }
        QCOMPARE(f->mapping()->size(), expectOffset);
    }

    void acceptsHolesAndEmptyTensors() {
        // Holes between tensors are allowed (only overlaps are not); an empty tensor inside
        // another's span overlaps nothing.
        auto p = bad(stBytes(R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},)"
                             R"("b":{"dtype":"U8","shape":[4],"data_offsets":[8,12]},)"
                             R"("e":{"dtype":"F32","shape":[0],"data_offsets":[2,2]}})",
                             pattern(16, 5)));
        auto f = io::SafetensorsFile::open(p);
        QCOMPARE(f->tensors().size(), std::size_t(3));
        QCOMPARE(std::string(reinterpret_cast<const char*>(f->data(*f->find("b"))), 4),
                 pattern(16, 5).substr(8, 4));
    }

    void truncatedOrTinyFiles() {
        EXPECT_OPEN_ERROR(bad(""), "0 bytes", "shorter than the 8-byte");
        EXPECT_OPEN_ERROR(bad(std::string("\x05\0\0", 3)), "3 bytes", "shorter than the 8-byte");
        // Header length beyond the file.
        EXPECT_OPEN_ERROR(bad(stBytes("{}", "", 64)), "header length 64", "2 bytes follow");
        // Absurd header length (1 TiB) in a tiny file.
        EXPECT_OPEN_ERROR(bad(stBytes("{}", "", uint64_t(1) << 40)), "100 MB");
        EXPECT_OPEN_ERROR(bad(le64(~uint64_t(0))), "100 MB");
        // A valid file cut short: the last tensor's end is beyond the buffer.
        const std::string good = tmp_.filePath("good.safetensors").toStdString();
        io::writeSafetensors(good, {source("x", DType::F32, {4}, pattern(16, 1))});
        std::string bytes = io::readFile(good);
        EXPECT_OPEN_ERROR(bad(bytes.substr(0, bytes.size() - 1)), "tensor 'x'",
                          "beyond the data buffer");
        EXPECT_OPEN_ERROR(bad(bytes.substr(0, 12)), "truncated");
        const std::string missing = tmp_.filePath("nope.safetensors").toStdString();
        EXPECT_OPEN_ERROR(missing, "cannot open");
        EXPECT_OPEN_ERROR(tmp_.path().toStdString(), "directory");
    }

    void headerNotJsonOrNotObject() {
        EXPECT_OPEN_ERROR(bad(stBytes("{\"w\": ", "")), "not valid JSON");
        EXPECT_OPEN_ERROR(bad(stBytes("", "")), "not valid JSON");
        EXPECT_OPEN_ERROR(bad(stBytes("{\"w\":{}}\x01", "")), "not valid JSON");
        EXPECT_OPEN_ERROR(bad(stBytes("{\"\xff\":{}}", "")), "not valid JSON"); // bad UTF-8
        EXPECT_OPEN_ERROR(bad(stBytes("[1,2]", "")), "not a JSON object");
        EXPECT_OPEN_ERROR(bad(stBytes("\"text\"", "")), "not a JSON object");
        EXPECT_OPEN_ERROR(bad(stBytes(R"({"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},)"
                                      R"("w":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}})",
                                      "ab")),
                          "'w'", "more than once");
    }

    void entryMissingKeysOrWrongTypes() {
        EXPECT_OPEN_ERROR(badEntry("3"), "tensor 'w'", "not a JSON object");
        EXPECT_OPEN_ERROR(badEntry(R"({"shape":[2],"data_offsets":[0,8]})"), "tensor 'w'",
                          "missing \"dtype\"");
        EXPECT_OPEN_ERROR(badEntry(R"({"dtype":"F32","data_offsets":[0,8]})"), "tensor 'w'",
                          "missing \"shape\"");
        EXPECT_OPEN_ERROR(badEntry(R"({"dtype":"F32","shape":[2]})"), "tensor 'w'",
                          "missing \"data_offsets\"");
        EXPECT_OPEN_ERROR(badEntry(R"({"dtype":32,"shape":[2],"data_offsets":[0,8]})"),
                          "tensor 'w'", "\"dtype\" is not a string");
        EXPECT_OPEN_ERROR(badEntry(R"({"dtype":"F32","shape":"2","data_offsets":[0,8]})"),
                          "tensor 'w'", "\"shape\" is not an array");
        EXPECT_OPEN_ERROR(badEntry(R"({"dtype":"F32","shape":[2.0],"data_offsets":[0,8]})"),
                          "tensor 'w'", "non-integer dimension");
        EXPECT_OPEN_ERROR(badEntry(R"({"dtype":"F32","shape":[2],"data_offsets":"0-8"})"),
                          "tensor 'w'", "[begin, end]");
        EXPECT_OPEN_ERROR(badEntry(R"({"dtype":"F32","shape":[2],"data_offsets":[8]})"),
                          "tensor 'w'", "[begin, end]");
        EXPECT_OPEN_ERROR(badEntry(R"({"dtype":"F32","shape":[2],"data_offsets":[0,8,8]})"),
                          "tensor 'w'", "[begin, end]");
        EXPECT_OPEN_ERROR(badEntry(R"({"dtype":"F32","shape":[2],"data_offsets":[-8,0]})"),
                          "tensor 'w'", "non-negative");
        EXPECT_OPEN_ERROR(badEntry(R"({"dtype":"F32","shape":[2],"data_offsets":[0.0,8]})"),
                          "tensor 'w'", "[begin, end]");
    }

    void unknownDtypeListsSupported() {
        EXPECT_OPEN_ERROR(badEntry(R"({"dtype":"F128","shape":[2],"data_offsets":[0,8]})"),
                          "tensor 'w'", "unknown dtype 'F128'", "F32", "BF16", "F16", "F8_E5M2");
        EXPECT_OPEN_ERROR(badEntry(R"({"dtype":"f32","shape":[2],"data_offsets":[0,8]})"),
                          "unknown dtype 'f32'");
    }

    void negativeOrOverflowingShapes() {
        EXPECT_OPEN_ERROR(badEntry(R"({"dtype":"F32","shape":[-1,2],"data_offsets":[0,8]})"),
                          "tensor 'w'", "negative dimension -1");
        // 2^32 * 2^32 overflows int64.
        EXPECT_OPEN_ERROR(
            badEntry(R"({"dtype":"U8","shape":[4294967296,4294967296],"data_offsets":[0,8]})"),
            "tensor 'w'", "overflow");
        // numel 2^62 fits, but times 8 bytes does not fit 64 bits.
        EXPECT_OPEN_ERROR(
            badEntry(R"({"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,8]})"),
            "tensor 'w'", "overflow");
        // Wrapping around to a small product must not pass: 2^63 * 2 == 0 mod 2^64.
        EXPECT_OPEN_ERROR(
            badEntry(R"({"dtype":"U8","shape":[9223372036854775808,2],"data_offsets":[0,0]})"),
            "tensor 'w'", "too large");
        EXPECT_OPEN_ERROR(
            badEntry(R"({"dtype":"U8","shape":[4611686018427387904,4,0],"data_offsets":[0,0]})"),
            "tensor 'w'", "overflow");
    }

    void badOffsets() {
        EXPECT_OPEN_ERROR(badEntry(R"({"dtype":"F32","shape":[2],"data_offsets":[8,0]})"),
                          "tensor 'w'", "begin 8 is after end 0");
        EXPECT_OPEN_ERROR(badEntry(R"({"dtype":"F32","shape":[2],"data_offsets":[8,16]})"),
                          "tensor 'w'", "end 16 is beyond the data buffer (8 bytes)");
        EXPECT_OPEN_ERROR(
            badEntry(R"({"dtype":"F32","shape":[2],"data_offsets":[0,18446744073709551615]})"),
            "tensor 'w'", "beyond the data buffer");
        EXPECT_OPEN_ERROR(badEntry(R"({"dtype":"F32","shape":[2],"data_offsets":[0,4]})"),
                          "tensor 'w'", "span 4 bytes but shape [2] in F32 needs 8");
        EXPECT_OPEN_ERROR(badEntry(R"({"dtype":"BF16","shape":[2],"data_offsets":[0,8]})"),
                          "tensor 'w'", "span 8 bytes", "needs 4");
    }

    void overlappingTensors() {
        EXPECT_OPEN_ERROR(bad(stBytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                      R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                                      pattern(12, 1))),
                          "tensor 'b' overlaps tensor 'a'");
        // Same span twice.
        EXPECT_OPEN_ERROR(bad(stBytes(R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},)"
                                      R"("b":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}})",
                                      pattern(4, 1))),
                          "overlaps");
        // A small tensor inside a big one that starts first, with a later one after it.
        EXPECT_OPEN_ERROR(bad(stBytes(R"({"big":{"dtype":"U8","shape":[10],"data_offsets":[0,10]},)"
                                      R"("mid":{"dtype":"U8","shape":[2],"data_offsets":[3,5]},)"
                                      R"("end":{"dtype":"U8","shape":[2],"data_offsets":[10,12]}})",
                                      pattern(12, 1))),
                          "tensor 'mid' overlaps tensor 'big'");
        // The tensor just before it in offset order is empty: the overlap is with the one before.
        EXPECT_OPEN_ERROR(bad(stBytes(R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},)"
                                      R"("e":{"dtype":"U8","shape":[0],"data_offsets":[2,2]},)"
                                      R"("b":{"dtype":"U8","shape":[3],"data_offsets":[3,6]}})",
                                      pattern(6, 1))),
                          "tensor 'b' overlaps tensor 'a'");
    }

    void badMetadata() {
        EXPECT_OPEN_ERROR(bad(stBytes(R"({"__metadata__":[1]})", "")), "__metadata__",
                          "not an object of strings");
        EXPECT_OPEN_ERROR(bad(stBytes(R"({"__metadata__":{"format":"pt","n":3}})", "")),
                          "__metadata__", "'n' is not a string");
    }

    void corruptedFilesNeverCrash() {
        // Every truncation and many random byte corruptions of a valid file either open (with
        // every tensor inside the mapping) or throw Error; none crashes or throws anything else.
        const std::string good = tmp_.filePath("fuzz-src.safetensors").toStdString();
        io::writeSafetensors(good,
                             {source("a.weight", DType::F32, {2, 3}, pattern(24, 1)),
                              source("b", DType::BF16, {5}, pattern(10, 2)),
                              source("c", DType::U8, {0}, "")},
                             {{"k", "v"}});
        const std::string bytes = io::readFile(good);
        int opened = 0, refused = 0;
        auto attempt = [&](const std::string& b) {
            // A fresh name each time: rewriting a truncated file makes ext4 flush it (slow).
            const std::string p =
                tmp_.filePath(QString("fuzz%1.safetensors").arg(opened + refused)).toStdString();
            writeRaw(p, b);
            struct Remove {
                std::string path;
                ~Remove() { std::remove(path.c_str()); }
            } remove{p};
            try {
                auto f = io::SafetensorsFile::open(p);
                for (const auto& t : f->tensors())
                    QVERIFY(t.offset + t.nbytes <= f->mapping()->size());
                ++opened;
            } catch (const Error& e) {
                QVERIFY(std::string(e.what()).find(p) == 0);
                ++refused;
            }
        };
        for (std::size_t n = 0; n < bytes.size(); ++n)
            attempt(bytes.substr(0, n));
        uint64_t x = 12345;
        for (int i = 0; i < 3000; ++i) {
            std::string b = bytes;
            for (int k = 0; k < 1 + i % 3; ++k) {
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                std::size_t at = (x >> 33) % std::min<std::size_t>(b.size(), 8 + 160);
                const char alphabet[] = "0123456789[]{},:\" -.e\xff";
                b[at] = alphabet[(x >> 20) % (sizeof(alphabet) - 1)];
            }
            attempt(b);
        }
        QVERIFY(refused > 1000);
        QVERIFY(opened > 0);
    }

    void writerRejectsBadSources() {
        const std::string path = tmp_.filePath("w.safetensors").toStdString();
        io::writeFileAtomically(path, "previous");
        auto expectWriteError = [&](std::vector<io::TensorSource> src, const char* part) {
            try {
                io::writeSafetensors(path, src);
                QFAIL("expected an error");
            } catch (const Error& e) {
                QVERIFY2(std::string(e.what()).find(path) == 0, e.what());
                QVERIFY2(std::string(e.what()).find(part) != std::string::npos, e.what());
            }
            QCOMPARE(io::readFile(path), std::string("previous"));
        };
        expectWriteError({source("a", DType::F32, {3}, pattern(8, 1))},
                         "gave 8 bytes, expected 12");
        expectWriteError({source("a", DType::F32, {2}, pattern(8, 1)),
                          source("b", DType::BF16, {2}, pattern(3, 1))},
                         "tensor 'b'");
        expectWriteError({source("a", DType::U8, {1}, "x"), source("a", DType::U8, {1}, "y")},
                         "given twice");
        expectWriteError({source("a", DType::U8, {-1}, "")}, "invalid shape");
        expectWriteError({source("__metadata__", DType::U8, {1}, "x")}, "reserved");
        expectWriteError({io::TensorSource{"a", DType::U8, {1}, nullptr}}, "no data source");
        for (const auto& f : filesIn(tmp_)) // no temporary file left behind
            QVERIFY2(f.find(".tmp.") == std::string::npos, f.c_str());
    }

    void cancelLeavesNoFile() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("c.safetensors").toStdString();
        CancelToken cancel;
        int calls = 0;
        std::vector<io::TensorSource> src;
        for (int i = 0; i < 4; ++i)
            src.push_back({"t" + std::to_string(i), DType::U8, {4}, [&, i] {
                               ++calls;
                               if (i == 1)
                                   cancel.cancel(); // cancelled while producing t1
                               return pattern(4, unsigned(i));
                           }});
        JobControl job;
        job.cancel = &cancel;
        bool cancelled = false;
        try {
            io::writeSafetensors(path, src, {}, job);
        } catch (const Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        QCOMPARE(calls, 2); // stopped before producing the next tensor
        QVERIFY(filesIn(dir).empty());
        // A previous file survives a cancelled rewrite.
        io::writeFileAtomically(path, "old");
        CancelToken already;
        already.cancel();
        job.cancel = &already;
        QVERIFY_THROWS_EXCEPTION(Cancelled, io::writeSafetensors(path, src, {}, job));
        QCOMPARE(io::readFile(path), std::string("old"));
        QCOMPARE(filesIn(dir).size(), std::size_t(1));
    }

    void progressPerTensor() {
        const std::string path = tmp_.filePath("p.safetensors").toStdString();
        std::vector<ProgressInfo> seen;
        JobControl job;
        job.progress = [&](const ProgressInfo& p) { seen.push_back(p); };
        io::writeSafetensors(path,
                             {source("a", DType::U8, {4}, "abcd"),
                              source("b", DType::U8, {12}, pattern(12, 1)),
                              source("c", DType::U8, {0}, "")},
                             {}, job);
        QCOMPARE(seen.size(), std::size_t(4)); // one per tensor, then done
        QCOMPARE(seen[0].fraction, 0.0);
        QCOMPARE(seen[1].fraction, 4.0 / 16.0);
        QCOMPARE(seen[2].fraction, 1.0);
        QCOMPARE(seen[3].fraction, 1.0);
        QVERIFY(seen[1].message.find("b") != std::string::npos);
        QCOMPARE(seen[3].done, 3LL);
        QCOMPARE(seen[3].total, 3LL);
    }

    void shardedDirectory() {
        QTemporaryDir dir;
        auto at = [&](const char* n) { return dir.filePath(n).toStdString(); };
        io::writeSafetensors(at("model-00001-of-00002.safetensors"),
                             {source("x.weight", DType::F32, {2, 2}, pattern(16, 1)),
                              source("y.weight", DType::F16, {3}, pattern(6, 2))});
        io::writeSafetensors(at("model-00002-of-00002.safetensors"),
                             {source("z.weight", DType::BF16, {4}, pattern(8, 3))});
        writeRaw(at("model.safetensors.index.json"),
                 R"({"metadata":{"total_size":30},"weight_map":{)"
                 R"("x.weight":"model-00001-of-00002.safetensors",)"
                 R"("y.weight":"model-00001-of-00002.safetensors",)"
                 R"("z.weight":"model-00002-of-00002.safetensors"}})");
        auto ck = io::SafetensorsCheckpoint::openDirectory(dir.path().toStdString());
        QCOMPARE(ck.files().size(), std::size_t(2));
        QCOMPARE(ck.names(), (std::vector<std::string>{"x.weight", "y.weight", "z.weight"}));
        QCOMPARE(ck.totalBytes(), uint64_t(30));
        const auto* z = ck.find("z.weight");
        QVERIFY(z);
        QCOMPARE(std::string(reinterpret_cast<const char*>(ck.data(*z)), 8), pattern(8, 3));
        QVERIFY(ck.fileOf("z.weight")->path().find("00002-of") != std::string::npos);
        QVERIFY(ck.find("w") == nullptr && ck.fileOf("w") == nullptr);
    }

    void singleFilePreferredAndChecked() {
        QTemporaryDir dir;
        io::writeSafetensors(dir.filePath("model.safetensors").toStdString(),
                             {source("a", DType::U8, {3}, "abc")});
        auto ck = io::SafetensorsCheckpoint::openDirectory(dir.path().toStdString());
        QCOMPARE(ck.names(), std::vector<std::string>{"a"});
        // A malformed single file reports the file.
        writeRaw(dir.filePath("model.safetensors").toStdString(), le64(2) + "{}");
        EXPECT_DIR_ERROR(dir.path().toStdString(), "model.safetensors", "contains no tensors");
    }

    void badIndexes() {
        QTemporaryDir outer;
        QDir(outer.path()).mkdir("m");
        const std::string dir = outer.filePath("m").toStdString();
        const std::string idx = dir + "/model.safetensors.index.json";
        io::writeSafetensors(dir + "/s1.safetensors",
                             {source("a", DType::U8, {1}, "a"), source("b", DType::U8, {1}, "b")});
        io::writeSafetensors(dir + "/s2.safetensors", {source("b", DType::U8, {1}, "B")});
        io::writeSafetensors(outer.filePath("outside.safetensors").toStdString(),
                             {source("a", DType::U8, {1}, "a")});
        auto index = [&](const std::string& wm) { writeRaw(idx, "{\"weight_map\":" + wm + "}"); };

        writeRaw(idx, R"({"metadata":{}})");
        EXPECT_DIR_ERROR(dir, idx.c_str(), "weight_map");
        writeRaw(idx, R"({"weight_map":)");
        EXPECT_DIR_ERROR(dir, idx.c_str(), "invalid JSON");
        index("{}");
        EXPECT_DIR_ERROR(dir, "lists no tensors");
        index(R"({"a":3})");
        EXPECT_DIR_ERROR(dir, "'a'", "not a file name");
        index(R"({"a":"missing.safetensors"})");
        EXPECT_DIR_ERROR(dir, "'a'", "missing.safetensors", "does not exist");
        index(R"({"a":"../outside.safetensors"})");
        EXPECT_DIR_ERROR(dir, "../outside.safetensors", "leaves the model directory");
        index(R"({"a":"sub/../../outside.safetensors"})");
        EXPECT_DIR_ERROR(dir, "leaves the model directory");
        const std::string abs =
            "{\"a\":\"" + outer.filePath("outside.safetensors").toStdString() + "\"}";
        index(abs);
        EXPECT_DIR_ERROR(dir, "absolute paths are not allowed");
        // Mapped to a shard that lacks it.
        index(R"({"a":"s2.safetensors","b":"s2.safetensors"})");
        EXPECT_DIR_ERROR(dir, "'a'", "s2.safetensors", "no such tensor");
        // The same tensor stored in two shards.
        index(R"({"a":"s1.safetensors","b":"s2.safetensors"})");
        EXPECT_DIR_ERROR(dir, "tensor 'b'", "s1.safetensors", "s2.safetensors", "both");
    }

    void refusesPickleCheckpoints() {
        for (const char* name : {"pytorch_model.bin", "model.pt", "weights.pth", "last.ckpt"}) {
            QTemporaryDir dir;
            writeRaw(dir.filePath(name).toStdString(), std::string("\x80\x02}q\x00.", 6));
            writeRaw(dir.filePath("config.json").toStdString(), "{}");
            EXPECT_DIR_ERROR(dir.path().toStdString(), name, "pickle", "arbitrary code",
                             "safe_serialization=True", "save_pretrained");
        }
    }

    void missingOrEmptyDirectory() {
        EXPECT_DIR_ERROR(tmp_.filePath("no-such-model").toStdString(), "no-such-model",
                         "does not exist");
        QTemporaryDir dir;
        writeRaw(dir.filePath("config.json").toStdString(), "{}");
        EXPECT_DIR_ERROR(dir.path().toStdString(), "no model weights found", "model.safetensors");
        writeRaw(dir.filePath("adapter.safetensors").toStdString(), "");
        EXPECT_DIR_ERROR(dir.path().toStdString(), "found adapter.safetensors");
        EXPECT_DIR_ERROR(dir.filePath("config.json").toStdString(), "not a directory");
    }

    void readsRealStories260K() {
        TQ_REQUIRE_FIXTURE("models/stories260K/model.safetensors");
        const std::string dir = tqtest::fixture("models/stories260K");
        const std::string file = dir + "/model.safetensors";
        auto ck = io::SafetensorsCheckpoint::openDirectory(dir);
        // Shapes follow from config.json.
        std::ifstream cfgIn(dir + "/config.json");
        const auto cfg = nlohmann::json::parse(cfgIn);
        const int64_t vocab = cfg["vocab_size"], hidden = cfg["hidden_size"];
        const int64_t heads = cfg["num_attention_heads"], kv = cfg["num_key_value_heads"];
        const int64_t headDim = cfg["head_dim"], inter = cfg["intermediate_size"];
        const int layers = cfg["num_hidden_layers"];
        const auto* emb = ck.find("model.embed_tokens.weight");
        QVERIFY(emb);
        QCOMPARE(emb->shape, (std::vector<int64_t>{vocab, hidden}));
        QCOMPARE(emb->shape, (std::vector<int64_t>{512, 64}));
        QVERIFY(emb->dtype == DType::F32);
        for (int l = 0; l < layers; ++l) {
            const std::string p = "model.layers." + std::to_string(l);
            QCOMPARE(ck.find(p + ".self_attn.q_proj.weight")->shape,
                     (std::vector<int64_t>{heads * headDim, hidden}));
            QCOMPARE(ck.find(p + ".self_attn.k_proj.weight")->shape,
                     (std::vector<int64_t>{kv * headDim, hidden}));
            QCOMPARE(ck.find(p + ".mlp.down_proj.weight")->shape,
                     (std::vector<int64_t>{hidden, inter}));
        }
        // 9 tensors per layer + embeddings + final norm (embeddings are tied: no lm_head).
        QCOMPARE(ck.names().size(), std::size_t(layers * 9 + 2));

        // An independent read with std::ifstream at the header's offsets gives the same bytes.
        std::ifstream in(file, std::ios::binary);
        unsigned char len[8];
        in.read(reinterpret_cast<char*>(len), 8);
        uint64_t n = 0;
        for (int i = 7; i >= 0; --i)
            n = n << 8 | len[i];
        std::string header(n, '\0');
        in.read(header.data(), std::streamsize(n));
        const auto h = nlohmann::json::parse(header);
        for (const char* name : {"model.embed_tokens.weight", "model.layers.4.mlp.up_proj.weight",
                                 "model.norm.weight"}) {
            const uint64_t begin = h[name]["data_offsets"][0], end = h[name]["data_offsets"][1];
            std::string expected(end - begin, '\0');
            in.seekg(std::streamoff(8 + n + begin));
            in.read(expected.data(), std::streamsize(expected.size()));
            QVERIFY(in.good());
            const auto* t = ck.find(name);
            QVERIFY(t);
            QCOMPARE(t->nbytes, end - begin);
            QVERIFY(std::memcmp(ck.data(*t), expected.data(), expected.size()) == 0);
        }
    }
};

QTEST_APPLESS_MAIN(TstSafetensors)
#include "tst_safetensors.moc"
