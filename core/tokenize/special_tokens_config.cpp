#include "core/tokenize/special_tokens_config.h"

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "core/io/json_file.h"
#include "core/tokenize/json_fields.h"

namespace taskquant::tokenize {
namespace {

bool isFile(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// Reads one token field into `value`/`isNull` unless an earlier file already set it.
void readToken(const nlohmann::json& obj, const char* key, const std::string& path,
               std::optional<std::string>& value, bool& isNull) {
    if (value || isNull)
        return;
    auto it = obj.find(key);
    if (it == obj.end())
        return;
    if (it->is_null()) {
        isNull = true;
    } else if (it->is_string()) {
        value = it->get<std::string>();
    } else if (it->is_object() && it->contains("content") && (*it)["content"].is_string()) {
        value = (*it)["content"].get<std::string>();
    } else {
        jsonf::fail(path, key, "expected a string, null or an object with a \"content\" string");
    }
    if (value && value->empty()) {
        value.reset();
        isNull = true;
    }
}

void readFile(const std::string& path, SpecialTokensConfig& c, bool isConfig) {
    const nlohmann::json j = io::readJsonFile(path, 32u << 20);
    jsonf::object(j, path, "top level");
    readToken(j, "bos_token", path, c.bos, c.bosNull);
    readToken(j, "eos_token", path, c.eos, c.eosNull);
    readToken(j, "pad_token", path, c.pad, c.padNull);
    readToken(j, "unk_token", path, c.unk, c.unkNull);
    if (isConfig) {
        c.addBos = jsonf::optBoolean(j, "add_bos_token", path, "top level");
        c.addEos = jsonf::optBoolean(j, "add_eos_token", path, "top level");
    }
}

} // namespace

SpecialTokensConfig SpecialTokensConfig::read(const std::string& directory) {
    SpecialTokensConfig c;
    const std::string config = directory + "/tokenizer_config.json";
    const std::string map = directory + "/special_tokens_map.json";
    if (isFile(config)) {
        c.configPath = config;
        readFile(config, c, true);
    }
    if (isFile(map))
        readFile(map, c, false);
    return c;
}

} // namespace taskquant::tokenize
