// Importance matrices: llama-imatrix's own GGUF file (golden) reads with the facts it states and
// writes back byte for byte; the legacy .dat layout is checked against a hand assembly and
// round-trips; malformed files (truncations at every offset, wrong types and shapes, NaN, zero
// counts, missing parts, a model mismatch) give one Error naming the file; on stories260K the
// computed sums of layer 0 equal an independent libtorch recomputation of that layer's inputs.
#include <ATen/ATen.h>
#include <QtTest/QtTest>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/export/apply_policy.h"
#include "core/export/checkpoint_tensor.h"
#include "core/export/export_run.h"
#include "core/io/atomic_file.h"
#include "core/io/gguf_reader.h"
#include "core/io/gguf_writer.h"
#include "core/io/imatrix_file.h"
#include "core/io/safetensors.h"
#include "core/models/model_loader.h"
#include "core/quant/codec.h"
#include "core/sensitivity/activation_stats.h"
#include "core/sensitivity/imatrix.h"
#include "core/sensitivity/map_runs.h"
#include "core/util/error.h"
#include "tests/common/fixtures.h"

using namespace taskquant;
using namespace taskquant::io;

namespace {

const char* kGolden = "golden/ggml/source.imatrix.gguf";
const char* kSource = "golden/ggml/source-f32.gguf";
const char* kStories = "models/stories260K";

std::string slurp(const std::string& p) {
    return readFile(p);
}

void putI32(std::string& s, int32_t v) {
    char b[4];
    std::memcpy(b, &v, 4);
    s.append(b, 4);
}
void putF32(std::string& s, float v) {
    char b[4];
    std::memcpy(b, &v, 4);
    s.append(b, 4);
}
int32_t getI32(const std::string& s, std::size_t at) {
    int32_t v;
    std::memcpy(&v, s.data() + at, 4);
    return v;
}
float getF32(const std::string& s, std::size_t at) {
    float v;
    std::memcpy(&v, s.data() + at, 4);
    return v;
}

// Expects readImatrix(path) to throw one Error naming the file whose message contains `what`.
void expectError(const std::string& path, const std::string& what) {
    try {
        (void)readImatrix(path);
        QFAIL(
            qPrintable(QString::fromStdString("accepted: " + path + " (expected: " + what + ")")));
    } catch (const Cancelled&) {
        QFAIL("cancelled");
    } catch (const Error& e) {
        const std::string msg = e.what();
        QVERIFY2(msg.find(path) != std::string::npos, msg.c_str());
        QVERIFY2(msg.find(what) != std::string::npos, (msg + " / wanted: " + what).c_str());
    }
}

// A one-entry GGUF imatrix written with the generic GGUF writer (not the code under test).
void writeCustomGguf(
    const std::string& path, const GgufMetadata& md,
    const std::vector<std::tuple<std::string, GgmlType, std::vector<int64_t>, std::vector<float>>>&
        tensors) {
    std::vector<GgufTensorSource> src;
    for (const auto& [name, type, shape, values] : tensors) {
        GgufTensorSource s;
        s.name = name;
        s.type = type;
        s.shape = shape;
        std::vector<float> v = values;
        s.bytes = [v, type = type]() {
            if (type == GgmlType::F16)
                return std::string(v.size() * 2, '\0');
            return std::string(reinterpret_cast<const char*>(v.data()), v.size() * 4);
        };
        src.push_back(std::move(s));
    }
    writeGguf(path, md, src);
}

GgufMetadata imatrixMetadata() {
    GgufMetadata md;
    md.set("general.type", "imatrix");
    md.set("imatrix.datasets", std::vector<std::string>{"x.txt"});
    md.set("imatrix.chunk_count", uint32_t(1));
    md.set("imatrix.chunk_size", uint32_t(4));
    return md;
}

} // namespace

