// The story a TaskQuant GGUF carries (core/export/gguf_story.h) and its model card:
//  - quantize.imatrix.* follow llama-quantize's rule: checked against llama-quantize's own
//    outputs in ../shared/golden/ggml (imatrix-*.gguf, made with --imatrix source.imatrix.gguf);
//  - an export of the demo model writes every key with its type and value, read back with the
//    project's GGUF reader; the policy round-trips policy -> GGUF -> policy;
//  - a corrupt, oversized or mistyped taskquant.policy is one clear error naming the file;
//  - the model card is YAML front matter + Markdown naming the right base model.
#include <QtTest/QtTest>
#include <map>
#include <nlohmann/json.hpp>

#include "core/export/export_run.h"
#include "core/export/gguf_story.h"
#include "core/export/model_card.h"
#include "core/io/atomic_file.h"
#include "core/io/gguf_reader.h"
#include "core/io/gguf_writer.h"
#include "core/io/imatrix_file.h"
#include "core/util/error.h"
#include "tests/common/fixtures.h"

using namespace taskquant;

namespace {

std::string demoModel() {
    return std::string(TASKQUANT_SOURCE_DIR) + "/resources/demo-model";
}
std::string demoImatrix() {
    return std::string(TASKQUANT_SOURCE_DIR) + "/tests/golden/imatrix/demo-wiki-c128.imatrix.gguf";
}

policy::Policy mixedPolicy() {
    policy::Policy p;
    p.defaultPrecision = quant::Precision::parse("q4_k");
    p.overrides["model.layers.0.mlp.down_proj.weight"] = quant::Precision::parse("q8_0");
    p.overrides["model.layers.1.self_attn.v_proj.weight"] = quant::Precision::parse("q6_k");
    p.provenance.method = "optimal";
    p.provenance.map = "maps/demo-fisher.json";
    p.provenance.mapMethod = "fisher";
    p.provenance.mapDataset = "arithmetic";
    p.provenance.modelFingerprint = "0123456789abcdef";
    p.provenance.params = {{"average_bits", 5.0},
                           {"budget_bytes", 1234567},
                           {"damage_model", "1/2*score*sse"},
                           {"objective", 0.0125}};
    return p;
}

// Minimal YAML front matter reader for the card test: "key: value" and "key:" + "- item" lists.
std::map<std::string, std::vector<std::string>> frontMatter(const std::string& text,
                                                            std::string* body) {
    std::map<std::string, std::vector<std::string>> out;
    if (text.rfind("---\n", 0) != 0)
        return out;
    const auto end = text.find("\n---\n", 3);
    if (end == std::string::npos)
        return out;
    *body = text.substr(end + 5);
    std::istringstream in(text.substr(4, end - 4 + 1));
    std::string line, last;
    while (std::getline(in, line)) {
        if (line.rfind("- ", 0) == 0) {
            out[last].push_back(line.substr(2));
            continue;
        }
        const auto c = line.find(": ");
        if (c == std::string::npos && !line.empty() && line.back() == ':') {
            last = line.substr(0, line.size() - 1);
            out[last];
            continue;
        }
        if (c == std::string::npos)
            throw Error("not YAML: " + line);
        last = line.substr(0, c);
        std::string v = line.substr(c + 2);
        if (v.size() >= 2 && v.front() == '"' && v.back() == '"')
            v = v.substr(1, v.size() - 2);
        out[last].push_back(v);
    }
    return out;
}

void writeGgufWithPolicyValue(const std::string& path, const io::GgufValue& v) {
    io::GgufMetadata md;
    md.set("general.architecture", "llama");
    md.set("taskquant.version", "0.1.0");
    md.set("taskquant.policy", v);
    io::GgufTensorSource t;
    t.name = "x";
    t.type = io::GgmlType::F32;
    t.shape = {4};
    t.bytes = [] { return std::string(16, '\0'); };
    io::writeGguf(path, md, {t});
}

} // namespace

