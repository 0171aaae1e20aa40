#include "core/eval/evaluation_run.h"

#include <memory>

#include "core/data/dataset_spec.h"
#include "core/data/load_texts.h"
#include "core/eval/policy_comparison.h"
#include "core/eval/token_metrics.h"
#include "core/export/apply_policy.h"
#include "core/io/atomic_file.h"
#include "core/io/gguf_reader.h"
#include "core/io/safetensors.h"
#include "core/models/model_loader.h"
#include "core/sensitivity/imatrix.h"
#include "core/tokenize/tokenizer.h"
#include "core/util/error.h"

namespace taskquant::eval {

std::string loadEvalText(const std::string& textFile, const std::string& dataset,
                         const std::string& field, uint64_t seed) {
    if (!textFile.empty() && !dataset.empty())
        throw Error("give either a text file or a data set, not both");
    if (!textFile.empty())
        return io::readFile(textFile);
    if (dataset.empty())
        throw Error("no evaluation text: give a text file or a data set KIND:PATH");
    const auto colon = dataset.find(':');
    const bool fileLess = colon == std::string::npos && !data::datasetKindTakesFile(dataset);
    if (colon == std::string::npos && !fileLess)
        throw Error(
            "a data set is given as KIND:PATH (e.g. gsm8k:test.jsonl, wikitext:wiki.test.raw) "
            "or as the name of a generated task (arithmetic, algebra, stories)");
    const std::string kind = fileLess ? dataset : dataset.substr(0, colon);
    const std::string path = fileLess ? std::string() : dataset.substr(colon + 1);
    const bool answers = data::answerField(kind) != "";
    auto spec = data::makeDatasetSpec(kind, path, field, answers);
    spec.seed = seed;
    std::string all;
    for (const auto& t : data::loadTexts(spec)) {
        if (!all.empty())
            all += "\n\n";
        all += t;
    }
    return all;
}

EvaluationResult runEvaluation(const EvaluationRequest& r, const JobControl& job) {
    checkChunkCount(r.chunks); // before any reading
    if (!r.policies.empty()) {
        const auto names = io::SafetensorsCheckpoint::openDirectory(r.modelDir).names();
        for (const auto& [name, p] : r.policies) {
            try {
                exporting::checkOverridesExist(p, names, r.modelDir);
            } catch (const Error& e) {
                throw Error(name, e.what());
            }
        }
    }
    job.report(0.0, "reading evaluation text");
    const std::string text = loadEvalText(r.textFile, r.dataset, r.field, r.seed);
    std::vector<NamedPolicy> policies;
    for (const auto& [name, p] : r.policies)
        policies.push_back({name, p});
    ComparisonOptions opts;
    opts.gsm8kMaxNewTokens = r.gsm8kMaxNewTokens;
    if (!r.gsm8kFile.empty())
        opts.gsm8k = readGsm8k(r.gsm8kFile, std::size_t(r.gsm8kCount));
    std::shared_ptr<sensitivity::ModelImportance> importance;
    if (!r.imatrixFile.empty()) {
        importance = std::make_shared<sensitivity::ModelImportance>(
            sensitivity::loadModelImportance(r.imatrixFile, r.modelDir));
        opts.importance = [importance](const std::string& n) { return importance->find(n); };
    }
    job.check();
    auto tok = tokenize::loadTokenizer(r.modelDir);
    // llama-perplexity's windows (token_metrics.h): BOS-first stream, BOS-led windows
    opts.chunks = perplexityChunkOptions(*tok, r.ctx, r.chunks);
    opts.ggufFiles = r.ggufFiles;
    opts.ggufCpuArithmetic = r.ggufCpuArithmetic;
    const auto tokens = perplexityTokens(*tok, text);
    makeChunks(tokens, opts.chunks); // a too-short text fails before the model loads
    for (const auto& f : r.ggufFiles)
        io::GgufFile::open(f); // so does an unreadable or malformed GGUF
    job.check();
    auto model = models::loadModel(r.modelDir, {r.device, r.dtype});
    job.check();
    const auto rows = comparePolicies(*model, tokens, policies, opts, tok.get(), job);
    job.check();
    EvaluationResult out;
    out.textTokens = tokens.size();
    out.table = formatComparisonTable(rows);
    out.json = comparisonJson(rows);
    for (const auto& c : rows) {
        EvaluationRow e;
        e.name = c.name;
        e.baseline = c.baseline;
        const auto& m = c.metrics;
        e.chunks = m.chunks;
        e.tokens = m.tokens;
        e.ppl = m.ppl;
        e.pplUncertainty = m.pplUncertainty;
        e.kldMean = m.kldMean;
        e.kldP99 = m.kldP99;
        e.kldMax = m.kldMax;
        e.sameTop1 = m.sameTop1;
        e.meanDeltaP = m.meanDeltaP;
        e.rmsDeltaP = m.rmsDeltaP;
        e.bytes = c.bytes;
        e.averageBits = c.averageBits;
        e.notes = c.notes;
        if (c.gsm8k)
            e.gsm8kAccuracy = c.gsm8k->accuracy();
        out.rows.push_back(std::move(e));
    }
    return out;
}

} // namespace taskquant::eval
