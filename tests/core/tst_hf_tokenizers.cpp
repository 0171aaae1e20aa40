// Hugging Face tokenizer.json beyond byte-level BPE: sentencepiece-style files (normalizers
// Prepend / Replace / NFC / NFKC / Sequence, Metaspace pre-tokenizer, BPE with byte_fallback,
// fuse_unk, unk_token, ignore_merges; decoders Replace / ByteFallback / Fuse / Strip /
// Metaspace; TemplateProcessing BOS; added-token flags) and their error cases.
// References: the golden encodings of tests/golden/tokenizers/, made by tokenizers.js (npm
// @huggingface/tokenizers, Hugging Face's own JavaScript implementation) with
// tests/golden/make_tokenizer_goldens.mjs; the facts in ../shared/README.md; Unicode's NFKC
// as Python and ICU compute it; and hand-worked cases on hand-made vocabularies.
#include <QtTest/QtTest>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "core/tokenize/decoder.h"
#include "core/tokenize/nfc.h"
#include "core/tokenize/normalizer.h"
#include "core/tokenize/pre_tokenizer.h"
#include "core/tokenize/tokenizer.h"
#include "core/util/error.h"
#include "tests/common/fixtures.h"

using namespace taskquant;
using namespace taskquant::tokenize;
using Ids = std::vector<int32_t>;
using nlohmann::json;

namespace {

const std::string kGoldenDir = std::string(TASKQUANT_SOURCE_DIR) + "/tests/golden/tokenizers/";
const char* const kMeta = "\xE2\x96\x81"; // ▁

void writeText(const QString& path, const std::string& text) {
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << text;
}

void expectError(const std::function<void()>& fn, const std::vector<std::string>& fragments) {
    try {
        fn();
    } catch (const Error& e) {
        const std::string what = e.what();
        for (const auto& f : fragments)
            QVERIFY2(what.find(f) != std::string::npos,
                     qPrintable(QStringLiteral("message \"%1\" lacks \"%2\"")
                                    .arg(QString::fromStdString(what), QString::fromStdString(f))));
        return;
    }
    QFAIL("expected a taskquant::Error");
}

json readJson(const std::string& path) {
    std::ifstream in(path);
    return json::parse(in);
}

std::string meta(const std::string& s) {
    std::string out;
    for (char c : s)
        out += c == ' ' ? std::string(kMeta) : std::string(1, c);
    return out;
}

// A sentencepiece-style tokenizer.json from a vocabulary list (ids in order) and merges.
json spmJson(const std::vector<std::string>& vocab,
             const std::vector<std::pair<std::string, std::string>>& merges) {
    json v = json::object();
    for (std::size_t i = 0; i < vocab.size(); ++i)
        v[vocab[i]] = int(i);
    json m = json::array();
    for (const auto& [a, b] : merges)
        m.push_back(json::array({a, b}));
    return json{{"version", "1.0"},
                {"added_tokens", json::array()},
                {"normalizer", nullptr},
                {"pre_tokenizer", nullptr},
                {"post_processor", nullptr},
                {"decoder", nullptr},
                {"model",
                 {{"type", "BPE"},
                  {"unk_token", "<unk>"},
                  {"byte_fallback", false},
                  {"fuse_unk", false},
                  {"vocab", v},
                  {"merges", m}}}};
}

std::unique_ptr<Tokenizer> loadJson(const json& j, QTemporaryDir& dir) {
    writeText(dir.filePath(QStringLiteral("tokenizer.json")), j.dump());
    return loadTokenizer(dir.path().toStdString());
}

std::string readableIds(const Ids& ids) {
    std::string s;
    for (auto id : ids)
        s += (s.empty() ? "" : " ") + std::to_string(id);
    return s;
}

} // namespace