class TstImatrix : public QObject {
    Q_OBJECT
  private slots:
    void goldenFacts() {
        TQ_REQUIRE_FIXTURE(kGolden);
        TQ_REQUIRE_FIXTURE(kSource);
        const std::string path = tqtest::fixture(kGolden);
        const Imatrix m = readImatrix(path);
        QCOMPARE(int(m.format), int(ImatrixFormat::Gguf));
        QCOMPARE(m.entries.size(), std::size_t(14)); // 2 layers x 7 matrices, no output.weight
        QCOMPARE(m.chunkSize, 64u);                  // llama-imatrix -c 64
        QCOMPARE(m.chunkCount, 741u);
        QCOMPARE(m.datasets.size(), std::size_t(1));
        const auto model = GgufFile::open(tqtest::fixture(kSource));
        for (const auto& e : m.entries) {
            const GgufTensorInfo* t = model->find(e.name);
            QVERIFY2(t, e.name.c_str());
            QCOMPARE(e.columns, t->shape.back());
            QCOMPARE(e.matrices(), int64_t(1));
            QCOMPARE(int64_t(e.sums.size()), t->shape.back());
            // every token of every chunk: 741 chunks x 64 tokens
            QCOMPARE(double(e.counts[0]), 741.0 * 64.0);
        }
        QVERIFY(!m.find("output.weight"));
        // q, k and v (and gate, up) multiply the same activations
        QCOMPARE(m.find("blk.1.attn_q.weight")->sums, m.find("blk.1.attn_v.weight")->sums);
        QCOMPARE(m.find("blk.0.ffn_gate.weight")->sums, m.find("blk.0.ffn_up.weight")->sums);
        QVERIFY(m.find("blk.0.ffn_down.weight")->sums != m.find("blk.0.ffn_up.weight")->sums);
        // importance = in_sum2 / count, against the raw file bytes (tensor table read by the
        // generic GGUF reader; the division by hand)
        const auto raw = GgufFile::open(path);
        const GgufTensorInfo* s2 = raw->find("blk.0.ffn_down.weight.in_sum2");
        const GgufTensorInfo* cn = raw->find("blk.0.ffn_down.weight.counts");
        QVERIFY(s2 && cn);
        float count, first, last;
        std::memcpy(&count, raw->data(*cn), 4);
        std::memcpy(&first, raw->data(*s2), 4);
        std::memcpy(&last, raw->data(*s2) + 4 * 511, 4);
        const auto imp = m.importance(*m.find("blk.0.ffn_down.weight"));
        QCOMPARE(imp.size(), std::size_t(512));
        QCOMPARE(imp[0], first / count);
        QCOMPARE(imp[511], last / count);
    }

    void goldenWritesBackByteForByte() {
        TQ_REQUIRE_FIXTURE(kGolden);
        const std::string path = tqtest::fixture(kGolden);
        QTemporaryDir tmp;
        const std::string out = tmp.path().toStdString() + "/again.imatrix.gguf";
        writeImatrix(out, readImatrix(path));
        QVERIFY(slurp(out) == slurp(path)); // llama-imatrix's own bytes
    }

