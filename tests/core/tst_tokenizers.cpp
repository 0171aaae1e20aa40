// Tokenizers: sentencepiece through the shim module, Hugging Face byte-level BPE, loading and
// error reporting. Expected ids come from external references (/work/shared/README.md), from
// the JSON files read independently here, from a naive reference BPE written in this file, or
// from hand-made vocabularies.
#include <QRegularExpression>
#include <QtTest/QtTest>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/tokenize/nfc.h"
#include "core/tokenize/spm_library.h"
#include "core/tokenize/tokenizer.h"
#include "core/util/error.h"
#include "tests/common/fixtures.h"

using namespace taskquant;
using namespace taskquant::tokenize;
using Ids = std::vector<int32_t>;
using nlohmann::json;

namespace {

const char* const kStoriesText = "Once upon a time, there was a little girl named Lily.";
const Ids kStoriesIds = {403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426};
const Ids kStories48 = {403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421,
                        395, 317, 426, 338, 401, 396, 267, 337, 410, 408, 419, 292,
                        411, 322, 265, 282, 295, 433, 426, 385, 328, 432, 358, 394,
                        261, 370, 432, 352, 266, 268, 388, 426, 338, 391, 266, 267};
const char* const kStories48Text =
    "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. "
    "One day, she saw a big, red ball. She wanted to";

// Texts every tokenizer must give back byte for byte.
const std::vector<std::string> kRoundTrip = {
    "Hello, world!",
    "  leading and trailing spaces   ",
    "tabs\tand\nnewlines\r\n\n\nand    runs      of spaces",
    "Numbers: 0 7 42 1234567890 3.14159 -12,345.6 1e-9",
    "Grüße aus Köln, naïve café, ÆØÅ, ß",
    "日本語のテキストと中文文本，한국어 텍스트",
    "Emoji: 😀🎉👍🏽 family 👨‍👩‍👧‍👦 flags 🇩🇪",
    "Math: ∑_{i=1}^{n} x_i² ≤ ∞, √2 ≈ 1.414, α+β=γ",
    "Code: for (int i = 0; i < n; ++i) { s += a[i]; } // done",
    "Janet’s ducks lay 16 eggs per day. She eats three for breakfast.",
};

std::string fixtureDir(const std::string& rel) {
    return tqtest::fixture(rel);
}

// GPT-2's byte-to-unicode table, written out again here from its definition.
std::string byteChar(unsigned char b) {
    static std::map<int, char32_t> table = [] {
        std::map<int, char32_t> t;
        int n = 0;
        for (int c = 0; c < 256; ++c) {
            bool printable =
                (c >= 33 && c <= 126) || (c >= 161 && c <= 172) || (c >= 174 && c <= 255);
            t[c] = printable ? char32_t(c) : char32_t(256 + n++);
        }
        return t;
    }();
    return QString::fromUcs4(&table[b], 1).toStdString();
}

std::string byteLevel(const std::string& bytes) {
    std::string s;
    for (unsigned char c : bytes)
        s += byteChar(c);
    return s;
}

// A naive byte-level BPE (merge the lowest-ranked pair everywhere, repeat), with the GPT-2
// regex run by QRegularExpression and digits split by hand: a reference for the fixtures.
class ReferenceBpe {
  public:
    ReferenceBpe(const std::string& path, bool splitDigits) : splitDigits_(splitDigits) {
        std::ifstream in(path);
        json j = json::parse(in);
        for (auto it = j["model"]["vocab"].begin(); it != j["model"]["vocab"].end(); ++it)
            vocab_[it.key()] = it.value().get<int32_t>();
        int rank = 0;
        for (const auto& m : j["model"]["merges"]) {
            std::string s = m.is_string() ? m.get<std::string>()
                                          : m[0].get<std::string>() + " " + m[1].get<std::string>();
            auto sp = s.find(' ');
            ranks_.emplace(std::make_pair(s.substr(0, sp), s.substr(sp + 1)), rank++);
        }
        for (const auto& t : j["added_tokens"])
            added_[t["content"].get<std::string>()] = t["id"];
    }
    Ids encode(const std::string& text) const {
        Ids out;
        static const QRegularExpression gpt2(
            QStringLiteral(
                R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)"),
            QRegularExpression::UseUnicodePropertiesOption);
        static const QRegularExpression digit(QStringLiteral(R"(\p{N})"));
        QString q = QString::fromStdString(text);
        std::vector<QString> pieces;
        if (splitDigits_) {
            int last = 0;
            for (auto it = digit.globalMatch(q); it.hasNext();) {
                auto m = it.next();
                if (m.capturedStart() > last)
                    pieces.push_back(q.mid(last, m.capturedStart() - last));
                pieces.push_back(m.captured());
                last = m.capturedEnd();
            }
            if (last < q.size())
                pieces.push_back(q.mid(last));
        } else {
            pieces.push_back(q);
        }
        for (const QString& p : pieces)
            for (auto it = gpt2.globalMatch(p); it.hasNext();)
                for (const auto& tok : bpe(byteLevel(it.next().captured().toStdString())))
                    out.push_back(vocab_.at(tok));
        return out;
    }
    int32_t id(const std::string& token) const {
        return vocab_.count(token) ? vocab_.at(token) : -1;
    }
    int32_t addedId(const std::string& content) const { return added_.at(content); }

