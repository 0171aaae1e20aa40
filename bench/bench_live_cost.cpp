// bench_live_cost: how long the studio's live cost (exporting::LiveCost) takes to update after
// an edit, on a generated 60-layer llama configuration (hidden 6656, FFN 17920, 52 heads, the
// LLaMA-30B shape; 543 tensors) with a damage model (scores and an error table of f16 and
// every GGUF block type). Prints the mean time of a one-tensor edit, of a drag over a
// 14-tensor region (two layers), of applying a whole policy, and their ratios. The studio's
// target is under 16 ms per edit (one frame at 60 Hz).
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>

#include "core/export/live_cost.h"
#include "core/policy/error_table.h"

using namespace taskquant;

namespace {

exporting::LiveCostModel generated(int layers, int64_t hidden, int64_t ffn, int64_t vocab) {
    exporting::LiveCostModel m;
    m.hasFile = true;
    m.fixedFileBytes = 2 * 1024 * 1024; // a header with a 32k-token vocabulary
    auto add = [&m](std::string hf, std::string gguf, std::vector<int64_t> shape) {
        const bool vec = shape.size() == 1;
        m.tensors.push_back({hf, shape, {{gguf, shape, vec}}});
    };
    add("model.embed_tokens.weight", "token_embd.weight", {vocab, hidden});
    for (int l = 0; l < layers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        const std::string b = "blk." + std::to_string(l) + ".";
        add(p + "input_layernorm.weight", b + "attn_norm.weight", {hidden});
        add(p + "self_attn.q_proj.weight", b + "attn_q.weight", {hidden, hidden});
        add(p + "self_attn.k_proj.weight", b + "attn_k.weight", {hidden, hidden});
        add(p + "self_attn.v_proj.weight", b + "attn_v.weight", {hidden, hidden});
        add(p + "self_attn.o_proj.weight", b + "attn_output.weight", {hidden, hidden});
        add(p + "post_attention_layernorm.weight", b + "ffn_norm.weight", {hidden});
        add(p + "mlp.gate_proj.weight", b + "ffn_gate.weight", {ffn, hidden});
        add(p + "mlp.up_proj.weight", b + "ffn_up.weight", {ffn, hidden});
        add(p + "mlp.down_proj.weight", b + "ffn_down.weight", {hidden, ffn});
    }
    add("model.norm.weight", "output_norm.weight", {hidden});
    add("lm_head.weight", "output.weight", {vocab, hidden});
    return m;
}

double ms(std::chrono::steady_clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

} // namespace

int main() {
    const int layers = 60;
    exporting::LiveCostModel model = generated(layers, 6656, 17920, 32000);
    std::vector<std::string> precisions = {"f16"};
    for (const auto& n : quant::Precision::ggufBlockNames())
        precisions.push_back(n);
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> u(0.1, 1.0);
    std::vector<policy::ErrorRow> rows;
    std::map<std::string, double> scores;
    std::vector<std::string> linear;
    for (const auto& t : model.tensors) {
        if (t.shape.size() < 2)
            continue;
        policy::ErrorRow r;
        r.name = t.name;
        r.shape = t.shape;
        r.numel = t.shape[0] * t.shape[1];
        for (std::size_t j = 0; j < precisions.size(); ++j) {
            const double e = j == 0 ? 0.0 : u(rng) * 1e-4 / double(j);
            r.error.push_back(e);
            r.sse.push_back(e * double(r.numel));
        }
        rows.push_back(std::move(r));
        scores[t.name] = u(rng);
        if (t.name.find("layers.") != std::string::npos)
            linear.push_back(t.name);
    }
    auto errors = std::make_shared<const policy::ErrorTable>(precisions, std::move(rows));
    policy::Policy p;
    p.defaultPrecision = quant::Precision::parse("q4_k");
    exporting::LiveCost cost(std::move(model), p);
    cost.setDamageInputs(scores, errors);

    const std::vector<quant::Precision> cycle = {
        quant::Precision::parse("q8_0"), quant::Precision::parse("q6_k"),
        quant::Precision::parse("f16"), quant::Precision::parse("q2_k")};
    const int edits = 2000;
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < edits; ++i)
        cost.setOverrides({linear[std::size_t(i) % linear.size()]}, cycle[std::size_t(i) % 4]);
    const double one = ms(std::chrono::steady_clock::now() - t0) / edits;

    const int drags = 500;
    t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < drags; ++i) {
        const std::size_t start = (std::size_t(i) * 7) % (linear.size() - 14);
        std::vector<std::string> region(linear.begin() + long(start),
                                        linear.begin() + long(start) + 14);
        cost.setOverrides(region, cycle[std::size_t(i) % 4]);
    }
    const double drag = ms(std::chrono::steady_clock::now() - t0) / drags;

    const int full = 100;
    t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < full; ++i)
        cost.setPolicy(p);
    const double whole = ms(std::chrono::steady_clock::now() - t0) / full;

    std::printf("live cost, %d layers, %zu tensors, damage over %zu tensors x %zu precisions\n",
                layers, cost.model().tensors.size(), scores.size(), precisions.size());
    std::printf("  one-tensor edit:        %8.4f ms  (target < 16 ms: %.0fx below)\n", one,
                16.0 / one);
    std::printf("  14-tensor drag edit:    %8.4f ms  (%.0fx below 16 ms)\n", drag, 16.0 / drag);
    std::printf("  whole policy recompute: %8.4f ms\n", whole);
    std::printf("  ratios: full / one-tensor %.1fx, drag / one-tensor %.1fx\n", whole / one,
                drag / one);
    const auto& t = cost.totals();
    std::printf("  last totals: GGUF %.1f MiB, %.3f bpw, predicted damage %.4g over %d tensors\n",
                double(t.fileBytes) / 1048576.0, t.fileBits, t.damage, t.damageTensors);
    return 0;
}
