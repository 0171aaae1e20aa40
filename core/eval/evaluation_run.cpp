#include "core/eval/evaluation_run.h"
#include "core/eval/streamed_evaluation.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
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

TextTokens readTextTokens(const tokenize::Tokenizer& tok, const std::string& file, bool addBos,
                          int64_t needed) {
    TextTokens out;
    if (needed <= 0) {
        out.tokens = tok.encode(io::readFile(file), addBos);
        return out;
    }
    constexpr std::size_t kMargin = 256; // tokens beyond the needed ones, before the cut
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw Error(file, std::string("cannot open: ") + std::strerror(errno));
    std::string buf;
    std::size_t want = std::max<std::size_t>(64 * 1024, 16 * std::size_t(needed));
    for (;;) {
        const std::size_t have = buf.size();
        if (want > have) {
            buf.resize(want);
            in.read(buf.data() + have, std::streamsize(want - have));
            buf.resize(have + std::size_t(in.gcount()));
            if (in.bad())
                throw Error(file, "read failed");
        }
        const bool atEof = buf.size() < want;
        if (atEof) {
            out.tokens = tok.encode(buf, addBos);
            out.wholeFile = true;
            return out;
        }
        const std::size_t cut = buf.rfind('\n');
        if (cut != std::string::npos) {
            auto t = tok.encode(buf.substr(0, cut + 1), addBos);
            if (t.size() >= std::size_t(needed) + kMargin) {
                t.resize(std::size_t(needed));
                out.tokens = std::move(t);
                out.wholeFile = false;
                return out;
            }
        }
        want *= 2;
    }
}

StreamedEvaluation evaluatePolicyStreamed(models::CausalLM& model,
                                          const std::vector<std::vector<int64_t>>& chunks,
                                          const ReferenceLogProbs& reference,
                                          const policy::Policy& policy, const JobControl& job,
                                          const quant::ImportanceLookup& importance) {
    exporting::PolicyApplier applier(model); // restores on every exit
    StreamedEvaluation out;
    out.plan = applier.apply(policy, subRange(job, 0, 0.5), importance);
    out.encodedBytes = applier.encodedBytes();
    out.metrics = evaluateAgainst(model, chunks, reference, subRange(job, 0.5, 0.5));
    return out;
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
    // A --text file is read only as far as --chunks need (readTextTokens); data sets whole.
    const bool streamed = !r.textFile.empty() && r.dataset.empty() && r.chunks > 0;
    const std::string text =
        streamed ? std::string() : loadEvalText(r.textFile, r.dataset, r.field, r.seed);
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
    TextTokens read;
    if (streamed)
        read = readTextTokens(*tok, r.textFile, true, r.ctx * r.chunks);
    else
        read.tokens = perplexityTokens(*tok, text);
    const auto& tokens = read.tokens;
    makeChunks(tokens, opts.chunks); // a too-short text fails before the model loads
    for (const auto& f : r.ggufFiles)
        io::GgufFile::open(f); // so does an unreadable or malformed GGUF
    job.check();
    models::LoadOptions lo{r.device, r.dtype};
    lo.workBatch = 1; // one window per forward pass
    lo.workTokens = r.ctx;
    auto model = models::loadModel(r.modelDir, lo);
    job.check();
    const auto rows = comparePolicies(*model, tokens, policies, opts, tok.get(), job);
    job.check();
    EvaluationResult out;
    out.textTokens = tokens.size();
    out.textWhole = read.wholeFile;
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
