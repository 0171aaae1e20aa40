// Writes the seed corpora of the fuzz targets: small valid files produced by TaskQuant's own
// writers (and, for sentencepiece, its trainer), one directory per target under the given
// root. Run by scripts/fuzz.sh --regen-corpus; the output is committed under tests/fuzz/corpus/.
//   make_corpus OUTPUT_ROOT
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/io/gguf_types.h"
#include "core/io/gguf_writer.h"
#include "core/io/imatrix_file.h"
#include "core/io/safetensors.h"
#include "core/models/model_config.h"
#include "core/policy/policy.h"
#include "core/sensitivity/sensitivity_map.h"
#include "core/spm_shim/spm_shim.h"
#include "tests/fuzz/builtin_tokenizer.h"

namespace fs = std::filesystem;
using namespace taskquant;

namespace {
std::string root;

std::string out(const std::string& target, const std::string& name) {
    fs::create_directories(root + "/" + target);
    return root + "/" + target + "/" + name;
}
void writeText(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}
std::string floats(std::size_t n, float base) {
    std::string s(n * 4, '\0');
    for (std::size_t i = 0; i < n; ++i) {
        const float v = base + 0.25f * float(i);
        std::memcpy(&s[i * 4], &v, 4);
    }
    return s;
}

void safetensors() {
    using io::DType;
    io::writeSafetensors(out("safetensors", "two_tensors.safetensors"),
                         {{"a.weight", DType::F32, {2, 3}, [] { return floats(6, 1.f); }},
                          {"b.bias", DType::F16, {4}, [] { return std::string(8, '\x3c'); }}},
                         {{"format", "pt"}});
    io::writeSafetensors(out("safetensors", "all_dtypes.safetensors"),
                         {{"f64", DType::F64, {1}, [] { return std::string(8, '\0'); }},
                          {"bf16", DType::BF16, {2}, [] { return std::string(4, '\0'); }},
                          {"i64", DType::I64, {1}, [] { return std::string(8, '\1'); }},
                          {"i8", DType::I8, {3}, [] { return std::string(3, '\2'); }},
                          {"u8", DType::U8, {0}, [] { return std::string(); }},
                          {"bool", DType::BOOL, {1, 1}, [] { return std::string(1, '\1'); }},
                          {"scalar", DType::F32, {}, [] { return floats(1, 2.f); }}});
    io::writeSafetensors(out("safetensors", "empty.safetensors"), {});
}

void gguf() {
    using io::GgmlType;
    io::GgufMetadata md;
    md.set("general.architecture", "llama");
    md.set("general.name", "seed");
    md.set("llama.block_count", uint32_t(1));
    md.set("llama.rope.freq_base", 10000.f);
    md.set("tokenizer.ggml.tokens", std::vector<std::string>{"<unk>", "a", "b"});
    md.set("tokenizer.ggml.scores", std::vector<float>{0.f, -1.f, -2.f});
    md.set("general.flag", true);
    md.set("general.i64", int64_t(-5));
    auto tensor = [](std::string name, GgmlType type, std::vector<int64_t> shape) {
        const uint64_t bytes = io::ggmlTensorBytes(type, shape);
        if (type == GgmlType::F32)
            return io::GgufTensorSource{name, type, shape,
                                        [bytes] { return floats(bytes / 4, 0.5f); }};
        return io::GgufTensorSource{name, type, shape,
                                    [bytes] { return std::string(bytes, '\0'); }};
    };
    io::writeGguf(out("gguf", "types.gguf"), md,
                  {tensor("f32", GgmlType::F32, {2, 4}), tensor("f16", GgmlType::F16, {8}),
                   tensor("bf16", GgmlType::BF16, {2, 2}), tensor("q8_0", GgmlType::Q8_0, {1, 32}),
                   tensor("q4_0", GgmlType::Q4_0, {2, 32}), tensor("q4_k", GgmlType::Q4_K, {256})});
    io::GgufMetadata small;
    small.set("general.alignment", uint32_t(64));
    io::writeGguf(out("gguf", "aligned64.gguf"), small, {tensor("x", GgmlType::F32, {3})});
    io::writeGguf(out("gguf", "empty.gguf"), io::GgufMetadata{}, {});
}

void config() {
    const std::string llama = R"({"model_type": "llama", "vocab_size": 512, "hidden_size": 64,
 "intermediate_size": 172, "num_hidden_layers": 5, "num_attention_heads": 8, "num_key_value_heads": 4,
 "max_position_embeddings": 512, "rms_norm_eps": 1e-05, "rope_theta": 10000.0, "tie_word_embeddings": true,
 "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu"})";
    const auto c = models::ModelConfig::parse(nlohmann::json::parse(llama), "seed");
    writeText(out("config_json", "llama.json"), c.toJson().dump(1));
    writeText(
        out("config_json", "llama3_rope.json"),
        R"({"model_type": "llama", "vocab_size": 1000, "hidden_size": 64, "intermediate_size": 128,
 "num_hidden_layers": 2, "num_attention_heads": 4, "head_dim": 16, "eos_token_id": [2, 3],
 "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
 "original_max_position_embeddings": 8192}})");
    writeText(
        out("config_json", "phi.json"),
        R"({"model_type": "phi", "vocab_size": 300, "hidden_size": 32, "intermediate_size": 64,
 "num_hidden_layers": 1, "num_attention_heads": 4, "partial_rotary_factor": 0.5, "layer_norm_eps": 1e-05,
 "hidden_act": "gelu_new"})");
    writeText(
        out("config_json", "qwen2.json"),
        R"({"model_type": "qwen2", "vocab_size": 300, "hidden_size": 32, "intermediate_size": 64,
 "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 2, "sliding_window": 128,
 "use_sliding_window": false})");
}

