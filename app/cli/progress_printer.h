#pragma once
// Progress on the terminal for long CLI jobs: a redrawn bar with done/total, rate and time left
// when stderr is a terminal, plain lines otherwise (at each 10 %, at a new stage, and at least
// once a minute: core/jobs/forward_progress.h's LogPace). Its JobControl cancels on the
// process's interrupt token (installInterruptHandlers).
#include <chrono>
#include <string>

#include "core/jobs/forward_progress.h"

namespace taskquant::cli {

// Installed by main before a command runs, for the whole command: SIGINT and SIGTERM alike
// cancel interruptToken() (also core's processCancel, which tokenizers check); a second one, at
// any instant, removes every registered temporary file and directory (core/io/atomic_file.h)
// and exits at once with 128 + the signal. So an interrupt leaves the old output or the
// complete new one, never a temporary.
void installInterruptHandlers();
const CancelToken& interruptToken();
// The first interrupting signal (SIGINT, SIGTERM), 0 when none came.
int interruptSignal();

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
    LogPace pace_;
    double tokensPerUnit_ = 0;
    bool drew_ = false;
    std::chrono::steady_clock::time_point start_, lastDraw_;
};

} // namespace taskquant::cli
