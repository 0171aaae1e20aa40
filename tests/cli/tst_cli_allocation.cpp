// One allocator, exact budgets (issue 27): `policy --method optimal --budget-bytes B` bounds the
// exported GGUF's tensor bytes (what llama.cpp counts: every tensor's ggml_nbytes) and lands within
// 1 % under B; the tied embedding of tinystories-656k (stored only as lm_head.weight) is counted
// once under that name; an unreachable budget names the user's number and the smallest reachable
// size; the CLI's policy is the frontier's policy at the same budget, map and error table.
//
// References, none produced by the code under test:
//  * the sizes of llama-quantize's outputs in ../shared/golden/ggml (pure-TYPE.gguf of a generated
//    model: the data offsets llama.cpp wrote) check the size rule (types, fallbacks, F32 vectors,
//    bytes per type) that turns a policy into GGUF tensor bytes;
//  * the budgets on tinystories-656k are the tensor bytes of the GGUF files this build exports for
//    llama.cpp's mixes (policy --recipe, whose type choices tst_recipes checks against
//    llama-quantize's recipes.json; the codecs are byte-identical to llama-quantize,
//    tst_ggml_golden), read back from the written files;
//  * the smallest reachable size of tinystories-656k by hand (below).
#include <QtTest/QtTest>
#include <algorithm>
#include <cmath>

#include "core/eval/frontier.h"
#include "core/export/apply_policy.h"
#include "core/export/policy_cost.h"
#include "core/io/gguf_reader.h"
#include "core/models/model_loader.h"
#include "core/policy/policy.h"
#include "core/quant/precision.h"
#include "tests/common/fixtures.h"

namespace {

using namespace taskquant;

QJsonObject readJson(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QString k(const char* s) {
    return QString::fromLatin1(s);
}

std::string q(const QString& s) {
    return "'" + s.toStdString() + "'";
}
std::string q(const std::string& s) {
    return "'" + s + "'";
}

int run(const std::string& args, std::string* out) {
    return tqtest::runCommand(tqtest::cliPath() + " " + args, out);
}

// The tensor bytes of a GGUF file as llama.cpp counts them (sum of ggml_nbytes), after checking
// that the data section is exactly those bytes, each padded to the alignment.
uint64_t ggufTensorBytes(const std::string& path) {
    const auto f = io::GgufFile::open(path);
    uint64_t sum = 0, padded = 0;
    for (const auto& t : f->tensors()) {
        sum += t.nbytes;
        padded += (t.nbytes + f->alignment() - 1) / f->alignment() * f->alignment();
    }
    if (f->fileSize() - f->dataOffset() != padded)
        qWarning("%s: data section %llu bytes, padded tensors %llu", path.c_str(),
                 (unsigned long long)(f->fileSize() - f->dataOffset()), (unsigned long long)padded);
    return f->fileSize() - f->dataOffset() == padded ? sum : 0;
}

const char* kTiny = "models/tinystories-656k";
const char* kStories = "models/stories260K";
const char* kGsm8k = "data/gsm8k/test.jsonl";

// tinystories-656k by hand: 2 layers of q, o [128, 128], k, v [64, 128], gate, up [384, 128],
// down [128, 384]; the tied embedding [2048, 128] stored once (as lm_head.weight); 5 norms of
// 128 (F32 in GGUF). No row is a multiple of 256, so no k-quant or IQ4_XS can hold any matrix:
// the smallest type is q4_0 / iq4_nl, 18 bytes per 32 weights.
constexpr uint64_t kMatrixWeights = 2048 * 128 + 2 * (2 * 16384 + 2 * 8192 + 3 * 49152);
constexpr uint64_t kNormBytes = 5 * 128 * 4;
constexpr uint64_t kSmallest = kMatrixWeights / 32 * 18 + kNormBytes; // 371,200

} // namespace

class TstCliAllocation : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString path(const std::string& name) { return dir_.filePath(QString::fromStdString(name)); }

  private slots:
    void initTestCase() {
        if (!QFileInfo::exists(QString::fromStdString(tqtest::cliPath())))
            QSKIP("the taskquant binary is not built");
    }

