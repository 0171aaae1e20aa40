// `taskquant eval` as a user runs it against llama-perplexity: --text on raw wiki.test.raw with
// --gguf for the golden mixed file gives llama-perplexity's figures (golden/llama-perplexity,
// -c 128, 20 chunks) in the table and the JSON report; a GGUF given as MODEL_DIR and a missing
// --gguf file give one clear error line; --help states that --dataset wikitext: is filtered.
#include <QtTest/QtTest>
#include <functional>
#include <nlohmann/json.hpp>

#include "core/io/atomic_file.h"
#include "core/io/gguf_reader.h"
#include "core/io/gguf_writer.h"
#include "tests/common/fixtures.h"

using tqtest::cliPath;
using tqtest::runCommand;

namespace {
std::string q(const std::string& s) {
    return "'" + s + "'";
}
const char* kGguf = "golden/llama-perplexity/stories260K-q4_0-q8_0.gguf";
} // namespace

class TstCliEval : public QObject {
    Q_OBJECT

  private slots:
    void helpSaysWikitextIsFiltered() {
        std::string out;
        QCOMPARE(runCommand(q(cliPath()) + " eval --help", &out), 0);
        QVERIFY2(out.find("paragraph filter") != std::string::npos, out.c_str());
        QVERIFY2(out.find("--gguf") != std::string::npos, out.c_str());
    }

    void ggufMatchesLlamaPerplexity() {
        TQ_REQUIRE_FIXTURE("models/stories260K");
        TQ_REQUIRE_FIXTURE("data/wikitext2/wiki.test.raw");
        TQ_REQUIRE_FIXTURE(kGguf);
        QTemporaryDir tmp;
        const std::string report = tmp.filePath("eval.json").toStdString();
        std::string out;
        const int rc =
            runCommand(q(cliPath()) + " eval " + q(tqtest::fixture("models/stories260K")) +
                           " --text " + q(tqtest::fixture("data/wikitext2/wiki.test.raw")) +
                           " --ctx 128 --chunks 20 --gguf " + q(tqtest::fixture(kGguf)) +
                           " --report " + q(report),
                       &out);
        QVERIFY2(rc == 0, out.c_str());
        QVERIFY2(out.find("stories260K-q4_0-q8_0.gguf") != std::string::npos, out.c_str());
        const auto j = nlohmann::json::parse(taskquant::io::readFile(report));
        const auto& rows = j["rows"];
        QCOMPARE(rows.size(), std::size_t(2));
        const double base = rows[0]["metrics"]["ppl"].get<double>();
        const double file = rows[1]["metrics"]["ppl"].get<double>();
        // llama-perplexity -c 128 --chunks 20: 114.1604 (F32 GGUF), 121.9426 (this file)
        QVERIFY2(std::abs(base - 114.1604) < 114.1604e-3, out.c_str());
        QVERIFY2(std::abs(file - 121.9426) < 3 * 121.9426e-3,
                 out.c_str()); // see tst_perplexity_golden
        QCOMPARE(rows[1]["metrics"]["chunks"].get<int>(), 20);
    }

    void clearErrors() {
        TQ_REQUIRE_FIXTURE("models/stories260K");
        TQ_REQUIRE_FIXTURE(kGguf);
        std::string out;
        QVERIFY(runCommand(q(cliPath()) + " eval " + q(tqtest::fixture(kGguf)) + " --text " +
                               q(tqtest::fixture(kGguf)),
                           &out) != 0);
        QVERIFY2(out.find("--gguf") != std::string::npos &&
                     out.find("is a GGUF file") != std::string::npos,
                 out.c_str());
        QVERIFY(runCommand(q(cliPath()) + " eval " + q(tqtest::fixture("models/stories260K")) +
                               " --text " + q(tqtest::fixture("models/stories260K/config.json")) +
                               " --ctx 16 --gguf /nonexistent/x.gguf",
                           &out) != 0);
        QVERIFY2(out.find("/nonexistent/x.gguf") != std::string::npos, out.c_str());
    }

    // Metadata llama.cpp's loader rejects: the golden GGUF rewritten by our writer with one
    // defect each; eval --gguf refuses it with one error naming the file and the key/tensor.
    void ggufMetadataLlamaRejects() {
        TQ_REQUIRE_FIXTURE("models/stories260K");
        TQ_REQUIRE_FIXTURE("data/wikitext2/wiki.test.raw");
        TQ_REQUIRE_FIXTURE(kGguf);
        using namespace taskquant::io;
        const auto src = GgufFile::open(tqtest::fixture(kGguf));
        QTemporaryDir tmp;
        const auto rewrite = [&](const std::string& name,
                                 const std::function<void(GgufMetadata&)>& edit, bool extra) {
            GgufMetadata md = src->metadata();
            edit(md);
            std::vector<GgufTensorSource> ts;
            for (const auto& t : src->tensors()) {
                const GgufTensorInfo* ti = &t;
                ts.push_back({t.name, t.type, t.shape, [src, ti] {
                                  return std::string(reinterpret_cast<const char*>(src->data(*ti)),
                                                     ti->nbytes);
                              }});
            }
            if (extra)
                ts.push_back({"blk.0.extra.weight", GgmlType::F32, {4}, [] {
                                  return std::string(16, '\0');
                              }});
            const std::string path = tmp.filePath(QString::fromStdString(name)).toStdString();
            writeGguf(path, md, ts);
            return path;
        };
        const auto refuse = [&](const std::string& path, const std::string& what) {
            std::string out;
            const int rc =
                runCommand(q(cliPath()) + " eval " + q(tqtest::fixture("models/stories260K")) +
                               " --text " + q(tqtest::fixture("data/wikitext2/wiki.test.raw")) +
                               " --ctx 128 --chunks 1 --gguf " + q(path),
                           &out);
            QVERIFY2(rc != 0, out.c_str());
            QVERIFY2(out.find(path) != std::string::npos, out.c_str());
            QVERIFY2(out.find(what) != std::string::npos, out.c_str());
        };
        // The unedited rewrite loads (the checks below are the defects, not the rewrite).
        {
            std::string out;
            const std::string ok = rewrite(
                "ok.gguf", [](GgufMetadata&) {}, false);
            QVERIFY2(runCommand(q(cliPath()) + " eval " + q(tqtest::fixture("models/stories260K")) +
                                    " --text " +
                                    q(tqtest::fixture("data/wikitext2/wiki.test.raw")) +
                                    " --ctx 128 --chunks 1 --gguf " + q(ok),
                                &out) == 0,
                     out.c_str());
        }
        refuse(rewrite(
                   "noarch.gguf", [](GgufMetadata& m) { m.remove("general.architecture"); }, false),
               "general.architecture");
        refuse(
            rewrite(
                "phi2.gguf", [](GgufMetadata& m) { m.set("general.architecture", "phi2"); }, false),
            "phi2");
        refuse(rewrite(
                   "noblocks.gguf", [](GgufMetadata& m) { m.remove("llama.block_count"); }, false),
               "llama.block_count");
        refuse(rewrite(
                   "ctxtype.gguf",
                   [](GgufMetadata& m) { m.set("llama.context_length", uint64_t(128)); }, false),
               "llama.context_length");
        refuse(rewrite(
                   "embd.gguf",
                   [](GgufMetadata& m) { m.set("llama.embedding_length", uint32_t(63)); }, false),
               "llama.embedding_length");
        refuse(rewrite(
                   "extra.gguf", [](GgufMetadata&) {}, true),
               "blk.0.extra.weight");
    }
};

QTEST_GUILESS_MAIN(TstCliEval)
#include "tst_cli_eval.moc"
