#include "core/data/load_texts.h"

#include "core/data/readers.h"
#include "core/data/synthetic_tasks.h"
#include "core/util/error.h"

namespace taskquant::data {

std::vector<std::string> loadTexts(const DatasetSpec& spec) {
    validateDatasetSpec(spec);
    std::vector<std::string> texts;
    std::string why;
    if (!datasetKindTakesFile(spec.kind)) {
        const std::size_t n = spec.count ? spec.count : kDemoTaskCount;
        for (const auto& p :
             generateProblems(parseSyntheticTask(spec.kind), SyntheticSplit::Test, n, spec.seed))
            texts.push_back(p.text());
        return texts;
    }
    if (spec.kind == "wikitext") {
        texts = readWikiTextParagraphs(spec.path, spec.limits);
        why = "no paragraph longer than " + std::to_string(kWikiTextMinChars) +
              " characters that is not a \" =\" heading";
    } else if (spec.kind == "text") {
        texts = readTextBlocks(spec.path, spec.limits);
        why = "no non-blank paragraph";
    } else {
        const std::string append = spec.withAnswer ? answerField(spec.kind) : std::string();
        texts = readJsonlTexts(spec.path, spec.field, append, spec.limits);
        why = "no record with a non-blank '" + spec.field + "'";
    }
    if (texts.empty())
        throw Error(spec.path, "empty " + spec.kind + " calibration set: " + why);
    return texts;
}

} // namespace taskquant::data
