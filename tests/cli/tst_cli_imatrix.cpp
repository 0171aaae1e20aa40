// `taskquant imatrix` end to end on stories260K: compute on WikiText lines (GGUF), summarise and
// check against the model, convert to .dat, then export and eval with --imatrix; an imatrix of
// another model is refused with the file named.
#include <QtTest/QtTest>

#include "core/io/atomic_file.h"
#include "core/io/imatrix_file.h"
#include "tests/common/fixtures.h"

namespace {
std::string q(const std::string& s) {
    return "'" + s + "'";
}
} // namespace

class TstCliImatrix : public QObject {
    Q_OBJECT
  private slots:
    void computeInspectExportEval() {
        TQ_REQUIRE_FIXTURE("models/stories260K");
        TQ_REQUIRE_FIXTURE("data/wikitext2/wiki.test.raw");
        TQ_REQUIRE_FIXTURE("golden/ggml/source.imatrix.gguf");
        QTemporaryDir tmp;
        const std::string t = tmp.path().toStdString();
        const std::string cli = q(tqtest::cliPath());
        const std::string model = q(tqtest::fixture("models/stories260K"));
        const std::string wiki = q(tqtest::fixture("data/wikitext2/wiki.test.raw"));
        std::string out;
        QCOMPARE(tqtest::runCommand(cli + " imatrix " + model + " --dataset wikitext --data " +
                                        wiki + " --samples 6 --ctx 32 --out " + q(t + "/s.gguf"),
                                    &out),
                 0);
        QVERIFY2(out.find("wrote") != std::string::npos, out.c_str());
        const auto m = taskquant::io::readImatrix(t + "/s.gguf");
        QCOMPARE(m.entries.size(), std::size_t(35));
        QCOMPARE(m.chunkSize, 32u);

        QCOMPARE(tqtest::runCommand(cli + " imatrix " + model + " --in " + q(t + "/s.gguf") +
                                        " --out " + q(t + "/s.dat"),
                                    &out),
                 0);
        QVERIFY2(out.find("35 entries") != std::string::npos, out.c_str());
        QVERIFY2(out.find("matches the weight matrices") != std::string::npos, out.c_str());
        QVERIFY2(out.find("blk.4.ffn_down.weight") != std::string::npos, out.c_str());
        const auto l = taskquant::io::readImatrix(t + "/s.dat");
        QCOMPARE(int(l.format), int(taskquant::io::ImatrixFormat::Legacy));
        QCOMPARE(l.entries.size(), std::size_t(35));

        taskquant::io::writeFileAtomically(
            t + "/p.json", "{\"format\":\"taskquant-policy\",\"version\":1,\"default\":\"q8_0\"}");
        QCOMPARE(tqtest::runCommand(cli + " export " + model + " --policy " + q(t + "/p.json") +
                                        " --format gguf --imatrix " + q(t + "/s.dat") + " --out " +
                                        q(t + "/m.gguf"),
                                    &out),
                 0);
        QVERIFY2(out.find("35 tensors weighted") != std::string::npos, out.c_str());
        QCOMPARE(tqtest::runCommand(cli + " eval " + model + " --policy " + q(t + "/p.json") +
                                        " --dataset wikitext:" + wiki +
                                        " --ctx 64 --chunks 2 --imatrix " + q(t + "/s.gguf"),
                                    &out),
                 0);
        QVERIFY2(out.find("baseline") != std::string::npos, out.c_str());

        // another model's imatrix (hidden 256): one error naming the file, no output
        const std::string other = tqtest::fixture("golden/ggml/source.imatrix.gguf");
        QVERIFY(tqtest::runCommand(cli + " export " + model + " --policy " + q(t + "/p.json") +
                                       " --format gguf --imatrix " + q(other) + " --out " +
                                       q(t + "/bad.gguf"),
                                   &out) != 0);
        QVERIFY2(out.find(other) != std::string::npos, out.c_str());
        QVERIFY(!QFileInfo::exists(QString::fromStdString(t + "/bad.gguf")));
        QVERIFY(tqtest::runCommand(cli + " eval " + model + " --policy " + q(t + "/p.json") +
                                       " --dataset wikitext:" + wiki + " --ctx 64 --chunks 2" +
                                       " --imatrix " + q(t + "/missing.gguf"),
                                   &out) != 0);
        QVERIFY2(out.find("missing.gguf") != std::string::npos, out.c_str());
        // a truncated file
        taskquant::io::writeFileAtomically(t + "/cut.gguf",
                                           taskquant::io::readFile(t + "/s.gguf").substr(0, 300));
        QVERIFY(tqtest::runCommand(cli + " imatrix --in " + q(t + "/cut.gguf"), &out) != 0);
        QVERIFY2(out.find("cut.gguf") != std::string::npos, out.c_str());
    }
};

QTEST_APPLESS_MAIN(TstCliImatrix)
#include "tst_cli_imatrix.moc"
