// The CLI end to end with llama.cpp's mixes: `policy --recipe`, `export --type` (tensor-type
// files compared with ../shared/golden/ggml/recipes.json, llama-quantize's own choices), GGUF
// files with their general.file_type, and the error cases.
#include <QtTest/QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/io/atomic_file.h"
#include "core/io/gguf_reader.h"
#include "tests/common/fixtures.h"

namespace {
std::string q(const std::string& s) {
    return "'" + s + "'";
}

std::string upper(std::string s) {
    for (char& c : s)
        c = char(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// "name=type" lines of a tensor-type file.
std::map<std::string, std::string> readTypes(const std::string& path) {
    std::map<std::string, std::string> out;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        const auto eq = line.find('=');
        if (eq != std::string::npos)
            out[line.substr(0, eq)] = upper(line.substr(eq + 1));
    }
    return out;
}
} // namespace

class TstCliRecipes : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::string t_, cli_, model_;

  private slots:
    void initTestCase() {
        if (!QFileInfo::exists(QString::fromStdString(tqtest::cliPath())))
            QSKIP("the taskquant binary is not built");
        t_ = tmp_.path().toStdString();
        cli_ = q(tqtest::cliPath());
        model_ = t_ + "/m8";
        std::string out;
        // the golden models' shapes: hidden 256, 4 heads, 2 KV heads, MLP 512, tied, 8 layers
        QCOMPARE(tqtest::runCommand(cli_ + " synth-model " + q(model_) +
                                        " --arch llama3 --hidden 256 --layers 8 --heads 4"
                                        " --kv-heads 2 --intermediate 512",
                                    &out),
                 0);
    }

    void policyRecipeMatchesLlamaQuantize() {
        TQ_REQUIRE_FIXTURE("golden/ggml/recipes.json");
        std::ifstream in(tqtest::fixture("golden/ggml/recipes.json"));
        const nlohmann::json golden = nlohmann::json::parse(in)["models"]["8_layers"];
        std::string out;
        int mixes = 0;
        for (auto it = golden.begin(); it != golden.end(); ++it) {
            const std::string mix = it.key();
            const std::string lower = [&] {
                std::string s = mix;
                for (char& c : s)
                    c = char(std::tolower(static_cast<unsigned char>(c)));
                return s;
            }();
            // --recipe (lower case) -> policy file -> tensor-type file
            const std::string pol = t_ + "/" + mix + ".json";
            QCOMPARE(tqtest::runCommand(cli_ + " policy --recipe " + lower + " --model " +
                                            q(model_) + " --out " + q(pol),
                                        &out),
                     0);
            QVERIFY2(out.find("recipe: " + mix) != std::string::npos, out.c_str());
            const std::string viaPolicy = t_ + "/" + mix + "-p.txt";
            QCOMPARE(tqtest::runCommand(cli_ + " export " + q(model_) + " --policy " + q(pol) +
                                            " --format tensor-types --out " + q(viaPolicy),
                                        &out),
                     0);
            // --type (as llama-quantize spells it) -> tensor-type file
            const std::string viaType = t_ + "/" + mix + "-t.txt";
            QCOMPARE(tqtest::runCommand(cli_ + " export " + q(model_) + " --type " + mix +
                                            " --format tensor-types --out " + q(viaType),
                                        &out),
                     0);
            for (const std::string& file : {viaPolicy, viaType}) {
                const auto types = readTypes(file);
                QCOMPARE(int(types.size()), 1 + 8 * 7); // the matrices
                for (const auto& [name, type] : types) {
                    QVERIFY2(it.value().contains(name), name.c_str());
                    QVERIFY2(it.value()[name].get<std::string>() == type,
                             (mix + " " + name + ": " + type).c_str());
                }
            }
            ++mixes;
        }
        QCOMPARE(mixes, 11);
        const nlohmann::json p =
            nlohmann::json::parse(taskquant::io::readFile(t_ + "/Q4_K_M.json"));
        QCOMPARE(p["default"].get<std::string>(), std::string("q4_k"));
        QCOMPARE(p["embeddings"].get<std::string>(), std::string("q6_k"));
        QCOMPARE(p["overrides"]["model.layers.0.self_attn.v_proj.weight"].get<std::string>(),
                 std::string("q6_k"));
        QVERIFY(!p["overrides"].contains("model.layers.1.self_attn.v_proj.weight"));
        QCOMPARE(p["provenance"]["method"].get<std::string>(), std::string("recipe"));
    }

