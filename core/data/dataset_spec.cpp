#include "core/data/dataset_spec.h"

#include <algorithm>
#include <cctype>

#include "core/util/error.h"

namespace taskquant::data {

const std::vector<std::string>& datasetKinds() {
    static const std::vector<std::string> kinds = {"gsm8k",  "math",       "wikitext", "jsonl",
                                                   "text",   "arithmetic", "algebra",  "stories",
                                                   "lookup", "facts"};
    return kinds;
}

const std::vector<std::string>& demoTaskKinds() {
    static const std::vector<std::string> kinds = {"arithmetic", "algebra", "stories", "lookup",
                                                   "facts"};
    return kinds;
}

bool datasetKindTakesFile(const std::string& kind) {
    std::string k = kind;
    std::transform(k.begin(), k.end(), k.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    const auto& demo = demoTaskKinds();
    return std::find(demo.begin(), demo.end(), k) == demo.end();
}

std::string defaultField(const std::string& kind) {
    if (kind == "gsm8k")
        return "question";
    if (kind == "math")
        return "problem";
    return {};
}

std::string answerField(const std::string& kind) {
    if (kind == "gsm8k")
        return "answer";
    if (kind == "math")
        return "solution";
    return {};
}

void validateDatasetSpec(const DatasetSpec& spec) {
    const auto& kinds = datasetKinds();
    if (std::find(kinds.begin(), kinds.end(), spec.kind) == kinds.end()) {
        std::string list;
        for (const auto& k : kinds)
            list += (list.empty() ? "" : ", ") + k;
        throw Error("unknown dataset kind '" + spec.kind + "' (valid kinds: " + list + ")");
    }
    if (!datasetKindTakesFile(spec.kind)) {
        if (!spec.path.empty())
            throw Error(spec.path, "dataset kind '" + spec.kind +
                                       "' is generated and reads no file (drop --data)");
        if (!spec.field.empty())
            throw Error("dataset kind '" + spec.kind + "' has no fields (got field '" + spec.field +
                        "')");
        return;
    }
    if (spec.path.empty())
        throw Error("no data file given for dataset kind '" + spec.kind + "'");
    if (spec.kind == "jsonl" && spec.field.empty())
        throw Error(spec.path, "dataset kind 'jsonl' needs the name of the text field");
    if ((spec.kind == "wikitext" || spec.kind == "text") && !spec.field.empty())
        throw Error(spec.path, "dataset kind '" + spec.kind + "' has no fields (got field '" +
                                   spec.field + "')");
    if (spec.withAnswer && answerField(spec.kind).empty())
        throw Error(spec.path, "appending answers is only possible for gsm8k and math, not '" +
                                   spec.kind + "'");
}

DatasetSpec makeDatasetSpec(const std::string& kind, const std::string& path,
                            const std::string& field, bool withAnswer) {
    DatasetSpec spec;
    spec.kind = kind;
    std::transform(spec.kind.begin(), spec.kind.end(), spec.kind.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    spec.path = path;
    spec.field = field.empty() ? defaultField(spec.kind) : field;
    spec.withAnswer = withAnswer;
    validateDatasetSpec(spec);
    return spec;
}

} // namespace taskquant::data
