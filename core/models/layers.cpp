#include "core/models/layers.h"

#include <cmath>
#include <limits>

#include "core/util/error.h"

namespace taskquant::models {

at::Tensor rmsNormalize(const at::Tensor& x, double eps) {
    auto xf = x.to(at::kFloat);
    auto var = xf.pow(2).mean(-1, /*keepdim=*/true);
    return (xf * at::rsqrt(var + eps)).to(x.scalar_type());
}

at::Tensor layerNormalize(const at::Tensor& x, double eps) {
    auto xf = x.to(at::kFloat);
    auto mean = xf.mean(-1, true);
    auto centered = xf - mean;
    auto var = centered.pow(2).mean(-1, true);
    return (centered * at::rsqrt(var + eps)).to(x.scalar_type());
}

at::Tensor rotaryInverseFrequencies(const ModelConfig& c, int64_t dim) {
    // transformers: 1 / base ** (arange(0, dim, 2).float() / dim), in fp32.
    auto exponents = at::arange(0, dim, 2, at::kLong).to(at::kFloat) / static_cast<double>(dim);
    auto invFreq = 1.0 / at::pow(c.ropeTheta, exponents);
    const auto& rs = c.ropeScaling;
    if (rs.type == "linear") {
        invFreq = invFreq / rs.factor;
    } else if (rs.type == "llama3") {
        // Llama 3.1: long wavelengths are divided by `factor`, short ones kept, and the band
        // between is interpolated smoothly.
        const double lowWavelen = rs.originalMaxPositions / rs.lowFreqFactor;
        const double highWavelen = rs.originalMaxPositions / rs.highFreqFactor;
        auto acc = invFreq.accessor<float, 1>();
        for (int64_t i = 0; i < invFreq.size(0); ++i) {
            const double f = acc[i];
            const double wavelen = 2.0 * M_PI / f;
            double out;
            if (wavelen < highWavelen) {
                out = f;
            } else if (wavelen > lowWavelen) {
                out = f / rs.factor;
            } else {
                const double smooth = (rs.originalMaxPositions / wavelen - rs.lowFreqFactor) /
                                      (rs.highFreqFactor - rs.lowFreqFactor);
                out = (1.0 - smooth) * f / rs.factor + smooth * f;
            }
            acc[i] = static_cast<float>(out);
        }
    }
    return invFreq;
}

std::pair<at::Tensor, at::Tensor> rotaryTables(const at::Tensor& invFreq,
                                               const at::Tensor& positions, at::ScalarType dtype) {
    auto freqs = positions.to(at::kFloat).unsqueeze(-1) * invFreq.to(positions.device());
    auto emb = at::cat({freqs, freqs}, -1);
    return {emb.cos().to(dtype), emb.sin().to(dtype)};
}

namespace {
at::Tensor rotateHalf(const at::Tensor& x) {
    const int64_t half = x.size(-1) / 2;
    auto x1 = x.narrow(-1, 0, half);
    auto x2 = x.narrow(-1, half, half);
    return at::cat({-x2, x1}, -1);
}
} // namespace

at::Tensor applyRotary(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin) {
    const int64_t rot = cos.size(-1);
    auto c = cos.unsqueeze(1); // [B, 1, T, rot]
    auto s = sin.unsqueeze(1);
    if (rot == x.size(-1))
        return x * c + rotateHalf(x) * s;
    auto xr = x.narrow(-1, 0, rot);
    auto xp = x.narrow(-1, rot, x.size(-1) - rot);
    return at::cat({xr * c + rotateHalf(xr) * s, xp}, -1);
}

at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                     const at::Tensor& allowed) {
    const int64_t B = q.size(0), H = q.size(1), T = q.size(2), D = q.size(3);
    const int64_t KV = k.size(1), S = k.size(2);
    const int64_t rep = H / KV;
    // Group the query heads that share a key/value head: [B, KV, rep * T, D], so keys and values
    // are never copied per query head.
    auto qg = q.reshape({B, KV, rep * T, D});
    auto scores = at::matmul(qg, k.transpose(-1, -2)) * (1.0 / std::sqrt(static_cast<double>(D)));
    scores = scores.view({B, KV, rep, T, S}).to(at::kFloat);
    auto mask = allowed.view({B, 1, 1, T, S});
    scores = scores.masked_fill(mask.logical_not(), std::numeric_limits<float>::lowest());
    auto probs = at::softmax(scores, -1).to(q.scalar_type()).view({B, KV, rep * T, S});
    auto out = at::matmul(probs, v); // [B, KV, rep * T, D]
    return out.view({B, H, T, D}).transpose(1, 2).reshape({B, T, H * D});
}

bool isSupportedActivation(const std::string& name) {
    return name == "silu" || name == "swish" || name == "gelu" || name == "gelu_new" ||
           name == "gelu_pytorch_tanh" || name == "gelu_fast" || name == "relu";
}

at::Tensor activation(const std::string& name, const at::Tensor& x) {
    if (name == "silu" || name == "swish")
        return at::silu(x);
    if (name == "gelu")
        return at::gelu(x);
    if (name == "gelu_new" || name == "gelu_pytorch_tanh" || name == "gelu_fast")
        return at::gelu(x, "tanh");
    if (name == "relu")
        return at::relu(x);
    throw Error("unsupported activation \"" + name +
                "\" (supported: silu, gelu, gelu_new, gelu_pytorch_tanh, relu)");
}

} // namespace taskquant::models
