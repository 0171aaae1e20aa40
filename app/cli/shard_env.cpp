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
bool fromEnv(const char* indexVar, const char* countVar, Shard& s, const char* source) {
    const char* i = std::getenv(indexVar);
    const char* n = std::getenv(countVar);
    if (!i || !n) return false;
    if (!parseInt(i, s.index) || !parseInt(n, s.count) || s.count < 1 || s.index >= s.count)
        throw Error(std::string("invalid ") + indexVar + "=" + i + " / " + countVar + "=" + n);
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
    if (fromEnv("RANK", "WORLD_SIZE", s, "torchrun")) return s;
    if (fromEnv("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", s, "slurm array")) return s;
    if (fromEnv("SLURM_PROCID", "SLURM_NTASKS", s, "slurm")) return s;
    return s;
}

std::string shardPath(const std::string& path, const Shard& s) {
    auto pos = path.find("{shard}");
    if (pos == std::string::npos) return path;
    return path.substr(0, pos) + std::to_string(s.index) + path.substr(pos + 7);
}

} // namespace taskquant::cli