    // The size rule against llama-quantize's own files: for every pure-TYPE.gguf of the generated
    // model, each tensor's type and padded size as llama.cpp wrote them equal what
    // GgufTensorSizes gives that tensor under the uniform TYPE policy.
    void sizeRuleMatchesLlamaQuantize() {
        TQ_REQUIRE_FIXTURE("golden/ggml/source-f32.gguf");
        const auto source = io::GgufFile::open(tqtest::fixture("golden/ggml/source-f32.gguf"));
        std::vector<exporting::NamedShape> shapes;
        for (const auto& t : source->tensors())
            shapes.push_back({t.name, t.shape});
        const auto sizes = exporting::GgufTensorSizes::ofShapes(shapes);
        int files = 0;
        for (const char* type : {"q4_0", "q4_1", "q5_0", "q5_1", "q8_0", "q2_k", "q3_k", "q4_k",
                                 "q5_k", "q6_k", "iq4_nl", "iq4_xs"}) {
            const std::string file =
                tqtest::fixture(std::string("golden/ggml/pure-") + type + ".gguf");
            if (!QFileInfo::exists(QString::fromStdString(file)))
                continue;
            const auto g = io::GgufFile::open(file);
            policy::Policy p;
            p.defaultPrecision = p.embeddings = p.lmHead = p.other = quant::Precision::parse(type);
            p.norms = p.biases = quant::Precision::parse("f32");
            // llama.cpp's data offsets: each tensor's padded size.
            std::vector<io::GgufTensorInfo> byOffset = g->tensors();
            std::sort(byOffset.begin(), byOffset.end(),
                      [](const auto& a, const auto& b) { return a.offset < b.offset; });
            uint64_t llamaPadded = 0, oursPadded = 0;
            for (std::size_t i = 0; i < byOffset.size(); ++i) {
                const auto& t = byOffset[i];
                const uint64_t end =
                    i + 1 < byOffset.size() ? byOffset[i + 1].offset : g->fileSize();
                llamaPadded += end - t.offset;
                const uint64_t ours = sizes.bytes(t.name, t.shape, p.precisionFor(t.name));
                oursPadded += (ours + g->alignment() - 1) / g->alignment() * g->alignment();
                QVERIFY2(ours <= end - t.offset && end - t.offset < ours + g->alignment(),
                         qPrintable(QString::fromStdString(std::string(type) + " " + t.name)));
            }
            QCOMPARE(oursPadded, llamaPadded);
            ++files;
        }
        QVERIFY(files >= 10);
    }

