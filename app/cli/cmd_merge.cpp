// `taskquant merge SHARD.json... --out OUT.json`: exact merge of the shards of one sharded run
// (`--shard i/N`, torchrun or Slurm): sensitivity maps of `fisher` (see mergeMaps() for what is
// checked), or frontiers of `frontier` (recognised by their format; see
// eval::mergeFrontierShards()). All shards must be of one kind.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>

#include "app/cli/command.h"
#include "core/eval/frontier.h"
#include "core/io/atomic_file.h"
#include "core/io/output_path.h"
#include "core/sensitivity/sensitivity_map.h"
#include "core/util/error.h"

namespace {

using namespace taskquant;

struct Options {
    std::vector<std::string> shards;
    std::string out;
};

// The shard as ordered JSON when it is a frontier (its "format"), else null.
std::unique_ptr<nlohmann::ordered_json> readFrontier(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path, "cannot be read");
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    if (size < 0 || size > (std::streamoff(256) << 20))
        throw Error(path, "not a shard (larger than 256 MiB)");
    in.seekg(0);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    auto j = nlohmann::ordered_json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("format") ||
        j["format"] != "taskquant-frontier")
        return nullptr;
    return std::make_unique<nlohmann::ordered_json>(std::move(j));
}

int run(const Options& o) {
    // Every output checked before any work (core/io/output_path.h).
    io::checkOutputs({{"--out", o.out}}, o.shards);
    std::vector<nlohmann::ordered_json> frontiers;
    std::vector<std::string> frontierNames;
    for (const auto& path : o.shards)
        if (auto f = readFrontier(path)) {
            frontiers.push_back(std::move(*f));
            frontierNames.push_back(path);
        }
    if (!frontiers.empty()) {
        if (frontiers.size() != o.shards.size())
            for (const auto& path : o.shards)
                if (std::find(frontierNames.begin(), frontierNames.end(), path) ==
                    frontierNames.end())
                    throw Error(path, "not a frontier shard, but " + frontierNames.front() +
                                          " is (merge shards of one kind)");
        const auto merged = eval::mergeFrontierShards(frontiers, frontierNames);
        io::writeFileAtomically(o.out, merged.dump(2) + "\n");
        std::size_t measured = 0;
        for (const auto& p : merged["points"])
            measured += p.value("measured", false) ? 1 : 0;
        std::printf("merged %zu frontier shards: %zu points, %zu measured\n", frontiers.size(),
                    merged["points"].size(), measured);
        std::printf("wrote %s\n", o.out.c_str());
        return 0;
    }
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
    "merge", "Merge the shards of one sharded run exactly (maps of fisher, frontiers)",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("SHARDS", o->shards, "Shard maps or frontiers (every shard i/N once)")
            ->required();
        app.add_option("--out", o->out, "Merged map or frontier to write")->required();
        return [o] { return run(*o); };
    }};

} // namespace