class TstGgufStory : public QObject {
    Q_OBJECT
  private slots:
    // llama-quantize --imatrix source.imatrix.gguf wrote these keys into imatrix-TYPE.gguf; our
    // rule, applied to the same imatrix file, gives the same keys, types and values.
    void imatrixKeysAsLlamaQuantize() {
        TQ_REQUIRE_FIXTURE("golden/ggml/imatrix-q4_k.gguf");
        const io::Imatrix im = io::readImatrix(tqtest::fixture("golden/ggml/source.imatrix.gguf"));
        for (const char* type : {"q4_k", "q2_k", "iq4_xs", "q8_0"}) {
            const auto golden = io::GgufFile::open(
                tqtest::fixture(std::string("golden/ggml/imatrix-") + type + ".gguf"));
            const auto& gmd = golden->metadata();
            const io::GgufValue* file = gmd.find("quantize.imatrix.file");
            QVERIFY2(file && file->getIf<std::string>(), type);
            exporting::GgufStory s;
            s.quantizedBy.clear();
            exporting::addImatrixToStory(s, im, *file->getIf<std::string>());
            io::GgufMetadata md;
            exporting::writeStory(md, s);
            int keys = 0;
            for (const auto& [key, value] : gmd.entries()) {
                if (key.rfind("quantize.imatrix.", 0) != 0)
                    continue;
                ++keys;
                const io::GgufValue* ours = md.find(key);
                QVERIFY2(ours, key.c_str());
                QCOMPARE(ours->typeString(), value.typeString());
                QVERIFY2(*ours == value,
                         (key + ": " + ours->toString() + " vs " + value.toString()).c_str());
            }
            QCOMPARE(keys, 4); // file, dataset, entries_count, chunks_count
            int oursKeys = 0;
            for (const auto& [key, value] : md.entries())
                oursKeys += key.rfind("quantize.imatrix.", 0) == 0;
            QCOMPARE(oursKeys, 4);
        }
        // the 127-byte limit of llama_model_kv_override::val_str
        exporting::GgufStory s;
        exporting::addImatrixToStory(s, im, std::string(300, 'a'));
        io::GgufMetadata md;
        exporting::writeStory(md, s);
        QCOMPARE(md.get<std::string>("quantize.imatrix.file").size(), std::size_t(127));
    }

