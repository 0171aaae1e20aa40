#include "core/sensitivity/imatrix.h"

#include <cmath>
#include <cstdio>

#include <ATen/ATen.h>
#include <algorithm>
#include <map>

#include "core/io/atomic_file.h"
#include "core/io/safetensors.h"
#include "core/models/causal_lm.h"
#include "core/models/gguf_names.h"
#include "core/models/model_config.h"
#include "core/models/model_loader.h"
#include "core/sensitivity/square_sums.h"
#include "core/tokenize/tokenizer.h"
#include "core/util/error.h"

namespace taskquant::sensitivity {
namespace {

bool collected(const std::string& ggufName, bool processOutput) {
    return ggufName.rfind("blk.", 0) == 0 || (processOutput && ggufName == "output.weight");
}

std::string architectureOf(const models::ModelConfig& c, const std::string& where) {
    auto arch = models::ggufArchitecture(c.modelType);
    if (!arch)
        throw Error(where, "imatrix needs GGUF tensor names: model_type \"" + c.modelType +
                               "\" is not supported (llama, mistral, phi)");
    return *arch;
}

struct Matrix {
    std::string hf, gguf;
    int64_t columns = 0;
};

// The weight matrices llama-imatrix may collect (blk.* and output.weight), from the headers.
std::vector<Matrix> modelMatrices(const std::string& modelDir) {
    const auto c = models::ModelConfig::fromFile(modelDir + "/config.json");
    const std::string arch = architectureOf(c, modelDir);
    const auto ckpt = io::SafetensorsCheckpoint::openDirectory(modelDir);
    std::vector<Matrix> out;
    for (const auto& name : ckpt.names()) {
        const auto* t = ckpt.find(name);
        if (!t || t->shape.size() != 2)
            continue;
        auto gname = models::ggufTensorName(arch, name);
        if (gname && collected(*gname, true))
            out.push_back({name, *gname, t->shape[1]});
    }
    return out;
}

} // namespace

io::Imatrix computeImatrix(models::CausalLM& model,
                           const std::vector<std::vector<int64_t>>& samples,
                           const ImatrixOptions& options, const JobControl& job) {
    if (samples.empty())
        throw Error("imatrix: no calibration samples");
    const std::string arch = architectureOf(model.config(), model.directory());
    const auto& params = model.parameters();
    SquareSums obs; // square_sums.h: the sums over the real tokens of every collected matrix
    obs.wanted.assign(params.size(), false);
    std::vector<std::string> ggufNames(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (params[i].tensor.dim() != 2)
            continue;
        auto g = models::ggufTensorName(arch, params[i].name);
        if (g && collected(*g, options.processOutput)) {
            obs.wanted[i] = true;
            ggufNames[i] = *g;
        }
    }
    {
        models::ObserverScope observe(model, obs); // removed on every exit, a cancel included
        at::NoGradGuard noGrad;
        for (std::size_t s = 0; s < samples.size(); ++s) {
            job.check();
            job.report(double(s) / samples.size(), "sample " + std::to_string(s + 1), s,
                       samples.size());
            const auto& ids = samples[s];
            if (ids.empty())
                continue;
            at::Tensor input = at::tensor(at::ArrayRef<int64_t>(ids), at::kLong)
                                   .view({1, int64_t(ids.size())})
                                   .to(model.device());
            (void)model.logits(input);
        }
    }
    job.check();
    io::Imatrix m;
    m.format = io::ImatrixFormat::Gguf;
    m.chunkSize = options.chunkSize;
    m.datasets = options.datasets;
    int64_t maxCount = 0;
    for (const auto& [w, sum] : obs.sums) {
        io::ImatrixEntry e;
        e.name = ggufNames[std::size_t(w)];
        at::Tensor f = sum.to(at::kCPU).to(at::kFloat).contiguous();
        e.columns = f.numel();
        e.sums.assign(f.data_ptr<float>(), f.data_ptr<float>() + f.numel());
        const int64_t count = obs.counts[w];
        e.counts = {float(count)};
        maxCount = std::max(maxCount, count);
        m.entries.push_back(std::move(e));
    }
    std::sort(m.entries.begin(), m.entries.end(),
              [](const io::ImatrixEntry& a, const io::ImatrixEntry& b) { return a.name < b.name; });
    m.chunkCount = options.chunkSize ? uint32_t(maxCount / options.chunkSize) : 0;
    job.report(1.0, "imatrix computed", samples.size(), samples.size());
    return m;
}

std::vector<std::pair<std::string, int64_t>> imatrixTensors(const std::string& modelDir) {
    std::vector<std::pair<std::string, int64_t>> out;
    for (const auto& m : modelMatrices(modelDir))
        out.emplace_back(m.gguf, m.columns);
    return out;
}

const float* ModelImportance::find(const std::string& hfName) const {
    for (const auto& [n, v] : byName)
        if (n == hfName)
            return v.data();
    return nullptr;
}

ModelImportance loadModelImportance(const std::string& imatrixPath, const std::string& modelDir) {
    return modelImportance(io::readImatrix(imatrixPath), imatrixPath, modelDir);
}

ModelImportance modelImportance(const io::Imatrix& m, const std::string& imatrixPath,
                                const std::string& modelDir) {
    std::vector<std::pair<std::string, int64_t>> tensors;
    std::map<std::string, std::string> hfOf;
    for (const auto& t : modelMatrices(modelDir)) {
        tensors.emplace_back(t.gguf, t.columns);
        hfOf[t.gguf] = t.hf;
    }
    io::checkImatrixMatches(m, imatrixPath, tensors);
    ModelImportance out;
    out.path = imatrixPath;
    for (const auto& e : m.entries) {
        auto values = m.importance(e);
        // A huge value overflows the codecs' weighted float sums and surfaced as an fp16 scale
        // error about the weights, without naming the imatrix.
        for (std::size_t i = 0; i < values.size(); ++i)
            if (!(std::fabs(values[i]) <= 1e20f)) {
                char v[32];
                std::snprintf(v, sizeof v, "%g", double(values[i]));
                throw Error(imatrixPath, "tensor " + e.name + " column " + std::to_string(i) +
                                             " has importance " + v +
                                             ", too large to weight quantization with (above "
                                             "1e20: the weighted sums would overflow float)");
            }
        out.byName.emplace_back(hfOf.at(e.name), std::move(values));
    }
    return out;
}

std::vector<std::vector<int64_t>> imatrixTextWindows(const std::string& modelDir,
                                                     const std::string& textFile, int64_t ctx,
                                                     int64_t maxChunks) {
    if (ctx < 2)
        throw Error("context length must be at least 2 tokens (got " + std::to_string(ctx) + ")");
    const std::string text = io::readFile(textFile);
    auto tok = tokenize::loadTokenizer(modelDir);
    const std::vector<int32_t> tokens = tok->encode(text, true);
    if (int64_t(tokens.size()) < 2 * ctx)
        throw Error(textFile, "tokenizes to only " + std::to_string(tokens.size()) +
                                  " tokens; a context of " + std::to_string(ctx) +
                                  " needs at least " + std::to_string(2 * ctx) +
                                  " (as llama-imatrix requires)");
    int64_t n = int64_t(tokens.size()) / ctx;
    if (maxChunks > 0)
        n = std::min(n, maxChunks);
    const int64_t bos = tok->addsBos() && tok->bosId() >= 0 ? tok->bosId() : -1;
    std::vector<std::vector<int64_t>> windows(static_cast<std::size_t>(n));
    for (int64_t c = 0; c < n; ++c) {
        auto& w = windows[std::size_t(c)];
        w.assign(tokens.begin() + c * ctx, tokens.begin() + (c + 1) * ctx);
        if (bos >= 0)
            w[0] = bos;
    }
    return windows;
}

io::Imatrix runImatrix(const ImatrixRunRequest& r, const JobControl& job,
                       const FisherStartFn& onStart) {
    const CalibrationSpec& cal = r.calibration;
    const std::string dtype = cal.dtype.empty() ? defaultDtype(cal.device) : cal.dtype;
    JobControl quiet;
    quiet.cancel = job.cancel;
    std::vector<std::vector<int64_t>> samples;
    if (!r.textFile.empty()) {
        samples = imatrixTextWindows(cal.modelDir, r.textFile, cal.maxLength, r.maxChunks);
    } else {
        const auto texts = loadCalibrationTexts(cal);
        job.check();
        samples = tokenizeSamples(cal.modelDir, texts, cal.maxLength);
    }
    job.check();
    auto model = models::loadModel(cal.modelDir, {cal.device, dtype}, quiet);
    job.check();
    FisherRunStart start;
    start.samples = samples.size();
    for (const auto& s : samples)
        start.tokens += int64_t(s.size());
    start.device = cal.device;
    start.dtype = dtype;
    if (onStart)
        onStart(start);
    ImatrixOptions o = r.options;
    o.chunkSize = uint32_t(cal.maxLength);
    if (o.datasets.empty())
        o.datasets = {r.textFile.empty() ? cal.data.path : r.textFile};
    return computeImatrix(*model, samples, o, subRange(job, 0.05, 1.0 - 0.05));
}

} // namespace taskquant::sensitivity
