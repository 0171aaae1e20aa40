#pragma once
// Progress on the terminal for long CLI jobs: a redrawn bar with done/total, rate and time left
// when stderr is a terminal, plain lines (every 10 %) otherwise. Also installs a SIGINT handler
// that cancels the job's token (a second Ctrl-C exits at once).
#include <chrono>
#include <string>

#include "core/jobs/progress.h"

namespace taskquant::cli {

class ProgressPrinter {
  public:
    explicit ProgressPrinter(std::string label, std::string unit = "samples");
    ~ProgressPrinter();
    // The JobControl to hand to the engine: reports here, cancels on Ctrl-C.
    JobControl control();
    // Extra units per second to show (e.g. tokens): the engine reports done samples; the caller
    // may set a token count per sample done.
    void setTokensPerUnit(double t) { tokensPerUnit_ = t; }
    void finish();

  private:
    void print(const ProgressInfo& p);
    std::string label_, unit_;
    bool tty_;
    int lastDecile_ = -1;
    double tokensPerUnit_ = 0;
    bool drew_ = false;
    std::chrono::steady_clock::time_point start_, lastDraw_;
    CancelToken cancel_;
};

} // namespace taskquant::cli