    void exportWritesTheStory() {
        QTemporaryDir tmp;
        const std::string out = tmp.path().toStdString() + "/demo.gguf";
        const std::string report = tmp.path().toStdString() + "/eval.json";
        io::writeFileAtomically(report, R"({"text":"wiki.test.raw","rows":[
              {"name":"f16","baseline":true,"metrics":{"ppl":10.5,"kld_mean":0}},
              {"name":"demo","baseline":false,"average_bits":5.1,
               "metrics":{"ppl":11.25,"kld_mean":0.03125,"same_top1":0.9}}]})");
        exporting::ExportStoryOptions so;
        so.enabled = true;
        so.baseModel = "taskquant/demo-model";
        so.evalReport = report;
        so.modelCard = tmp.path().toStdString() + "/README.md";
        QTemporaryDir plots; // the frontier figure lives elsewhere: it is copied beside the card
        const std::string figure = plots.path().toStdString() + "/frontier.svg";
        io::writeFileAtomically(figure, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
        so.frontierFigure = figure;
        const policy::Policy p = mixedPolicy();
        exporting::exportModel(demoModel(), p, exporting::ExportFormat::Gguf, out, {},
                               demoImatrix(), so);
        const auto f = io::GgufFile::open(out);
        const auto& md = f->metadata();
        auto typeOf = [&](const char* k) {
            const io::GgufValue* v = md.find(k);
            return v ? v->typeString() : std::string("absent");
        };
        QCOMPARE(md.get<std::string>("general.quantized_by"), std::string("TaskQuant Studio"));
        QCOMPARE(md.get<std::string>("general.base_model.0.name"),
                 std::string("taskquant/demo-model"));
        QCOMPARE(md.get<uint32_t>("general.base_model.count"), 1u);
        QCOMPARE(md.get<std::string>("taskquant.version"), std::string(TASKQUANT_VERSION));
        QCOMPARE(md.get<std::string>("taskquant.llama_cpp.commit"),
                 std::string("0a50d9909a3478e82679f505bf8595d1eee4b0a8"));
        QCOMPARE(md.get<std::string>("taskquant.policy.method"), std::string("optimal"));
        QCOMPARE(md.get<std::string>("taskquant.task.dataset"), std::string("arithmetic"));
        QCOMPARE(md.get<std::string>("taskquant.map.file"), std::string("maps/demo-fisher.json"));
        QCOMPARE(md.get<std::string>("taskquant.map.method"), std::string("fisher"));
        QCOMPARE(md.get<std::string>("taskquant.map.model_fingerprint"),
                 std::string("0123456789abcdef"));
        QCOMPARE(md.get<float>("taskquant.budget.bits_per_weight"), 5.0f);
        QCOMPARE(md.get<uint64_t>("taskquant.budget.bytes"), uint64_t(1234567));
        QCOMPARE(md.get<float>("taskquant.predicted.kld"), 0.0125f);
        QCOMPARE(md.get<float>("taskquant.measured.kld"), 0.03125f);
        QCOMPARE(md.get<float>("taskquant.measured.ppl"), 11.25f);
        QCOMPARE(md.get<std::string>("taskquant.measured.text"), std::string("wiki.test.raw"));
        QCOMPARE(typeOf("taskquant.policy"), std::string("STRING"));
        QVERIFY(md.get<std::string>("taskquant.policy").size() < 4096); // small
        // llama-quantize's keys for the imatrix used (the llama-imatrix golden: 14 entries)
        const io::Imatrix im = io::readImatrix(demoImatrix());
        QCOMPARE(md.get<std::string>("quantize.imatrix.file"), demoImatrix().substr(0, 127));
        QCOMPARE(md.get<std::string>("quantize.imatrix.dataset"), im.datasets.at(0));
        QCOMPARE(md.get<uint32_t>("quantize.imatrix.entries_count"), uint32_t(im.entries.size()));
        QCOMPARE(md.get<uint32_t>("quantize.imatrix.chunks_count"), im.chunkCount);
        QCOMPARE(im.entries.size(), std::size_t(14));

        // round trip: policy -> GGUF -> policy
        const policy::Policy back = exporting::policyFromGguf(out);
        QCOMPARE(back.defaultPrecision.name(), p.defaultPrecision.name());
        QCOMPARE(back.overrides.size(), p.overrides.size());
        for (const auto& [name, prec] : p.overrides)
            QCOMPARE(back.overrides.at(name).name(), prec.name());
        QCOMPARE(back.toJson().dump(), [&] {
            policy::Policy q = p;
            q.estimate.reset();
            return q.toJson().dump();
        }());
        // the story reads back with the values written
        const exporting::GgufStory s = exporting::readStory(*f);
        QVERIFY(s.isTaskQuant());
        QCOMPARE(*s.imatrixEntries, 14u);
        const std::string text = exporting::storyText(s);
        QVERIFY2(text.find("optimal: default q4_k, 2 overrides") != std::string::npos,
                 text.c_str());
        QVERIFY2(text.find("KLD 0.03125, PPL 11.25 on wiki.test.raw") != std::string::npos,
                 text.c_str());

        // the model card: YAML front matter + Markdown, the right base model
        std::string body;
        const auto fm = frontMatter(io::readFile(so.modelCard), &body);
        QCOMPARE(fm.at("base_model"), std::vector<std::string>{"taskquant/demo-model"});
        QCOMPARE(fm.at("tags"), (std::vector<std::string>{"gguf", "taskquant"}));
        QCOMPARE(fm.at("quantized_by"), std::vector<std::string>{"TaskQuant Studio"});
        QCOMPARE(fm.at("pipeline_tag"), std::vector<std::string>{"text-generation"});
        QVERIFY(body.find("# demo.gguf") != std::string::npos);
        QVERIFY(body.find("| blk.0.ffn_down.weight | q8_0 | 256 x 512 |") != std::string::npos);
        QVERIFY(body.find("| blk.1.attn_v.weight | q6_K |") != std::string::npos);
        QVERIFY(body.find("| blk.0.attn_q.weight | q4_K |") != std::string::npos);
        QVERIFY(body.find("| demo | 5.1 | 11.25 | 0.03125 | 0.9 |") != std::string::npos);
        QVERIFY(body.find("--policy-from demo.gguf") != std::string::npos);
        QVERIFY(body.find("![size-quality frontier](frontier.svg)") != std::string::npos);
        QCOMPARE(io::readFile(tmp.path().toStdString() + "/frontier.svg"), io::readFile(figure));
    }

    // A plain export (no story requested, no imatrix) writes no story keys.
    void plainExportHasNoStory() {
        QTemporaryDir tmp;
        const std::string out = tmp.path().toStdString() + "/plain.gguf";
        exporting::exportModel(demoModel(), mixedPolicy(), exporting::ExportFormat::Gguf, out);
        const auto f = io::GgufFile::open(out);
        for (const auto& [key, value] : f->metadata().entries())
            QVERIFY2(key.rfind("taskquant.", 0) != 0 && key.rfind("quantize.", 0) != 0 &&
                         key != "general.quantized_by",
                     key.c_str());
        QVERIFY(!exporting::readStory(*f).isTaskQuant());
        QVERIFY_THROWS_EXCEPTION(Error, exporting::policyFromGguf(out));
    }

    // llama.cpp agrees: llama-quantize --tensor-type-file (our tensor-type export of the same
    // policy) --imatrix (the same imatrix) wrote tensors whose types and bytes are recorded in
    // tests/golden/imatrix/demo-policy.llama-quantize.json (COMMAND.md there); our GGUF of the
    // policy, with the story, has the same bytes tensor by tensor.
    void tensorsEqualLlamaQuantize() {
        const std::string dir = std::string(TASKQUANT_SOURCE_DIR) + "/tests/golden/imatrix/";
        const policy::Policy p = policy::Policy::readFile(dir + "demo-policy.json");
        QTemporaryDir tmp;
        const std::string out = tmp.path().toStdString() + "/ours.gguf";
        exporting::ExportStoryOptions so;
        so.enabled = true;
        exporting::exportModel(demoModel(), p, exporting::ExportFormat::Gguf, out, {},
                               demoImatrix(), so);
        const auto f = io::GgufFile::open(out);
        const nlohmann::json golden =
            nlohmann::json::parse(io::readFile(dir + "demo-policy.llama-quantize.json"));
        const auto& tensors = golden.at("tensors");
        QCOMPARE(f->tensors().size(), tensors.size());
        for (const auto& t : f->tensors()) {
            QVERIFY2(tensors.contains(t.name), t.name.c_str());
            const auto& g = tensors.at(t.name);
            QCOMPARE(QString::fromStdString(io::ggmlTypeName(t.type)).toLower(),
                     QString::fromStdString(g.at("type").get<std::string>()).toLower());
            QCOMPARE(t.nbytes, g.at("bytes").get<uint64_t>());
            const std::string bytes(reinterpret_cast<const char*>(f->data(t)), t.nbytes);
            QVERIFY2(exporting::fnv1a64Hex(bytes) == g.at("fnv1a64").get<std::string>(),
                     t.name.c_str());
        }
    }

    void corruptPolicyIsOneClearError_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << 0 << "taskquant.policy is not valid JSON";
        QTest::newRow("oversized") << 1 << "over the 1048576 bytes";
        QTest::newRow("wrong type") << 2 << "taskquant.policy is UINT32, expected STRING";
        QTest::newRow("not a policy") << 3 << "taskquant.policy";
        QTest::newRow("truncated json") << 4 << "taskquant.policy is not valid JSON";
        QTest::newRow("deeply nested") << 5 << "taskquant.policy";
    }
    void corruptPolicyIsOneClearError() {
        QFETCH(int, kind);
        QFETCH(QString, expected);
        QTemporaryDir tmp;
        const std::string path = tmp.path().toStdString() + "/bad.gguf";
        const std::string good = [] {
            policy::Policy p = mixedPolicy();
            return p.toJson().dump();
        }();
        switch (kind) {
        case 0:
            writeGgufWithPolicyValue(path, std::string("{\"format\": taskquant"));
            break;
        case 1:
            writeGgufWithPolicyValue(path, std::string((1u << 20) + 1, ' '));
            break;
        case 2:
            writeGgufWithPolicyValue(path, uint32_t(7));
            break;
        case 3:
            writeGgufWithPolicyValue(path,
                                     std::string(R"({"format":"taskquant-policy","version":1,)"
                                                 R"("default":"no_such_precision"})"));
            break;
        case 4:
            writeGgufWithPolicyValue(path, good.substr(0, good.size() / 2));
            break;
        case 5:
            writeGgufWithPolicyValue(path, std::string(400000, '[') + std::string(400000, ']'));
            break;
        }
        try {
            exporting::policyFromGguf(path);
            QFAIL("no error");
        } catch (const Error& e) {
            const std::string what = e.what();
            QVERIFY2(what.find(path) != std::string::npos, what.c_str());
            QVERIFY2(what.find(expected.toStdString()) != std::string::npos, what.c_str());
            QVERIFY2(what.find('\n') == std::string::npos, what.c_str());
        }
    }

    void yamlScalars() {
        QCOMPARE(exporting::yamlScalar("org/model-7B"), std::string("org/model-7B"));
        QCOMPARE(exporting::yamlScalar("a: b"), std::string("\"a: b\""));
        QCOMPARE(exporting::yamlScalar("yes"), std::string("\"yes\""));
        QCOMPARE(exporting::yamlScalar("1.5"), std::string("\"1.5\""));
        QCOMPARE(exporting::yamlScalar("say \"hi\""), std::string("\"say \\\"hi\\\"\""));
        QCOMPARE(exporting::yamlScalar(""), std::string("\"\""));
    }
};

QTEST_GUILESS_MAIN(TstGgufStory)
#include "tst_gguf_story.moc"
