#pragma once
// The forward observer every activation-energy producer shares: per observed linear weight W
// (y = x W^T), the sum over all positions of x_c^2 per input column, in float64 on the model's
// device, and the positions counted. `wanted` (by weight index) limits it to some weights;
// empty = every linear weight. Used by computeImatrix (imatrix.h: llama-imatrix's sums) and
// columnEnergy (activation_stats.h: their means on a task text); install it with
// models::ObserverScope. Not thread-safe (one forward pass at a time).
#include <ATen/ATen.h>
#include <cstdint>
#include <map>
#include <vector>

#include "core/models/causal_lm.h"

namespace taskquant::sensitivity {

class SquareSums : public models::ForwardObserver {
  public:
    std::map<int, at::Tensor> sums; // weight index -> float64 [in]
    std::map<int, int64_t> counts;  // weight index -> positions
    std::vector<bool> wanted;       // empty: all

    void linear(int w, int, const at::Tensor& x, const at::Tensor&) override {
        if (!wanted.empty() && (w < 0 || w >= int(wanted.size()) || !wanted[std::size_t(w)]))
            return;
        const int64_t in = x.size(-1);
        at::Tensor flat = x.detach().reshape({-1, in}).to(at::kDouble);
        at::Tensor s = flat.mul(flat).sum(0);
        auto it = sums.find(w);
        if (it == sums.end())
            sums.emplace(w, s);
        else
            it->second.add_(s);
        counts[w] += flat.size(0);
    }
};

} // namespace taskquant::sensitivity