    // The user's path on tinystories-656k: a Fisher map, an error table weighted by the task
    // text's per-weight Fisher, then at the exact tensor bytes of every llama.cpp mix an optimal
    // policy whose exported GGUF holds at most that many tensor bytes and at least 99 % of them.
    void budgetsOfLlamaMixes() {
        TQ_REQUIRE_FIXTURE(kTiny);
        TQ_REQUIRE_FIXTURE(kGsm8k);
        const std::string model = tqtest::fixture(kTiny);
        const std::string data = tqtest::fixture(kGsm8k);
        std::string log;
        int rc = run("fisher " + q(model) + " --dataset gsm8k --data " + q(data) +
                         " --samples 8 --max-length 128 --out " + q(path("m.json")),
                     &log);
        QVERIFY2(rc == 0, log.c_str());
        rc = run("errors " + q(model) + " --dataset gsm8k:" + data +
                     " --ctx 128 --chunks 4 --out " + q(path("e.json")),
                 &log);
        QVERIFY2(rc == 0, log.c_str());
        const QJsonObject e = readJson(path("e.json"));
        QCOMPARE(e.value(k("importance")).toString(),
                 QStringLiteral("per-weight Fisher of the task text"));
        QCOMPARE(e.value(k("task_text")).toObject().value(k("chunks")).toInt(), 4);
        // The tied embedding is one row under the parameter's name; the file calls it lm_head.
        int embedRows = 0;
        for (const auto& r : e.value(k("tensors")).toArray())
            embedRows += r.toObject().value(k("name")).toString().contains(k("embed_tokens"));
        QCOMPARE(embedRows, 1);

        std::map<uint64_t, std::string> budgets; // distinct mix sizes
        for (const char* mix :
             {"Q8_0", "Q6_K", "Q5_K_M", "Q5_K_S", "Q5_1", "Q5_0", "Q4_K_M", "Q4_K_S", "Q4_1",
              "Q4_0", "IQ4_NL", "IQ4_XS", "Q3_K_L", "Q3_K_M", "Q3_K_S", "Q2_K"}) {
            const std::string r = std::string("r-") + mix;
            rc = run("policy --recipe " + std::string(mix) + " --model " + q(model) + " --out " +
                         q(path(r + ".json")),
                     &log);
            QVERIFY2(rc == 0, log.c_str());
            rc = run("export " + q(model) + " --policy " + q(path(r + ".json")) +
                         " --format gguf --out " + q(path(r + ".gguf")),
                     &log);
            QVERIFY2(rc == 0, log.c_str());
            const uint64_t bytes = ggufTensorBytes(path(r + ".gguf").toStdString());
            QVERIFY(bytes > 0);
            budgets.emplace(bytes, mix);
        }
        // Q8_0 by hand: every matrix q8_0 (34 bytes per 32 weights), the norms F32.
        QVERIFY(budgets.count(kMatrixWeights / 32 * 34 + kNormBytes));
        QCOMPARE(kMatrixWeights / 32 * 34 + kNormBytes, uint64_t(698880));
        QVERIFY(budgets.size() >= 5);
        for (const auto& [budget, mix] : budgets) {
            const std::string p = std::string("p-") + mix;
            rc = run("policy " + q(path("m.json")) + " --method optimal --errors " +
                         q(path("e.json")) + " --budget-bytes " + std::to_string(budget) +
                         " --model " + q(model) + " --out " + q(path(p + ".json")),
                     &log);
            QVERIFY2(rc == 0, (mix + ": " + log).c_str());
            const QJsonObject pj = readJson(path(p + ".json"));
            // Counted once, under the file's name: no phantom model.embed_tokens.weight.
            const QJsonObject over = pj.value(k("overrides")).toObject();
            QVERIFY2(over.contains(k("lm_head.weight")), mix.c_str());
            QVERIFY2(!over.contains(k("model.embed_tokens.weight")), mix.c_str());
            const QJsonObject params =
                pj.value(k("provenance")).toObject().value(k("params")).toObject();
            QCOMPARE(params.value(k("damage_weighting")).toString(),
                     QStringLiteral("per-weight Fisher of the task text"));
            QCOMPARE(params.value(k("task_text")).toObject().value(k("source")).toString(),
                     QString::fromStdString("gsm8k:" + data));
            QCOMPARE(params.value(k("task_text")).toObject().value(k("tokens_fnv1a64")).toString(),
                     e.value(k("task_text")).toObject().value(k("tokens_fnv1a64")).toString());
            rc = run("export " + q(model) + " --policy " + q(path(p + ".json")) +
                         " --format gguf --out " + q(path(p + ".gguf")),
                     &log);
            QVERIFY2(rc == 0, (mix + ": " + log).c_str());
            const uint64_t got = ggufTensorBytes(path(p + ".gguf").toStdString());
            qInfo("%-7s budget %7llu  GGUF tensor bytes %7llu (%.2f %%)", mix.c_str(),
                  (unsigned long long)budget, (unsigned long long)got, 100.0 * got / budget);
            QVERIFY2(got <= budget, mix.c_str());
            QVERIFY2(double(got) >= 0.99 * double(budget), mix.c_str());
            QCOMPARE(uint64_t(params.value(k("gguf_tensor_bytes")).toInteger()), got);
        }
        // Evaluated in memory, the loaded model's one matrix (model.embed_tokens.weight) gets the
        // precision the policy gives the file's lm_head.weight, as the exported GGUF stores it.
        const auto pol = policy::Policy::readFile(
            path(std::string("p-") + budgets.begin()->second + ".json").toStdString());
        auto m = models::loadModel(model, {"cpu", "fp32"});
        exporting::PolicyApplier applier(*m);
        int checked = 0;
        for (const auto& tp : applier.apply(pol))
            if (tp.name == "model.embed_tokens.weight") {
                QCOMPARE(tp.effective, pol.precisionFor("lm_head.weight"));
                QVERIFY(tp.effective != pol.embeddings);
                ++checked;
            }
        QCOMPARE(checked, 1);
    }

