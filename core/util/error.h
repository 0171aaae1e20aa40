#pragma once
// One exception type for every failure the engine reports to a user. The message is
// complete and user-facing: "<file>: <problem>" when a file is involved.
#include <stdexcept>
#include <string>

namespace taskquant {

class Error : public std::runtime_error {
  public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
    Error(const std::string& file, const std::string& problem)
        : std::runtime_error(file + ": " + problem), file_(file) {}
    // The file the error is about, or empty.
    const std::string& file() const { return file_; }

  private:
    std::string file_;
};

// Thrown by long algorithms when their CancelToken was triggered.
class Cancelled : public Error {
  public:
    Cancelled() : Error("cancelled") {}
};

} // namespace taskquant
