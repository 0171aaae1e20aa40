#pragma once
// Building blocks shared by the architectures, written to match transformers numerically:
// norms computed in fp32 and cast back, rotary tables computed in fp32, softmax in fp32.
// Pure functions of their inputs; thread-safe.
#include <ATen/ATen.h>
#include <string>

#include "core/models/model_config.h"

namespace taskquant::models {

// x * rsqrt(mean(x^2) + eps), in fp32, cast back to x's dtype. (Llama's RMSNorm without the
// weight; the caller multiplies.)
at::Tensor rmsNormalize(const at::Tensor& x, double eps);
// (x - mean) / sqrt(var + eps), in fp32, cast back (LayerNorm without the affine part).
at::Tensor layerNormalize(const at::Tensor& x, double eps);

// Inverse frequencies of the rotary embedding for `dim` rotary dimensions, including the
// config's rope scaling (linear or llama3). fp32, shape [dim / 2].
at::Tensor rotaryInverseFrequencies(const ModelConfig& c, int64_t dim);
// cos and sin tables for positions [B, T] (int64): each [B, T, dim], in `dtype`.
std::pair<at::Tensor, at::Tensor> rotaryTables(const at::Tensor& invFreq,
                                               const at::Tensor& positions, at::ScalarType dtype);
// Applies rotary embedding (transformers' rotate_half convention) to the first cos.size(-1)
// dimensions of x [B, H, T, D]; the remaining dimensions pass through (Phi's partial rotary).
at::Tensor applyRotary(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin);

// Scaled dot-product attention with grouped-query heads. q [B, H, T, D], k/v [B, KV, S, D],
// mask [B, 1, T, S] boolean (true = may attend). Softmax in fp32. Returns [B, T, H * D].
at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                     const at::Tensor& allowed);

// The activation named by hidden_act (silu, gelu, gelu_new, gelu_pytorch_tanh, relu);
// throws taskquant::Error for others.
at::Tensor activation(const std::string& name, const at::Tensor& x);
bool isSupportedActivation(const std::string& name);

} // namespace taskquant::models