    // A budget below the smallest reachable size: one error naming the user's number and the
    // smallest size (by hand, kSmallest), both in bytes; nothing written.
    void unreachableBudget() {
        TQ_REQUIRE_FIXTURE(kTiny);
        const std::string model = tqtest::fixture(kTiny);
        std::string log;
        if (!QFileInfo::exists(path("m.json")) || !QFileInfo::exists(path("e.json")))
            QSKIP("needs budgetsOfLlamaMixes' map and table");
        const int rc =
            run("policy " + q(path("m.json")) + " --method optimal --errors " + q(path("e.json")) +
                    " --budget-bytes 300000 --model " + q(model) + " --out " + q(path("u.json")),
                &log);
        QCOMPARE(rc, 1);
        QVERIFY2(log.find("--budget-bytes 300000") != std::string::npos, log.c_str());
        QVERIFY2(log.find(std::to_string(kSmallest) + " bytes") != std::string::npos, log.c_str());
        QVERIFY(!QFileInfo::exists(path("u.json")));
        // Exactly the smallest size is reachable and lands on it.
        const int ok = run("policy " + q(path("m.json")) + " --method optimal --errors " +
                               q(path("e.json")) + " --budget-bytes " + std::to_string(kSmallest) +
                               " --model " + q(model) + " --out " + q(path("s.json")),
                           &log);
        QVERIFY2(ok == 0, log.c_str());
        QCOMPARE(uint64_t(readJson(path("s.json"))
                              .value(k("provenance"))
                              .toObject()
                              .value(k("params"))
                              .toObject()
                              .value(k("gguf_tensor_bytes"))
                              .toInteger()),
                 kSmallest);
    }

    // One allocator: the frontier's optimal policy and the CLI's at the same budget, map and
    // error table (the frontier's own, written out) give every tensor the same precision.
    void cliPolicyIsTheFrontiers() {
        TQ_REQUIRE_FIXTURE(kStories);
        TQ_REQUIRE_FIXTURE(kGsm8k);
        const std::string model = tqtest::fixture(kStories);
        const std::string data = tqtest::fixture(kGsm8k);
        std::string log;
        int rc = run("fisher " + q(model) + " --dataset gsm8k --data " + q(data) +
                         " --samples 8 --max-length 128 --out " + q(path("sm.json")),
                     &log);
        QVERIFY2(rc == 0, log.c_str());
        eval::TaskRequest task;
        task.modelDir = model;
        task.dataset = "gsm8k:" + data;
        task.ctx = 128;
        task.chunks = 2;
        eval::FrontierOptions fo;
        // stories260K's smallest model is 7 bits per weight (down_proj's 172-wide rows: f16)
        fo.bits = {7.5, 9.0};
        fo.errorOnly = false;
        std::vector<eval::FrontierMap> maps{
            {"fisher", sensitivity::SensitivityMap::readFile(path("sm.json").toStdString())}};
        const eval::FrontierResult fr = eval::runFrontier(task, maps, fo);
        QVERIFY(fr.errors);
        fr.errors->writeFile(path("se.json").toStdString());
        int compared = 0;
        for (double bits : fo.bits) {
            const eval::FrontierPoint* pt = fr.optimalAt("fisher", bits);
            QVERIFY2(pt, fr.infeasible.empty() ? "" : fr.infeasible.front().reason.c_str());
            const uint64_t budget = uint64_t(std::floor(bits * double(fr.parameters) / 8.0));
            const std::string out = "sp" + std::to_string(compared) + ".json";
            rc = run("policy " + q(path("sm.json")) + " --method optimal --errors " +
                         q(path("se.json")) + " --budget-bytes " + std::to_string(budget) +
                         " --model " + q(model) + " --out " + q(path(out)),
                     &log);
            QVERIFY2(rc == 0, log.c_str());
            const auto cli = policy::Policy::readFile(path(out).toStdString());
            int differ = 0;
            for (const auto& s : fr.shapes)
                differ += cli.precisionFor(s.name) != pt->policy.precisionFor(s.name);
            QCOMPARE(differ, 0);
            QCOMPARE(exporting::GgufTensorSizes::ofShapes(fr.shapes).total(cli), pt->bytes);
            ++compared;
        }
        QCOMPARE(compared, 2);
    }
};

QTEST_APPLESS_MAIN(TstCliAllocation)
#include "tst_cli_allocation.moc"
