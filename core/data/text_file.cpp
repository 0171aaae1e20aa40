#include "core/data/text_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sys/stat.h>

#include "core/util/error.h"
#include "core/util/utf8.h"

namespace taskquant::data {

namespace {
std::string mib(std::size_t bytes) {
    if (bytes % (std::size_t(1) << 20) == 0)
        return std::to_string(bytes >> 20) + " MiB";
    return std::to_string(bytes) + " bytes";
}
} // namespace

TextFile TextFile::read(const std::string& path, const ReadLimits& limits) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw Error(path, std::string("cannot open data file: ") + std::strerror(errno));
    if (S_ISDIR(st.st_mode))
        throw Error(path, "is a directory, expected a data file");
    if (!S_ISREG(st.st_mode))
        throw Error(path, "is not a regular file");
    if (static_cast<unsigned long long>(st.st_size) > limits.maxFileBytes)
        throw Error(path, "data file is too large (" + std::to_string(st.st_size) +
                              " bytes; the limit is " + mib(limits.maxFileBytes) + ")");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path, std::string("cannot open data file: ") + std::strerror(errno));
    TextFile f;
    f.path_ = path;
    f.maxLineBytes_ = limits.maxLineBytes;
    f.text_.resize(static_cast<std::size_t>(st.st_size));
    in.read(f.text_.data(), static_cast<std::streamsize>(f.text_.size()));
    if (static_cast<std::size_t>(in.gcount()) != f.text_.size())
        throw Error(path, "read failed (the file changed while it was read?)");
    if (f.text_.compare(0, 3, "\xEF\xBB\xBF") == 0)
        f.text_.erase(0, 3);
    return f;
}

void TextFile::forEachLine(const std::function<void(std::size_t, std::string_view)>& fn) const {
    const std::string_view all(text_);
    std::size_t start = 0, number = 0;
    while (start < all.size()) {
        std::size_t nl = all.find('\n', start);
        std::size_t end = nl == std::string_view::npos ? all.size() : nl;
        std::string_view line = all.substr(start, end - start);
        ++number;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        auto where = [number] { return "line " + std::to_string(number) + ": "; };
        if (line.size() > maxLineBytes_)
            throw Error(path_, where() + "line is too long (" + std::to_string(line.size()) +
                                   " bytes; the limit is " + mib(maxLineBytes_) + ")");
        std::size_t bad = 0;
        if (!utf8::isValid(line, &bad))
            throw Error(path_, where() + "invalid UTF-8 at byte " + std::to_string(bad + 1) +
                                   " of the line (the file must be UTF-8 text)");
        fn(number, line);
        if (nl == std::string_view::npos)
            break;
        start = nl + 1;
    }
}

} // namespace taskquant::data