    void legacyLayoutAndRoundTrip() {
        TQ_REQUIRE_FIXTURE(kGolden);
        const Imatrix g = readImatrix(tqtest::fixture(kGolden));
        QTemporaryDir tmp;
        const std::string dat = tmp.path().toStdString() + "/x.dat";
        writeImatrix(dat, g.toLegacy());
        // parse by hand: n_entries, {len, name, ncall, nval, values}, chunk count, dataset
        const std::string b = slurp(dat);
        std::size_t at = 0;
        QCOMPARE(getI32(b, at), 14);
        at += 4;
        for (int i = 0; i < 14; ++i) {
            const int32_t len = getI32(b, at);
            const std::string name = b.substr(at + 4, std::size_t(len));
            at += 4 + std::size_t(len);
            QCOMPARE(name, g.entries[std::size_t(i)].name); // sorted names
            const int32_t ncall = getI32(b, at), nval = getI32(b, at + 4);
            at += 8;
            QCOMPARE(ncall, 741); // ceil(47424 / 64)
            const auto& e = g.entries[std::size_t(i)];
            QCOMPARE(int64_t(nval), e.columns);
            for (int32_t j = 0; j < nval; j += 37) {
                const float want = (e.sums[std::size_t(j)] / e.counts[0]) * 741.0f;
                QCOMPARE(getF32(b, at + 4 * std::size_t(j)), want);
            }
            at += 4 * std::size_t(nval);
        }
        QCOMPARE(getI32(b, at), 741);
        const int32_t dlen = getI32(b, at + 4);
        QCOMPARE(b.substr(at + 8), g.datasets[0]);
        QCOMPARE(std::size_t(dlen), g.datasets[0].size());

        const Imatrix l = readImatrix(dat);
        QCOMPARE(int(l.format), int(ImatrixFormat::Legacy));
        QCOMPARE(l.entries.size(), g.entries.size());
        QCOMPARE(l.chunkCount, 741u);
        QCOMPARE(l.datasets, g.datasets);
        for (const auto& e : g.entries) {
            const auto a = g.importance(e);
            const auto c = l.importance(*l.find(e.name));
            QCOMPARE(a.size(), c.size());
            for (std::size_t j = 0; j < a.size(); ++j)
                QVERIFY(std::fabs(a[j] - c[j]) <= 1e-6f * std::fabs(a[j]) + 1e-30f);
        }
        // .dat written back from what was read: the same bytes
        const std::string dat2 = tmp.path().toStdString() + "/y.dat";
        writeImatrix(dat2, l);
        QVERIFY(slurp(dat2) == b);
        // legacy -> GGUF as llama-imatrix converts: sums = values * chunk, counts = ncall * chunk
        const Imatrix back = l.toGguf(64);
        QCOMPARE(double(back.entries[0].counts[0]), 741.0 * 64);
        QCOMPARE(back.chunkCount, 741u);
        QCOMPARE(back.entries[0].sums[3], l.entries[0].sums[3] * 64.0f);
    }

    void legacyHandAssembled() {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        std::string b;
        putI32(b, 2);
        for (const auto& [name, ncall] : {std::pair<std::string, int>{"blk.1.ffn_down.weight", 4},
                                          {"blk.0.attn_q.weight", 2}}) {
            putI32(b, int32_t(name.size()));
            b += name;
            putI32(b, ncall);
            putI32(b, 3);
            for (float v : {2.0f, 6.0f, 0.5f})
                putF32(b, v);
        }
        const std::size_t entriesEnd = b.size();
        putI32(b, 9);
        putI32(b, 5);
        b += "c.txt";
        writeFileAtomically(dir + "/a.dat", b);
        const Imatrix m = readImatrix(dir + "/a.dat");
        QCOMPARE(m.entries.size(), std::size_t(2));
        QCOMPARE(m.entries[0].name, std::string("blk.0.attn_q.weight")); // sorted
        QCOMPARE(m.chunkCount, 9u);
        QCOMPARE(m.datasets, std::vector<std::string>{"c.txt"});
        // llama-quantize: values / ncall
        QCOMPARE(m.importance(m.entries[0]), (std::vector<float>{1.0f, 3.0f, 0.25f}));
        QCOMPARE(m.importance(m.entries[1]), (std::vector<float>{0.5f, 1.5f, 0.125f}));
        // the older layouts without the trailer, or with the chunk count only
        writeFileAtomically(dir + "/b.dat", b.substr(0, entriesEnd));
        QCOMPARE(readImatrix(dir + "/b.dat").entries.size(), std::size_t(2));
        writeFileAtomically(dir + "/c.dat", b.substr(0, entriesEnd + 4));
        QCOMPARE(readImatrix(dir + "/c.dat").chunkCount, 9u);
        // every other truncation is an error naming the file
        for (std::size_t cut = 0; cut < b.size(); ++cut) {
            if (cut == entriesEnd || cut == entriesEnd + 4)
                continue;
            const std::string p = dir + "/cut" + std::to_string(cut) + ".dat";
            writeFileAtomically(p, b.substr(0, cut));
            expectError(p, "");
        }
        writeFileAtomically(dir + "/trail.dat", b + "x");
        expectError(dir + "/trail.dat", "unexpected bytes");
        // bad fields
        auto variant = [&](const std::string& name, std::size_t at, int32_t v) {
            std::string c = b;
            std::memcpy(&c[at], &v, 4);
            writeFileAtomically(dir + "/" + name, c);
            return dir + "/" + name;
        };
        const std::size_t ncallAt = 4 + 4 + 21, nvalAt = ncallAt + 4;
        expectError(variant("ncall0.dat", ncallAt, 0), "count of 0");
        expectError(variant("nval0.dat", nvalAt, 0), "0 values");
        expectError(variant("nvalbig.dat", nvalAt, 1 << 30), "truncated");
        expectError(variant("len.dat", 4, -5), "bad name length");
        expectError(variant("n0.dat", 0, 0), "entry count 0");
        expectError(variant("nbig.dat", 0, 1 << 28), "cannot fit");
        const float nan = std::nanf("");
        std::string c = b;
        std::memcpy(&c[nvalAt + 8], &nan, 4);
        writeFileAtomically(dir + "/nan.dat", c);
        expectError(dir + "/nan.dat", "non-finite");
        const float neg = -1.0f;
        c = b;
        std::memcpy(&c[nvalAt + 8], &neg, 4);
        writeFileAtomically(dir + "/neg.dat", c);
        expectError(dir + "/neg.dat", "negative");
        // the same name twice
        std::string d;
        putI32(d, 2);
        for (int i = 0; i < 2; ++i) {
            putI32(d, 1);
            d += "a";
            putI32(d, 1);
            putI32(d, 1);
            putF32(d, 1.0f);
        }
        writeFileAtomically(dir + "/dup.dat", d);
        expectError(dir + "/dup.dat", "duplicate");
        expectError(dir + "/missing.dat", "cannot open");
    }

