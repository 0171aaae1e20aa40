#pragma once
// A whole untrusted text file read into memory under size limits and handed out line by line,
// each line checked for length and UTF-8 validity. Errors are taskquant::Error naming the file
// (and the 1-based line). Blocking file I/O; a TextFile is immutable after read().
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace taskquant::data {

struct ReadLimits {
    std::size_t maxFileBytes = std::size_t(1) << 30;  // 1 GiB
    std::size_t maxLineBytes = std::size_t(16) << 20; // 16 MiB
};

class TextFile {
  public:
    // Refuses missing, unreadable, non-regular and oversized files. Strips a UTF-8 BOM.
    static TextFile read(const std::string& path, const ReadLimits& limits = {});

    const std::string& path() const { return path_; }

    // Calls fn(lineNumber, line) for every line, without its "\n" (or "\r\n"). A final line
    // without a newline counts; an empty file has no lines. Throws Error("line N: ...") for a
    // line over the length limit or not valid UTF-8, before fn sees it.
    void forEachLine(const std::function<void(std::size_t, std::string_view)>& fn) const;

  private:
    std::string path_;
    std::string text_;
    std::size_t maxLineBytes_ = 0;
};

} // namespace taskquant::data
