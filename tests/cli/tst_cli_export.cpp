// The CLI end to end: synth-model, export to GGUF / safetensors / tensor-types, info on the
// GGUF, eval comparing two policies with the baseline (table and JSON report).
#include <QtTest/QtTest>
#include <nlohmann/json.hpp>

#include "core/io/atomic_file.h"
#include "core/io/gguf_reader.h"
#include "tests/common/fixtures.h"

namespace {
std::string q(const std::string& s) {
    return "'" + s + "'";
}
} // namespace

class TstCliExport : public QObject {
    Q_OBJECT
  private slots:
    void exportInfoEval() {
        QTemporaryDir tmp;
        const std::string t = tmp.path().toStdString();
        const std::string cli = q(tqtest::cliPath());
        std::string out;
        QCOMPARE(tqtest::runCommand(
                     cli + " synth-model " + q(t + "/m") + " --arch llama --hidden 64", &out),
                 0);
        taskquant::io::writeFileAtomically(
            t + "/p8.json", "{\"format\":\"taskquant-policy\",\"version\":1,\"default\":\"q8_0\"}");
        taskquant::io::writeFileAtomically(
            t + "/p4.json", "{\"format\":\"taskquant-policy\",\"version\":1,\"default\":\"q4_0\"}");
        QCOMPARE(tqtest::runCommand(cli + " export " + q(t + "/m") + " --policy " +
                                        q(t + "/p4.json") + " --format gguf --out " +
                                        q(t + "/m.gguf"),
                                    &out),
                 0);
        QVERIFY2(out.find("wrote") != std::string::npos, out.c_str());
        auto f = taskquant::io::GgufFile::open(t + "/m.gguf");
        QCOMPARE(taskquant::io::ggmlTypeName(f->find("blk.0.ffn_up.weight")->type),
                 std::string("q4_0"));

        QCOMPARE(tqtest::runCommand(cli + " info " + q(t + "/m.gguf"), &out), 0);
        QVERIFY2(out.find("GGUF version 3") != std::string::npos, out.c_str());
        QVERIFY(out.find("general.architecture") != std::string::npos);
        QVERIFY(out.find("blk.1.attn_output.weight") != std::string::npos);

        QCOMPARE(tqtest::runCommand(cli + " export " + q(t + "/m") + " --policy " +
                                        q(t + "/p8.json") + " --format tensor-types --out " +
                                        q(t + "/types.txt"),
                                    &out),
                 0);
        QVERIFY(taskquant::io::readFile(t + "/types.txt").find("blk.0.attn_q.weight=q8_0") !=
                std::string::npos);
        QCOMPARE(tqtest::runCommand(cli + " export " + q(t + "/m") + " --policy " +
                                        q(t + "/p8.json") + " --format safetensors --out " +
                                        q(t + "/st"),
                                    &out),
                 0);
        QVERIFY(QFileInfo::exists(QString::fromStdString(t + "/st/model.safetensors")));
        // bad destination: one clear error, non-zero exit
        QVERIFY(tqtest::runCommand(cli + " export " + q(t + "/m") + " --policy " +
                                       q(t + "/p8.json") + " --format gguf --out " +
                                       q(t + "/none/x.gguf"),
                                   &out) != 0);
        QVERIFY2(out.find("none") != std::string::npos, out.c_str());

        std::string text;
        for (int i = 0; i < 60; ++i)
            text +=
                "the quick brown fox jumps over the lazy dog number " + std::to_string(i) + ". ";
        taskquant::io::writeFileAtomically(t + "/text.txt", text);
        QCOMPARE(tqtest::runCommand(cli + " eval " + q(t + "/m") + " --policy " +
                                        q(t + "/p8.json") + " --policy " + q(t + "/p4.json") +
                                        " --text " + q(t + "/text.txt") + " --ctx 64 --report " +
                                        q(t + "/report.json"),
                                    &out),
                 0);
        QVERIFY2(out.find("baseline") != std::string::npos, out.c_str());
        const auto j = nlohmann::json::parse(taskquant::io::readFile(t + "/report.json"));
        QCOMPARE(j["rows"].size(), std::size_t(3));
        QCOMPARE(j["rows"][0]["metrics"]["kld_mean"].get<double>(), 0.0);
        QVERIFY(j["rows"][2]["metrics"]["kld_mean"].get<double>() >
                j["rows"][1]["metrics"]["kld_mean"].get<double>());
    }
};

QTEST_APPLESS_MAIN(TstCliExport)
#include "tst_cli_export.moc"