void maps() {
    sensitivity::Provenance p;
    p.modelFingerprint = "sha256:seed";
    p.architecture = "llama";
    p.method = "fisher";
    p.dataset = "gsm8k";
    p.samples = 4;
    p.tokens = 100;
    p.skippedSamples = 1;
    p.clipThreshold = 1.0;
    p.clipRate = 0.25;
    std::vector<sensitivity::MapEntry> entries = {
        {"model.layers.0.self_attn.q_proj.weight", 2.0, 16, std::vector<int64_t>{4, 4}},
        {"model.layers.0.mlp.up_proj.weight", 0.5, 32, std::vector<int64_t>{8, 4}},
        {"model.embed_tokens.weight", 0.0, 0, std::nullopt}};
    sensitivity::MergeState m{sensitivity::Reduction::Mean, 3, {6.0, 1.5, 0.0}};
    p.shardIndex = 0;
    p.shardCount = 2;
    sensitivity::SensitivityMap(entries, p, m).writeFile(out("map_json", "versioned_merge.json"));
    p.shardCount = 0;
    sensitivity::SensitivityMap(entries, p).writeFile(out("map_json", "versioned.json"));
    writeText(
        out("map_json", "flat.json"),
        R"({"model.layers.0.mlp.down_proj.weight": 0.125, "model.layers.1.self_attn.k_proj.weight": 3.5e-07, "lm_head.weight": 0})");
}

void policies() {
    policy::Policy p;
    p.overrides["model.layers.0.mlp.down_proj.weight"] = quant::Precision::parse("int8_g128");
    p.overrides["model.layers.1.self_attn.q_proj.weight"] = quant::Precision::parse("nf4");
    p.provenance.method = "pct";
    p.provenance.map = "map.json";
    p.provenance.params = {{"pct", 10}};
    p.writeFile(out("policy_json", "overrides.json"));
    p.estimate =
        p.estimateSize({{"model.layers.0.mlp.down_proj.weight", std::vector<int64_t>{256, 128}},
                        {"model.norm.weight", std::vector<int64_t>{128}},
                        {"unknown.weight", std::nullopt}});
    p.writeFile(out("policy_json", "with_estimate.json"));
    policy::Policy().writeFile(out("policy_json", "default.json"));
}

