#pragma once
// Optimal mixed-precision allocation: each item (a quantizable weight) picks one option (a
// precision) to minimise sum_i cost[i][choice_i] subject to sum_i bytes[i][choice_i] <= budget.
// This is the multiple-choice knapsack problem; it is solved by dynamic programming over the
// budget in integer units:
//  * every item's cheapest option is taken as its base; the DP spends the rest of the budget
//    on upgrades (option bytes - base bytes);
//  * exact mode: the unit is the gcd of all upgrade sizes; when the remaining budget is at
//    most `maxUnits` units, the DP works on exact byte counts and its answer is optimal;
//  * otherwise the unit u = ceil(remaining / maxUnits) bytes, upgrade sizes are rounded UP to
//    whole units and the capacity DOWN, so the result never exceeds the true budget. It is
//    optimal among all assignments using at most budget - n*u bytes (n = items with more
//    than one option): rounding adds less than u per item. `slackBytes` reports n*u. Unused
//    true bytes are then spent greedily on the upgrades with the largest cost reduction that
//    still fit, which can only lower the objective.
// Ties between options of equal cost are broken towards the earlier option.
// Memory: one byte per item per unit of capacity (maxUnits defaults to what fits in
// memoryLimitBytes). Blocking; progress per item; a cancel throws taskquant::Cancelled.
#include <cstdint>
#include <string>
#include <vector>

#include "core/jobs/progress.h"

namespace taskquant::policy {

struct AllocationItem {
    std::string name;
    std::vector<uint64_t> bytes; // per option
    std::vector<double> cost;    // per option, finite >= 0; +infinity = option not allowed
};

struct AllocatorOptions {
    uint64_t maxUnits = 0;                   // 0 = from memoryLimitBytes, capped at 2^22
    uint64_t memoryLimitBytes = 64ull << 20; // for the choice table
};

struct Allocation {
    std::vector<int> choice; // option index per item
    double objective = 0;    // sum of the chosen costs
    uint64_t bytes = 0;      // sum of the chosen bytes (<= budget)
    bool exact = false;      // true: provably optimal
    uint64_t unitBytes = 1;  // DP unit
    uint64_t slackBytes = 0; // optimality bound when not exact (see above)
};

// Throws taskquant::Error when an item has no allowed option, the vectors differ in length,
// there are more than 255 options, or even the cheapest assignment exceeds the budget.
Allocation allocateOptimal(const std::vector<AllocationItem>& items, uint64_t budgetBytes,
                           const AllocatorOptions& options = {}, const JobControl& job = {});

} // namespace taskquant::policy