class TstHfTokenizers : public QObject {
    Q_OBJECT
  private slots:
    // tokenizers.js's encodings of 42 varied strings (spaces, newlines, tabs, digits,
    // punctuation, accents, emoji, empty text, special tokens in text), and its decodings.
    void goldenEncodingsMatchTokenizersJs_data() {
        QTest::addColumn<QString>("golden");
        QTest::addColumn<QString>("tokenizer");
        QTest::newRow("tinystories-656k") << "tinystories-656k"
                                          << "models/tinystories-656k";
        QTest::newRow("gpt2") << "gpt2"
                              << "tokenizers/gpt2-bytelevel-bpe-50k";
        QTest::newRow("smollm2") << "smollm2"
                                 << "tokenizers/smollm2-bytelevel-bpe-49k";
        QTest::newRow("mini-metaspace") << "mini-metaspace"
                                        << "";
        QTest::newRow("mini-nfkc") << "mini-nfkc"
                                   << "";
    }

    void goldenEncodingsMatchTokenizersJs() {
        QFETCH(QString, golden);
        QFETCH(QString, tokenizer);
        std::string dir = kGoldenDir + golden.toStdString();
        if (!tokenizer.isEmpty()) {
            TQ_REQUIRE_FIXTURE(tokenizer.toStdString() + "/tokenizer.json");
            dir = tqtest::fixture(tokenizer.toStdString());
        }
        const json g = readJson(kGoldenDir + golden.toStdString() + ".golden.json");
        auto tok = loadTokenizer(dir);
        int checked = 0;
        for (const auto& c : g["cases"]) {
            const std::string text = c["text"];
            // A known difference between Hugging Face's two implementations: the Digits
            // pre-tokenizer splits on char::is_numeric in Rust `tokenizers` (so "½" and "²" are
            // digits) and on \d (ASCII only) in tokenizers.js. We follow Rust, which trained
            // SmolLM2's tokenizer.
            if (golden == "smollm2" && text.find("\xC2\xBD") != std::string::npos)
                continue;
            const Ids ids = c["ids"].get<Ids>(), plain = c["ids_no_special"].get<Ids>();
            QVERIFY2(tok->encode(text) == ids,
                     qPrintable(QString::fromStdString("\"" + text +
                                                       "\": " + readableIds(tok->encode(text)) +
                                                       " vs " + readableIds(ids))));
            QVERIFY2(tok->encode(text, false) == plain, qPrintable(QString::fromStdString(text)));
            if (c.contains("decoded"))
                QCOMPARE(tok->decode(ids), c["decoded"].get<std::string>());
            if (c.contains("decoded_skip_special"))
                QCOMPARE(tok->decode(ids, true), c["decoded_skip_special"].get<std::string>());
            ++checked;
        }
        QVERIFY(checked >= 41);
    }

    void tinyStoriesReadmeFacts() {
        TQ_REQUIRE_FIXTURE("models/tinystories-656k/tokenizer.json");
        auto tok = loadTokenizer(tqtest::fixture("models/tinystories-656k"));
        QCOMPARE(tok->kind(), std::string("sentencepiece"));
        QCOMPARE(tok->preTokenizer(), std::string());
        QCOMPARE(tok->vocabSize(), 2048);
        QCOMPARE(tok->bosId(), 1);
        QCOMPARE(tok->eosId(), 2);
        QCOMPARE(tok->unkId(), 0);
        QVERIFY(tok->addsBos());
        QVERIFY(!tok->addsEos());
        QVERIFY(tok->addSpacePrefix());
        QCOMPARE(tok->encode("Once upon a time, there was a little girl named Lily."),
                 (Ids{1, 80, 147, 201, 282, 215, 286, 598, 629, 10}));
        QCOMPARE(tok->encode("a"), (Ids{1, 85}));
        QCOMPARE(tok->tokenText(80), std::string(kMeta));
        // No byte pieces: characters without a piece become <unk>, consecutive ones fused.
        QCOMPARE(tok->tokenId("<0x41>"), -1);
        const Ids cjk = tok->encode("\xE6\x97\xA5\xE6\x9C\xAC", false); // 日本
        QCOMPARE(cjk, (Ids{80, 0}));
        QCOMPARE(tok->tokenType(0), TokenType::Control); // <unk> is an added special token
        QCOMPARE(tok->tokenType(1), TokenType::Control);
        QCOMPARE(tok->tokenType(147), TokenType::Normal);
        // Scores order merged pieces by merge rank (for GGUF's sentencepiece-style vocabulary).
        QVERIFY(tok->tokenScore(81) > tok->tokenScore(147));
        QCOMPARE(tok->tokenScore(53), 0.f); // "a": no merge makes it
        const Ids story = {147, 201, 282,  215,  286,  598, 1662, 356,
                           499, 826, 1363, 1145, 1652, 615, 242,  1482};
        const std::string text = tok->decode(story);
        QVERIFY2(
            text.rfind("Once upon a time, there was a little girl named Lily. She had a toy car",
                       0) == 0,
            text.c_str());
        // Malformed bytes read as U+FFFD (no piece here: <unk>).
        QCOMPARE(tok->encode("a\xFF", false), (Ids{85, 0}));
        expectError([&] { tok->decode({2048}); }, {"tokenizer.json", "2048"});
    }

