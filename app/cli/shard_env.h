#pragma once
// Which shard this process computes: --shard i/N, else torchrun's RANK/WORLD_SIZE, else Slurm's
// SLURM_PROCID/SLURM_NTASKS (or SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT), else 0/1.
#include <string>

namespace taskquant::cli {

struct Shard {
    int index = 0, count = 1;
    std::string source; // "--shard", "torchrun", "slurm", "slurm array" or ""
};

Shard resolveShard(const std::string& flag); // throws Error on a malformed value
// Replaces "{shard}" in a path with the shard index (so one command line serves all ranks).
std::string shardPath(const std::string& path, const Shard& s);

} // namespace taskquant::cli
