#include "core/demo/demo_evaluation.h"

#include <ATen/ATen.h>
#include <algorithm>

#include "core/models/causal_lm.h"
#include "core/tokenize/tokenizer.h"
#include "core/util/error.h"

namespace taskquant::demo {

std::vector<int64_t> encodeSample(const tokenize::Tokenizer& tok, const std::string& text,
                                  int64_t maxTokens) {
    const auto ids = tok.encode(text, true);
    std::vector<int64_t> out(ids.begin(), ids.end());
    if (tok.eosId() >= 0 && !tok.addsEos())
        out.push_back(tok.eosId());
    if (maxTokens > 0 && static_cast<int64_t>(out.size()) > maxTokens)
        out.resize(maxTokens);
    return out;
}

PaddedBatch padBatch(const std::vector<const std::vector<int64_t>*>& samples, at::Device device) {
    std::size_t T = 0;
    for (const auto* s : samples)
        T = std::max(T, s->size());
    const auto B = static_cast<int64_t>(samples.size());
    auto ids = at::zeros({B, static_cast<int64_t>(T)}, at::kLong);
    auto mask = at::zeros({B, static_cast<int64_t>(T)}, at::kLong);
    auto ia = ids.accessor<int64_t, 2>();
    auto ma = mask.accessor<int64_t, 2>();
    for (int64_t b = 0; b < B; ++b)
        for (std::size_t t = 0; t < samples[b]->size(); ++t) {
            ia[b][t] = (*samples[b])[t];
            ma[b][t] = 1;
        }
    return {ids.to(device), mask.to(device)};
}

double heldOutLoss(models::CausalLM& model, const std::vector<std::vector<int64_t>>& samples,
                   int64_t batchSize, const JobControl& job) {
    at::NoGradGuard noGrad;
    double nllSum = 0, tokens = 0;
    for (std::size_t i = 0; i < samples.size(); i += batchSize) {
        job.check();
        std::vector<const std::vector<int64_t>*> batch;
        for (std::size_t j = i; j < std::min(samples.size(), i + batchSize); ++j) {
            if (samples[j].size() < 2)
                throw Error("held-out loss: a sample has fewer than 2 tokens");
            batch.push_back(&samples[j]);
        }
        const auto pb = padBatch(batch, model.device());
        const auto loss = model.perSampleLoss(pb.ids, pb.mask).to(at::kDouble).cpu();
        const auto counts = (pb.mask.sum(1) - 1).to(at::kDouble).cpu();
        nllSum += (loss * counts).sum().item<double>();
        tokens += counts.sum().item<double>();
        job.report(double(i + batch.size()) / double(samples.size()), "held-out loss");
    }
    return tokens > 0 ? nllSum / tokens : 0.0;
}

AnswerAccuracy answerAccuracy(models::CausalLM& model, const tokenize::Tokenizer& tok,
                              const std::vector<data::SyntheticProblem>& problems,
                              int64_t maxNewTokens, const JobControl& job) {
    AnswerAccuracy acc;
    std::vector<int64_t> stop;
    if (tok.eosId() >= 0)
        stop.push_back(tok.eosId());
    for (std::size_t i = 0; i < problems.size(); ++i) {
        job.check();
        const auto prompt = tok.encode(problems[i].prompt(), true);
        const auto out =
            model.generate(std::vector<int64_t>(prompt.begin(), prompt.end()), maxNewTokens, stop);
        std::vector<int32_t> ids;
        for (int64_t id : out)
            if (id >= 0 && id < tok.vocabSize())
                ids.push_back(static_cast<int32_t>(id));
        const std::string text = tok.decode(ids, true);
        ++acc.total;
        if (data::extractAnswer(text) == problems[i].answer)
            ++acc.correct;
        job.report(double(i + 1) / double(problems.size()), "answer accuracy", i + 1,
                   problems.size());
    }
    return acc;
}

} // namespace taskquant::demo
