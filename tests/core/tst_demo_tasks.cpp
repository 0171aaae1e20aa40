// The demo tasks as datasets (the file-less kinds arithmetic, algebra, stories, lookup, facts), the
// stories generator, `demo --write-data` (read back through the file kinds), and the main job
// (core/demo/demo_job.h) on a small generated Llama. Expected values are worked by hand from the
// problem texts (the arithmetic of every solution line, the story sentence holding each answer),
// or come from another path of the code: the file kinds reading the written files, the GGUF file
// read back against the in-memory policy, the frontier's own JSON.
#include <QtTest/QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "core/data/dataset_spec.h"
#include "core/data/load_texts.h"
#include "core/data/synthetic_tasks.h"
#include "core/demo/demo_data.h"
#include "core/demo/demo_job.h"
#include "core/eval/evaluation_run.h"
#include "core/eval/transfer.h"
#include "core/io/atomic_file.h"
#include "core/io/gguf_reader.h"
#include "core/models/causal_lm.h"
#include "core/models/model_loader.h"
#include "core/models/synthetic_model.h"
#include "core/policy/policy.h"
#include "core/sensitivity/map_runs.h"
#include "core/util/error.h"

namespace fs = std::filesystem;
using namespace taskquant;
using Texts = std::vector<std::string>;

namespace {

bool throwsWith(const std::function<void()>& f, const std::string& part) {
    try {
        f();
    } catch (const Error& e) {
        return std::string(e.what()).find(part) != std::string::npos;
    }
    return false;
}

Texts fileLess(const std::string& kind, uint64_t seed, std::size_t count) {
    auto spec = data::makeDatasetSpec(kind, "");
    spec.seed = seed;
    spec.count = count;
    return data::loadTexts(spec);
}

// Checks every "a op b = r" line of an arithmetic solution and that the answer is the last r.
bool arithmeticIsRight(const std::string& text) {
    static const std::regex line(R"((-?\d+) ([-+x/]) (-?\d+) = (-?\d+))");
    long long last = 0;
    int lines = 0;
    for (std::sregex_iterator it(text.begin(), text.end(), line), end; it != end; ++it) {
        const long long a = std::stoll((*it)[1]), b = std::stoll((*it)[3]),
                        r = std::stoll((*it)[4]);
        const char op = (*it)[2].str()[0];
        const long long want = op == '+' ? a + b : op == '-' ? a - b : op == 'x' ? a * b : a / b;
        if (want != r || (op == '/' && a % b != 0))
            return false;
        last = r;
        ++lines;
    }
    return lines > 0 && text.find("Answer: " + std::to_string(last)) != std::string::npos;
}

} // namespace

class TstDemoTasks : public QObject {
    Q_OBJECT

  private slots:
    void kindsAndFiles() {
        QCOMPARE(data::demoTaskKinds(),
                 (std::vector<std::string>{"arithmetic", "algebra", "stories", "lookup", "facts"}));
        for (const char* k : {"gsm8k", "math", "wikitext", "jsonl", "text"})
            QVERIFY(data::datasetKindTakesFile(k));
        for (const char* k :
             {"arithmetic", "algebra", "stories", "Stories", "ARITHMETIC", "lookup", "facts"})
            QVERIFY(!data::datasetKindTakesFile(k));
        const auto& all = data::datasetKinds();
        for (const auto& k : data::demoTaskKinds())
            QVERIFY(std::find(all.begin(), all.end(), k) != all.end());
        QCOMPARE(data::makeDatasetSpec("Arithmetic", "").kind, std::string("arithmetic"));
        QVERIFY(throwsWith([] { data::makeDatasetSpec("stories", "s.jsonl"); }, "reads no file"));
        QVERIFY(
            throwsWith([] { data::makeDatasetSpec("algebra", "", "question"); }, "has no fields"));
        QVERIFY(throwsWith([] { data::makeDatasetSpec("gsm8k", ""); }, "no data file"));
        // The evaluation path: a kind alone, and KIND:PATH for a file-less kind is refused.
        QVERIFY(throwsWith([] { eval::loadEvalText("", "arithmetic:x.txt"); }, "reads no file"));
        QVERIFY(throwsWith([] { eval::loadEvalText("", "gsm8k"); }, "KIND:PATH"));
    }

