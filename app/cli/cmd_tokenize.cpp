// taskquant tokenize MODEL (--text T | --file F) [--ids] [--no-special]: the ids a model's
// tokenizer gives a text, with the BOS / EOS it adds, so that tokenization can be checked
// against another implementation. Prints one "id<TAB>piece" line per token (the piece as the
// tokenizer file writes it, with control characters escaped as \n, \t, \r, \xNN and a
// backslash as \\), or with --ids the ids on one line separated by spaces.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>
#include <sys/stat.h>

#include "app/cli/command.h"
#include "core/tokenize/tokenizer.h"
#include "core/util/error.h"

namespace {

struct Options {
    std::string model, text, file;
    bool ids = false, noSpecial = false;
};

constexpr std::size_t kMaxFileBytes = std::size_t(256) << 20;

std::string readText(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw taskquant::Error(path, "no such file");
    if (!S_ISREG(st.st_mode))
        throw taskquant::Error(path, "not a regular file");
    if (static_cast<std::size_t>(st.st_size) > kMaxFileBytes)
        throw taskquant::Error(path, "larger than 256 MiB; tokenize a smaller part");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw taskquant::Error(path, "cannot be read");
    std::ostringstream s;
    s << in.rdbuf();
    if (in.bad())
        throw taskquant::Error(path, "read error");
    return s.str();
}

std::string escaped(const std::string& piece) {
    std::string out;
    for (unsigned char c : piece) {
        if (c == '\n')
            out += "\\n";
        else if (c == '\t')
            out += "\\t";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\\')
            out += "\\\\";
        else if (c < 0x20 || c == 0x7F) {
            static const char* hex = "0123456789abcdef";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else
            out += char(c);
    }
    return out;
}

int run(const Options& o) {
    using namespace taskquant;
    const std::string text = o.file.empty() ? o.text : readText(o.file);
    auto tok = tokenize::loadTokenizer(o.model);
    const std::vector<int32_t> ids = tok->encode(text, !o.noSpecial);
    if (o.ids) {
        std::string line;
        for (std::size_t i = 0; i < ids.size(); ++i)
            line += (i ? " " : "") + std::to_string(ids[i]);
        std::cout << line << "\n";
        return 0;
    }
    std::string out;
    for (int32_t id : ids)
        out += std::to_string(id) + "\t" + escaped(tok->tokenText(id)) + "\n";
    std::cout << out;
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "tokenize", "Show how a model's tokenizer encodes a text (ids and pieces, with BOS/EOS)",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("MODEL", o->model,
                       "Model directory, or a tokenizer.json / tokenizer.model file")
            ->required();
        auto* text = app.add_option("--text", o->text, "The text to tokenize");
        auto* file = app.add_option("--file", o->file, "Tokenize the contents of this file");
        text->excludes(file);
        file->excludes(text);
        app.add_flag("--ids", o->ids, "Print only the ids, on one line");
        app.add_flag("--no-special", o->noSpecial, "Do not add the BOS/EOS the model adds");
        app.callback([text, file] {
            if (text->count() + file->count() != 1)
                throw CLI::ValidationError("give exactly one of --text and --file");
        });
        return [o] { return run(*o); };
    }};

} // namespace
