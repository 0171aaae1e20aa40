// llama.cpp's named mixes (policy/recipes.h) and llama-quantize's shape fallback
// (quant/fallback.h):
//  - every mix of ../shared/golden/ggml/recipes.json (llama-quantize 0a50d99 on generated
//    8- and 28-layer Llama-3-style models) reproduced tensor by tensor, both as the recipe's
//    choice and as the written policy's precisionFor();
//  - rules the golden models do not reach, by hand from llama-quant.cpp: GQA >= 4, untied
//    output, 70B, imatrix variants, --pure, row lengths that need fallbacks;
//  - general.file_type against the files llama-quantize wrote (pure-TYPE.gguf);
//  - policy files naming every GGUF type, and one clear error for an unknown name.
#include <QtTest/QtTest>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/export/apply_policy.h"
#include "core/export/gguf_export.h"
#include "core/io/atomic_file.h"
#include "core/io/gguf_reader.h"
#include "core/models/synthetic_model.h"
#include "core/policy/recipes.h"
#include "core/quant/fallback.h"
#include "core/quant/gguf_tensor.h"
#include "core/util/error.h"
#include "tests/common/fixtures.h"

using namespace taskquant;
using policy::RecipeModel;
using quant::Precision;

namespace {

// A Llama with these sizes, in the Hugging Face layout (tied: no lm_head unless asked).
RecipeModel llamaModel(int layers, int64_t hidden, int heads, int kvHeads, int64_t mlp,
                       bool lmHead = false, int64_t vocab = 1000) {
    RecipeModel m;
    m.arch = "llama";
    m.layers = layers;
    m.heads = heads;
    m.kvHeads = kvHeads;
    const int64_t kv = hidden / heads * kvHeads;
    m.tensors.push_back({"model.embed_tokens.weight", {vocab, hidden}});
    for (int i = 0; i < layers; ++i) {
        const std::string p = "model.layers." + std::to_string(i) + ".";
        m.tensors.push_back({p + "self_attn.q_proj.weight", {hidden, hidden}});
        m.tensors.push_back({p + "self_attn.k_proj.weight", {kv, hidden}});
        m.tensors.push_back({p + "self_attn.v_proj.weight", {kv, hidden}});
        m.tensors.push_back({p + "self_attn.o_proj.weight", {hidden, hidden}});
        m.tensors.push_back({p + "mlp.gate_proj.weight", {mlp, hidden}});
        m.tensors.push_back({p + "mlp.up_proj.weight", {mlp, hidden}});
        m.tensors.push_back({p + "mlp.down_proj.weight", {hidden, mlp}});
        m.tensors.push_back({p + "input_layernorm.weight", {hidden}});
        m.tensors.push_back({p + "post_attention_layernorm.weight", {hidden}});
    }
    m.tensors.push_back({"model.norm.weight", {hidden}});
    if (lmHead)
        m.tensors.push_back({"lm_head.weight", {vocab, hidden}});
    return m;
}

std::map<std::string, std::string> typesByGguf(const policy::RecipeResult& r) {
    std::map<std::string, std::string> out;
    for (const auto& c : r.tensors)
        out[c.ggufName] = c.type.name();
    return out;
}

std::string upper(std::string s) {
    for (char& c : s)
        c = char(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

template <class F> void expectError(F f, const std::string& part) {
    try {
        f();
    } catch (const Error& e) {
        QVERIFY2(std::string(e.what()).find(part) != std::string::npos, e.what());
        return;
    }
    QFAIL(("no error; expected one mentioning " + part).c_str());
}

} // namespace

class TstRecipes : public QObject {
    Q_OBJECT
  private slots:
    void goldenRecipesTensorByTensor() {
        TQ_REQUIRE_FIXTURE("golden/ggml/recipes.json");
        std::ifstream in(tqtest::fixture("golden/ggml/recipes.json"));
        const nlohmann::json j = nlohmann::json::parse(in);
        // hidden 256, 4 heads, 2 KV heads, MLP 512, tied embeddings (the file's "what")
        QVERIFY(j["what"].get<std::string>().find("hidden 256, 4 heads, 2 KV heads, MLP 512") !=
                std::string::npos);
        const std::set<std::string> mixes = {"Q2_K",   "Q3_K_S", "Q3_K_M", "Q3_K_L",
                                             "Q4_K_S", "Q4_K_M", "Q5_K_S", "Q5_K_M",
                                             "Q6_K",   "Q4_0",   "IQ4_XS"};
        int compared = 0;
        for (const auto& [modelName, byMix] : j["models"].items()) {
            const int layers = std::stoi(modelName); // "8_layers", "28_layers"
            const RecipeModel m = llamaModel(layers, 256, 4, 2, 512);
            std::set<std::string> seen;
            for (const auto& [mix, golden] : byMix.items()) {
                seen.insert(mix);
                const auto r = policy::applyRecipe(mix, m);
                QVERIFY(r.notes.empty());
                std::set<std::string> ours;
                for (const auto& c : r.tensors) {
                    ours.insert(c.ggufName);
                    QVERIFY2(golden.contains(c.ggufName), (mix + " " + c.ggufName).c_str());
                    const std::string want = golden[c.ggufName].get<std::string>();
                    const std::string got = upper(c.type.name());
                    const std::string viaPolicy = upper(r.policy.precisionFor(c.name).name());
                    QVERIFY2(got == want && viaPolicy == want,
                             (modelName + " " + mix + " " + c.ggufName + ": " + got + " / " +
                              viaPolicy + ", llama-quantize " + want)
                                 .c_str());
                    ++compared;
                }
                // The only tensor we do not choose for: the exporter's generated rope_freqs
                // (llama3 rope scaling), F32 in llama.cpp as in our exporter.
                for (auto it = golden.begin(); it != golden.end(); ++it)
                    if (!ours.count(it.key())) {
                        QCOMPARE(it.key(), std::string("rope_freqs.weight"));
                        QCOMPARE(it.value().get<std::string>(), std::string("F32"));
                    }
            }
            QVERIFY(seen == mixes);
        }
        QCOMPARE(compared, 11 * (75 - 1) + 11 * (255 - 1));
    }

    void useMoreBitsByHand() {
        // 8 layers: n/8 = 1, 7n/8 = 7: layers 0, 7 and (i - 1) % 3 == 2 -> 3, 6.
        const auto r = typesByGguf(policy::applyRecipe("q4_k_m", llamaModel(8, 256, 4, 2, 512)));
        for (int i = 0; i < 8; ++i) {
            const bool more = i == 0 || i == 3 || i == 6 || i == 7;
            const std::string b = "blk." + std::to_string(i) + ".";
            QCOMPARE(r.at(b + "attn_v.weight"), std::string(more ? "q6_k" : "q4_k"));
            QCOMPARE(r.at(b + "ffn_down.weight"), std::string(more ? "q6_k" : "q4_k"));
            QCOMPARE(r.at(b + "attn_q.weight"), std::string("q4_k"));
            QCOMPARE(r.at(b + "attn_norm.weight"), std::string("f32"));
        }
        QCOMPARE(r.at("token_embd.weight"), std::string("q6_k")); // tied: the output's rule
    }

    void gqaAndUntiedOutput() {
        // 32 heads over 8 KV heads: n_gqa = 4
        const RecipeModel gqa = llamaModel(4, 256, 32, 8, 512, /*lmHead=*/true);
        auto q2 = typesByGguf(policy::applyRecipe("Q2_K", gqa));
        QCOMPARE(q2.at("blk.0.attn_v.weight"), std::string("q4_k"));
        QCOMPARE(q2.at("blk.0.ffn_down.weight"), std::string("q3_k"));
        QCOMPARE(q2.at("blk.0.attn_output.weight"), std::string("q3_k"));
        QCOMPARE(q2.at("blk.0.ffn_up.weight"), std::string("q2_k"));
        QCOMPARE(q2.at("output.weight"), std::string("q6_k"));
        QCOMPARE(q2.at("token_embd.weight"), std::string("q2_k")); // untied: no rule
        auto iq = typesByGguf(policy::applyRecipe("iq4_xs", gqa));
        QCOMPARE(iq.at("blk.3.attn_v.weight"), std::string("q5_k"));
        // n_gqa = 2: no GQA bump
        auto iq2 = typesByGguf(policy::applyRecipe("IQ4_XS", llamaModel(4, 256, 4, 2, 512)));
        QCOMPARE(iq2.at("blk.3.attn_v.weight"), std::string("iq4_xs"));
        // Q8_0: the output stays q8_0
        auto q8 = typesByGguf(policy::applyRecipe("Q8_0", gqa));
        QCOMPARE(q8.at("output.weight"), std::string("q8_0"));
        QCOMPARE(q8.at("token_embd.weight"), std::string("q8_0"));
        // the written policy keeps the untied output apart
        const auto r = policy::applyRecipe("Q4_K_M", gqa);
        QCOMPARE(r.policy.lmHead.name(), std::string("q6_k"));
        QCOMPARE(r.policy.embeddings.name(), std::string("q4_k"));
        QCOMPARE(r.policy.defaultPrecision.name(), std::string("q4_k"));
        QCOMPARE(r.policy.norms.name(), std::string("f32"));
        QCOMPARE(r.policy.scheme["llama_mix"].get<std::string>(), std::string("Q4_K_M"));
    }

    void llama70BAttnV() {
        // LLM_TYPE_70B: 80 layers with GQA; q3_k/q4_k attn_v become q5_k
        const RecipeModel m = llamaModel(80, 256, 8, 1, 256);
        auto s = typesByGguf(policy::applyRecipe("Q4_K_S", m));
        QCOMPARE(s.at("blk.0.attn_v.weight"), std::string("q5_k"));
        QCOMPARE(s.at("blk.40.attn_v.weight"), std::string("q5_k"));
        QCOMPARE(s.at("blk.40.attn_q.weight"), std::string("q4_k"));
        auto m3 = typesByGguf(policy::applyRecipe("Q3_K_S", m));
        QCOMPARE(m3.at("blk.40.attn_v.weight"), std::string("q5_k"));
        // 80 layers without GQA is llama.cpp's 65B: no bump
        auto n = typesByGguf(policy::applyRecipe("Q4_K_S", llamaModel(80, 256, 8, 8, 256)));
        QCOMPARE(n.at("blk.40.attn_v.weight"), std::string("q4_k"));
    }

    void imatrixVariantsAndPure() {
        const RecipeModel m = llamaModel(8, 256, 4, 2, 512);
        policy::RecipeOptions im;
        im.imatrix = true;
        // IQ4_XS bumps the first n/8 ffn_down only without an imatrix
        QCOMPARE(typesByGguf(policy::applyRecipe("IQ4_XS", m)).at("blk.0.ffn_down.weight"),
                 std::string("q5_k"));
        QCOMPARE(typesByGguf(policy::applyRecipe("IQ4_XS", m, im)).at("blk.0.ffn_down.weight"),
                 std::string("iq4_xs"));
        // Q4_0 with an imatrix guards the first n/8 ffn_down with q4_1
        auto q4 = typesByGguf(policy::applyRecipe("Q4_0", m, im));
        QCOMPARE(q4.at("blk.0.ffn_down.weight"), std::string("q4_1"));
        QCOMPARE(q4.at("blk.1.ffn_down.weight"), std::string("q4_0"));
        policy::RecipeOptions pure;
        pure.pure = true;
        for (const auto& [name, type] : typesByGguf(policy::applyRecipe("q4_k_m", m, pure)))
            QCOMPARE(type, std::string(name.find("norm") != std::string::npos ? "f32" : "q4_k"));
        for (const auto& [name, type] : typesByGguf(policy::applyRecipe("f16", m)))
            QCOMPARE(type, std::string(name.find("norm") != std::string::npos ? "f32" : "f16"));
    }

    void fallbacksAsLlamaQuantize() {
        struct Case {
            const char* type;
            int64_t row;
            const char* want;
        } cases[] = {
            {"q2_k", 64, "iq4_nl"},
            {"q3_k", 320, "iq4_nl"},
            {"iq4_xs", 96, "iq4_nl"},
            {"q4_k", 64, "q5_0"},
            {"q5_k", 64, "q5_1"},
            {"q6_k", 64, "q8_0"},
            {"q4_k", 48, "f16"},
            {"q6_k", 100, "f16"},
            {"q2_k", 40, "f16"},
            {"q4_k", 512, "q4_k"},
            {"q8_0", 64, "q8_0"},
            {"f32", 7, "f32"},
            {"int4_g128", 40, "int4_g128"},
        };
        for (const auto& c : cases) {
            std::string note = "stale";
            const Precision got = quant::llamaFallback(Precision::parse(c.type), c.row, &note);
            QVERIFY2(
                got.name() == c.want,
                (std::string(c.type) + " " + std::to_string(c.row) + " -> " + got.name()).c_str());
            QCOMPARE(note.empty(), got.name() == c.type);
            if (!note.empty())
                QVERIFY2(note.find(std::to_string(c.row)) != std::string::npos, note.c_str());
            // the in-memory evaluation uses the same rule
            QCOMPARE(exporting::fitPrecision(Precision::parse(c.type), {3, c.row}).name(),
                     std::string(c.want));
        }
        // llama-quantize has no fallback for its 32-blocks: f16, and the note says so
        std::string note;
        QCOMPARE(quant::llamaFallback(Precision::parse("q8_0"), 40, &note).name(),
                 std::string("f16"));
        QVERIFY2(note.find("refuses") != std::string::npos, note.c_str());
    }

    void recipeFallbacksAreReported() {
        // hidden 320: rows of 320 divide 32 but not 256
        const RecipeModel m = llamaModel(8, 320, 4, 2, 640);
        const auto r = policy::applyRecipe("Q4_K_M", m);
        auto t = typesByGguf(r);
        QCOMPARE(t.at("blk.1.attn_q.weight"), std::string("q5_0"));   // q4_k -> q5_0
        QCOMPARE(t.at("blk.0.attn_v.weight"), std::string("q8_0"));   // q6_k -> q8_0
        QCOMPARE(t.at("blk.1.ffn_down.weight"), std::string("q5_0")); // rows 640
        QCOMPARE(t.at("token_embd.weight"), std::string("q8_0"));     // tied output: 320 % 256
        QVERIFY(!r.notes.empty());
        bool named = false;
        for (const auto& n : r.notes)
            named = named || (n.find("model.layers.1.self_attn.q_proj.weight") == 0 &&
                              n.find("q5_0") != std::string::npos);
        QVERIFY(named);
        QCOMPARE(r.policy.precisionFor("model.layers.1.self_attn.q_proj.weight").name(),
                 std::string("q5_0"));
        auto s = typesByGguf(policy::applyRecipe("Q2_K", m));
        QCOMPARE(s.at("blk.1.attn_q.weight"), std::string("iq4_nl"));
        QCOMPARE(s.at("blk.1.attn_v.weight"), std::string("iq4_nl")); // q3_k -> iq4_nl
        auto x = typesByGguf(policy::applyRecipe("IQ4_XS", m));
        QCOMPARE(x.at("blk.1.attn_q.weight"), std::string("iq4_nl"));
        QCOMPARE(x.at("blk.0.ffn_down.weight"), std::string("q5_1")); // q5_k -> q5_1
        // hidden 48: not even 32-blocks fit
        auto f = typesByGguf(policy::applyRecipe("Q4_K_M", llamaModel(2, 48, 4, 2, 128)));
        QCOMPARE(f.at("blk.0.attn_q.weight"), std::string("f16"));
        QCOMPARE(f.at("blk.0.ffn_down.weight"), std::string("q5_0")); // rows 128
    }

    void namesAndErrors() {
        QCOMPARE(policy::recipe("q4_k_m").name, std::string("Q4_K_M"));
        QCOMPARE(policy::recipe("Q4_K").name, std::string("Q4_K_M"));
        QCOMPARE(policy::recipe("q3_k").fileType, 12u);
        QCOMPARE(policy::recipe("Q5_K_S").fileType, 16u);
        QCOMPARE(policy::recipe("iq4_xs").base.name(), std::string("iq4_xs"));
        QCOMPARE(policy::recipe("F32").fileType, 0u);
        QCOMPARE(policy::recipe("bf16").fileType, 32u);
        QVERIFY(!policy::findRecipe("q9_k"));
        expectError([] { policy::recipe("q9_k"); }, "Q4_K_M");
        RecipeModel phi;
        phi.arch = "gpt2";
        expectError([&] { policy::applyRecipe("Q4_K_M", phi); }, "gpt2");
        RecipeModel odd = llamaModel(1, 64, 4, 2, 128);
        odd.tensors.push_back({"model.layers.0.mystery.weight", {64, 64}});
        expectError([&] { policy::applyRecipe("Q4_K_M", odd); }, "mystery");
    }

    void fileTypesAsLlamaQuantizeWrites() {
        TQ_REQUIRE_FIXTURE("golden/ggml/pure-q4_k.gguf");
        int files = 0;
        for (const std::string& type : Precision::ggufBlockNames()) {
            const std::string path = tqtest::fixture("golden/ggml/pure-" + type + ".gguf");
            auto f = io::GgufFile::open(path);
            const uint32_t written = f->metadata().get<uint32_t>("general.file_type");
            // `llama-quantize --pure in out TYPE`: TYPE as a mix name gives that file type
            QCOMPARE(policy::recipe(type).fileType, written);
            // and so does our guess for a file mostly of that type
            QCOMPARE(exporting::llamaFileType(*quant::ggmlTypeFor(Precision::parse(type))),
                     written);
            ++files;
        }
        QCOMPARE(files, 12);
    }

    void policyFilesNameEveryType() {
        nlohmann::json j = {{"format", "taskquant-policy"}, {"version", 1}};
        const std::vector<std::string> names = {"q2_k",   "q3_k",   "q4_k", "q5_k", "q6_k",
                                                "q4_0",   "q4_1",   "q5_0", "q5_1", "q8_0",
                                                "iq4_nl", "iq4_xs", "f16",  "bf16", "f32"};
        for (const auto& n : names) {
            j["default"] = n;
            j["embeddings"] = n;
            j["lm_head"] = n;
            j["other"] = n;
            j["overrides"] = {{"model.layers.0.mlp.up_proj.weight", n}};
            const auto p = policy::Policy::fromJson(j, "p.json");
            QCOMPARE(p.defaultPrecision.name(), n);
            QCOMPARE(p.precisionFor("model.embed_tokens.weight").name(), n);
            QCOMPARE(p.precisionFor("lm_head.weight").name(), n);
            QCOMPARE(p.precisionFor("model.layers.0.mlp.up_proj.weight").name(), n);
            QCOMPARE(policy::Policy::fromJson(nlohmann::json::parse(p.toJson().dump()), "x")
                         .defaultPrecision.name(),
                     n);
        }
        QTemporaryDir tmp;
        const std::string path = tmp.path().toStdString() + "/bad.json";
        for (const char* key : {"default", "embeddings", "lm_head", "other"}) {
            nlohmann::json b = {
                {"format", "taskquant-policy"}, {"version", 1}, {"default", "q4_k"}};
            b[key] = "Q4_K_M"; // a mix is not a tensor type
            io::writeFileAtomically(path, b.dump());
            expectError([&] { policy::Policy::readFile(path); }, path);
            expectError([&] { policy::Policy::readFile(path); }, "Q4_K_M");
        }
        nlohmann::json b = {{"format", "taskquant-policy"},
                            {"version", 1},
                            {"default", "q4_k"},
                            {"overrides", {{"lm_head.weight", "q7_k"}}}};
        io::writeFileAtomically(path, b.dump());
        expectError([&] { policy::Policy::readFile(path); }, path);
        expectError([&] { policy::Policy::readFile(path); }, "q7_k");
    }

    void ggufPlanFollowsRecipeAndReportsSubstitutions() {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString() + "/m";
        models::SyntheticSpec spec;
        spec.preset = "llama3";
        spec.hiddenSize = 256;
        spec.numLayers = 8;
        spec.numHeads = 4;
        spec.numKvHeads = 2;
        spec.intermediateSize = 512;
        models::writeSyntheticModel(dir, spec);
        const auto r = policy::applyRecipe("Q5_K_M", policy::recipeModelFromDirectory(dir));
        const auto plan = exporting::planGguf(dir, r.policy);
        QVERIFY(plan.notes.empty());
        std::map<std::string, std::string> want = typesByGguf(r);
        int matrices = 0;
        for (const auto& t : plan.tensors) {
            if (t.hfName.empty())
                continue; // rope_freqs
            QCOMPARE(quant::precisionFor(t.type)->name(), want.at(t.ggufName));
            matrices += t.plan.shape.size() == 2;
        }
        QCOMPARE(matrices, 1 + 8 * 7);
        QCOMPARE(exporting::ggufFileType(r.policy, plan), 17u);
        // a policy without a mix: the loader's guess from the dominant type
        policy::Policy q3;
        q3.defaultPrecision = Precision::parse("q3_k");
        QCOMPARE(exporting::ggufFileType(q3, exporting::planGguf(dir, q3)), 12u);
        // TaskQuant-only formats are substituted, and each substitution is reported
        policy::Policy own;
        own.defaultPrecision = Precision::parse("int4_g128");
        own.overrides["model.layers.0.mlp.up_proj.weight"] = Precision::parse("int8_g128");
        const auto sub = exporting::planGguf(dir, own);
        QCOMPARE(int(sub.notes.size()), 8 * 7);
        bool reported = false;
        for (const auto& n : sub.notes)
            reported = reported || (n.find("model.layers.0.mlp.up_proj.weight") == 0 &&
                                    n.find("int8_g128") != std::string::npos &&
                                    n.find("q8_0") != std::string::npos);
        QVERIFY(reported);
    }

    void uniformQ8ExportWritesFileType() {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString() + "/m";
        models::SyntheticSpec spec;
        spec.preset = "llama3";
        spec.hiddenSize = 64;
        spec.intermediateSize = 128;
        models::writeSyntheticModel(dir, spec);
        const auto r = policy::applyRecipe("Q8_0", policy::recipeModelFromDirectory(dir));
        const std::string out = tmp.path().toStdString() + "/m.gguf";
        exporting::exportGguf(dir, r.policy, out);
        auto f = io::GgufFile::open(out);
        QCOMPARE(f->metadata().get<uint32_t>("general.file_type"), 7u);
        QCOMPARE(io::ggmlTypeName(f->find("token_embd.weight")->type), std::string("q8_0"));
        QCOMPARE(io::ggmlTypeName(f->find("blk.1.ffn_down.weight")->type), std::string("q8_0"));
        QCOMPARE(io::ggmlTypeName(f->find("blk.1.ffn_norm.weight")->type), std::string("f32"));
    }
};

QTEST_GUILESS_MAIN(TstRecipes)
#include "tst_recipes.moc"