    void heldOutSplitFromTheSeed() {
        for (const auto& kind : data::demoTaskKinds()) {
            const Texts a = fileLess(kind, 3, 40), b = fileLess(kind, 3, 40),
                        c = fileLess(kind, 4, 40);
            QCOMPARE(a.size(), std::size_t(40));
            QCOMPARE(a, b);
            QVERIFY(a != c);
            QCOMPARE(std::set<std::string>(a.begin(), a.end()).size(), a.size());
            for (const auto& t : a) {
                const std::string question = t.substr(0, t.find('\n'));
                QVERIFY2(data::questionInTestSplit(question), t.c_str());
                QVERIFY2(!data::extractAnswer(t).empty(), t.c_str());
            }
            QCOMPARE(fileLess(kind, 0, 0).size(), data::kDemoTaskCount);
        }
        for (const auto& t : fileLess("arithmetic", 5, 60))
            QVERIFY2(arithmeticIsRight(t), t.c_str());
        // Evaluation text: the texts joined by blank lines, under the seed.
        const Texts s = fileLess("stories", 9, 0);
        std::string joined;
        for (const auto& t : s)
            joined += (joined.empty() ? "" : "\n\n") + t;
        QCOMPARE(eval::loadEvalText("", "stories", "", 9), joined);
        // Calibration path (fisher, imatrix): exactly `samples` held-out problems of the seed.
        sensitivity::CalibrationSpec cal;
        cal.data.kind = "arithmetic";
        cal.samples = 12;
        cal.seed = 2;
        const Texts got = sensitivity::loadCalibrationTexts(cal);
        const Texts want = fileLess("arithmetic", 2, 12);
        QCOMPARE(std::set<std::string>(got.begin(), got.end()),
                 std::set<std::string>(want.begin(), want.end()));
    }

    void storiesAreALanguageTask() {
        const auto test = data::generateProblems(data::SyntheticTask::Stories,
                                                 data::SyntheticSplit::Test, 300, 1);
        const auto train = data::generateProblems(data::SyntheticTask::Stories,
                                                  data::SyntheticSplit::Train, 3000, 1);
        std::set<std::string> trainQ;
        for (const auto& p : train)
            trainQ.insert(p.question);
        std::map<std::string, int> kinds;
        for (const auto& p : test) {
            QVERIFY(!trainQ.count(p.question)); // disjoint splits
            ++kinds[p.kind];
            QVERIFY2(p.text().find_first_of("0123456789") == std::string::npos, p.text().c_str());
            // The solution repeats the story's sentence holding the answer, then the answer.
            const std::string evidence = p.solution.substr(0, p.solution.find('\n'));
            const std::string story = p.question.substr(0, p.question.find(" Question: "));
            QVERIFY2(story.find(evidence) != std::string::npos, p.text().c_str());
            QVERIFY2(evidence.find(p.answer) != std::string::npos, p.text().c_str());
            QCOMPARE(p.solution, evidence + "\nAnswer: " + p.answer);
            QCOMPARE(data::extractAnswer(p.solution), p.answer);
        }
        QCOMPARE(kinds,
                 (std::map<std::string, int>{
                     {"town", 60}, {"color", 60}, {"pet", 60}, {"friend", 60}, {"feeling", 60}}));
        QCOMPARE(data::parseSyntheticTask("stories"), data::SyntheticTask::Stories);
        QCOMPARE(data::syntheticTaskName(data::SyntheticTask::Stories), std::string("stories"));
        QVERIFY(throwsWith(
            [] {
                data::generateProblems(data::SyntheticTask::Stories, data::SyntheticSplit::Test, 1,
                                       0, 2);
            },
            "no step count"));
    }

