#include "core/export/model_card.h"

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

#include "core/io/atomic_file.h"
#include "core/io/gguf_reader.h"
#include "core/io/json_file.h"
#include "core/util/error.h"

namespace fs = std::filesystem;

namespace taskquant::exporting {
namespace {

std::string fmt(double v, const char* f = "%.6g") {
    char b[64];
    std::snprintf(b, sizeof b, f, v);
    return b;
}

std::string fileName(const std::string& p) {
    return fs::path(p).filename().string();
}

// Markdown table cell: no pipes or newlines.
std::string cell(std::string s) {
    for (char& c : s)
        if (c == '|' || c == '\n' || c == '\r')
            c = ' ';
    return s;
}

std::string shellArg(const std::string& s) {
    if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789-_./:=+@%") == std::string::npos)
        return s;
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

} // namespace

std::string yamlScalar(const std::string& s) {
    bool plain = !s.empty() && s.find_first_of(":#{}[],&*!|>'\"%@`\\\n\r\t") == std::string::npos &&
                 s.front() != ' ' && s.back() != ' ' && s.front() != '-' && s.front() != '?';
    static const char* reserved[] = {"true", "false", "yes", "no", "null", "on", "off", "~"};
    for (const char* r : reserved)
        if (s == r)
            plain = false;
    if (plain && s.find_first_not_of("0123456789.+-eE") == std::string::npos)
        plain = false; // would read as a number
    if (plain)
        return s;
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\')
            out += '\\', out += char(c);
        else if (c == '\n')
            out += "\\n";
        else if (c == '\t')
            out += "\\t";
        else if (c < 0x20) {
            char b[8];
            std::snprintf(b, sizeof b, "\\x%02x", unsigned(c));
            out += b;
        } else
            out += char(c);
    }
    return out + "\"";
}

std::string modelCardText(const ModelCardInput& in, const std::string& figureLink) {
    const GgufStory& s = in.story;
    const auto gguf = io::GgufFile::open(in.ggufPath);
    const std::string base =
        s.baseModel.empty() ? fs::path(in.modelDir).filename().string() : s.baseModel;
    std::ostringstream o;
    o << "---\n";
    o << "base_model: " << yamlScalar(base) << "\n";
    o << "tags:\n- gguf\n- taskquant\n";
    o << "quantized_by: " << yamlScalar(s.quantizedBy.empty() ? "TaskQuant Studio" : s.quantizedBy)
      << "\n";
    o << "pipeline_tag: text-generation\n";
    o << "---\n\n";
    o << "# " << fileName(in.ggufPath) << "\n\n";
    o << "A GGUF of **" << base << "** quantized by TaskQuant Studio"
      << (s.toolVersion.empty() ? "" : " " + s.toolVersion)
      << " with a task-aware mixed-precision policy: each weight matrix gets the type its measured"
         " sensitivity on the calibration task earns within the size budget. Its tensors are"
         " byte-identical to what llama.cpp's `llama-quantize` writes for the same choices"
      << (s.llamaCppCommit.empty() ? "" : " (llama.cpp " + s.llamaCppCommit.substr(0, 7) + ")")
      << "; the file loads in llama.cpp and tools built on it. The file carries this story in"
         " its metadata (`taskquant.*`, `quantize.imatrix.*`): `taskquant info "
      << fileName(in.ggufPath) << "` prints it.\n\n";

    o << "## Task and budget\n\n| | |\n|---|---|\n";
    auto row = [&](const std::string& k, const std::string& v) {
        if (!v.empty())
            o << "| " << k << " | " << cell(v) << " |\n";
    };
    std::string task = s.taskDataset.empty() ? "not recorded" : s.taskDataset;
    if (s.taskSamples)
        task += ", " + std::to_string(*s.taskSamples) + " samples";
    if (s.taskTokens)
        task += ", " + std::to_string(*s.taskTokens) + " tokens";
    row("calibration task", task);
    row("task hash", s.taskHash);
    std::string map = s.mapFile.empty() ? std::string() : "`" + fileName(s.mapFile) + "`";
    if (!s.mapMethod.empty())
        map += (map.empty() ? "" : " ") + std::string("(") + s.mapMethod + ")";
    row("sensitivity map", map);
    row("map fingerprint", s.mapFingerprint);
    row("policy method", s.policyMethod);
    if (s.policy)
        row("default type", s.policy->defaultPrecision.name());
    std::string budget;
    if (s.budgetBitsPerWeight)
        budget = fmt(*s.budgetBitsPerWeight) + " bits per weight";
    if (s.budgetBytes)
        budget += (budget.empty() ? "" : ", ") + std::to_string(*s.budgetBytes) + " bytes";
    row("budget", budget.empty() ? "not recorded" : budget);
    row("file size", std::to_string(gguf->fileSize()) + " bytes");
    if (s.predictedKld)
        row("predicted KLD", fmt(*s.predictedKld));
    if (s.measuredKld)
        row("measured KLD",
            fmt(*s.measuredKld) + (s.measuredText.empty() ? "" : " on " + s.measuredText));
    if (s.measuredPpl)
        row("measured perplexity",
            fmt(*s.measuredPpl) + (s.measuredText.empty() ? "" : " on " + s.measuredText));
    if (!in.imatrixPath.empty())
        row("importance matrix", "`" + fileName(in.imatrixPath) + "`" +
                                     (s.imatrixDataset.empty() ? "" : " on " + s.imatrixDataset));
    o << "\n";

    o << "## Tensor types\n\n| tensor | type | shape | bytes |\n|---|---|---|---:|\n";
    std::map<std::string, unsigned long long> byType;
    for (const auto& t : gguf->tensors()) {
        std::string shape;
        for (auto d : t.shape)
            shape += (shape.empty() ? "" : " x ") + std::to_string(d);
        const std::string type = io::ggmlTypeName(t.type);
        byType[type] += t.nbytes;
        o << "| " << cell(t.name) << " | " << type << " | " << shape << " | " << t.nbytes << " |\n";
    }
    o << "\nBytes by type:";
    for (const auto& [type, bytes] : byType)
        o << " " << type << " " << bytes << ";";
    o << "\n\n";

    o << "## Size-quality frontier\n\n";
    if (!figureLink.empty())
        o << "![size-quality frontier](" << figureLink << ")\n\n";
    else
        o << "No frontier figure was given (make one with `taskquant frontier ... --plot "
             "frontier.png` and export with `--frontier-figure frontier.png`).\n\n";

    o << "## Task metrics\n\n";
    if (!in.evalReport.empty()) {
        const nlohmann::json r = io::readJsonFile(in.evalReport);
        o << "On " << cell(r.value("text", std::string("the evaluation text")))
          << " (`taskquant eval`, windows as llama-perplexity cuts them):\n\n"
          << "| variant | bits per weight | PPL | KLD | same top-1 |\n|---|---:|---:|---:|---:|\n";
        if (r.contains("rows") && r["rows"].is_array())
            for (const auto& x : r["rows"]) {
                if (!x.is_object())
                    continue;
                const auto m = x.value("metrics", nlohmann::json::object());
                auto num = [](const nlohmann::json& j, const char* k) {
                    return j.contains(k) && j[k].is_number() ? fmt(j[k].get<double>(), "%.4g")
                                                             : std::string("-");
                };
                o << "| " << cell(x.value("name", std::string("?"))) << " | "
                  << num(x, "average_bits") << " | " << num(m, "ppl") << " | " << num(m, "kld_mean")
                  << " | " << num(m, "same_top1") << " |\n";
            }
        o << "\n";
    } else {
        o << "No evaluation report was given (`taskquant eval ... --report eval.json`, then "
             "export with `--eval eval.json`).\n\n";
    }

    // llama-quantize's base type: every matrix is in the tensor-type file, so it sets only
    // general.file_type; the policy's default type keeps that equal to ours.
    std::string baseType = "Q8_0";
    if (s.policy && s.policy->defaultPrecision.isGgufBlock()) {
        baseType = s.policy->defaultPrecision.name();
        for (char& c : baseType)
            c = char(std::toupper(static_cast<unsigned char>(c)));
    }
    o << "## Reproduce\n\nWith the TaskQuant CLI, from this file's own policy:\n\n```sh\n"
      << "taskquant export " << shellArg(in.modelDir) << " --policy-from "
      << shellArg(fileName(in.ggufPath)) << " --format gguf --out "
      << shellArg(fileName(in.ggufPath))
      << (in.imatrixPath.empty() ? "" : " --imatrix " + shellArg(fileName(in.imatrixPath)))
      << "\n```\n\nWith llama.cpp's own tools (same tensor bytes):\n\n```sh\n"
      << "taskquant export " << shellArg(in.modelDir) << " --policy-from "
      << shellArg(fileName(in.ggufPath)) << " --format tensor-types --out types.txt\n"
      << "taskquant export " << shellArg(in.modelDir)
      << " --type f32 --format gguf --out model-f32.gguf\n"
      << "llama-quantize"
      << (in.imatrixPath.empty() ? "" : " --imatrix " + shellArg(fileName(in.imatrixPath)))
      << " --tensor-type-file types.txt model-f32.gguf out.gguf " << baseType << "\n```\n";
    return o.str();
}

void writeModelCard(const std::string& path, const ModelCardInput& in) {
    std::string link;
    if (!in.frontierFigure.empty()) {
        const fs::path fig(in.frontierFigure);
        const fs::path dir = fs::path(path).parent_path();
        const fs::path dest = dir / fig.filename();
        std::error_code ec;
        if (!fs::equivalent(fig, dest, ec))
            io::writeFileAtomically(dest.string(), io::readFile(fig.string(), 64u << 20));
        link = fig.filename().string();
    }
    io::writeFileAtomically(path, modelCardText(in, link));
}

} // namespace taskquant::exporting