    void ggufMalformed() {
        TQ_REQUIRE_FIXTURE(kGolden);
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        const std::string g = slurp(tqtest::fixture(kGolden));
        // the last tensor's data ends 28 bytes before the end (ggml pads the data section)
        const std::size_t dataEnd = g.size() - 28;
        for (std::size_t cut = 0; cut < dataEnd; cut += (cut < 2000 ? 1 : 97)) {
            const std::string p = dir + "/cut" + std::to_string(cut) + ".gguf";
            writeFileAtomically(p, g.substr(0, cut));
            expectError(p, "");
            std::remove(p.c_str());
        }
        const std::string p = dir + "/bad.gguf";
        auto md = imatrixMetadata();
        using T = std::tuple<std::string, GgmlType, std::vector<int64_t>, std::vector<float>>;
        const std::vector<float> four{1, 2, 3, 4};
        writeCustomGguf(
            p, md,
            {T{"w.in_sum2", GgmlType::F16, {4}, four}, T{"w.counts", GgmlType::F32, {1}, {2}}});
        expectError(p, "expected F32");
        writeCustomGguf(p, md, {T{"w.in_sum2", GgmlType::F32, {4}, four}});
        expectError(p, "no counts");
        writeCustomGguf(p, md, {T{"w.counts", GgmlType::F32, {1}, {2}}});
        expectError(p, "no in_sum2");
        writeCustomGguf(
            p, md,
            {T{"w.in_sum2", GgmlType::F32, {4}, four}, T{"w.counts", GgmlType::F32, {2}, {2, 2}}});
        expectError(p, "one count per matrix");
        writeCustomGguf(p, md,
                        {T{"w.in_sum2", GgmlType::F32, {1, 2, 2}, four},
                         T{"w.counts", GgmlType::F32, {1}, {2}}});
        expectError(p, "[matrices, columns]");
        writeCustomGguf(
            p, md,
            {T{"w.in_sum2", GgmlType::F32, {4}, four}, T{"w.counts", GgmlType::F32, {1}, {0}}});
        expectError(p, "count of 0");
        writeCustomGguf(p, md,
                        {T{"w.in_sum2", GgmlType::F32, {4}, {1, std::nanf(""), 3, 4}},
                         T{"w.counts", GgmlType::F32, {1}, {2}}});
        expectError(p, "non-finite");
        writeCustomGguf(
            p, md,
            {T{"w.in_sum2", GgmlType::F32, {4}, four}, T{"w.counts", GgmlType::F32, {1}, {-2}}});
        expectError(p, "negative");
        writeCustomGguf(p, md, {});
        expectError(p, "no imatrix entries");
        auto noType = md;
        noType.remove("general.type");
        writeCustomGguf(
            p, noType,
            {T{"w.in_sum2", GgmlType::F32, {4}, four}, T{"w.counts", GgmlType::F32, {1}, {2}}});
        expectError(p, "general.type");
        auto model = md;
        model.set("general.type", "model");
        writeCustomGguf(p, model, {});
        expectError(p, "not an imatrix");
        auto wrong = md;
        wrong.set("imatrix.chunk_size", int32_t(4));
        writeCustomGguf(
            p, wrong,
            {T{"w.in_sum2", GgmlType::F32, {4}, four}, T{"w.counts", GgmlType::F32, {1}, {2}}});
        expectError(p, "expected UINT32");
        auto noCount = md;
        noCount.remove("imatrix.chunk_count");
        writeCustomGguf(
            p, noCount,
            {T{"w.in_sum2", GgmlType::F32, {4}, four}, T{"w.counts", GgmlType::F32, {1}, {2}}});
        expectError(p, "imatrix.chunk_count");
        // an expert tensor with one unused expert is llama.cpp's partial data: importance 1
        writeCustomGguf(p, md,
                        {T{"e.in_sum2", GgmlType::F32, {2, 2}, four},
                         T{"e.counts", GgmlType::F32, {2, 1}, {2, 0}}});
        const Imatrix m = readImatrix(p);
        QCOMPARE(m.importance(m.entries[0]), (std::vector<float>{0.5f, 1.0f, 1.0f, 1.0f}));
        QCOMPARE(m.entries[0].matrices(), int64_t(2));
        // and writes back in the shape ggml gives it
        writeImatrix(dir + "/e.gguf", m);
        const auto f = GgufFile::open(dir + "/e.gguf");
        QCOMPARE(f->find("e.counts")->shape, (std::vector<int64_t>{2, 1}));
        QCOMPARE(f->find("e.in_sum2")->shape, (std::vector<int64_t>{2, 2}));
    }