    void writeDataReadsBackThroughTheFileKinds() {
        QTemporaryDir tmp;
        const std::string dir = tmp.filePath("data").toStdString();
        const auto written = demo::writeDemoData(dir, 7, 25);
        QCOMPARE(written.size(), std::size_t(10));
        for (const auto& kind : data::demoTaskKinds()) {
            const Texts want = fileLess(kind, 7, 25);
            const std::string jsonl = dir + "/" + kind + ".test.jsonl",
                              txt = dir + "/" + kind + ".test.txt";
            QVERIFY(fs::is_regular_file(jsonl) && fs::is_regular_file(txt));
            QCOMPARE(data::loadTexts(data::makeDatasetSpec("jsonl", jsonl, "text")), want);
            QCOMPARE(data::loadTexts(data::makeDatasetSpec("gsm8k", jsonl, {}, true)), want);
            QCOMPARE(data::loadTexts(data::makeDatasetSpec("text", txt)), want);
            // Each record's final answer is what the text's "Answer:" line says.
            std::ifstream in(jsonl);
            int lines = 0;
            for (std::string l; std::getline(in, l); ++lines) {
                const auto j = nlohmann::json::parse(l);
                QCOMPARE(j.at("final").get<std::string>(),
                         data::extractAnswer(j.at("text").get<std::string>()));
                QCOMPARE(j.at("question").get<std::string>() + "\n" +
                             j.at("answer").get<std::string>(),
                         j.at("text").get<std::string>());
            }
            QCOMPARE(lines, 25);
        }
    }