void datasets() {
    writeText(out("dataset_jsonl", "gsm8k.jsonl"),
              "{\"question\": \"What is 2+3?\", \"answer\": \"2+3=5\\n#### 5\"}\n\n"
              "{\"question\": \"Ünïcode \\u00e9 \\ud83d\\ude00?\", \"answer\": \"yes\"}\r\n");
    writeText(out("dataset_jsonl", "text.jsonl"),
              "{\"text\": \"one\"}\n{\"text\": \"  \"}\n{\"text\": \"two\", \"x\": [1, {}]}");
    writeText(out("dataset_text", "paragraphs.txt"),
              "\xEF\xBB\xBF"
              "First line\nsecond line\r\n\r\n  \nThird paragraph.\n");
    writeText(out("dataset_text", "wikitext.txt"),
              " = Heading = \n\n" + std::string(120, 'x') +
                  " paragraph long enough to be kept by the filter .\n\n short\n");
}

void tokenizers() {
    const auto j = tqfuzz::builtinTokenizerJson();
    writeText(out("tokenizer_json", "gpt2_bytelevel.json"), j.dump());
    auto nfc = j;
    nfc["normalizer"] = {{"type", "NFC"}};
    nfc["pre_tokenizer"] = {
        {"type", "Sequence"},
        {"pretokenizers", nlohmann::json::array({{{"type", "Split"},
                                                  {"pattern", {{"Regex", "\\p{N}{1,3}"}}},
                                                  {"behavior", "Isolated"},
                                                  {"invert", false}},
                                                 {{"type", "ByteLevel"},
                                                  {"add_prefix_space", false},
                                                  {"trim_offsets", true},
                                                  {"use_regex", false}}})}};
    nfc["post_processor"] = {
        {"type", "TemplateProcessing"},
        {"single",
         nlohmann::json::array({{{"SpecialToken", {{"id", "<|endoftext|>"}, {"type_id", 0}}}},
                                {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}})},
        {"special_tokens",
         {{"<|endoftext|>",
           {{"id", "<|endoftext|>"}, {"ids", {266}}, {"tokens", {"<|endoftext|>"}}}}}}};
    writeText(out("tokenizer_json", "nfc_split_template.json"), nfc.dump());
    writeText(out("bpe_encode", "ascii.txt"), "Hello there, the answer is 42.\n");
    writeText(out("bpe_encode", "special.txt"), "a<|endoftext|>b <|endoftext|>");
    writeText(out("bpe_encode", "unicode.txt"), "Ünïcödé 日本語 \xF0\x9F\x98\x80  \t\r\n 's 've");
    writeText(out("bpe_encode", "invalid_utf8.txt"), "\xff\xfe\xc3\x28 \xe2\x82");
    const auto spm = tqfuzz::builtinSentencePieceJson();
    writeText(out("tokenizer_json", "spm_metaspace_nfkc.json"), spm.dump());
    auto legacy = spm;
    legacy["normalizer"] = nullptr;
    legacy["pre_tokenizer"] = {
        {"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"}, {"add_prefix_space", true}};
    legacy["decoder"] = {
        {"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"}, {"prepend_scheme", "always"}};
    legacy["model"]["ignore_merges"] = true;
    legacy["model"]["fuse_unk"] = false;
    writeText(out("tokenizer_json", "spm_legacy_metaspace.json"), legacy.dump());
    auto regex = spm;
    regex["normalizer"] = {
        {"type", "Sequence"},
        {"normalizers",
         nlohmann::json::array(
             {{{"type", "NFC"}},
              {{"type", "Replace"}, {"pattern", {{"Regex", "\\s+"}}}, {"content", " "}},
              {{"type", "Prepend"}, {"prepend", "\xE2\x96\x81"}}})}};
    regex["pre_tokenizer"] = nullptr;
    regex["model"]["byte_fallback"] = false;
    writeText(out("tokenizer_json", "spm_regex_replace.json"), regex.dump());
    writeText(out("spm_json_encode", "ascii.txt"), "Hello there,  the answer is 42.\n");
    writeText(out("spm_json_encode", "special.txt"), "a<s>b [N] </s><unk>");
    writeText(out("spm_json_encode", "unicode.txt"),
              "\xEF\xAC\x81 \xC2\xBD caf\xC3\xA9 e\xCC\x81 \xE6\x97\xA5 \xF0\x9F\x98\x80\t\r\n");
    writeText(out("spm_json_encode", "invalid_utf8.txt"), "\xff\xfe\xc3\x28 \xe2\x82");
    writeText(out("spm_json_encode", "meta.txt"), "\xE2\x96\x81\xE2\x96\x81x \xE2\x96\x81");
}