    void exportTypeGgufFileTypes() {
        std::string out;
        for (const auto& [type, ftype, stored] :
             std::vector<std::tuple<std::string, uint32_t, std::string>>{
                 {"q8_0", 7, "q8_0"}, {"F16", 1, "f16"}, {"bf16", 32, "bf16"}}) {
            const std::string f = t_ + "/" + type + ".gguf";
            QCOMPARE(tqtest::runCommand(cli_ + " export " + q(model_) + " --type " + type +
                                            " --format gguf --out " + q(f),
                                        &out),
                     0);
            auto g = taskquant::io::GgufFile::open(f);
            QCOMPARE(g->metadata().get<uint32_t>("general.file_type"), ftype);
            QCOMPARE(taskquant::io::ggmlTypeName(g->find("token_embd.weight")->type), stored);
            QCOMPARE(taskquant::io::ggmlTypeName(g->find("blk.7.attn_v.weight")->type), stored);
            QCOMPARE(taskquant::io::ggmlTypeName(g->find("blk.7.attn_norm.weight")->type),
                     std::string("f32"));
        }
        // --pure: the base type everywhere (token_embd too)
        const std::string f = t_ + "/pure.txt";
        QCOMPARE(tqtest::runCommand(cli_ + " export " + q(model_) +
                                        " --type Q4_K_M --pure --format tensor-types --out " + q(f),
                                    &out),
                 0);
        for (const auto& [name, type] : readTypes(f))
            QCOMPARE(type, std::string("Q4_K"));
    }

    void errors() {
        std::string out;
        const std::string dst = t_ + "/x.gguf";
        QVERIFY(tqtest::runCommand(cli_ + " export " + q(model_) +
                                       " --type q9_k --format gguf --out " + q(dst),
                                   &out) != 0);
        QVERIFY2(out.find("q9_k") != std::string::npos && out.find("Q4_K_M") != std::string::npos,
                 out.c_str());
        QVERIFY(tqtest::runCommand(cli_ + " export " + q(model_) + " --format gguf --out " + q(dst),
                                   &out) != 0);
        QVERIFY2(out.find("--type") != std::string::npos, out.c_str());
        taskquant::io::writeFileAtomically(
            t_ + "/bad.json", "{\"format\":\"taskquant-policy\",\"version\":1,\"default\":\"q4_k\","
                              "\"overrides\":{\"model.layers.0.mlp.up_proj.weight\":\"q3_k_m\"}}");
        QVERIFY(tqtest::runCommand(cli_ + " export " + q(model_) + " --policy " +
                                       q(t_ + "/bad.json") + " --type q8_0 --format gguf --out " +
                                       q(dst),
                                   &out) != 0);
        QVERIFY(tqtest::runCommand(cli_ + " export " + q(model_) + " --policy " +
                                       q(t_ + "/bad.json") + " --format gguf --out " + q(dst),
                                   &out) != 0);
        QVERIFY2(out.find("bad.json") != std::string::npos &&
                     out.find("q3_k_m") != std::string::npos,
                 out.c_str());
        QVERIFY(!QFileInfo::exists(QString::fromStdString(dst)));
        QVERIFY(tqtest::runCommand(cli_ + " policy --recipe Q4_K_M --out " + q(t_ + "/p.json"),
                                   &out) != 0);
        QVERIFY2(out.find("--model") != std::string::npos, out.c_str());
        QVERIFY(tqtest::runCommand(cli_ + " policy --recipe Q7_K --model " + q(model_) + " --out " +
                                       q(t_ + "/p.json"),
                                   &out) != 0);
        QVERIFY2(out.find("Q7_K") != std::string::npos, out.c_str());
        QVERIFY(!QFileInfo::exists(QString::fromStdString(t_ + "/p.json")));
    }
};

QTEST_GUILESS_MAIN(TstCliRecipes)
#include "tst_cli_recipes.moc"