  private:
    std::vector<std::string> bpe(const std::string& word) const {
        std::vector<std::string> w;
        QString q = QString::fromStdString(word);
        for (char32_t c : q.toUcs4())
            w.push_back(QString::fromUcs4(&c, 1).toStdString());
        while (w.size() > 1) {
            int best = INT32_MAX;
            std::pair<std::string, std::string> bestPair;
            for (std::size_t i = 0; i + 1 < w.size(); ++i) {
                auto it = ranks_.find({w[i], w[i + 1]});
                if (it != ranks_.end() && it->second < best)
                    best = it->second, bestPair = it->first;
            }
            if (best == INT32_MAX)
                break;
            std::vector<std::string> next;
            for (std::size_t i = 0; i < w.size(); ++i) {
                if (i + 1 < w.size() && w[i] == bestPair.first && w[i + 1] == bestPair.second) {
                    next.push_back(w[i] + w[i + 1]);
                    ++i;
                } else {
                    next.push_back(w[i]);
                }
            }
            w.swap(next);
        }
        return w;
    }
    bool splitDigits_;
    std::map<std::string, int32_t> vocab_;
    std::map<std::pair<std::string, std::string>, int> ranks_;
    std::map<std::string, int32_t> added_;
};

std::vector<std::string> gsm8kQuestions(std::size_t n) {
    std::ifstream in(tqtest::fixture("data/gsm8k/test.jsonl"));
    std::vector<std::string> out;
    std::string line;
    while (out.size() < n && std::getline(in, line))
        out.push_back(json::parse(line)["question"]);
    return out;
}

void writeText(const QString& path, const std::string& text) {
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << text;
}

// Runs fn and requires a taskquant::Error whose message contains every fragment.
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

// A small byte-level BPE tokenizer.json: the 256 byte characters (ids 0..255 in byte order),
// the given merges (merged tokens get the next ids), extra vocabulary entries, added tokens.
json smallBpe(const std::vector<std::pair<std::string, std::string>>& merges,
              const std::vector<std::string>& extraTokens, const json& preTokenizer) {
    json vocab = json::object();
    int32_t next = 0;
    for (int b = 0; b < 256; ++b)
        vocab[byteChar(static_cast<unsigned char>(b))] = next++;
    json mergeList = json::array();
    for (const auto& [a, b] : merges) {
        if (!vocab.contains(a + b))
            vocab[a + b] = next++;
        mergeList.push_back(json::array({a, b}));
    }
    for (const auto& t : extraTokens)
        vocab[t] = next++;
    return json{{"version", "1.0"},
                {"added_tokens", json::array()},
                {"normalizer", nullptr},
                {"pre_tokenizer", preTokenizer},
                {"decoder", {{"type", "ByteLevel"}}},
                {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", mergeList}}}};
}

json splitThenByteLevel(const std::string& regex) {
    return {{"type", "Sequence"},
            {"pretokenizers", json::array({{{"type", "Split"},
                                            {"pattern", {{"Regex", regex}}},
                                            {"behavior", "Isolated"},
                                            {"invert", false}},
                                           {{"type", "ByteLevel"},
                                            {"add_prefix_space", false},
                                            {"trim_offsets", true},
                                            {"use_regex", false}}})}};
}

} // namespace

class TstTokenizers : public QObject {
    Q_OBJECT
  private slots:
    // Runs first, before any test has loaded the module for good.
    void shimPathThatIsNotAModuleGivesError() {
        QTemporaryDir dir;
        const QString bogus = dir.filePath(QStringLiteral("libtaskquant_spm.so"));
        writeText(bogus, "not an ELF file");
        qputenv("TASKQUANT_SPM_SHIM", bogus.toUtf8());
        expectError([] { spmLibrary(); }, {bogus.toStdString(), "cannot load"});
        qunsetenv("TASKQUANT_SPM_SHIM");
        const auto candidates = spmLibraryCandidates();
        QVERIFY(!candidates.empty());
        QVERIFY(candidates.back().find("libtaskquant_spm.so") != std::string::npos);
        QVERIFY(!spmLibrary().path.empty());
    }

    void storiesReferenceEncoding() {
        TQ_REQUIRE_FIXTURE("models/stories260K/tokenizer.model");
        auto tok = loadTokenizer(fixtureDir("models/stories260K"));
        QCOMPARE(tok->kind(), std::string("sentencepiece"));
        QCOMPARE(tok->vocabSize(), 512);
        QCOMPARE(tok->encode(kStoriesText, false), kStoriesIds);
        Ids withBos = kStoriesIds;
        withBos.insert(withBos.begin(), 1); // tokenizer_config.json: add_bos_token, <s> = 1
        QCOMPARE(tok->encode(kStoriesText), withBos);
        QCOMPARE(tok->decode(kStoriesIds), std::string(kStoriesText));
        QCOMPARE(tok->decode(kStories48), std::string(kStories48Text));
        QCOMPARE(tok->bosId(), 1);
        QCOMPARE(tok->eosId(), 2);
        QCOMPARE(tok->unkId(), 0);
        QCOMPARE(tok->tokenType(0), TokenType::Unknown);
        QCOMPARE(tok->tokenType(1), TokenType::Control);
        QCOMPARE(tok->tokenText(1), std::string("<s>"));
        const int32_t newline = tok->tokenId("<0x0A>");
        QVERIFY(newline > 2);
        QCOMPARE(tok->tokenType(newline), TokenType::Byte);
        QCOMPARE(tok->tokenType(403), TokenType::Normal);
        QVERIFY(tok->merges().empty());
        QVERIFY(tok->addSpacePrefix());
        // Control tokens: dropped with skipSpecial, written as their piece otherwise.
        QCOMPARE(tok->decode(withBos, true), std::string(kStoriesText));
        QVERIFY(tok->decode(withBos).rfind("<s>", 0) == 0);
        expectError([&] { tok->decode({512}); }, {"tokenizer.model", "512"});
        expectError([&] { tok->tokenText(-1); }, {"tokenizer.model"});
    }

    void llama2SentencePiece() {
        TQ_REQUIRE_FIXTURE("tokenizers/llama2-sentencepiece-32k/tokenizer.model");
        const std::string path = fixtureDir("tokenizers/llama2-sentencepiece-32k/tokenizer.model");
        auto tok = loadTokenizer(path); // a file path, no tokenizer_config.json beside it
        QCOMPARE(tok->vocabSize(), 32000);
        QCOMPARE(tok->tokenText(0), std::string("<unk>"));
        QCOMPARE(tok->tokenText(1), std::string("<s>"));
        QCOMPARE(tok->tokenText(2), std::string("</s>"));
        QCOMPARE(tok->tokenText(3), std::string("<0x00>"));
        QCOMPARE(tok->tokenType(3), TokenType::Byte);
        QCOMPARE(tok->tokenText(15043), std::string("▁Hello"));
        QCOMPARE(tok->encode("Hello world"), (Ids{1, 15043, 3186})); // LlamaTokenizer adds BOS
        QVERIFY(tok->tokenScore(15043) < 0.f);
        for (const auto& text : kRoundTrip) {
            if (text.rfind("  ", 0) == 0)
                continue; // sentencepiece folds leading whitespace
            QCOMPARE(QString::fromStdString(tok->decode(tok->encode(text, false))),
                     QString::fromStdString(text));
            QCOMPARE(tok->decode(tok->encode(text), true), text);
        }
    }

    void gpt2ReferenceIds() {
        TQ_REQUIRE_FIXTURE("tokenizers/gpt2-bytelevel-bpe-50k/tokenizer.json");
        auto tok = loadTokenizer(fixtureDir("tokenizers/gpt2-bytelevel-bpe-50k"));
        QCOMPARE(tok->kind(), std::string("bpe"));
        QCOMPARE(tok->preTokenizer(), std::string("gpt2"));
        QCOMPARE(tok->encode("Hello, world!"), (Ids{15496, 11, 995, 0})); // no BOS for GPT-2
        QCOMPARE(tok->encode(" Hello world"), (Ids{18435, 995}));
        QCOMPARE(tok->vocabSize(), 50257);
        QCOMPARE(tok->bosId(), 50256);
        QCOMPARE(tok->eosId(), 50256);
        QVERIFY(!tok->addsBos());
        QCOMPARE(tok->tokenType(50256), TokenType::Control);
        QCOMPARE(tok->tokenType(995), TokenType::Normal);
        QCOMPARE(tok->tokenText(995), std::string("Ġworld"));
        QCOMPARE(tok->tokenScore(995), 0.f);
        // Special-token text in the input becomes its id; skipSpecial drops it again.
        QCOMPARE(tok->encode("a<|endoftext|>b"), (Ids{64, 50256, 65}));
        QCOMPARE(tok->decode({64, 50256, 65}, true), std::string("ab"));
        QCOMPARE(tok->decode({64, 50256, 65}), std::string("a<|endoftext|>b"));

        std::ifstream in(fixtureDir("tokenizers/gpt2-bytelevel-bpe-50k/tokenizer.json"));
        const json j = json::parse(in);
        const auto merges = tok->merges();
        QCOMPARE(merges.size(), j["model"]["merges"].size());
        for (std::size_t i : {std::size_t(0), std::size_t(1234), merges.size() - 1}) {
            QCOMPARE(merges[i].first, j["model"]["merges"][i][0].get<std::string>());
            QCOMPARE(merges[i].second, j["model"]["merges"][i][1].get<std::string>());
        }
    }

    void gpt2RoundTrips() {
        TQ_REQUIRE_FIXTURE("tokenizers/gpt2-bytelevel-bpe-50k/tokenizer.json");
        auto tok = loadTokenizer(fixtureDir("tokenizers/gpt2-bytelevel-bpe-50k/tokenizer.json"));
        for (const auto& text : kRoundTrip)
            QCOMPARE(tok->decode(tok->encode(text)), text);
        // Malformed UTF-8 (lone continuation, truncated sequence, overlong, surrogate, 0xFF)
        // and NUL bytes are encoded as bytes and come back exactly.
        const std::string bad = std::string("ok \x80 x\xE2\x82 \xC0\xAF\xED\xA0\x80 \xFF\xFE") +
                                std::string(1, '\0') + "end\xC3";
        const Ids ids = tok->encode(bad);
        QCOMPARE(tok->decode(ids), bad);
        QVERIFY(std::find(ids.begin(), ids.end(), tok->tokenId(byteLevel("\xFF"))) != ids.end());
    }

    void gpt2MatchesReferenceBpe() {
        TQ_REQUIRE_FIXTURE("tokenizers/gpt2-bytelevel-bpe-50k/tokenizer.json");
        TQ_REQUIRE_FIXTURE("data/gsm8k/test.jsonl");
        const std::string path = fixtureDir("tokenizers/gpt2-bytelevel-bpe-50k/tokenizer.json");
        auto tok = loadTokenizer(path);
        ReferenceBpe ref(path, false);
        for (const auto& q : gsm8kQuestions(64))
            QCOMPARE(tok->encode(q), ref.encode(q));
        for (const auto& text : kRoundTrip)
            QCOMPARE(tok->encode(text), ref.encode(text));
    }

    void smollmDigitsAndReference() {
        TQ_REQUIRE_FIXTURE("tokenizers/smollm2-bytelevel-bpe-49k/tokenizer.json");
        TQ_REQUIRE_FIXTURE("data/gsm8k/test.jsonl");
        const std::string dir = fixtureDir("tokenizers/smollm2-bytelevel-bpe-49k");
        auto tok = loadTokenizer(dir);
        ReferenceBpe ref(dir + "/tokenizer.json", true);
        QCOMPARE(tok->preTokenizer(), std::string("smollm"));
        // Digits one by one: " 12345" -> "Ġ", "1", "2", "3", "4", "5".
        const Ids expected = {ref.id("There"), ref.id("Ġare"), ref.id("Ġ"),
                              ref.id("1"),     ref.id("2"),    ref.id("3"),
                              ref.id("4"),     ref.id("5"),    ref.id("Ġapples")};
        for (int32_t id : expected)
            QVERIFY(id >= 0);
        QCOMPARE(tok->encode("There are 12345 apples"), expected);
        QCOMPARE(tok->encode("2024"), (Ids{ref.id("2"), ref.id("0"), ref.id("2"), ref.id("4")}));
        QCOMPARE(tok->bosId(), ref.addedId("<|endoftext|>"));
        QCOMPARE(tok->padId(), ref.addedId("<|endoftext|>"));
        QVERIFY(!tok->addsBos());
        QCOMPARE(tok->vocabSize(), 49152);
        QCOMPARE(tok->encode("<|im_start|>user\nhi<|im_end|>", false).front(),
                 ref.addedId("<|im_start|>"));
        for (const auto& q : gsm8kQuestions(64))
            QCOMPARE(tok->encode(q), ref.encode(q));
        for (const auto& text : kRoundTrip) {
            QCOMPARE(tok->encode(text), ref.encode(text));
            QCOMPARE(tok->decode(tok->encode(text)), text);
        }
    }

    void llama3StyleTokenizer() {
        QTemporaryDir dir;
        const std::string G = byteChar(' ');
        json j = smallBpe(
            {{"h", "e"},
             {"l", "l"},
             {"he", "ll"},
             {"hell", "o"},
             {G, "w"},
             {"o", "r"},
             {G + "w", "or"},
             {"l", "d"},
             {G + "wor", "ld"},
             {"1", "2"},
             {"12", "3"},
             {"'", "M"},
             {"'", "s"}},
            {G + "xyz"},
            splitThenByteLevel(
                R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)"));
        j["model"]["ignore_merges"] = true;
        j["added_tokens"] =
            json::array({{{"id", 1000}, {"content", "<|begin_of_text|>"}, {"special", true}},
                         {{"id", 1001}, {"content", "<|end_of_text|>"}, {"special", true}}});
        j["post_processor"] = {
            {"type", "Sequence"},
            {"processors",
             json::array(
                 {{{"type", "ByteLevel"}},
                  {{"type", "TemplateProcessing"},
                   {"single",
                    json::array({{{"SpecialToken", {{"id", "<|begin_of_text|>"}, {"type_id", 0}}}},
                                 {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}})},
                   {"special_tokens",
                    {{"<|begin_of_text|>", {{"id", "<|begin_of_text|>"}, {"ids", {1000}}}}}}}})}};
        writeText(dir.filePath(QStringLiteral("tokenizer.json")), j.dump());
        writeText(
            dir.filePath(QStringLiteral("tokenizer_config.json")),
            R"({"bos_token": "<|begin_of_text|>", "eos_token": {"content": "<|end_of_text|>"}})");
        auto tok = loadTokenizer(dir.path().toStdString());
        const auto& v = j["model"]["vocab"];
        auto id = [&](const std::string& t) { return v.at(t).get<int32_t>(); };
        QCOMPARE(tok->preTokenizer(), std::string("llama3"));
        QCOMPARE(tok->bosId(), 1000);
        QCOMPARE(tok->eosId(), 1001);
        QVERIFY(tok->addsBos()); // from TemplateProcessing
        QVERIFY(!tok->addsEos());
        QCOMPARE(tok->vocabSize(), 1002);
        QCOMPARE(tok->tokenType(999), TokenType::Unused);
        // "hello", " world", " ", "123", "45": numbers in groups of up to three digits.
        QCOMPARE(tok->encode("hello world 12345"),
                 (Ids{1000, id("hello"), id(G + "world"), id(G), id("123"), id("4"), id("5")}));
        // Contractions are matched case-insensitively.
        QCOMPARE(tok->encode("I'M", false), (Ids{id("I"), id("'M")}));
        // ignore_merges: a piece that is a vocabulary entry is taken whole.
        QCOMPARE(tok->encode(" xyz", false), (Ids{id(G + "xyz")}));
        QCOMPARE(tok->encode("<|end_of_text|>", false), (Ids{1001}));
        QCOMPARE(tok->decode(tok->encode("hello world 12345"), true),
                 std::string("hello world 12345"));
    }

    void qwen2StyleTokenizer() {
        QTemporaryDir dir;
        const std::string eAcute = byteLevel("\xC3\xA9"); // é as byte-level characters
        const std::string ga = byteLevel("\xEA\xB0\x80"); // 가 U+AC00
        json j = smallBpe(
            {{byteLevel("\xC3"), byteLevel("\xA9")},
             {byteLevel("\xEA"), byteLevel("\xB0")},
             {byteLevel("\xEA\xB0"), byteLevel("\x80")},
             {"1", "2"}},
            {},
            splitThenByteLevel(
                R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)"));
        j["normalizer"] = {{"type", "NFC"}};
        j["added_tokens"] = json::array(
            {{{"id", 300}, {"content", "<|endoftext|>"}, {"special", true}},
             {{"id", 301}, {"content", "<|im_start|>"}, {"special", true}},
             {{"id", 302},
              {"content", "<mask>"},
              {"special", false},
              {"lstrip", true},
              {"rstrip", true}},
             {{"id", 303}, {"content", "cat"}, {"special", false}, {"single_word", true}},
             {{"id", 304}, {"content", "<|im"}, {"special", true}}});
        writeText(dir.filePath(QStringLiteral("tokenizer.json")), j.dump());
        writeText(
            dir.filePath(QStringLiteral("tokenizer_config.json")),
            R"({"bos_token": null, "eos_token": "<|endoftext|>", "pad_token": "<|endoftext|>"})");
        auto tok = loadTokenizer(dir.path().toStdString());
        const auto& v = j["model"]["vocab"];
        auto id = [&](const std::string& t) { return v.at(t).get<int32_t>(); };
        QCOMPARE(tok->preTokenizer(), std::string("qwen2"));
        QCOMPARE(tok->bosId(), -1);
        QCOMPARE(tok->eosId(), 300);
        QCOMPARE(tok->padId(), 300);
        QVERIFY(!tok->addsBos());
        // Every digit on its own (the merge "1"+"2" never applies across pieces).
        QCOMPARE(tok->encode("12345"), (Ids{id("1"), id("2"), id("3"), id("4"), id("5")}));
        // NFC: e + combining acute -> é; Hangul jamo ᄀ + ᅡ -> 가.
        QCOMPARE(tok->encode("e\xCC\x81"), (Ids{id(eAcute)}));
        QCOMPARE(tok->encode("\xE1\x84\x80\xE1\x85\xA1"), (Ids{id(ga)}));
        QCOMPARE(tok->encode("<|im_start|>x"), (Ids{301, id("x")})); // longest match wins over <|im
        QCOMPARE(tok->encode("<|imx"), (Ids{304, id("x")}));
        // lstrip / rstrip swallow the spaces around <mask>; "cat" only as a whole word.
        QCOMPARE(tok->encode("a  <mask> b"), (Ids{id("a"), 302, id("b")}));
        QCOMPARE(tok->encode("cat"), (Ids{303}));
        QCOMPARE(tok->encode("cats"), (Ids{id("c"), id("a"), id("t"), id("s")}));
        QCOMPARE(tok->tokenType(302), TokenType::UserDefined);
        QCOMPARE(tok->tokenType(301), TokenType::Control);
        QCOMPARE(tok->decode({id("a"), 302, 301, id("b")}, true), std::string("a<mask>b"));
        QCOMPARE(tok->decode({id("a"), 302, 301, id("b")}), std::string("a<mask><|im_start|>b"));
    }

    void nfcNormalization() {
        QCOMPARE(nfc("plain ascii"), std::string("plain ascii"));
        QCOMPARE(nfc("e\xCC\x81"), std::string("\xC3\xA9"));    // e + U+0301 -> é
        QCOMPARE(nfc("\xC3\xA9"), std::string("\xC3\xA9"));     // already composed
        QCOMPARE(nfc("\xE2\x84\xAB"), std::string("\xC3\x85")); // Å (U+212B) -> Å (U+00C5)
        QCOMPARE(nfc("a\xCC\xA3\xCC\x87"),
                 std::string("\xE1\xBA\xA1\xCC\x87")); // a+dot below+dot above -> ạ + U+0307
        QCOMPARE(nfc("a\xCC\x87\xCC\xA3"), std::string("\xE1\xBA\xA1\xCC\x87")); // reordered first
        QCOMPARE(nfc("\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8"), std::string("\xEA\xB0\x81")); // 각
        QCOMPARE(nfc("\xCC\x81"
                     "e"),
                 std::string("\xCC\x81"
                             "e")); // leading combining mark stays
    }

    void trainedSentencePieceModel() {
        QTemporaryDir dir;
        std::string corpus;
        for (int i = 0; i < 400; ++i)
            corpus +=
                "the cat sat on the mat number " + std::to_string(i % 37) + " and the dog ran\n";
        writeText(dir.filePath(QStringLiteral("corpus.txt")), corpus);
        const std::string prefix = dir.filePath(QStringLiteral("tok")).toStdString();
        trainSentencePiece("--input=" + dir.filePath(QStringLiteral("corpus.txt")).toStdString() +
                           " --model_prefix=" + prefix +
                           " --vocab_size=60 --model_type=bpe --user_defined_symbols=<sep>");
        auto tok = loadTokenizer(prefix + ".model");
        QCOMPARE(tok->vocabSize(), 60);
        const int32_t sep = tok->tokenId("<sep>");
        QVERIFY(sep >= 0);
        QCOMPARE(tok->tokenType(sep), TokenType::UserDefined);
        const std::string text = "the dog sat<sep>on the cat 42";
        const Ids ids = tok->encode(text, false);
        QVERIFY(std::find(ids.begin(), ids.end(), sep) != ids.end());
        QCOMPARE(tok->decode(ids), text);
        expectError(
            [&] {
                trainSentencePiece("--input=x.txt --model_prefix=" + prefix + " --no_such_flag=1");
            },
            {"sentencepiece training failed", "no_such_flag"});
    }

    // A model with a real precompiled character map (sentencepiece's nmt_nfkc rule: a darts-clone
    // trie of 44k units) passes the shim's map check and normalizes (fullwidth letters and the
    // "fi" ligature encode as their NFKC forms); the same model with a malformed map merged in
    // (a trie of 3 bytes, no unit: sentencepiece itself read outside it, found by the fuzz
    // target) is refused with the file and the problem, not read.
    void characterMapIsCheckedBeforeUse() {
        QTemporaryDir dir;
        std::string corpus;
        for (int i = 0; i < 300; ++i)
            corpus += "the fine cat sat on the mat " + std::to_string(i % 23) + " and ran off\n";
        writeText(dir.filePath(QStringLiteral("corpus.txt")), corpus);
        const std::string prefix = dir.filePath(QStringLiteral("nfkc")).toStdString();
        trainSentencePiece(
            "--input=" + dir.filePath(QStringLiteral("corpus.txt")).toStdString() +
            " --model_prefix=" + prefix +
            " --vocab_size=30 --model_type=unigram --normalization_rule_name=nmt_nfkc");
        auto tok = loadTokenizer(prefix + ".model");
        QCOMPARE(tok->encode("\xEF\xBD\x94he \xEF\xAC\x81ne cat", false), // ｔhe ﬁne
                 tok->encode("the fine cat", false));
        QFile f(QString::fromStdString(prefix + ".model"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        std::string bytes = f.readAll().toStdString();
        // ModelProto.normalizer_spec (3) { precompiled_charsmap (2): trie size 3, then 4 bytes }
        bytes += std::string("\x1a\x0a\x12\x08\x03\x00\x00\x00"
                             "abc\x00",
                             12);
        QTemporaryDir bad;
        const QString model = bad.filePath(QStringLiteral("tokenizer.model"));
        writeText(model, bytes);
        expectError([&] { loadTokenizer(bad.path().toStdString()); },
                    {model.toStdString(), "normalizer", "character map's trie is empty"});
    }

    void concurrentEncodingAgrees() {
        TQ_REQUIRE_FIXTURE("tokenizers/gpt2-bytelevel-bpe-50k/tokenizer.json");
        TQ_REQUIRE_FIXTURE("data/gsm8k/test.jsonl");
        for (const char* rel : {"tokenizers/gpt2-bytelevel-bpe-50k", "models/stories260K"}) {
            auto tok = loadTokenizer(fixtureDir(rel));
            const auto questions = gsm8kQuestions(32);
            std::vector<Ids> expected;
            for (const auto& q : questions)
                expected.push_back(tok->encode(q));
            std::vector<int> mismatches(4, 0);
            std::vector<std::thread> threads;
            for (int t = 0; t < 4; ++t)
                threads.emplace_back([&, t] {
                    for (int r = 0; r < 3; ++r)
                        for (std::size_t i = 0; i < questions.size(); ++i)
                            if (tok->encode(questions[i]) != expected[i])
                                ++mismatches[t];
                });
            for (auto& th : threads)
                th.join();
            QCOMPARE(mismatches, std::vector<int>(4, 0));
        }
    }

    void malformedTokenizerJson_data() {
        QTest::addColumn<QString>("contents");
        QTest::addColumn<QString>("fragment");
        const json good = smallBpe({{"a", "b"}}, {}, {{"type", "ByteLevel"}});
        auto with = [&](const std::function<void(json&)>& edit) {
            json j = good;
            edit(j);
            return QString::fromStdString(j.dump());
        };
        QTest::newRow("not json") << QStringLiteral("{\"model\": ")
                                  << QStringLiteral("invalid JSON");
        QTest::newRow("array root")
            << QStringLiteral("[1, 2]") << QStringLiteral("not a JSON object");
        QTest::newRow("vocab array")
            << with([](json& j) { j["model"]["vocab"] = json::array({"a"}); })
            << QStringLiteral("model.vocab: expected an object");
        QTest::newRow("id string") << with([](json& j) { j["model"]["vocab"]["a"] = "0"; })
                                   << QStringLiteral("expected an integer");
        QTest::newRow("id negative") << with([](json& j) { j["model"]["vocab"]["zz"] = -5; })
                                     << QStringLiteral("out of range");
        QTest::newRow("id huge") << with([](json& j) {
            j["model"]["vocab"]["zz"] = 4000000000000LL;
        }) << QStringLiteral("out of range");
        QTest::newRow("duplicate id") << with([](json& j) { j["model"]["vocab"]["zz"] = 3; })
                                      << QStringLiteral("is used by both");
        QTest::newRow("merge unknown")
            << with([](json& j) { j["model"]["merges"].push_back("a qq"); })
            << QStringLiteral("token \"qq\" is not in model.vocab");
        QTest::newRow("merge result unknown")
            << with([](json& j) { j["model"]["merges"].push_back("b a"); })
            << QStringLiteral("token \"ba\" is not in model.vocab");
        QTest::newRow("merge no space")
            << with([](json& j) { j["model"]["merges"].push_back("ab"); })
            << QStringLiteral("two tokens separated by one space");
        QTest::newRow("merge number") << with([](json& j) { j["model"]["merges"].push_back(7); })
                                      << QStringLiteral("model.merges[1]");
        QTest::newRow("merges object")
            << with([](json& j) { j["model"]["merges"] = json::object(); })
            << QStringLiteral("model.merges: expected an array");
        QTest::newRow("added content") << with([](json& j) {
            j["added_tokens"] = json::array({{{"id", 5}, {"content", 5}}});
        }) << QStringLiteral("added_tokens[0].content");
        QTest::newRow("added id") << with([](json& j) {
            j["added_tokens"] = json::array({{{"id", "x"}, {"content", "<x>"}}});
        }) << QStringLiteral("added_tokens[0].id");
        QTest::newRow("pre-tokenizer type") << with([](json& j) {
            j["pre_tokenizer"] = {{"type", "Whitespace"}};
        }) << QStringLiteral("unsupported pre-tokenizer type \"Whitespace\"");
        QTest::newRow("bad regex")
            << with([](json& j) { j["pre_tokenizer"] = splitThenByteLevel("(\\p{L}+"); })
            << QStringLiteral("invalid pre-tokenizer regex");
        QTest::newRow("split behavior") << with([](json& j) {
            j["pre_tokenizer"] = splitThenByteLevel("a");
            j["pre_tokenizer"]["pretokenizers"][0]["behavior"] = "Sideways";
        }) << QStringLiteral("unknown split behavior");
        QTest::newRow("normalizer") << with([](json& j) {
            j["normalizer"] = {{"type", "Lowercase"}};
        }) << QStringLiteral("unsupported normalizer");
        QTest::newRow("model type") << with([](json& j) { j["model"]["type"] = "Unigram"; })
                                    << QStringLiteral("its model type is \"Unigram\", not BPE");
        QTest::newRow("no model") << with([](json& j) {
            j.erase("model");
        }) << QStringLiteral("no \"model\" object) and there is no tokenizer.model beside it");
    }

    void malformedTokenizerJson() {
        QFETCH(QString, contents);
        QFETCH(QString, fragment);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tokenizer.json"));
        writeText(path, contents.toStdString());
        expectError([&] { loadTokenizer(dir.path().toStdString()); },
                    {path.toStdString(), fragment.toStdString()});
    }

    void malformedConfigAndModel() {
        QTemporaryDir dir;
        const json good = smallBpe({}, {}, {{"type", "ByteLevel"}});
        writeText(dir.filePath(QStringLiteral("tokenizer.json")), good.dump());
        const QString config = dir.filePath(QStringLiteral("tokenizer_config.json"));
        writeText(config, R"({"add_bos_token": "yes"})");
        expectError([&] { loadTokenizer(dir.path().toStdString()); },
                    {config.toStdString(), "add_bos_token"});
        writeText(config, R"({"bos_token": 12})");
        expectError([&] { loadTokenizer(dir.path().toStdString()); },
                    {config.toStdString(), "bos_token"});
        writeText(config, R"({"bos_token": "<s>", "add_bos_token": true})");
        expectError([&] { loadTokenizer(dir.path().toStdString()); },
                    {config.toStdString(), "\"<s>\" is not in the vocabulary"});

        QTemporaryDir spm;
        const QString model = spm.filePath(QStringLiteral("tokenizer.model"));
        writeText(model, std::string("\x0a\x05garbage-not-a-model", 21));
        expectError([&] { loadTokenizer(spm.path().toStdString()); }, {model.toStdString()});

        QTemporaryDir empty;
        expectError([&] { loadTokenizer(empty.path().toStdString()); },
                    {empty.path().toStdString(), "tokenizer.json", "tokenizer.model"});
        expectError([&] { loadTokenizer("/nonexistent-tq-dir"); }, {"/nonexistent-tq-dir"});
    }
};

QTEST_APPLESS_MAIN(TstTokenizers)
#include "tst_tokenizers.moc"
