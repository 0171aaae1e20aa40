// The cross-task transfer matrix (core/eval/transfer.h): the verdict logic and its intervals on
// hand-worked cases, the calibration text a policy records, error weighting by the task text,
// and a complete matrix on the demo model.
#include <QtTest/QtTest>

#include "core/data/synthetic_tasks.h"
#include "core/eval/transfer.h"
#include "core/export/apply_policy.h"
#include "core/models/causal_lm.h"
#include "core/models/model_loader.h"
#include "core/policy/error_measure.h"
#include "core/tokenize/tokenizer.h"
#include "core/util/error.h"
#include "core/util/shape.h"
#include "tests/common/fixtures.h"

using namespace taskquant;

namespace {

const std::string kDemo = std::string(TASKQUANT_SOURCE_DIR) + "/resources/demo-model";

std::vector<std::vector<int64_t>> encodeAll(const tokenize::Tokenizer& tok,
                                            const std::vector<data::SyntheticProblem>& ps) {
    std::vector<std::vector<int64_t>> out;
    for (const auto& p : ps) {
        const auto ids = tok.encode(p.text(), true);
        out.emplace_back(ids.begin(), ids.end());
    }
    return out;
}

} // namespace

class TestTransfer : public QObject {
    Q_OBJECT

  private slots:
    // Own policy better than every other with intervals above 0: a win against the best other,
    // i.e. the one with the smallest gain (here not the mixed policy).
    void verdictWin() {
        const auto v = eval::decideVerdict("arith", 4, "arith @4",
                                           {{"mixed @4", "mixed", 0.30, 0.20, 0.40},
                                            {"stories @4", "stories", 0.25, 0.10, 0.35}});
        QCOMPARE(v.outcome, std::string("win"));
        QCOMPARE(v.bestOther, std::string("stories @4"));
        QCOMPARE(v.gain, 0.25);
        QCOMPARE(v.text, std::string("its own policy beats the best other policy of equal size "
                                     "(stories @4) by 25.0 % (95 % interval [10.0, 35.0] %)"));
        QVERIFY(v.mixedGain.has_value());
        QCOMPARE(*v.mixedGain, 0.30);
        QCOMPARE(*v.mixedGainLow, 0.20);
    }
    // The mixed policy 50 % better than the own one (gain -0.5, interval below 0): a loss.
    void verdictLoss() {
        const auto v = eval::decideVerdict("arith", 4, "arith @4",
                                           {{"Q4_K_M imatrix arith @4", "Q4_K_M", 0.1, 0.05, 0.2},
                                            {"mixed @4", "mixed", -0.5, -0.7, -0.3}});
        QCOMPARE(v.outcome, std::string("loss"));
        QCOMPARE(v.bestOther, std::string("mixed @4"));
        QCOMPARE(v.text, std::string("no task-specific gain here: mixed @4 beats its own policy by "
                                     "50.0 % (95 % interval [30.0, 70.0] %)"));
    }
    // A gain whose interval holds 0: a tie, worded with the mixed policy when it is the best
    // other, else with the best other's label.
    void verdictTie() {
        auto v = eval::decideVerdict("arith", 3.5, "arith @3.5",
                                     {{"general @3.5", "general", 0.2, 0.1, 0.3},
                                      {"mixed @3.5", "mixed", 0.05, -0.02, 0.12}});
        QCOMPARE(v.outcome, std::string("tie"));
        QCOMPARE(v.bestOther, std::string("mixed @3.5"));
        QCOMPARE(v.text, std::string("no task-specific gain here: the mixed policy is within 5.0 % "
                                     "(gain 95 % interval [-2.0, 12.0] %)"));
        v = eval::decideVerdict("arith", 3.5, "arith @3.5",
                                {{"mixed @3.5", "mixed", 0.3, 0.2, 0.4},
                                 {"Q3_K_M imatrix arith @3.5", "Q3_K_M", -0.01, -0.05, 0.03}});
        QCOMPARE(v.outcome, std::string("tie"));
        QCOMPARE(v.text,
                 std::string("no task-specific gain here: the best other policy (Q3_K_M imatrix "
                             "arith @3.5) is within 1.0 % (gain 95 % interval [-5.0, 3.0] %)"));
        v = eval::decideVerdict("arith", 3.5, "arith @3.5", {});
        QCOMPARE(v.outcome, std::string("none"));
    }
    // Paired bootstrap of 1 - sum(own) / sum(other): constant ratio -> a degenerate interval;
    // windows {1, 3} vs {2, 2}: resamples give gains 0.5 ({1,1}), 0 ({1,3}), -0.5 ({3,3}), the
    // extremes each with probability 1/4, so the 95 % interval is [-0.5, 0.5].
    void pairedGainHandWorked() {
        auto g = eval::pairedGain({1, 1, 1, 1}, {2, 2, 2, 2}, 200, 1);
        QCOMPARE(g.gain, 0.5);
        QCOMPARE(g.low, 0.5);
        QCOMPARE(g.high, 0.5);
        g = eval::pairedGain({1, 3}, {2, 2}, 2000, 7);
        QCOMPARE(g.gain, 0.0);
        QCOMPARE(g.low, -0.5);
        QCOMPARE(g.high, 0.5);
        QVERIFY_THROWS_EXCEPTION(Error, eval::pairedGain({1}, {1, 2}, 10, 0));
        QVERIFY_THROWS_EXCEPTION(Error, eval::pairedGain({1}, {0}, 10, 0));
        const auto ci = eval::bootstrapMeanInterval({0.25, 0.25, 0.25}, 100, 3);
        QCOMPARE(ci.first, 0.25);
        QCOMPARE(ci.second, 0.25);
    }
    // Wilson score interval, z = 1.96: 8/10 -> [0.4902, 0.9433] (e.g. Agresti & Coull's
    // tables); 0/10 -> [0, 0.2775]; no problems -> [0, 1].
    void wilson() {
        auto w = eval::wilsonInterval(8, 10);
        QVERIFY(std::fabs(w.first - 0.4902) < 1e-4);
        QVERIFY(std::fabs(w.second - 0.9433) < 1e-4);
        w = eval::wilsonInterval(0, 10);
        QCOMPARE(w.first, 0.0);
        QVERIFY(std::fabs(w.second - 0.2775) < 1e-4);
        w = eval::wilsonInterval(0, 0);
        QCOMPARE(w.first, 0.0);
        QCOMPARE(w.second, 1.0);
    }
    void parseTasks() {
        auto t = eval::parseTransferTask("math=gsm8k:/x/test.jsonl");
        QCOMPARE(t.name, std::string("math"));
        QCOMPARE(t.data.kind, std::string("gsm8k"));
        QCOMPARE(t.data.path, std::string("/x/test.jsonl"));
        t = eval::parseTransferTask("a=arithmetic");
        QCOMPARE(t.data.kind, std::string("arithmetic"));
        QVERIFY_THROWS_EXCEPTION(Error, eval::parseTransferTask("arithmetic"));
        QVERIFY_THROWS_EXCEPTION(Error, eval::parseTransferTask("mixed=arithmetic"));
        QVERIFY_THROWS_EXCEPTION(Error, eval::parseTransferTask("x=nosuchkind:f"));
    }
    // FNV-1a 64 of the texts, each followed by NUL: the offset basis for none; values computed
    // independently (Python, the FNV reference constants).
    void calibrationHash() {
        using V = std::vector<std::string>;
        QCOMPARE(QString::fromStdString(policy::calibrationHash(V{})),
                 QStringLiteral("cbf29ce484222325"));
        QCOMPARE(QString::fromStdString(policy::calibrationHash(V{"a"})),
                 QStringLiteral("089be207b544f1e4"));
        QCOMPARE(QString::fromStdString(policy::calibrationHash(V{"ab", "c"})),
                 QStringLiteral("ad22872f536e4705"));
    }
    void policyCalibrationRoundTrip() {
        policy::Policy p;
        p.provenance.calibration =
            policy::CalibrationText{"gsm8k:/data/train.jsonl", "calibration", 64, "0123abcd"};
        const auto back = policy::Policy::fromJson(nlohmann::json::parse(p.toJson().dump()), "t");
        QVERIFY(back.provenance.calibration.has_value());
        QVERIFY(*back.provenance.calibration == *p.provenance.calibration);
        QCOMPARE(back.toJson().dump(), p.toJson().dump());
        // absent or null: not recorded
        policy::Policy none;
        auto j = nlohmann::json::parse(none.toJson().dump());
        QVERIFY(j["provenance"]["calibration"].is_null());
        QVERIFY(!policy::Policy::fromJson(j, "t").provenance.calibration);
        j["provenance"].erase("calibration");
        QVERIFY(!policy::Policy::fromJson(j, "t").provenance.calibration);
        // malformed: one clear error
        j["provenance"]["calibration"] = {{"dataset", "x"}, {"split", "s"}, {"samples", -1},
                                          {"hash", "h"}};
        QVERIFY_THROWS_EXCEPTION(Error, policy::Policy::fromJson(j, "t"));
        j["provenance"]["calibration"] = "gsm8k";
        QVERIFY_THROWS_EXCEPTION(Error, policy::Policy::fromJson(j, "t"));
    }
    // The same map, two texts: the per-weight Fisher weighting (and the codecs' imatrix) of the
    // errors differ, and so do the optimal policies at one budget.
    void textChangesErrorsAndPolicy() {
        auto model = models::loadModel(kDemo);
        auto tok = tokenize::loadTokenizer(kDemo);
        const auto arith = encodeAll(
            *tok, data::generateProblems(data::SyntheticTask::Arithmetic,
                                         data::SyntheticSplit::Train, 12, 0));
        const auto stories = encodeAll(*tok, data::generateProblems(data::SyntheticTask::Stories,
                                                                    data::SyntheticSplit::Train,
                                                                    12, 0));
        const auto cands = policy::defaultGgufCandidates();
        const policy::CalibrationText ta{"arithmetic", "train", 12, "a"},
            ts{"stories", "train", 12, "s"};
        const auto sa = eval::measureTaskSignals(*model, arith, ta, cands, 1);
        const auto ss = eval::measureTaskSignals(*model, stories, ts, cands, 1);
        // the weighted errors of the same weights differ with the text
        const auto* ra = sa.errors.find("model.layers.0.self_attn.q_proj.weight");
        const auto* rs = ss.errors.find("model.layers.0.self_attn.q_proj.weight");
        QVERIFY(ra && rs);
        QVERIFY(ra->weightedSse != rs->weightedSse);
        std::map<std::string, std::vector<int64_t>> shapes;
        int64_t params = 0;
        for (const auto& s : exporting::parameterShapes(*model)) {
            shapes[s.name] = s.shape;
            params += checkedNumel(s.shape);
        }
        // one map (arithmetic's) for both: only the error weighting differs
        int differing = 0;
        for (double bits : {3.5, 4.0, 4.5, 5.0, 5.5}) {
            const auto budget = static_cast<uint64_t>(bits * double(params) / 8);
            const auto pa = eval::allocateTaskPolicy(sa.map, sa.errors, shapes, budget, cands, ta);
            const auto ps = eval::allocateTaskPolicy(sa.map, ss.errors, shapes, budget, cands, ts);
            QVERIFY(pa.provenance.calibration && *pa.provenance.calibration == ta);
            QVERIFY(ps.provenance.calibration && *ps.provenance.calibration == ts);
            std::string a, s;
            for (const auto& [name, shape] : shapes) {
                a += pa.precisionFor(name).name() + " ";
                s += ps.precisionFor(name).name() + " ";
            }
            differing += a != s ? 1 : 0;
        }
        QVERIFY2(differing > 0, "the two texts' weightings gave the same policies");
    }
    // The whole run with tiny settings: every policy has a cell on every task, intervals hold
    // their means, accuracy where the task has answers, one verdict per task and budget, and the
    // JSON reads back to the same JSON.
    void completeMatrixOnDemoModel() {
        eval::TransferOptions o;
        o.modelDir = kDemo;
        o.tasks = {eval::parseTransferTask("arith=arithmetic"),
                   eval::parseTransferTask("stories=stories")};
        o.bits = {4.5};
        o.candidates = quant::Precision::parseList("q3_k,q4_k,q5_k,q6_k,q8_0");
        o.calibrationSamples = 8;
        o.heldOutSamples = 24;
        o.ctx = 64;
        o.windows = 4;
        o.answerProblems = 2;
        o.maxNewTokens = 12;
        o.bootstrapResamples = 100;
        o.threads = 1;
        const auto r = eval::runTransfer(o);
        QCOMPARE(r.tasks.size(), std::size_t(2));
        // own x2, mixed, nearest mix with each task's imatrix x2
        QCOMPARE(r.policies.size(), std::size_t(5));
        QCOMPARE(r.cells.size(), r.policies.size() * 2);
        for (const auto& [label, p] : r.policies) {
            QVERIFY(p.provenance.calibration.has_value());
            for (const auto& t : r.tasks) {
                const auto* c = r.cell(4.5, label, t.name);
                QVERIFY2(c, (label + " on " + t.name).c_str());
                QVERIFY(c->kldMean > 0);
                QVERIFY(c->kldLow <= c->kldMean + 1e-12 && c->kldMean <= c->kldHigh + 1e-12);
                QVERIFY(c->accuracy.has_value());
                QCOMPARE(c->answered, int64_t(2));
                QCOMPARE(c->windowKld.size(), std::size_t(4));
            }
        }
        QVERIFY(r.policyOf("arith @4.5"));
        QCOMPARE(r.policyOf("arith @4.5")->provenance.calibration->dataset,
                 std::string("arithmetic"));
        QCOMPARE(r.policyOf("arith @4.5")->provenance.calibration->samples, int64_t(8));
        QCOMPARE(r.verdicts.size(), std::size_t(2));
        for (const auto& v : r.verdicts)
            QVERIFY(!v.text.empty());
        const auto j = r.toJson();
        QCOMPARE(j["cells"].size(), r.cells.size());
        QCOMPARE(j["cells"][0]["kld_ci95"].size(), std::size_t(2));
        const auto back = eval::TransferResult::fromJson(nlohmann::json::parse(j.dump()), "t");
        // the same document (the policies object's key order aside)
        QVERIFY(nlohmann::json::parse(back.toJson().dump()) == nlohmann::json::parse(j.dump()));
        QVERIFY(r.table().find("arith @4.5") != std::string::npos);
        QVERIFY(r.svg().rfind("<svg", 0) == 0);
        // malformed: a cell naming an unknown policy is one clear error
        auto bad = nlohmann::json::parse(j.dump());
        bad["cells"][0]["policy"] = "nope";
        QVERIFY_THROWS_EXCEPTION(Error, eval::TransferResult::fromJson(bad, "t"));
    }
};

QTEST_APPLESS_MAIN(TestTransfer)
#include "tst_transfer.moc"
