#include "core/demo/demo_trainer.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/data/sampling.h"
#include "core/data/synthetic_tasks.h"
#include "core/demo/adamw.h"
#include "core/demo/demo_evaluation.h"
#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "core/io/safetensors.h"
#include "core/models/causal_lm.h"
#include "core/models/model_loader.h"
#include "core/tokenize/spm_library.h"
#include "core/tokenize/tokenizer.h"
#include "core/util/error.h"

namespace fs = std::filesystem;

namespace taskquant::demo {

namespace {

using data::SyntheticProblem;
using data::SyntheticSplit;
using data::SyntheticTask;

// A scratch directory removed on destruction.
class ScratchDir {
  public:
    ScratchDir() {
        std::string pattern = (fs::temp_directory_path() / "taskquant-train-demo-XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            throw Error(pattern, "cannot create a scratch directory");
        path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

// Restores the intra-op thread count on scope exit.
class ThreadCount {
  public:
    explicit ThreadCount(int n) : saved_(at::get_num_threads()) { at::set_num_threads(n); }
    ~ThreadCount() { at::set_num_threads(saved_); }

  private:
    int saved_;
};

struct InitTensor {
    std::string name;
    std::vector<int64_t> shape;
    char kind; // w: matrix N(0, 0.02), r: residual output matrix (scaled), n: norm weight (ones)
};

std::vector<InitTensor> llamaTensors(const models::ModelConfig& c) {
    const int64_t H = c.hiddenSize, I = c.intermediateSize, q = c.numHeads * c.headDim;
    const int64_t kv = c.numKvHeads * c.headDim;
    std::vector<InitTensor> t{{"model.embed_tokens.weight", {c.vocabSize, H}, 'w'}};
    for (int64_t l = 0; l < c.numLayers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        t.push_back({p + "self_attn.q_proj.weight", {q, H}, 'w'});
        t.push_back({p + "self_attn.k_proj.weight", {kv, H}, 'w'});
        t.push_back({p + "self_attn.v_proj.weight", {kv, H}, 'w'});
        t.push_back({p + "self_attn.o_proj.weight", {H, q}, 'r'});
        t.push_back({p + "mlp.gate_proj.weight", {I, H}, 'w'});
        t.push_back({p + "mlp.up_proj.weight", {I, H}, 'w'});
        t.push_back({p + "mlp.down_proj.weight", {H, I}, 'r'});
        t.push_back({p + "input_layernorm.weight", {H}, 'n'});
        t.push_back({p + "post_attention_layernorm.weight", {H}, 'n'});
    }
    t.push_back({"model.norm.weight", {H}, 'n'});
    t.push_back({"lm_head.weight", {c.vocabSize, H}, 'w'});
    return t;
}

std::string tensorBytes(const at::Tensor& t) {
    const auto c = t.detach().to(at::kCPU, at::kHalf).contiguous();
    return std::string(static_cast<const char*>(c.data_ptr()), c.numel() * c.element_size());
}

// F16, as Hugging Face checkpoints are commonly stored.
void writeWeights(const std::string& path,
                  const std::vector<std::pair<std::string, at::Tensor>>& ts) {
    std::vector<io::TensorSource> sources;
    for (const auto& [name, t] : ts)
        sources.push_back(
            {name, io::DType::F16, t.sizes().vec(), [t = t] { return tensorBytes(t); }});
    io::writeSafetensors(path, sources, {{"format", "pt"}});
}

// The model directory's small files (everything but weights and tokenizer.model).
void writeMetadata(const std::string& dir, const models::ModelConfig& c) {
    io::writeJsonFile(dir + "/config.json", c.toJson());
    io::writeJsonFile(dir + "/tokenizer_config.json", {{"tokenizer_class", "LlamaTokenizer"},
                                                       {"bos_token", "<s>"},
                                                       {"eos_token", "</s>"},
                                                       {"unk_token", "<unk>"},
                                                       {"pad_token", nullptr},
                                                       {"add_bos_token", true},
                                                       {"add_eos_token", false},
                                                       {"model_max_length", c.maxPositions},
                                                       {"legacy", false}});
    io::writeJsonFile(dir + "/special_tokens_map.json",
                      {{"bos_token", "<s>"}, {"eos_token", "</s>"}, {"unk_token", "<unk>"}});
    io::writeJsonFile(dir + "/generation_config.json", {{"bos_token_id", c.bosTokenId},
                                                        {"eos_token_id", c.eosTokenId},
                                                        {"do_sample", false},
                                                        {"max_new_tokens", 64}});
}

std::vector<std::vector<int64_t>> encodeAll(const tokenize::Tokenizer& tok,
                                            const std::vector<SyntheticProblem>& ps, int64_t max) {
    std::vector<std::vector<int64_t>> out;
    out.reserve(ps.size());
    for (const auto& p : ps)
        out.push_back(encodeSample(tok, p.text(), max));
    return out;
}

struct EvalSets {
    std::vector<std::vector<int64_t>> lossArithmetic, lossStories, lossLookup, lossFacts;
    std::vector<SyntheticProblem> oneStep, twoStep, stories, lookup, facts;
};

nlohmann::json evaluate(models::CausalLM& model, const tokenize::Tokenizer& tok, const EvalSets& e,
                        const JobControl& job) {
    const auto a1 = answerAccuracy(model, tok, e.oneStep, 64, {nullptr, job.cancel});
    const auto a2 = answerAccuracy(model, tok, e.twoStep, 64, {nullptr, job.cancel});
    const auto st = answerAccuracy(model, tok, e.stories, 48, {nullptr, job.cancel});
    nlohmann::json extra = nlohmann::json::object();
    if (!e.lookup.empty()) {
        const auto a = answerAccuracy(model, tok, e.lookup, 48, {nullptr, job.cancel});
        extra["loss_lookup"] = heldOutLoss(model, e.lossLookup, 16, {nullptr, job.cancel});
        extra["accuracy_lookup"] = a.rate();
        extra["correct_lookup"] = a.correct;
    }
    if (!e.facts.empty()) {
        const auto a = answerAccuracy(model, tok, e.facts, 24, {nullptr, job.cancel});
        extra["loss_facts"] = heldOutLoss(model, e.lossFacts, 16, {nullptr, job.cancel});
        extra["accuracy_facts"] = a.rate();
        extra["correct_facts"] = a.correct;
    }
    nlohmann::json out = {
        {"loss_arithmetic", heldOutLoss(model, e.lossArithmetic, 16, {nullptr, job.cancel})},
        {"loss_stories", heldOutLoss(model, e.lossStories, 16, {nullptr, job.cancel})},
        {"accuracy_arithmetic_1step", a1.rate()},
        {"correct_arithmetic_1step", a1.correct},
        {"accuracy_arithmetic_2step", a2.rate()},
        {"correct_arithmetic_2step", a2.correct},
        {"accuracy_stories", st.rate()},
        {"correct_stories", st.correct}};
    out.update(extra);
    return out;
}

} // namespace

nlohmann::json DemoTrainingSettings::toJson() const {
    nlohmann::json j = {{"data_seed", dataSeed},
                        {"train_arithmetic", trainArithmetic},
                        {"train_stories", trainStories},
                        {"vocab_size", vocabSize},
                        {"hidden_size", hiddenSize},
                        {"num_layers", numLayers},
                        {"num_heads", numHeads},
                        {"intermediate_size", intermediateSize},
                        {"max_positions", maxPositions},
                        {"init_seed", initSeed},
                        {"batch_seed", batchSeed},
                        {"steps", steps},
                        {"batch_size", batchSize},
                        {"warmup_steps", warmupSteps},
                        {"max_tokens", maxTokens},
                        {"learning_rate", learningRate},
                        {"min_learning_rate", minLearningRate},
                        {"weight_decay", weightDecay},
                        {"grad_clip", gradClip},
                        {"threads", threads},
                        {"eval_seed", evalSeed},
                        {"eval_loss_samples", evalLossSamples},
                        {"eval_answer_samples", evalAnswerSamples}};
    if (trainLookup > 0)
        j["train_lookup"] = trainLookup;
    if (trainFacts > 0)
        j["train_facts"] = trainFacts;
    return j;
}

models::ModelConfig demoModelConfig(const DemoTrainingSettings& s) {
    if (s.hiddenSize <= 0 || s.numHeads <= 0 || s.hiddenSize % s.numHeads != 0 ||
        s.numLayers <= 0 || s.intermediateSize <= 0 || s.vocabSize < 300 || s.maxPositions < 16)
        throw Error("train-demo: inconsistent model shape settings");
    models::ModelConfig c;
    c.modelType = "llama";
    c.vocabSize = s.vocabSize;
    c.hiddenSize = s.hiddenSize;
    c.intermediateSize = s.intermediateSize;
    c.numLayers = s.numLayers;
    c.numHeads = s.numHeads;
    c.numKvHeads = s.numHeads;
    c.headDim = s.hiddenSize / s.numHeads;
    c.maxPositions = s.maxPositions;
    c.normEps = 1e-5;
    c.ropeTheta = 10000.0;
    c.hiddenAct = "silu";
    c.tieWordEmbeddings = false;
    c.bosTokenId = 1; // sentencepiece ids as trained below: <unk> 0, <s> 1, </s> 2
    c.eosTokenId = 2;
    c.eosTokenIds = {2};
    return c;
}

nlohmann::json trainDemoModel(const std::string& outDir, const DemoTrainingSettings& s,
                              const JobControl& job) {
    const auto wallStart = std::chrono::steady_clock::now();
    const models::ModelConfig config = demoModelConfig(s);
    if (s.steps <= 0 || s.batchSize <= 0 || s.threads <= 0 || s.maxTokens < 8 ||
        s.maxTokens > s.maxPositions)
        throw Error("train-demo: steps, batch size and threads must be positive and max tokens "
                    "within the model's positions");
    ThreadCount threads(s.threads);
    ScratchDir scratch;

    // Data: the training splits of both tasks; held-out sets from the test splits.
    job.report(0, "generating the synthetic tasks");
    auto train = data::generateProblems(SyntheticTask::Arithmetic, SyntheticSplit::Train,
                                        s.trainArithmetic, s.dataSeed);
    const auto trainStories = data::generateProblems(SyntheticTask::Stories, SyntheticSplit::Train,
                                                     s.trainStories, s.dataSeed);
    train.insert(train.end(), trainStories.begin(), trainStories.end());
    for (const auto& [task, n] : {std::pair{SyntheticTask::Lookup, s.trainLookup},
                                  std::pair{SyntheticTask::Facts, s.trainFacts}})
        if (n > 0) {
            const auto more = data::generateProblems(task, SyntheticSplit::Train, n, s.dataSeed);
            train.insert(train.end(), more.begin(), more.end());
        }

    // Tokenizer: sentencepiece BPE with byte fallback and single digits, on the training text.
    job.report(0, "training the tokenizer");
    {
        std::ofstream corpus(scratch.file("corpus.txt"), std::ios::binary);
        for (const auto& p : train)
            corpus << p.text() << "\n";
        if (!corpus.flush())
            throw Error(scratch.file("corpus.txt"), "cannot write");
    }
    tokenize::trainSentencePiece(
        "--input=" + scratch.file("corpus.txt") + " --model_prefix=" + scratch.file("tokenizer") +
        " --model_type=bpe --vocab_size=" + std::to_string(s.vocabSize) +
        " --character_coverage=1.0 --byte_fallback=true --split_digits=true"
        " --normalization_rule_name=identity --remove_extra_whitespaces=false"
        " --add_dummy_prefix=true --allow_whitespace_only_pieces=true"
        " --unk_id=0 --bos_id=1 --eos_id=2 --pad_id=-1 --num_threads=1"
        " --input_sentence_size=0 --shuffle_input_sentence=false --max_sentence_length=4096"
        " --minloglevel=2");
    const std::string modelDir = scratch.file("model");
    fs::create_directory(modelDir);
    fs::copy_file(scratch.file("tokenizer.model"), modelDir + "/tokenizer.model");
    writeMetadata(modelDir, config);
    const auto tok = tokenize::loadTokenizer(modelDir);
    if (tok->vocabSize() != config.vocabSize || tok->bosId() != config.bosTokenId ||
        tok->eosId() != config.eosTokenId)
        throw Error(modelDir + "/tokenizer.model", "the trained tokenizer does not have the "
                                                   "expected size and special ids");

    // Token ids of everything, before any model work.
    const auto trainIds = encodeAll(*tok, train, s.maxTokens);
    int64_t corpusTokens = 0;
    for (const auto& t : trainIds)
        corpusTokens += static_cast<int64_t>(t.size());
    EvalSets eval;
    eval.lossArithmetic =
        encodeAll(*tok,
                  data::generateProblems(SyntheticTask::Arithmetic, SyntheticSplit::Test,
                                         s.evalLossSamples, s.evalSeed),
                  0);
    eval.lossStories =
        encodeAll(*tok,
                  data::generateProblems(SyntheticTask::Stories, SyntheticSplit::Test,
                                         s.evalLossSamples, s.evalSeed),
                  0);
    eval.oneStep = data::generateProblems(SyntheticTask::Arithmetic, SyntheticSplit::Test,
                                          s.evalAnswerSamples, s.evalSeed + 1, 1);
    eval.twoStep = data::generateProblems(SyntheticTask::Arithmetic, SyntheticSplit::Test,
                                          s.evalAnswerSamples, s.evalSeed + 2, 2);
    eval.stories = data::generateProblems(SyntheticTask::Stories, SyntheticSplit::Test,
                                          s.evalAnswerSamples, s.evalSeed + 3);
    if (s.trainLookup > 0) {
        eval.lossLookup =
            encodeAll(*tok,
                      data::generateProblems(SyntheticTask::Lookup, SyntheticSplit::Test,
                                             s.evalLossSamples, s.evalSeed),
                      0);
        eval.lookup = data::generateProblems(SyntheticTask::Lookup, SyntheticSplit::Test,
                                             s.evalAnswerSamples, s.evalSeed + 4);
    }
    if (s.trainFacts > 0) {
        eval.lossFacts =
            encodeAll(*tok,
                      data::generateProblems(SyntheticTask::Facts, SyntheticSplit::Test,
                                             s.evalLossSamples, s.evalSeed),
                      0);
        eval.facts = data::generateProblems(SyntheticTask::Facts, SyntheticSplit::Test,
                                            s.evalAnswerSamples, s.evalSeed + 5);
    }

    // Initial weights, written and loaded through the same path as any model.
    auto gen = at::detail::createCPUGenerator(s.initSeed);
    const double residualStd = 0.02 / std::sqrt(2.0 * double(config.numLayers));
    std::vector<std::pair<std::string, at::Tensor>> init;
    for (const auto& t : llamaTensors(config)) {
        at::Tensor v = t.kind == 'n'
                           ? at::ones(t.shape, at::kFloat)
                           : at::normal(0.0, t.kind == 'r' ? residualStd : 0.02, t.shape, gen);
        init.emplace_back(t.name, v.to(at::kHalf).to(at::kFloat)); // as stored
    }
    writeWeights(modelDir + "/model.safetensors", init);
    auto model = models::loadModel(modelDir);

    job.report(0, "evaluating the untrained model");
    const auto untrained = evaluate(*model, *tok, eval, job);

    // Training.
    std::vector<at::Tensor> params;
    std::vector<bool> decay;
    for (const auto& p : model->parameters()) {
        params.push_back(p.tensor);
        decay.push_back(p.tensor.dim() >= 2);
    }
    AdamW opt(params, decay, {0.9, 0.95, 1e-8, s.weightDecay});
    model->setRequiresGrad(true);
    data::SplitMix64 batchRng(s.batchSeed);
    double lossEma = 0, lastLoss = 0;
    int64_t tokensTrained = 0;
    const auto trainStart = std::chrono::steady_clock::now();
    for (int64_t step = 0; step < s.steps; ++step) {
        job.check();
        std::vector<const std::vector<int64_t>*> batch;
        for (int64_t b = 0; b < s.batchSize; ++b)
            batch.push_back(&trainIds[batchRng.below(trainIds.size())]);
        const auto pb = padBatch(batch, model->device());
        model->zeroGrad();
        const auto perSample = model->perSampleLoss(pb.ids, pb.mask);
        const auto counts = (pb.mask.sum(1) - 1).to(at::kFloat);
        const auto loss = (perSample * counts).sum() / counts.sum();
        loss.backward();
        lastLoss = loss.item<double>();
        if (!std::isfinite(lastLoss))
            throw Error("train-demo: the loss diverged at step " + std::to_string(step));
        opt.clipGradNorm(s.gradClip);
        opt.step(
            cosineLearningRate(step, s.steps, s.warmupSteps, s.learningRate, s.minLearningRate));
        tokensTrained += pb.mask.sum().item<int64_t>();
        lossEma = step == 0 ? lastLoss : 0.98 * lossEma + 0.02 * lastLoss;
        char msg[96];
        std::snprintf(msg, sizeof msg, "training, loss %.3f", lossEma);
        job.report(double(step + 1) / double(s.steps), msg, step + 1, s.steps);
    }
    const double trainSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - trainStart).count();
    model->setRequiresGrad(false);
    model->zeroGrad();
    {
        // Round to the stored precision, so the report describes the committed weights.
        at::NoGradGuard noGrad;
        for (auto& p : params)
            p.copy_(p.to(at::kHalf).to(at::kFloat));
    }

    job.report(1, "evaluating the trained model");
    const auto trained = evaluate(*model, *tok, eval, job);

    std::vector<std::pair<std::string, at::Tensor>> weights;
    for (const auto& p : model->parameters())
        weights.emplace_back(p.name, p.tensor);
    writeWeights(modelDir + "/model.safetensors", weights);

    nlohmann::json trainProblems = {{"arithmetic", s.trainArithmetic}, {"stories", s.trainStories}};
    if (s.trainLookup > 0)
        trainProblems["lookup"] = s.trainLookup;
    if (s.trainFacts > 0)
        trainProblems["facts"] = s.trainFacts;
    nlohmann::json report = {{"format", "taskquant-demo-training-report"},
                             {"version", 1},
                             {"tool_version", TASKQUANT_VERSION},
                             {"settings", s.toJson()},
                             {"parameters", model->parameterCount()},
                             {"train_problems", trainProblems},
                             {"weights_dtype", "F16"},
                             {"train_corpus_tokens", corpusTokens},
                             {"steps", s.steps},
                             {"tokens_trained", tokensTrained},
                             {"final_train_loss_ema", lossEma},
                             {"train_seconds", trainSeconds},
                             {"held_out",
                              {{"loss_samples_per_task", s.evalLossSamples},
                               {"answer_samples_per_kind", s.evalAnswerSamples},
                               {"trained", trained},
                               {"untrained", untrained}}},
                             {"seeds",
                              {{"data", s.dataSeed},
                               {"init", s.initSeed},
                               {"batch", s.batchSeed},
                               {"eval", s.evalSeed}}}};
    report["wall_seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    io::writeJsonFile(modelDir + "/training_report.json", report);

    // Publish: every file atomically into outDir.
    job.check();
    std::error_code ec;
    fs::create_directories(outDir, ec);
    if (!fs::is_directory(outDir))
        throw Error(outDir, "cannot create the output directory");
    for (const char* name :
         {"model.safetensors", "tokenizer.model", "config.json", "tokenizer_config.json",
          "special_tokens_map.json", "generation_config.json", "training_report.json"})
        io::writeFileAtomically(outDir + "/" + name, io::readFile(modelDir + "/" + name));
    return report;
}

} // namespace taskquant::demo