    void normalizerSteps() {
        const std::string src = "t.json";
        Normalizer none(json(nullptr), src);
        QVERIFY(none.empty());
        QCOMPARE(none.apply("a b"), std::string("a b"));
        Normalizer spm(
            json::parse(R"({"type":"Sequence","normalizers":[{"type":"Prepend","prepend":"▁"},
                                        {"type":"Replace","pattern":{"String":" "},"content":"▁"}]})"),
            src);
        QVERIFY(spm.prepends());
        QCOMPARE(spm.apply(""), std::string()); // Prepend leaves empty text empty
        QCOMPARE(spm.apply(" a  b"), meta("  a  b"));
        Normalizer regex(
            json::parse(R"({"type":"Replace","pattern":{"Regex":"\\s+"},"content":"_"})"), src);
        QCOMPARE(regex.apply("a \t\n b c"), std::string("a_b_c"));
        Normalizer literal(
            json::parse(R"({"type":"Replace","pattern":{"String":"a.c"},"content":"X"})"), src);
        QCOMPARE(literal.apply("abc a.c"), std::string("abc X")); // String patterns are literal
        Normalizer forms(json::parse(R"({"type":"Sequence","normalizers":[{"type":"NFKC"}]})"),
                         src);
        QCOMPARE(forms.apply("\xEF\xAC\x81"), std::string("fi")); // ﬁ ligature
        QCOMPARE(forms.apply("\xC2\xBD"), std::string("1\xE2\x81\x84"
                                                      "2"));                // ½ -> 1⁄2
        QCOMPARE(forms.apply("\xE2\x91\xA0"), std::string("1"));            // ①
        QCOMPARE(forms.apply("\xEF\xBD\xB6"), std::string("\xE3\x82\xAB")); // halfwidth カ
        QCOMPARE(forms.apply("\xE3\x8D\xBF"),
                 std::string("\xE6\xA0\xAA\xE5\xBC\x8F\xE4\xBC\x9A\xE7\xA4\xBE")); // ㍿
        QCOMPARE(forms.apply("e\xCC\x81"), std::string("\xC3\xA9")); // composes as NFC
        QCOMPARE(nfkc("\xE2\x84\x8C"), std::string("H"));            // ℌ
        QCOMPARE(nfc("\xEF\xAC\x81"), std::string("\xEF\xAC\x81"));  // NFC keeps ﬁ
    }

    void metaspacePreTokenizer() {
        const std::string src = "t.json";
        auto pieces = [&](const char* spec, const std::string& text, bool first = true) {
            PreTokenizer p(json::parse(spec), src);
            std::vector<std::string> out;
            p.split(text, out, first);
            std::string joined;
            for (const auto& s : out)
                joined += "[" + s + "]";
            return joined;
        };
        const char* always =
            R"({"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true})";
        QCOMPARE(pieces(always, "Hey friend"), "[" + meta(" Hey") + "][" + meta(" friend") + "]");
        QCOMPARE(pieces(always, "Hey friend", false),
                 "[" + meta(" Hey") + "][" + meta(" friend") + "]");
        QCOMPARE(pieces(always, " a  b"),
                 "[" + meta(" a") + "][" + meta(" ") + "][" + meta(" b") + "]");
        const char* first = R"({"type":"Metaspace","replacement":"▁","prepend_scheme":"first"})";
        QCOMPARE(pieces(first, "a b", true), "[" + meta(" a") + "][" + meta(" b") + "]");
        QCOMPARE(pieces(first, "a b", false), "[a][" + meta(" b") + "]");
        const char* never = R"({"type":"Metaspace","replacement":"▁","prepend_scheme":"never"})";
        QCOMPARE(pieces(never, "a b"), "[a][" + meta(" b") + "]");
        const char* legacy = R"({"type":"Metaspace","replacement":"▁","add_prefix_space":false})";
        QCOMPARE(pieces(legacy, "a b"), "[a][" + meta(" b") + "]");
        const char* legacyOn = R"({"type":"Metaspace","replacement":"▁","add_prefix_space":true})";
        QCOMPARE(pieces(legacyOn, "a"), "[" + meta(" a") + "]");
        const char* noSplit = R"({"type":"Metaspace","replacement":"▁","split":false})";
        QCOMPARE(pieces(noSplit, "a b"), "[" + meta(" a b") + "]");
        QCOMPARE(pieces(noSplit, meta(" a")), "[" + meta(" a") + "]"); // no second prefix
        PreTokenizer p(json::parse(always), src);
        QVERIFY(p.addsPrefixSpace());
        PreTokenizer n(json::parse(never), src);
        QVERIFY(!n.addsPrefixSpace());
    }

    void decoderSteps() {
        const std::string src = "t.json";
        auto run = [&](const char* spec, std::vector<std::string> tokens) {
            return Decoder(json::parse(spec), src).decode(std::move(tokens));
        };
        const char* llama = R"({"type":"Sequence","decoders":[
            {"type":"Replace","pattern":{"String":"▁"},"content":" "},{"type":"ByteFallback"},
            {"type":"Fuse"},{"type":"Strip","content":" ","start":1,"stop":0}]})";
        QCOMPARE(run(llama, {meta(" Hello"), meta(" world")}), std::string("Hello world"));
        QCOMPARE(run(llama, {meta(" caf"), "<0xC3>", "<0xA9>", "!"}), std::string("caf\xC3\xA9!"));
        // Malformed bytes: one U+FFFD per maximal ill-formed subsequence (WHATWG), as
        // tokenizers.js's TextDecoder gives.
        QCOMPARE(run(llama, {"<0xE2>", "<0x82>", "x"}), std::string("\xEF\xBF\xBDx"));
        QCOMPARE(run(llama, {"<0xFF>", "<0xC3>"}), std::string("\xEF\xBF\xBD\xEF\xBF\xBD"));
        QCOMPARE(run(llama, {"<0x0A>"}), std::string("\n"));
        QCOMPARE(run(llama, {"<0x0Z>"}), std::string("<0x0Z>")); // not a byte piece
        QCOMPARE(decodeUtf8Lossy("\xF0\x9F\x98"), std::string("\xEF\xBF\xBD"));
        QCOMPARE(decodeUtf8Lossy("\xED\xA0\x80"),
                 std::string("\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"));
        const char* strip = R"({"type":"Strip","content":"x","start":2,"stop":1})";
        QCOMPARE(run(strip, {"xxxaxx", "x", "ab"}), std::string("xaxab"));
        const char* ms = R"({"type":"Metaspace","replacement":"▁","prepend_scheme":"always"})";
        QCOMPARE(run(ms, {meta(" Hey"), meta(" friend"), meta("  ")}), std::string("Hey friend  "));
        QCOMPARE(run(R"({"type":"Fuse"})", {"a", "b"}), std::string("ab"));
        Decoder null(json(nullptr), src);
        QVERIFY(null.isNull());
        QCOMPARE(null.decode({"a", "b"}), std::string("a b"));
    }

    // BPE over characters: byte fallback, unk, fuse_unk, ignore_merges, merge order.
    void characterBpe() {
        std::vector<std::string> vocab = {"<unk>", "a",  "b",      "c",     "ab",
                                          "abc",   "bc", "<0xC3>", "<0xA9>"};
        json j = spmJson(vocab, {{"a", "b"}, {"b", "c"}, {"ab", "c"}});
        QTemporaryDir d1;
        auto plain = loadJson(j, d1);
        QCOMPARE(plain->kind(), std::string("sentencepiece"));
        QCOMPARE(plain->encode("abc"), (Ids{5})); // ab first (rank 0), then ab+c
        QCOMPARE(plain->encode("bcab"), (Ids{6, 4}));
        // No byte_fallback: é is <unk>; without fuse_unk every unknown stays.
        QCOMPARE(plain->encode("a\xC3\xA9\xC3\xA9"), (Ids{1, 0, 0}));
        QCOMPARE(plain->tokenType(7), TokenType::Byte);
        QCOMPARE(plain->tokenType(0), TokenType::Unknown);
        json fb = j;
        fb["model"]["byte_fallback"] = true;
        QTemporaryDir d2;
        auto withBytes = loadJson(fb, d2);
        QCOMPARE(withBytes->encode("a\xC3\xA9"), (Ids{1, 7, 8}));
        // A character whose bytes are not all pieces falls back to <unk>.
        QCOMPARE(withBytes->encode("\xE2\x82\xAC"), (Ids{0}));                  // €
        QCOMPARE(withBytes->decode({1, 7, 8}), std::string("a <0xC3> <0xA9>")); // null decoder
        json fused = j;
        fused["model"]["fuse_unk"] = true;
        QTemporaryDir d3;
        auto fuse = loadJson(fused, d3);
        QCOMPARE(fuse->encode("\xC3\xA9\xC3\xA9"
                              "a"
                              "\xC3\xA9"),
                 (Ids{0, 1, 0}));
        json ignore = j;
        ignore["model"]["ignore_merges"] = true;
        ignore["model"]["merges"] = json::array({json::array({"a", "b"})});
        QTemporaryDir d4;
        auto whole = loadJson(ignore, d4);
        QCOMPARE(whole->encode("abc"), (Ids{5})); // in the vocabulary as a whole: no merging
        QCOMPARE(whole->encode("abcb"), (Ids{4, 3, 2}));
        json noUnk = j;
        noUnk["model"]["unk_token"] = nullptr;
        QTemporaryDir d5;
        auto drop = loadJson(noUnk, d5);
        // Dropped, as Hugging Face does, after merging: the unknown character still separates
        // a from b (tokenizers.js).
        QCOMPARE(drop->encode("a\xC3\xA9"
                              "b"),
                 (Ids{1, 2}));
        QCOMPARE(plain->encode("a\xC3\xA9"
                               "b"),
                 (Ids{1, 0, 2}));
    }

    // Added tokens: normalized ones are matched after normalization, the others on the raw
    // text; lstrip / rstrip swallow neighbouring spaces; single_word needs word boundaries;
    // TemplateProcessing supplies BOS.
    void addedTokenFlags() {
        std::vector<std::string> vocab = {
            "<unk>", "<s>", kMeta, "a", "b", std::string(kMeta) + "a", std::string(kMeta) + "b"};
        json j = spmJson(vocab, {{kMeta, "a"}, {kMeta, "b"}});
        j["normalizer"] =
            json::parse(R"({"type":"Sequence","normalizers":[{"type":"Prepend","prepend":"▁"},
                                          {"type":"Replace","pattern":{"String":" "},"content":"▁"}]})");
        j["post_processor"] = json::parse(R"({"type":"TemplateProcessing",
            "single":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],
            "special_tokens":{"<s>":{"id":"<s>","ids":[1],"tokens":["<s>"]}}})");
        j["added_tokens"] = json::parse(R"([
            {"id":0,"content":"<unk>","special":true,"normalized":false},
            {"id":1,"content":"<s>","special":true,"normalized":false},
            {"id":7,"content":"[M]","special":true,"normalized":false,"lstrip":true,"rstrip":true},
            {"id":8,"content":"<n>","special":true,"normalized":true},
            {"id":9,"content":"ab","special":false,"normalized":false,"single_word":true}])");
        QTemporaryDir dir;
        auto tok = loadJson(j, dir);
        QVERIFY(tok->addsBos());
        QCOMPARE(tok->bosId(), 1);
        QCOMPARE(tok->encode("a"), (Ids{1, 5}));
        QCOMPARE(tok->encode(""), (Ids{1}));
        // A raw special token cuts the text; each side is normalized (and prefixed) by itself.
        QCOMPARE(tok->encode("a<s>b", false), (Ids{5, 1, 6}));
        // lstrip / rstrip: the spaces around [M] belong to it.
        QCOMPARE(tok->encode("a [M] b", false), (Ids{5, 7, 6}));
        // A normalized token matches its normalized content "▁<n>": after a space, not inside.
        QCOMPARE(tok->encode("a <n>", false), (Ids{5, 8}));
        QCOMPARE(tok->encode("<n>", false), (Ids{8}));
        // single_word: "ab" alone is the token, inside "aab" it is not.
        QCOMPARE(tok->encode("ab", false), (Ids{9}));
        // "x " -> "▁x▁" (x has no piece: <unk>), then the token, then " y" -> "▁▁y".
        QCOMPARE(tok->encode("x ab y", false), (Ids{2, 0, 2, 9, 2, 2, 0}));
        QCOMPARE(tok->encode("aab", false), (Ids{5, 3, 4})); // "▁aab": no token inside a word
        QCOMPARE(tok->decode({1, 5, 7, 9}, true), std::string(kMeta) + "a ab"); // specials dropped
        QCOMPARE(tok->decode({1, 5}), std::string("<s> ") + kMeta + "a");       // null decoder
    }

    void bothFilesPreferTokenizerModel() {
        // A sentencepiece-style tokenizer.json beside a tokenizer.model: the model is used.
        TQ_REQUIRE_FIXTURE("models/stories260K/tokenizer.model");
        QTemporaryDir dir;
        QFile::copy(QString::fromStdString(tqtest::fixture("models/stories260K/tokenizer.model")),
                    dir.filePath(QStringLiteral("tokenizer.model")));
        writeText(dir.filePath(QStringLiteral("tokenizer.json")),
                  spmJson({"<unk>", "a"}, {}).dump());
        auto tok = loadTokenizer(dir.path().toStdString());
        QCOMPARE(tok->vocabSize(), 512);
        QVERIFY(tok->source().find("tokenizer.model") != std::string::npos);
        auto json = loadTokenizer(dir.filePath(QStringLiteral("tokenizer.json")).toStdString());
        QCOMPARE(json->vocabSize(), 2); // a file named directly is used as it is
    }

    void malformedSentencePieceJson_data() {
        QTest::addColumn<QString>("contents");
        QTest::addColumn<QString>("fragment");
        const json good = spmJson({"<unk>", "a", "b", "ab"}, {{"a", "b"}});
        auto with = [&](const std::function<void(json&)>& edit) {
            json j = good;
            edit(j);
            return QString::fromStdString(j.dump());
        };
        QTest::newRow("unigram") << with([](json& j) { j["model"]["type"] = "Unigram"; })
                                 << "unsupported tokenizer (its model type is \"Unigram\", not BPE";
        QTest::newRow("prepend missing") << with([](json& j) {
            j["normalizer"] = {{"type", "Prepend"}};
        }) << "normalizer: missing \"prepend\"";
        QTest::newRow("replace pattern") << with([](json& j) {
            j["normalizer"] = {{"type", "Replace"}, {"pattern", {{"Glob", "*"}}}, {"content", ""}};
        }) << "unknown pattern kind \"Glob\"";
        QTest::newRow("replace empty") << with([](json& j) {
            j["normalizer"] = {
                {"type", "Replace"}, {"pattern", {{"String", ""}}}, {"content", "x"}};
        }) << "empty pattern";
        QTest::newRow("replace regex") << with([](json& j) {
            j["normalizer"] = {
                {"type", "Replace"}, {"pattern", {{"Regex", "(a"}}}, {"content", "x"}};
        }) << "regex";
        QTest::newRow("sequence list") << with([](json& j) {
            j["normalizer"] = {{"type", "Sequence"}, {"normalizers", 3}};
        }) << "normalizer.normalizers: expected an array";
        QTest::newRow("nested sequence") << with([](json& j) {
            json n = {{"type", "NFC"}};
            for (int i = 0; i < 20; ++i)
                n = {{"type", "Sequence"}, {"normalizers", json::array({n})}};
            j["normalizer"] = n;
        }) << "nested too deeply";
        QTest::newRow("lowercase") << with([](json& j) {
            j["normalizer"] = {{"type", "Lowercase"}};
        }) << "unsupported normalizer \"Lowercase\"";
        QTest::newRow("prepend scheme") << with([](json& j) {
            j["pre_tokenizer"] = {{"type", "Metaspace"}, {"prepend_scheme", "sometimes"}};
        }) << "pre_tokenizer.prepend_scheme";
        QTest::newRow("replacement") << with([](json& j) {
            j["pre_tokenizer"] = {{"type", "Metaspace"}, {"replacement", "ab"}};
        }) << "expected one character";
        QTest::newRow("pre-tokenizer") << with([](json& j) {
            j["pre_tokenizer"] = {{"type", "Whitespace"}};
        }) << "unsupported pre-tokenizer type \"Whitespace\"";
        QTest::newRow("decoder type") << with([](json& j) {
            j["decoder"] = {{"type", "CTC"}};
        }) << "unsupported decoder \"CTC\"";
        QTest::newRow("strip content") << with([](json& j) {
            j["decoder"] = {{"type", "Strip"}, {"content", "ab"}, {"start", 1}, {"stop", 0}};
        }) << "decoder.content: expected one character";
        QTest::newRow("strip start") << with([](json& j) {
            j["decoder"] = {{"type", "Strip"}, {"content", " "}, {"start", -1}};
        }) << "decoder.start";
        QTest::newRow("decoder list") << with([](json& j) {
            j["decoder"] = {{"type", "Sequence"}};
        }) << "Sequence without \"decoders\"";
        QTest::newRow("byte_fallback")
            << with([](json& j) { j["model"]["byte_fallback"] = "yes"; }) << "model.byte_fallback";
        QTest::newRow("fuse_unk") << with([](json& j) { j["model"]["fuse_unk"] = 1; })
                                  << "model.fuse_unk";
        QTest::newRow("prefix") << with([](json& j) {
            j["model"]["continuing_subword_prefix"] = "##";
        }) << "model.continuing_subword_prefix";
        QTest::newRow("added utf8") << with([](json& j) {
            j["added_tokens"] = json::array({{{"id", 9}, {"content", "ok"}}});
        }) << "";
    }

    void malformedSentencePieceJson() {
        QFETCH(QString, contents);
        QFETCH(QString, fragment);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tokenizer.json"));
        writeText(path, contents.toStdString());
        if (fragment.isEmpty()) { // the control row: a valid file loads
            QVERIFY(loadTokenizer(dir.path().toStdString())->vocabSize() == 10);
            return;
        }
        expectError([&] { loadTokenizer(dir.path().toStdString()); },
                    {path.toStdString(), fragment.toStdString()});
    }

    void addedTokenWithMalformedUtf8() {
        json j = spmJson({"<unk>", "a"}, {});
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tokenizer.json"));
        // nlohmann refuses to dump invalid UTF-8, so write the bytes by hand.
        std::string text = j.dump();
        text.replace(text.find("\"added_tokens\":[]"), 17,
                     "\"added_tokens\":[{\"id\":5,\"content\":\"\xC3\"}]");
        writeText(path, text);
        try {
            loadTokenizer(dir.path().toStdString());
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find(path.toStdString()) != std::string::npos, e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TstHfTokenizers)
#include "tst_hf_tokenizers.moc"
