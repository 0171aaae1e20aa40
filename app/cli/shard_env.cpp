#include "app/cli/shard_env.h"

#include <cstdlib>

#include "core/util/error.h"

namespace taskquant::cli {

namespace {
bool parseInt(const std::string& s, int& out) {
    if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos)
        return false;
    out = std::stoi(s);
    return true;
}
// slurmArray: the index is taken relative to SLURM_ARRAY_TASK_MIN, so --array=1-4 works too
// (arrays with a step are not supported; pass --shard i/N there).
bool fromEnv(const char* indexVar, const char* countVar, Shard& s, const char* source,
             bool slurmArray = false) {
    const char* i = std::getenv(indexVar);
    const char* n = std::getenv(countVar);
    if (!i || !n)
        return false;
    int first = 0;
    const char* min = slurmArray ? std::getenv("SLURM_ARRAY_TASK_MIN") : nullptr;
    if (min && !parseInt(min, first))
        throw Error(std::string("invalid SLURM_ARRAY_TASK_MIN=") + min);
    if (!parseInt(i, s.index) || !parseInt(n, s.count) || s.count < 1 || s.index < first ||
        s.index - first >= s.count)
        throw Error(std::string("invalid ") + indexVar + "=" + i + " / " + countVar + "=" + n +
                    (min ? std::string(" / SLURM_ARRAY_TASK_MIN=") + min : std::string()) +
                    " (expected a shard index from 0 to N-1; pass --shard i/N)");
    s.index -= first;
    s.source = source;
    return true;
}
} // namespace

Shard resolveShard(const std::string& flag) {
    Shard s;
    if (!flag.empty()) {
        auto slash = flag.find('/');
        if (slash == std::string::npos || !parseInt(flag.substr(0, slash), s.index) ||
            !parseInt(flag.substr(slash + 1), s.count) || s.count < 1 || s.index >= s.count)
            throw Error("invalid --shard \"" + flag + "\" (expected i/N with 0 <= i < N)");
        s.source = "--shard";
        return s;
    }
    if (fromEnv("RANK", "WORLD_SIZE", s, "torchrun"))
        return s;
    if (fromEnv("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", s, "slurm array", true))
        return s;
    if (fromEnv("SLURM_PROCID", "SLURM_NTASKS", s, "slurm"))
        return s;
    return s;
}

std::string shardPath(const std::string& path, const Shard& s) {
    auto pos = path.find("{shard}");
    if (pos == std::string::npos)
        return path;
    return path.substr(0, pos) + std::to_string(s.index) + path.substr(pos + 7);
}

} // namespace taskquant::cli
