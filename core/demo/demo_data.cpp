#include "core/demo/demo_data.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/data/dataset_spec.h"
#include "core/data/synthetic_tasks.h"
#include "core/io/atomic_file.h"
#include "core/util/error.h"

namespace fs = std::filesystem;

namespace taskquant::demo {

std::vector<std::string> writeDemoData(const std::string& dir, uint64_t seed, std::size_t count) {
    if (count == 0)
        throw Error("demo data: the count must be positive");
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (!fs::is_directory(dir))
        throw Error(dir, "cannot create the output directory");
    std::vector<std::string> written;
    for (const auto& kind : data::demoTaskKinds()) {
        const auto problems = data::generateProblems(data::parseSyntheticTask(kind),
                                                     data::SyntheticSplit::Test, count, seed);
        std::string jsonl, text;
        for (const auto& p : problems) {
            const nlohmann::ordered_json j = {{"question", p.question},
                                              {"answer", p.solution},
                                              {"final", p.answer},
                                              {"kind", p.kind},
                                              {"text", p.text()}};
            jsonl += j.dump() + "\n";
            text += (text.empty() ? "" : "\n\n") + p.text();
        }
        text += "\n";
        const std::string base = (fs::path(dir) / (kind + ".test")).string();
        io::writeFileAtomically(base + ".jsonl", jsonl);
        io::writeFileAtomically(base + ".txt", text);
        written.push_back(base + ".jsonl");
        written.push_back(base + ".txt");
    }
    return written;
}

} // namespace taskquant::demo