    void mainJobOnASmallModel() {
        QTemporaryDir tmp;
        const std::string model = tmp.filePath("model").toStdString();
        models::SyntheticSpec spec;
        spec.hiddenSize = 256;
        spec.numLayers = 1;
        spec.intermediateSize = 256;
        spec.bpeMerges = 100;
        models::writeSyntheticModel(model, spec);
        demo::DemoJobOptions o;
        o.modelDir = model;
        o.outDir = tmp.filePath("out").toStdString();
        o.mapSamples = 4;
        o.bits = {4.5};
        o.ctx = 64;
        o.chunks = 2;
        o.answerSamples = 2;
        o.transferBits = {4.5};
        o.transferWindows = 2;
        o.transferAnswers = 2;
        const auto r = demo::runDemoJob(o);

        for (const char* f :
             {"arithmetic.fisher.json", "stories.fisher.json", "magnitude.json",
              "arithmetic.fisher.csv", "frontier.json", "frontier.svg", "policy-arithmetic.json",
              "policy-stories.json", "demo-arithmetic.gguf", "transfer.json", "transfer.svg",
              "summary.json"})
            QVERIFY2(fs::is_regular_file(o.outDir + "/" + f), f);
        QVERIFY(std::isfinite(r.spearmanTasks) && std::abs(r.spearmanTasks) <= 1);
        // 1 layer: embeddings, 2 norms, 7 matrices (q k v o gate up down), final norm, head.
        QCOMPARE(r.sharedTensors, std::size_t(12));
        QCOMPARE(r.sharedMatrices, std::size_t(7));
        QVERIFY(std::isfinite(r.spearmanTasksMatrices));

        QCOMPARE(r.rows.size(), std::size_t(5));
        const std::vector<std::string> roles{"reference", "llama.cpp mix", "task-B policy",
                                             "task-A policy", "GGUF file"};
        for (std::size_t i = 0; i < roles.size(); ++i)
            QCOMPARE(r.rows[i].role, roles[i]);
        QCOMPARE(r.rows[0].taskA.kld, 0.0);
        QCOMPARE(r.rows[0].taskB.sameTop1, 1.0);
        for (const auto& row : r.rows) {
            QCOMPARE(row.taskA.total, int64_t(2));
            QVERIFY(row.taskA.correct >= 0 && row.taskA.correct <= 2);
        }
        // The policy fits its budget, counted over every parameter.
        auto m = models::loadModel(model);
        const int64_t P = m->parameterCount();
        const auto& a = r.rows[3];
        QVERIFY(a.bytes <= uint64_t(std::floor(4.5 * double(P) / 8.0)));
        QVERIFY(a.taskA.kld > 0);
        // The GGUF read back gives the in-memory policy's figures on both tasks.
        const auto& g = r.rows[4];
        QVERIFY2(std::abs(g.taskA.kld - a.taskA.kld) <= 1e-4 * a.taskA.kld + 1e-9,
                 qPrintable(QString("%1 vs %2").arg(g.taskA.kld).arg(a.taskA.kld)));
        QVERIFY(std::abs(g.taskB.kld - a.taskB.kld) <= 1e-4 * a.taskB.kld + 1e-9);
        QCOMPARE(io::GgufFile::open(o.outDir + "/demo-arithmetic.gguf")->tensors().size(),
                 r.ggufTensors);
        QCOMPARE(r.ggufTensors, m->parameters().size());
        // The mix row is the recipe of the frontier nearest in size to the task-A policy.
        const auto fj = nlohmann::json::parse(io::readFile(o.outDir + "/frontier.json"));
        int64_t bestDiff = -1;
        for (const auto& p : fj.at("points"))
            if (p.at("kind") == "recipe") {
                const int64_t d = std::llabs(p.at("bytes").get<int64_t>() - int64_t(a.bytes));
                if (bestDiff < 0 || d < bestDiff)
                    bestDiff = d;
            }
        QCOMPARE(std::llabs(int64_t(r.rows[1].bytes) - int64_t(a.bytes)), bestDiff);
        QCOMPARE(r.frontierPoints, int64_t(fj.at("points").size()));
        // The written policy is the task-A row's.
        const auto pol = policy::Policy::readFile(o.outDir + "/policy-arithmetic.json");
        std::vector<policy::TensorShape> shapes;
        for (const auto& p : m->parameters())
            shapes.push_back({p.name, p.tensor.sizes().vec()});
        QCOMPARE(pol.estimateSize(shapes).bytes, a.bytes);
        QVERIFY(io::readFile(o.outDir + "/frontier.svg").find("<svg") != std::string::npos);
        const auto sj = nlohmann::json::parse(io::readFile(o.outDir + "/summary.json"));
        QCOMPARE(sj.at("rows").size(), std::size_t(5));
        QVERIFY(r.table().find("task-A") == std::string::npos); // labels, not roles, in the table
        QVERIFY(r.table().find("read back") != std::string::npos);
        // The cross-task matrix: complete (every policy on both tasks), a verdict per task, and
        // the file is the result.
        QVERIFY(r.transfer.has_value());
        const auto& t = *r.transfer;
        QCOMPARE(t.tasks.size(), std::size_t(2));
        QVERIFY(t.policies.size() >= 3); // arithmetic, stories, mixed (+ mixes)
        QCOMPARE(t.cells.size(), 2 * t.policies.size());
        for (const auto& [label, p] : t.policies)
            for (const char* task : {"arithmetic", "stories"}) {
                const auto* c = t.cell(4.5, label, task);
                QVERIFY2(c, (label + " on " + task).c_str());
                QVERIFY(std::isfinite(c->kldMean) && c->kldLow <= c->kldMean &&
                        c->kldMean <= c->kldHigh);
                QVERIFY(c->accuracy.has_value()); // both demo tasks have answers
            }
        QCOMPARE(t.verdicts.size(), std::size_t(2));
        const auto back = eval::TransferResult::readFile(o.outDir + "/transfer.json");
        QCOMPARE(back.cells.size(), t.cells.size());
        QCOMPARE(sj.at("transfer").at("verdicts").size(), std::size_t(2));
    }
};

QTEST_APPLESS_MAIN(TstDemoTasks)
#include "tst_demo_tasks.moc"
