#pragma once
// AdamW (Loshchilov & Hutter, decoupled weight decay) over a list of leaf tensors, written
// directly on at::Tensor (the torch C++ frontend's optimizers need <torch/torch.h>).
// Update, per parameter p with gradient g at step t (1-based):
//   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
//   p -= lr * (wd * p + (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps))   (wd only if decayed)
// Moments are fp32 on the parameter's device. Not thread-safe; one optimizer per training loop.
#include <ATen/ATen.h>
#include <cstdint>
#include <vector>

namespace taskquant::demo {

struct AdamWOptions {
    double beta1 = 0.9, beta2 = 0.95, eps = 1e-8, weightDecay = 0.1;
};

class AdamW {
  public:
    // decay[i]: whether parameter i gets weight decay (matrices yes, norm weights no).
    AdamW(std::vector<at::Tensor> params, std::vector<bool> decay, AdamWOptions options = {});

    // Scales all gradients so that their global L2 norm is at most maxNorm (if > 0); returns the
    // norm before scaling. Missing gradients count as zero.
    double clipGradNorm(double maxNorm);
    // One update with learning rate lr. Parameters without a gradient are left unchanged.
    void step(double lr);
    int64_t steps() const { return t_; }

  private:
    std::vector<at::Tensor> params_, m_, v_;
    std::vector<bool> decay_;
    AdamWOptions o_;
    int64_t t_ = 0;
};

// Learning rate at `step` (0-based) of `total`: linear warm-up from 0 to peak over `warmup`
// steps, then a cosine from peak down to minLr at the last step.
double cosineLearningRate(int64_t step, int64_t total, int64_t warmup, double peak, double minLr);

} // namespace taskquant::demo