    void modelMismatch() {
        TQ_REQUIRE_FIXTURE(kGolden);
        TQ_REQUIRE_FIXTURE(kSource);
        const std::string path = tqtest::fixture(kGolden);
        const Imatrix m = readImatrix(path);
        const auto model = GgufFile::open(tqtest::fixture(kSource));
        std::vector<std::pair<std::string, int64_t>> tensors;
        for (const auto& t : model->tensors())
            if (t.shape.size() == 2)
                tensors.emplace_back(t.name, t.shape.back());
        checkImatrixMatches(m, path, tensors); // llama.cpp's pair matches
        auto missing = tensors;
        missing.erase(
            std::remove_if(missing.begin(), missing.end(),
                           [](const auto& t) { return t.first == "blk.1.ffn_up.weight"; }),
            missing.end());
        try {
            checkImatrixMatches(m, path, missing);
            QFAIL("accepted an entry the model lacks");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find(path) != std::string::npos);
            QVERIFY(std::string(e.what()).find("blk.1.ffn_up.weight") != std::string::npos);
        }
        auto cols = tensors;
        for (auto& t : cols)
            if (t.first == "blk.0.ffn_down.weight")
                t.second = 256;
        try {
            checkImatrixMatches(m, path, cols);
            QFAIL("accepted a column mismatch");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("512 columns") != std::string::npos, e.what());
        }
        // stories260K (hidden 64) with the 256-wide golden imatrix
        TQ_REQUIRE_FIXTURE(kStories);
        try {
            (void)sensitivity::loadModelImportance(path, tqtest::fixture(kStories));
            QFAIL("accepted an imatrix of another model");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find(path) != std::string::npos, e.what());
        }
    }

    // computeImatrix against an independent recomputation of layer 0 of stories260K from its
    // weights: RMSNorm, q/k/v, rotary, causal GQA attention, o_proj, SwiGLU.
    void computeMatchesHandComputation() {
        TQ_REQUIRE_FIXTURE(kStories);
        TQ_REQUIRE_FIXTURE("data/wikitext2/wiki.test.raw");
        const std::string dir = tqtest::fixture(kStories);
        std::vector<std::string> texts;
        {
            std::istringstream in(
                readFile(tqtest::fixture("data/wikitext2/wiki.test.raw"), 1 << 22));
            std::string line;
            while (std::getline(in, line) && texts.size() < 5)
                if (line.size() > 40 && line[1] != '=')
                    texts.push_back(line);
        }
        QCOMPARE(texts.size(), std::size_t(5));
        const auto samples = sensitivity::tokenizeSamples(dir, texts, 48);
        auto model = models::loadModel(dir);
        sensitivity::ImatrixOptions o;
        o.chunkSize = 48;
        o.datasets = {"wiki"};
        o.processOutput = true;
        const Imatrix m = sensitivity::computeImatrix(*model, samples, o);
        // stories260K ties its embeddings: no output.weight even with processOutput
        QCOMPARE(m.entries.size(), std::size_t(5 * 7));
        int64_t tokens = 0;
        for (const auto& s : samples)
            tokens += int64_t(s.size());
        QCOMPARE(m.chunkCount, uint32_t(tokens / 48));
        for (const auto& e : m.entries)
            QCOMPARE(double(e.counts[0]), double(tokens));

        // independent: weights by name, layer 0 by hand, in float64
        auto W = [&](const std::string& n) {
            const int i = model->parameterIndex(n);
            return model->parameters()[std::size_t(i)].tensor.detach().to(at::kDouble);
        };
        const auto& c = model->config();
        const double eps = c.normEps;
        const int64_t H = c.numHeads, KV = c.numKvHeads, D = c.headDim;
        at::Tensor sumIn = at::zeros({c.hiddenSize}, at::kDouble);
        at::Tensor sumO = at::zeros({H * D}, at::kDouble),
                   sumPost = at::zeros({c.hiddenSize}, at::kDouble);
        at::Tensor sumDown = at::zeros({c.intermediateSize}, at::kDouble);
        auto rms = [&](const at::Tensor& x, const at::Tensor& w) {
            return x * at::rsqrt(x.pow(2).mean({-1}, true) + eps) * w;
        };
        const std::string p = "model.layers.0.";
        for (const auto& s : samples) {
            const int64_t T = int64_t(s.size());
            at::Tensor ids = at::tensor(at::ArrayRef<int64_t>(s), at::kLong);
            at::Tensor h = W("model.embed_tokens.weight").index_select(0, ids); // [T, 64]
            at::Tensor x = rms(h, W(p + "input_layernorm.weight"));
            sumIn += x.pow(2).sum(0);
            at::Tensor q =
                at::matmul(x, W(p + "self_attn.q_proj.weight").t()).view({T, H, D}).transpose(0, 1);
            at::Tensor k = at::matmul(x, W(p + "self_attn.k_proj.weight").t())
                               .view({T, KV, D})
                               .transpose(0, 1);
            at::Tensor v = at::matmul(x, W(p + "self_attn.v_proj.weight").t())
                               .view({T, KV, D})
                               .transpose(0, 1);
            at::Tensor inv =
                1.0 / at::pow(c.ropeTheta, at::arange(0, D, 2, at::kDouble) / double(D));
            at::Tensor f = at::outer(at::arange(T, at::kDouble), inv);
            at::Tensor emb = at::cat({f, f}, -1);
            auto rot = [&](const at::Tensor& t) {
                at::Tensor a = t.slice(-1, 0, D / 2), b = t.slice(-1, D / 2, D);
                return t * emb.cos() + at::cat({-b, a}, -1) * emb.sin();
            };
            q = rot(q);
            k = rot(k).repeat_interleave(H / KV, 0);
            v = v.repeat_interleave(H / KV, 0);
            at::Tensor sc = at::matmul(q, k.transpose(1, 2)) / std::sqrt(double(D));
            sc = sc.masked_fill(at::ones({T, T}, at::kBool).triu(1), -INFINITY);
            at::Tensor att = at::matmul(at::softmax(sc, -1), v).transpose(0, 1).reshape({T, H * D});
            sumO += att.pow(2).sum(0);
            h = h + at::matmul(att, W(p + "self_attn.o_proj.weight").t());
            at::Tensor x2 = rms(h, W(p + "post_attention_layernorm.weight"));
            sumPost += x2.pow(2).sum(0);
            at::Tensor g = at::matmul(x2, W(p + "mlp.gate_proj.weight").t());
            at::Tensor u = at::matmul(x2, W(p + "mlp.up_proj.weight").t());
            at::Tensor a = g * at::sigmoid(g) * u;
            sumDown += a.pow(2).sum(0);
        }
        auto check = [&](const std::string& name, const at::Tensor& want) {
            const ImatrixEntry* e = m.find(name);
            QVERIFY2(e, name.c_str());
            QCOMPARE(e->columns, want.numel());
            double worst = 0;
            for (int64_t j = 0; j < want.numel(); ++j) {
                const double w = want[j].item<double>();
                worst = std::max(worst, std::fabs(double(e->sums[std::size_t(j)]) - w) /
                                            std::max(w, 1e-12));
            }
            qInfo("%s: worst relative difference %.2e", name.c_str(), worst);
            // the model runs in fp32, the reference in fp64
            QVERIFY2(worst < 1e-5,
                     (name + " worst relative difference " + std::to_string(worst)).c_str());
        };
        check("blk.0.attn_q.weight", sumIn);
        check("blk.0.attn_k.weight", sumIn);
        check("blk.0.attn_v.weight", sumIn);
        check("blk.0.attn_output.weight", sumO);
        check("blk.0.ffn_gate.weight", sumPost);
        check("blk.0.ffn_up.weight", sumPost);
        check("blk.0.ffn_down.weight", sumDown);

        // The task text's activation energies (activation_stats.h columnEnergy): the same
        // hand sums over the positions, per Hugging Face name; the observer is gone after.
        const auto energy = sensitivity::columnEnergy(*model, samples);
        auto checkEnergy = [&](const std::string& name, const at::Tensor& sum) {
            const auto it = energy.find(name);
            QVERIFY2(it != energy.end(), name.c_str());
            QCOMPARE(int64_t(it->second.size()), sum.numel());
            double worst = 0;
            for (int64_t j = 0; j < sum.numel(); ++j) {
                const double w = sum[j].item<double>() / double(tokens);
                worst = std::max(worst, std::fabs(double(it->second[std::size_t(j)]) - w) /
                                            std::max(w, 1e-12));
            }
            QVERIFY2(worst < 1e-5,
                     (name + " worst relative difference " + std::to_string(worst)).c_str());
        };
        checkEnergy(p + "self_attn.q_proj.weight", sumIn);
        checkEnergy(p + "self_attn.o_proj.weight", sumO);
        checkEnergy(p + "mlp.up_proj.weight", sumPost);
        checkEnergy(p + "mlp.down_proj.weight", sumDown);
        // the tied embedding is observed as the lm_head linear, every layer's weights too
        QCOMPARE(energy.size(), std::size_t(5 * 7 + 1));

        // written, read back, and accepted as this model's imatrix
        QTemporaryDir tmp;
        const std::string out = tmp.path().toStdString() + "/s.imatrix.gguf";
        writeImatrix(out, m);
        const Imatrix r = readImatrix(out);
        QCOMPARE(r.entries.size(), m.entries.size());
        QCOMPARE(r.entries[3].sums, m.entries[3].sums);
        const auto mi = sensitivity::loadModelImportance(out, dir);
        QCOMPARE(mi.byName.size(), std::size_t(35));
        const float* qi = mi.find("model.layers.0.self_attn.q_proj.weight");
        QVERIFY(qi);
        QCOMPARE(qi[5], float(m.find("blk.0.attn_q.weight")->sums[5] / float(tokens)));
        QVERIFY(!mi.find("model.embed_tokens.weight"));
    }

    // --imatrix plumbing: the exporter encodes each matrix with its own importance vector and
    // the in-memory applier asks for every tensor by name (whatever the codecs do with it).
    void exportAndApplyPassImportance() {
        TQ_REQUIRE_FIXTURE(kStories);
        const std::string dir = tqtest::fixture(kStories);
        auto model = models::loadModel(dir);
        const auto samples = sensitivity::tokenizeSamples(
            dir, {"One day, a little girl went to the park.", "The cat sat on the mat and slept."},
            32);
        const Imatrix m = sensitivity::computeImatrix(*model, samples, {});
        {
            CancelToken cancel;
            cancel.cancel();
            JobControl job;
            job.cancel = &cancel;
            bool cancelled = false;
            try {
                (void)sensitivity::computeImatrix(*model, samples, {}, job);
            } catch (const Cancelled&) {
                cancelled = true;
            }
            QVERIFY(cancelled);
            // the model still works, without the collector attached
            QCOMPARE(sensitivity::computeImatrix(*model, samples, {}).entries[7].sums,
                     m.entries[7].sums);
        }
        QTemporaryDir tmp;
        const std::string im = tmp.path().toStdString() + "/s.imatrix.gguf";
        writeImatrix(im, m);
        policy::Policy p;
        p.defaultPrecision = quant::Precision::parse("q4_0");
        const std::string out = tmp.path().toStdString() + "/m.gguf";
        const auto r = exporting::exportModel(dir, p, exporting::ExportFormat::Gguf, out, {}, im);
        QVERIFY(!r.notes.empty() && r.notes[0].find("35 tensors weighted") != std::string::npos);
        const auto f = GgufFile::open(out);
        const auto ckpt = SafetensorsCheckpoint::openDirectory(dir);
        const std::string hf = "model.layers.2.self_attn.o_proj.weight"; // not row-permuted
        const auto x = exporting::readTensorAsFloat(ckpt, *ckpt.find(hf));
        const auto imp = m.importance(*m.find("blk.2.attn_output.weight"));
        const std::vector<int64_t> shape = ckpt.find(hf)->shape;
        const GgufTensorInfo* t = f->find("blk.2.attn_output.weight");
        QVERIFY(t);
        const std::string want =
            quant::encode(quant::Precision::parse("q4_0"), x.data(), shape, 0, imp.data());
        QCOMPARE(t->nbytes, uint64_t(want.size()));
        QVERIFY(std::memcmp(f->data(*t), want.data(), want.size()) == 0);

        const auto table = sensitivity::loadModelImportance(im, dir);
        std::vector<std::string> asked, weighted;
        exporting::PolicyApplier applier(*model);
        applier.apply(p, {}, [&](const std::string& name) {
            asked.push_back(name);
            const float* v = table.find(name);
            if (v)
                weighted.push_back(name);
            return v;
        });
        QCOMPARE(weighted.size(), std::size_t(35));
        QVERIFY(std::find(asked.begin(), asked.end(), "model.embed_tokens.weight") != asked.end());
        QVERIFY(std::find(weighted.begin(), weighted.end(),
                          "model.layers.4.self_attn.o_proj.weight") != weighted.end());
    }
};

QTEST_APPLESS_MAIN(TstImatrix)
#include "tst_imatrix.moc"