void sentencepiece() {
    const std::string dir = root + "/../spm-train";
    fs::create_directories(dir);
    std::string text;
    for (int i = 0; i < 40; ++i)
        text += "Once upon a time there was a little model " + std::to_string(i) +
                " that liked to count tokens and tell stories.\n";
    writeText(dir + "/corpus.txt", text);
    for (const std::string type : {"bpe", "unigram"}) {
        const std::string args =
            "--input=" + dir + "/corpus.txt --model_prefix=" + dir + "/" + type +
            " --model_type=" + type +
            (type == "bpe" ? " --vocab_size=320 --byte_fallback=true"
                           : " --vocab_size=60 --hard_vocab_limit=false") +
            " --character_coverage=1.0 --normalization_rule_name=identity --minloglevel=2";
        char* err = nullptr;
        if (tq_spm_train(args.c_str(), &err) != 0) {
            std::fprintf(stderr, "sentencepiece training failed: %s\n", err ? err : "?");
            std::exit(1);
        }
        fs::copy_file(dir + "/" + type + ".model", out("sentencepiece", type + ".model"),
                      fs::copy_options::overwrite_existing);
    }
    fs::remove_all(dir);
}
void imatrix() {
    io::Imatrix m;
    m.datasets = {"calib.txt"};
    m.chunkSize = 4;
    m.chunkCount = 2;
    io::ImatrixEntry a{"blk.0.attn_q.weight", 4, {1.f, 2.f, 0.f, 8.f}, {8.f}, {}};
    io::ImatrixEntry b{"blk.0.ffn_down.weight", 2, {1.f, 4.f}, {8.f}, {0.5f, -1.f}};
    m.entries = {a, b};
    io::writeImatrix(out("imatrix", "small.imatrix.gguf"), m);
    io::writeImatrix(out("imatrix", "small.dat"), m.toLegacy());
    io::Imatrix experts = m;
    experts.entries = {{"blk.0.ffn_up_exps.weight", 2, {1.f, 2.f, 3.f, 4.f}, {4.f, 0.f}, {}}};
    io::writeImatrix(out("imatrix", "experts.imatrix.gguf"), experts);
    // the oldest legacy layout: no chunk count or dataset name after the entries
    std::string dat;
    auto i32 = [&](int32_t v) { dat.append(reinterpret_cast<const char*>(&v), 4); };
    i32(1);
    i32(3);
    dat += "a.w";
    i32(2);
    i32(2);
    dat += floats(2, 1.f);
    writeText(out("imatrix", "no_trailer.dat"), dat);
}
} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_corpus OUTPUT_ROOT\n");
        return 2;
    }
    root = argv[1];
    try {
        safetensors();
        gguf();
        config();
        maps();
        policies();
        datasets();
        tokenizers();
        sentencepiece();
        imatrix();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "make_corpus: %s\n", e.what());
        return 1;
    }
    return 0;
}
