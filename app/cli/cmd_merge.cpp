// `taskquant merge SHARD.json... --out MAP.json`: exact merge of the shard maps of one
// sharded run (`--shard i/N`, torchrun or Slurm); see mergeMaps() for what is checked.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "app/cli/command.h"
#include "core/io/output_path.h"
#include "core/sensitivity/sensitivity_map.h"

namespace {

using namespace taskquant;

struct Options {
    std::vector<std::string> shards;
    std::string out;
};

int run(const Options& o) {
    // Every output checked before any work (core/io/output_path.h).
    io::checkOutputs({{"--out", o.out}}, o.shards);
    std::vector<sensitivity::SensitivityMap> maps;
    for (const auto& path : o.shards)
        maps.push_back(sensitivity::SensitivityMap::readFile(path));
    const auto merged = sensitivity::mergeMaps(maps).withSource(o.out);
    merged.writeFile(o.out);
    const auto& p = merged.provenance();
    std::printf("merged %zu shards: %zu tensors, %lld samples (%lld skipped), %lld tokens\n",
                maps.size(), merged.size(), static_cast<long long>(p.samples),
                static_cast<long long>(p.skippedSamples), static_cast<long long>(p.tokens));
    std::printf("wrote %s\n", o.out.c_str());
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "merge", "Merge the shard maps of one sharded run exactly", [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("SHARDS", o->shards, "Shard maps (every shard i/N once)")->required();
        app.add_option("--out", o->out, "Merged map to write")->required();
        return [o] { return run(*o); };
    }};

} // namespace
