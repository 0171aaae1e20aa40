// SafetensorsCheckpoint: the weights of a Hugging Face model directory (single file or shards).
#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/io/json_file.h"
#include "core/io/safetensors.h"
#include "core/util/error.h"

namespace fs = std::filesystem;

namespace taskquant::io {

namespace {

const char* const kSingle = "model.safetensors";
const char* const kIndex = "model.safetensors.index.json";

bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Names of pickle checkpoints (and their indexes) in `dir`, sorted.
std::vector<std::string> pickleFiles(const fs::path& dir) {
    std::vector<std::string> found;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::string n = it->path().filename().string();
        for (const char* ext : {".bin", ".pt", ".pth", ".ckpt", ".bin.index.json"})
            if (endsWith(n, ext)) {
                found.push_back(n);
                break;
            }
    }
    std::sort(found.begin(), found.end());
    return found;
}

std::vector<std::string> otherSafetensors(const fs::path& dir) {
    std::vector<std::string> found;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::string n = it->path().filename().string();
        if (endsWith(n, ".safetensors"))
            found.push_back(n);
    }
    std::sort(found.begin(), found.end());
    return found;
}

std::string joinNames(const std::vector<std::string>& v, std::size_t max = 5) {
    std::string s;
    for (std::size_t i = 0; i < v.size() && i < max; ++i)
        s += (i ? ", " : "") + v[i];
    if (v.size() > max)
        s += ", ...";
    return s;
}

// A shard name from the index must stay inside the model directory.
void checkShardName(const std::string& indexPath, const std::string& tensor,
                    const std::string& shard) {
    auto bad = [&](const std::string& why) {
        throw Error(indexPath, "weight_map maps '" + tensor + "' to '" + shard + "': " + why);
    };
    if (shard.empty())
        bad("empty file name");
    if (shard.find('\0') != std::string::npos)
        bad("file name contains a NUL byte");
    if (shard.front() == '/' || shard.front() == '\\')
        bad("absolute paths are not allowed");
    std::size_t start = 0;
    while (start <= shard.size()) {
        std::size_t slash = shard.find_first_of("/\\", start);
        std::string part =
            shard.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (part == "..")
            bad("the path leaves the model directory");
        if (slash == std::string::npos)
            break;
        start = slash + 1;
    }
}

} // namespace

SafetensorsCheckpoint SafetensorsCheckpoint::openDirectory(const std::string& dir,
                                                           bool copyOnWrite) {
    std::error_code ec;
    if (!fs::exists(dir, ec))
        throw Error(dir, "model directory does not exist");
    if (!fs::is_directory(dir, ec))
        throw Error(dir, "is not a directory, expected a model directory");
    const fs::path root(dir);
    SafetensorsCheckpoint ck;

    if (isFile(root / kSingle)) {
        ck.files_.push_back(SafetensorsFile::open((root / kSingle).string(), copyOnWrite));
    } else if (isFile(root / kIndex)) {
        const std::string indexPath = (root / kIndex).string();
        nlohmann::json index = readJsonFile(indexPath);
        if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object())
            throw Error(indexPath, "expected an object with a \"weight_map\" object");
        const auto& wm = index["weight_map"];
        if (wm.empty())
            throw Error(indexPath, "\"weight_map\" lists no tensors");
        std::vector<std::string> shardNames;
        for (auto it = wm.begin(); it != wm.end(); ++it) {
            if (!it.value().is_string())
                throw Error(indexPath, "weight_map entry '" + it.key() + "' is not a file name");
            const std::string shard = it.value().get<std::string>();
            checkShardName(indexPath, it.key(), shard);
            if (!isFile(root / shard))
                throw Error(indexPath, "weight_map maps '" + it.key() + "' to '" + shard +
                                           "', which does not exist in " + dir);
            if (std::find(shardNames.begin(), shardNames.end(), shard) == shardNames.end())
                shardNames.push_back(shard);
        }
        std::sort(shardNames.begin(), shardNames.end());
        for (const auto& s : shardNames)
            ck.files_.push_back(SafetensorsFile::open((root / s).string(), copyOnWrite));
        for (auto it = wm.begin(); it != wm.end(); ++it) {
            const std::string shard = it.value().get<std::string>();
            std::size_t i =
                std::find(shardNames.begin(), shardNames.end(), shard) - shardNames.begin();
            if (!ck.files_[i]->find(it.key()))
                throw Error(indexPath, "weight_map maps '" + it.key() + "' to '" + shard +
                                           "', but that shard has no such tensor");
        }
    } else {
        auto pickles = pickleFiles(root);
        if (!pickles.empty())
            throw Error(dir, "only pickle checkpoints found (" + joinNames(pickles) +
                                 "). TaskQuant does not load them: unpickling a file can execute "
                                 "arbitrary code hidden in it. Convert the model to safetensors "
                                 "first, e.g.: python -c \"from transformers import "
                                 "AutoModelForCausalLM as M; M.from_pretrained('" +
                                 dir +
                                 "').save_pretrained('OUT', safe_serialization=True)\" and copy "
                                 "the tokenizer files along.");
        auto others = otherSafetensors(root);
        throw Error(dir, std::string("no model weights found: expected ") + kSingle + " or " +
                             kIndex +
                             (others.empty()
                                  ? std::string()
                                  : " (found " + joinNames(others) +
                                        "; rename a single-file checkpoint to " + kSingle + ")"));
    }

    for (std::size_t f = 0; f < ck.files_.size(); ++f) {
        for (const auto& t : ck.files_[f]->tensors()) {
            auto [it, inserted] = ck.owner_.emplace(t.name, f);
            if (!inserted)
                throw Error(dir, "tensor '" + t.name + "' is stored in both " +
                                     ck.files_[it->second]->path() + " and " +
                                     ck.files_[f]->path());
        }
    }
    if (ck.owner_.empty())
        throw Error(ck.files_.front()->path(), "contains no tensors");
    return ck;
}

std::vector<std::string> SafetensorsCheckpoint::names() const {
    std::vector<std::string> out;
    out.reserve(owner_.size());
    for (const auto& f : files_)
        for (const auto& t : f->tensors())
            out.push_back(t.name);
    return out;
}

const TensorInfo* SafetensorsCheckpoint::find(const std::string& name) const {
    auto it = owner_.find(name);
    return it == owner_.end() ? nullptr : files_[it->second]->find(name);
}

const uint8_t* SafetensorsCheckpoint::data(const TensorInfo& t) const {
    auto it = owner_.find(t.name);
    if (it == owner_.end())
        throw Error("tensor '" + t.name + "' is not in this checkpoint");
    return files_[it->second]->data(t);
}

std::shared_ptr<const SafetensorsFile>
SafetensorsCheckpoint::fileOf(const std::string& name) const {
    auto it = owner_.find(name);
    return it == owner_.end() ? nullptr : files_[it->second];
}

uint64_t SafetensorsCheckpoint::totalBytes() const {
    uint64_t n = 0;
    for (const auto& f : files_)
        for (const auto& t : f->tensors())
            n += t.nbytes;
    return n;
}

} // namespace taskquant::io
