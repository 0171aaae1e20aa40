#include "core/tokenize/sentencepiece_tokenizer.h"

#include "core/io/atomic_file.h"
#include "core/tokenize/spm_library.h"
#include "core/util/error.h"

namespace taskquant::tokenize {
namespace {

// Takes ownership of a shim error string.
std::string takeError(const SpmLibrary& lib, char* err) {
    std::string s = err ? err : "unknown sentencepiece error";
    lib.free(err);
    return s;
}

} // namespace

SentencePieceTokenizer::SentencePieceTokenizer(const std::string& modelPath,
                                               const SpecialTokensConfig& config)
    : Tokenizer(modelPath), lib_(spmLibrary()), owner_(nullptr, lib_.destroy) {
    const std::string bytes = io::readFile(modelPath, kMaxFileBytes);
    char* err = nullptr;
    handle_ = lib_.load(bytes.data(), static_cast<long>(bytes.size()), &err);
    if (!handle_)
        throw Error(modelPath, takeError(lib_, err));
    owner_.reset(handle_);
    size_ = lib_.pieceSize(handle_);
    addDummyPrefix_ = lib_.addDummyPrefix(handle_) != 0;
    pieceIds_.reserve(static_cast<std::size_t>(size_));
    for (int32_t id = 0; id < size_; ++id)
        pieceIds_.emplace(lib_.idToPiece(handle_, id), id);

    auto pick = [&](const std::optional<std::string>& named, bool isNull, int modelId) {
        if (isNull)
            return int32_t(-1);
        if (named) {
            const int32_t id = tokenId(*named);
            if (id >= 0)
                return id;
        }
        return static_cast<int32_t>(modelId);
    };
    special_.bos = pick(config.bos, config.bosNull, lib_.bosId(handle_));
    special_.eos = pick(config.eos, config.eosNull, lib_.eosId(handle_));
    special_.unk = pick(config.unk, config.unkNull, lib_.unkId(handle_));
    special_.pad = pick(config.pad, config.padNull, lib_.padId(handle_));
    // LlamaTokenizer's defaults: add_bos_token true, add_eos_token false.
    special_.addBos = config.addBos.value_or(special_.bos >= 0);
    special_.addEos = config.addEos.value_or(false);
    const std::string cfg = config.configPath.empty() ? modelPath : config.configPath;
    if (special_.addBos && special_.bos < 0)
        throw Error(cfg, "add_bos_token is true but the tokenizer has no BOS token");
    if (special_.addEos && special_.eos < 0)
        throw Error(cfg, "add_eos_token is true but the tokenizer has no EOS token");
}

SentencePieceTokenizer::~SentencePieceTokenizer() = default;

void SentencePieceTokenizer::encodeText(const std::string& text, std::vector<int32_t>& out) const {
    std::vector<int> ids(text.size() + 16);
    std::lock_guard<std::mutex> lock(mutex_);
    for (int attempt = 0; attempt < 2; ++attempt) {
        char* err = nullptr;
        const long n = lib_.encode(handle_, text.data(), static_cast<long>(text.size()), ids.data(),
                                   static_cast<long>(ids.size()), &err);
        if (n < 0)
            throw Error(source(), "cannot encode text: " + takeError(lib_, err));
        if (static_cast<std::size_t>(n) <= ids.size()) {
            out.insert(out.end(), ids.begin(), ids.begin() + n);
            return;
        }
        ids.resize(static_cast<std::size_t>(n)); // normalization grew the text; ask again
    }
    throw Error(source(), "sentencepiece returned an inconsistent number of ids");
}

std::string SentencePieceTokenizer::decodeRun(const std::vector<int32_t>& ids) const {
    if (ids.empty())
        return {};
    char* err = nullptr;
    char* text = lib_.decode(handle_, ids.data(), static_cast<long>(ids.size()), &err);
    if (!text)
        throw Error(source(), "cannot decode ids: " + takeError(lib_, err));
    std::string s(text);
    lib_.free(text);
    return s;
}

std::string SentencePieceTokenizer::decode(const std::vector<int32_t>& ids,
                                           bool skipSpecial) const {
    for (int32_t id : ids)
        checkId(id);
    std::lock_guard<std::mutex> lock(mutex_);
    std::string out;
    std::vector<int32_t> run;
    for (int32_t id : ids) {
        if (lib_.type(handle_, id) != static_cast<int>(TokenType::Control)) {
            run.push_back(id);
            continue;
        }
        out += decodeRun(run);
        run.clear();
        if (!skipSpecial)
            out += lib_.idToPiece(handle_, id);
    }
    return out + decodeRun(run);
}

std::string SentencePieceTokenizer::tokenText(int32_t id) const {
    checkId(id);
    return lib_.idToPiece(handle_, id);
}

float SentencePieceTokenizer::tokenScore(int32_t id) const {
    checkId(id);
    return lib_.score(handle_, id);
}

TokenType SentencePieceTokenizer::tokenType(int32_t id) const {
    checkId(id);
    const int t = lib_.type(handle_, id);
    return t >= 1 && t <= 6 ? static_cast<TokenType>(t) : TokenType::Normal;
}

int32_t SentencePieceTokenizer::tokenId(const std::string& text) const {
    auto it = pieceIds_.find(text);
    return it == pieceIds_.end() ? -1 : it->second;
}

} // namespace taskquant::tokenize
