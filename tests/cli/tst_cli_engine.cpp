// The taskquant CLI as a user runs it: info, generate, synth-model, fisher/magnitude, shards from
// the environment, and clear one-line errors.
#include <QtTest/QtTest>
#include <nlohmann/json.hpp>

#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "tests/common/fixtures.h"

using tqtest::cliPath;
using tqtest::runCommand;

namespace {
std::string q(const std::string& s) {
    return "'" + s + "'";
}
int countLines(const std::string& s) {
    int n = 0;
    for (char c : s)
        n += c == '\n';
    return n;
}
} // namespace

class TstCliEngine : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::string model_;

  private slots:
    void initTestCase() {
        model_ = tmp_.filePath(QStringLiteral("m")).toStdString();
        std::string out;
        QCOMPARE(runCommand(q(cliPath()) + " synth-model " + q(model_) + " --arch llama3 --seed 3",
                            &out),
                 0);
        QVERIFY2(out.find("llama3") != std::string::npos, out.c_str());
    }

    void helpOnEveryCommand() {
        for (const char* cmd : {"info", "generate", "fisher", "magnitude", "perturbation",
                                "synth-model", "tokenize"}) {
            std::string out;
            QCOMPARE(runCommand(q(cliPath()) + " " + cmd + " --help", &out), 0);
            QVERIFY2(out.find("Usage") != std::string::npos ||
                         out.find("usage") != std::string::npos,
                     out.c_str());
        }
    }

    void infoDescribesGeneratedModel() {
        std::string out;
        QCOMPARE(runCommand(q(cliPath()) + " info " + q(model_), &out), 0);
        QVERIFY2(out.find("architecture:   llama (rope scaling llama3)") != std::string::npos,
                 out.c_str());
        QVERIFY2(out.find("grouped-query") != std::string::npos, out.c_str());
        QVERIFY2(out.find("byte-level BPE (llama3)") != std::string::npos, out.c_str());
        QCOMPARE(runCommand(q(cliPath()) + " info " + q(model_) + " --json", &out), 0);
        auto j = nlohmann::json::parse(out);
        QCOMPARE(j["config"]["num_hidden_layers"].get<int>(), 2);
    }

    void generateReproducesStories260KReference() {
        TQ_REQUIRE_FIXTURE("models/stories260K/model.safetensors");
        std::string out;
        QCOMPARE(runCommand(q(cliPath()) + " generate " + q(tqtest::fixture("models/stories260K")) +
                                " --max-new-tokens 48",
                            &out),
                 0);
        QCOMPARE(out,
                 std::string("Once upon a time, there was a little girl named Lily. She loved to "
                             "play outside in the park. One day, she saw a big, red ball. She "
                             "wanted to\n"));
    }

    void badInputGivesOneClearLine() {
        std::string out;
        QVERIFY(runCommand(q(cliPath()) + " info /nonexistent/model", &out) != 0);
        QCOMPARE(countLines(out), 1);
        QVERIFY2(out.find("/nonexistent/model") != std::string::npos, out.c_str());
        QVERIFY(runCommand(q(cliPath()) + " generate " + q(model_) + " --max-new-tokens -3",
                           &out) != 0);
        QVERIFY(runCommand(q(cliPath()) + " fisher " + q(model_) +
                               " --dataset gsm8k --data /nonexistent.jsonl --out " +
                               q(tmp_.filePath(QStringLiteral("x.json")).toStdString()),
                           &out) != 0);
        QCOMPARE(countLines(out), 1);
        QVERIFY2(out.find("/nonexistent.jsonl") != std::string::npos, out.c_str());
        QVERIFY(!QFileInfo::exists(tmp_.filePath(QStringLiteral("x.json"))));
    }

    void fisherShardsFromEnvironment() {
        const std::string data = tmp_.filePath(QStringLiteral("text.txt")).toStdString();
        std::string text;
        for (int i = 0; i < 9; ++i)
            text += "Sam has " + std::to_string(i + 3) + " apples and gives " + std::to_string(i) +
                    " away. How many are left?\n\n";
        taskquant::io::writeFileAtomically(data, text);
        const std::string base = q(cliPath()) + " fisher " + q(model_) + " --dataset text --data " +
                                 q(data) + " --samples 9 --clip-samples 4";
        const std::string whole = tmp_.filePath(QStringLiteral("whole.json")).toStdString();
        std::string out;
        QCOMPARE(runCommand(base + " --out " + q(whole), &out), 0);
        const std::string shardPattern =
            tmp_.filePath(QStringLiteral("shard.{shard}.json")).toStdString();
        for (int r = 0; r < 3; ++r)
            QCOMPARE(runCommand("RANK=" + std::to_string(r) + " WORLD_SIZE=3 " + base + " --out " +
                                    q(shardPattern),
                                &out),
                     0);
        auto shard1 = taskquant::io::readJsonFile(
            tmp_.filePath(QStringLiteral("shard.1.json")).toStdString());
        QCOMPARE(shard1["provenance"]["samples"].get<int>(), 3);
        auto w = taskquant::io::readJsonFile(whole);
        QCOMPARE(w["provenance"]["samples"].get<int>(), 9);
        QVERIFY(w["provenance"]["clip_threshold"].is_number());
        QCOMPARE(shard1["provenance"]["clip_threshold"].get<double>(),
                 w["provenance"]["clip_threshold"].get<double>());
        QVERIFY(runCommand("SLURM_PROCID=5 SLURM_NTASKS=3 " + base + " --out " + q(shardPattern),
                           &out) != 0);
        QVERIFY2(out.find("SLURM_PROCID") != std::string::npos, out.c_str());
        // A Slurm array numbered from 1 (--array=1-3): task 3 is the last shard, 2/3.
        const QString last = tmp_.filePath(QStringLiteral("shard.2.json"));
        QVERIFY(QFile::remove(last));
        QCOMPARE(
            runCommand("SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=3 " +
                           base + " --out " + q(shardPattern),
                       &out),
            0);
        auto shard2 = taskquant::io::readJsonFile(last.toStdString());
        QCOMPARE(shard2["provenance"]["shard"]["index"].get<int>(), 2);
        QCOMPARE(shard2["provenance"]["shard"]["count"].get<int>(), 3);
        QVERIFY(
            runCommand("SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=3 " +
                           base + " --out " + q(shardPattern),
                       &out) != 0);
        QVERIFY2(out.find("SLURM_ARRAY_TASK_MIN") != std::string::npos, out.c_str());
    }

    void threadOptionIsChecked() {
        std::string out;
        QVERIFY(runCommand(q(cliPath()) + " --threads 0 info " + q(model_), &out) != 0);
        QVERIFY2(out.find("--threads") != std::string::npos, out.c_str());
        QVERIFY(runCommand("TASKQUANT_THREADS=lots " + q(cliPath()) + " info " + q(model_), &out) !=
                0);
        QVERIFY2(out.find("TASKQUANT_THREADS") != std::string::npos, out.c_str());
        QCOMPARE(runCommand(q(cliPath()) + " --threads 2 info " + q(model_), &out), 0);
    }

    void magnitudeMapLists() {
        const std::string out = tmp_.filePath(QStringLiteral("mag.json")).toStdString();
        std::string text;
        QCOMPARE(runCommand(q(cliPath()) + " magnitude " + q(model_) + " --out " + q(out), &text),
                 0);
        auto j = taskquant::io::readJsonFile(out);
        QCOMPARE(j["provenance"]["method"].get<std::string>(), std::string("magnitude_l2"));
        QVERIFY(j["entries"].size() > 10);
        QVERIFY2(text.find("most sensitive") != std::string::npos, text.c_str());
    }

    // ../shared/README.md: an independent PyTorch Llama decodes these 48 ids greedily from BOS.
    // Needs the sentencepiece-style tokenizer.json and the lm_head-only tied weights.
    void generateReproducesTinyStories656kReference() {
        TQ_REQUIRE_FIXTURE("models/tinystories-656k/model.safetensors");
        const std::string dir = q(tqtest::fixture("models/tinystories-656k"));
        std::string out;
        QCOMPARE(runCommand(q(cliPath()) + " generate " + dir + " --max-new-tokens 48 --print-ids",
                            &out),
                 0);
        QCOMPARE(
            out,
            std::string("147 201 282 215 286 598 1662 356 499 826 1363 1145 1652 615 242 1482 951 "
                        "628 499 826 872 921 318 385 628 499 826 617 242 198 1047 425 1939 122 "
                        "1924 1171 94 303 328 229 521 776 115 1139 312 447 1456 319\n"));
        QCOMPARE(runCommand(q(cliPath()) + " generate " + dir + " --max-new-tokens 48", &out), 0);
        QVERIFY2(
            out.rfind(
                "Once upon a time, there was a little girl named Lily. She had a toy car that she "
                "loved very much. One day, she went to the park to play with her toy car in the "
                "park.",
                0) == 0,
            out.c_str());
    }

    void tokenizeCommand() {
        TQ_REQUIRE_FIXTURE("models/tinystories-656k/tokenizer.json");
        const std::string dir = q(tqtest::fixture("models/tinystories-656k"));
        std::string out;
        // README: tokenizers.js's ids, BOS added by the template post-processor.
        QCOMPARE(
            runCommand(q(cliPath()) + " tokenize " + dir +
                           " --text 'Once upon a time, there was a little girl named Lily.' --ids",
                       &out),
            0);
        QCOMPARE(out, std::string("1 80 147 201 282 215 286 598 629 10\n"));
        QCOMPARE(
            runCommand(q(cliPath()) + " tokenize " + dir + " --text a --ids --no-special", &out),
            0);
        QCOMPARE(out, std::string("85\n"));
        QCOMPARE(runCommand(q(cliPath()) + " tokenize " + dir + " --text a", &out), 0);
        QCOMPARE(out, std::string("1\t<|start_story|>\n85\t\xE2\x96\x81"
                                  "a\n"));
        const std::string file = tmp_.filePath(QStringLiteral("tok.txt")).toStdString();
        taskquant::io::writeFileAtomically(file, std::string("a\nb"));
        QCOMPARE(runCommand(q(cliPath()) + " tokenize " + dir + " --file " + q(file), &out), 0);
        QVERIFY2(out.find("\t\\n\n") != std::string::npos,
                 out.c_str()); // the newline piece, escaped
        QCOMPARE(countLines(out), 4);
        QVERIFY(runCommand(q(cliPath()) + " tokenize " + dir, &out) != 0);
        QVERIFY2(out.find("--text") != std::string::npos, out.c_str());
        QVERIFY(runCommand(q(cliPath()) + " tokenize " + dir + " --text a --file " + q(file),
                           &out) != 0);
        QVERIFY(runCommand(q(cliPath()) + " tokenize " + dir + " --file /nonexistent/t.txt",
                           &out) != 0);
        QCOMPARE(countLines(out), 1);
        QVERIFY2(out.find("/nonexistent/t.txt") != std::string::npos, out.c_str());
        // A tokenizer file named directly; byte-level BPE pieces as the file writes them.
        TQ_REQUIRE_FIXTURE("tokenizers/gpt2-bytelevel-bpe-50k/tokenizer.json");
        QCOMPARE(
            runCommand(q(cliPath()) + " tokenize " +
                           q(tqtest::fixture("tokenizers/gpt2-bytelevel-bpe-50k/tokenizer.json")) +
                           " --text 'Hello, world!'",
                       &out),
            0);
        QCOMPARE(out, std::string("15496\tHello\n11\t,\n995\t\xC4\xA0world\n0\t!\n"));
    }

    void infoOnTinyStories656k() {
        TQ_REQUIRE_FIXTURE("models/tinystories-656k/model.safetensors");
        std::string out;
        QCOMPARE(runCommand(q(cliPath()) + " info " + q(tqtest::fixture("models/tinystories-656k")),
                            &out),
                 0);
        QVERIFY2(out.find("tokenizer:      sentencepiece-style BPE, 2048 tokens, BOS 1, EOS 2 "
                          "[tokenizer.json]") != std::string::npos,
                 out.c_str());
        // 656,000 fp32 parameters: 2,624,000 bytes = 2.50 MiB (2,624,000 / 1,048,576).
        QVERIFY2(out.find("parameters:     656.0K (656000) in 1 file, 2.50 MiB") !=
                     std::string::npos,
                 out.c_str());
        QVERIFY2(out.find("(tied embeddings)") != std::string::npos, out.c_str());
        // GGUF: the sentencepiece-style vocabulary as llama.cpp's "llama" model, and the
        // lm_head-only tied weights as token_embd.weight (llama.cpp needs that tensor).
        const std::string dir = q(tqtest::fixture("models/tinystories-656k"));
        const std::string map = tmp_.filePath(QStringLiteral("ts-mag.json")).toStdString();
        const std::string pol = tmp_.filePath(QStringLiteral("ts-pol.json")).toStdString();
        const std::string gguf = tmp_.filePath(QStringLiteral("ts.gguf")).toStdString();
        QCOMPARE(runCommand(q(cliPath()) + " magnitude " + dir + " --out " + q(map), &out), 0);
        QCOMPARE(
            runCommand(q(cliPath()) + " policy " + q(map) + " --method pct --out " + q(pol), &out),
            0);
        QCOMPARE(runCommand(q(cliPath()) + " export " + dir + " --policy " + q(pol) +
                                " --format gguf --out " + q(gguf),
                            &out),
                 0);
        QCOMPARE(runCommand(q(cliPath()) + " info " + q(gguf), &out), 0);
        QVERIFY2(
            out.find("tokenizer.ggml.model                         STRING           \"llama\"") !=
                std::string::npos,
            out.c_str());
        QVERIFY2(out.find("  token_embd.weight ") != std::string::npos, out.c_str());
        QVERIFY2(out.find("  output.weight ") == std::string::npos, out.c_str());
        QVERIFY2(out.find("\"<|start_story|>\"") != std::string::npos, out.c_str());
    }

    // A config.json the tensors contradict is an error naming config.json and the facts.
    void infoChecksConfigAgainstWeights() {
        TQ_REQUIRE_FIXTURE("models/tinystories-656k/model.safetensors");
        const std::string src = tqtest::fixture("models/tinystories-656k");
        auto config = taskquant::io::readJsonFile(src + "/config.json");
        struct Case {
            const char* key;
            int value;
            const char* fragment;
        };
        for (const Case& c :
             {Case{"hidden_size", 256,
                   "hidden_size is 256 but lm_head.weight (the tied embedding) is [2048, 128]"},
              Case{"num_hidden_layers", 3,
                   "num_hidden_layers is 3 but the weights hold layers 0..1 (2 layers)"},
              Case{"vocab_size", 4096, "vocab_size is 4096"},
              Case{"intermediate_size", 512, "config.json implies [512, 128]"}}) {
            QTemporaryDir dir;
            const std::string d = dir.path().toStdString();
            QVERIFY(QFile::link(QString::fromStdString(src + "/model.safetensors"),
                                dir.filePath(QStringLiteral("model.safetensors"))));
            auto edited = config;
            edited[c.key] = c.value;
            taskquant::io::writeFileAtomically(d + "/config.json", edited.dump());
            std::string out;
            QVERIFY(runCommand(q(cliPath()) + " info " + q(d), &out) != 0);
            QCOMPARE(countLines(out), 1);
            QVERIFY2(out.find(c.fragment) != std::string::npos, out.c_str());
            QVERIFY2(out.find(c.key == std::string("intermediate_size")
                                  ? "model.safetensors"
                                  : "config.json") != std::string::npos,
                     out.c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TstCliEngine)
#include "tst_cli_engine.moc"
