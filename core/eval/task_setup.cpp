#include "core/eval/task_setup.h"

#include "core/eval/evaluation_run.h"
#include "core/eval/token_metrics.h"
#include "core/models/model_loader.h"
#include "core/tokenize/tokenizer.h"

namespace taskquant::eval {

JobControl subJob(const JobControl& job, double from, double span) {
    JobControl j;
    j.cancel = job.cancel;
    if (job.progress) {
        auto p = job.progress;
        j.progress = [p, from, span](const ProgressInfo& i) {
            // a stage never reports outside its range, whatever its own fractions do
            const double f = i.fraction < 0 ? 0.0 : i.fraction > 1 ? 1.0 : i.fraction;
            p({from + span * f, i.message, i.done, i.total});
        };
    }
    return j;
}

TaskSetup prepareTask(const TaskRequest& r, const JobControl& job) {
    checkChunkCount(r.chunks); // before any reading
    job.report(0.0, "reading evaluation text");
    // A text file is read only as far as the chunks need (readTextTokens); data sets whole.
    const bool streamed = !r.textFile.empty() && r.dataset.empty() && r.chunks > 0;
    const std::string text =
        streamed ? std::string() : loadEvalText(r.textFile, r.dataset, r.field, r.seed);
    job.check();
    auto tok = tokenize::loadTokenizer(r.modelDir);
    ChunkOptions co;
    co.ctx = r.ctx;
    co.maxChunks = r.chunks;
    if (tok->addsBos())
        co.bosId = tok->bosId();
    TextTokens read;
    if (streamed)
        read = readTextTokens(*tok, r.textFile, false, r.ctx * r.chunks);
    else
        read.tokens = tok->encode(text, false);
    const auto& tokens = read.tokens;
    TaskSetup s;
    s.chunks = makeChunks(tokens, co); // a too-short text fails before the model loads
    s.textTokens = tokens.size();
    s.textWhole = read.wholeFile;
    job.check();
    models::LoadOptions lo{r.device, r.dtype};
    lo.workBatch = 1; // one window per forward pass
    lo.workTokens = r.ctx;
    lo.workBackward = r.backward;
    lo.workBackwardByLayer = r.backwardByLayer;
    lo.workHint = r.workHint.empty() ? "fewer --chunks or a shorter --ctx" : r.workHint;
    lo.workBytes = r.workBytes;
    lo.workBoundaryTokens = r.boundaryTokens;
    s.model = models::loadModel(r.modelDir, lo);
    job.check();
    return s;
}

} // namespace taskquant::eval
