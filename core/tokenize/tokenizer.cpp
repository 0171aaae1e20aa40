#include "core/tokenize/tokenizer.h"

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "core/io/json_file.h"
#include "core/tokenize/bpe_tokenizer.h"
#include "core/tokenize/sentencepiece_tokenizer.h"
#include "core/tokenize/special_tokens_config.h"
#include "core/util/error.h"

namespace taskquant::tokenize {
namespace {

bool isFile(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool isDirectory(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string baseName(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string dirName(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

} // namespace

std::vector<int32_t> Tokenizer::encode(const std::string& text, bool addSpecial) const {
    std::vector<int32_t> ids;
    ids.reserve(text.size() / 3 + 4);
    if (addSpecial && special_.addBos)
        ids.push_back(special_.bos);
    encodeText(text, ids);
    if (addSpecial && special_.addEos)
        ids.push_back(special_.eos);
    return ids;
}

void Tokenizer::checkId(int32_t id) const {
    if (id < 0 || id >= vocabSize())
        throw Error(source_, "token id " + std::to_string(id) +
                                 " is outside the vocabulary (size " + std::to_string(vocabSize()) +
                                 ")");
}

namespace {
std::unique_ptr<Tokenizer> loadTokenizerFiles(const std::string& path, std::string& source);
} // namespace

// Ids at or above the model's vocab_size (config.json beside the tokenizer) loaded fine and
// failed later, in an embedding lookup, without naming the file.
std::unique_ptr<Tokenizer> loadTokenizer(const std::string& path) {
    std::string source;
    auto tok = loadTokenizerFiles(path, source);
    const std::string dir = isFile(path) ? dirName(path) : path;
    const std::string configPath = dir + "/config.json";
    if (!isFile(configPath))
        return tok;
    int64_t vocab = -1;
    try {
        const nlohmann::json c = io::readJsonFile(configPath);
        if (c.is_object() && c.contains("vocab_size") && c["vocab_size"].is_number_integer())
            vocab = c["vocab_size"].get<int64_t>();
    } catch (const Error&) {
        return tok; // config problems are reported by the model loader, with their own words
    }
    if (vocab > 0 && tok->vocabSize() > vocab) {
        const int32_t id = tok->vocabSize() - 1;
        std::string text;
        try {
            text = " (\"" + tok->tokenText(id) + "\")";
        } catch (const Error&) {
        }
        throw Error(source, "token id " + std::to_string(id) + text +
                                " is not below the model's vocab_size " + std::to_string(vocab) +
                                " (" + configPath + "): the embedding has no row for it");
    }
    return tok;
}

namespace {
std::unique_ptr<Tokenizer> loadTokenizerFiles(const std::string& path, std::string& source) {
    source = path;
    std::string dir = path, jsonPath, modelPath;
    if (isFile(path)) {
        dir = dirName(path);
        const std::string name = baseName(path);
        if (name.size() >= 5 && name.compare(name.size() - 5, 5, ".json") == 0)
            jsonPath = path;
        else
            modelPath = path;
    } else if (isDirectory(path)) {
        if (isFile(dir + "/tokenizer.json"))
            jsonPath = dir + "/tokenizer.json";
        if (isFile(dir + "/tokenizer.model"))
            modelPath = dir + "/tokenizer.model";
    } else {
        throw Error(path, "no such tokenizer file or model directory");
    }
    const SpecialTokensConfig config = SpecialTokensConfig::read(dir);
    std::string jsonProblem;
    if (!jsonPath.empty()) {
        source = jsonPath;
        const nlohmann::json j = io::readJsonFile(jsonPath, BpeTokenizer::kMaxFileBytes);
        if (BpeTokenizer::isByteLevelBpe(j, nullptr))
            return std::make_unique<BpeTokenizer>(j, jsonPath, config);
        // A sentencepiece-style tokenizer.json: tokenizer.model, where there is one, is
        // preferred (the choice before this kind was supported; both describe one tokenizer).
        if (modelPath.empty()) {
            if (!BpeTokenizer::isBpe(j, &jsonProblem))
                throw Error(jsonPath, "unsupported tokenizer (" + jsonProblem +
                                          ") and there is no tokenizer.model beside it");
            return std::make_unique<BpeTokenizer>(j, jsonPath, config);
        }
    }
    if (!modelPath.empty()) {
        source = modelPath;
        return std::make_unique<SentencePieceTokenizer>(modelPath, config);
    }
    throw Error(path, "no tokenizer found: looked for tokenizer.json (Hugging Face BPE, "
                      "byte-level or sentencepiece-style) and tokenizer.model (sentencepiece)");
}
} // namespace

} // namespace taskquant::tokenize
