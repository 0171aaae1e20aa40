#include "app/cli/progress_printer.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <unistd.h>

#include "core/io/atomic_file.h"
#include "core/jobs/cancel_point.h"
#include "core/jobs/forward_progress.h"

namespace taskquant::cli {

namespace {
CancelToken token;
std::atomic<int> interrupts{0};
std::atomic<int> firstSignal{0};
static_assert(std::atomic<int>::is_always_lock_free, "the handler needs lock-free atomics");
extern "C" void onInterrupt(int sig) {
    if (interrupts.fetch_add(1) > 0) {
        io::removeTemporariesNow();
        ::_exit(128 + sig);
    }
    firstSignal.store(sig);
    token.cancel();
}
std::string clock(double s) {
    if (!(s >= 0) || s > 1e7)
        return "--:--";
    char buf[32];
    const long t = static_cast<long>(s + 0.5);
    if (t >= 3600)
        std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
    else
        std::snprintf(buf, sizeof buf, "%02ld:%02ld", t / 60, t % 60);
    return buf;
}
} // namespace

ProgressPrinter::ProgressPrinter(std::string label, std::string unit)
    : label_(std::move(label)), unit_(std::move(unit)), tty_(::isatty(2) != 0),
      start_(std::chrono::steady_clock::now()) {}

ProgressPrinter::~ProgressPrinter() {
    finish();
}

JobControl ProgressPrinter::control() {
    return JobControl{forwardOnly([this](const ProgressInfo& p) { print(p); }), &token};
}

void installInterruptHandlers() {
    struct sigaction sa {};
    sa.sa_handler = onInterrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
    processCancel.store(&token);
}

const CancelToken& interruptToken() {
    return token;
}

int interruptSignal() {
    return firstSignal.load();
}

void ProgressPrinter::print(const ProgressInfo& p) {
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double left = p.fraction > 0 ? elapsed * (1.0 - p.fraction) / p.fraction : -1;
    // Counts belong to the stage named by the message (a nested job counts each stage in its
    // own units); without a message they are this command's units, with a rate.
    const bool staged = !p.message.empty();
    std::string counts;
    if (p.total > 0) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "%lld/%lld%s%s", p.done, p.total, staged ? "" : " ",
                      staged ? "" : unit_.c_str());
        counts = buf;
    }
    const std::string what = staged ? p.message + (counts.empty() ? "" : " " + counts) : counts;
    std::string rate;
    if (!staged && elapsed > 0 && p.done > 0) {
        char buf[64];
        if (tokensPerUnit_ > 0)
            std::snprintf(buf, sizeof buf, ", %.0f tokens/s", p.done * tokensPerUnit_ / elapsed);
        else
            std::snprintf(buf, sizeof buf, ", %.2f %s/s", p.done / elapsed, unit_.c_str());
        rate = buf;
    }
    if (tty_) {
        if (p.fraction < 1.0 && std::chrono::duration<double>(now - lastDraw_).count() < 0.1)
            return;
        lastDraw_ = now;
        const int width = 30, filled = static_cast<int>(p.fraction * width);
        std::string bar(filled, '#');
        bar.resize(width, '.');
        std::fprintf(stderr, "\r%s [%s] %3.0f%% %s%s, %s left   ", label_.c_str(), bar.c_str(),
                     100 * p.fraction, what.c_str(), rate.c_str(), clock(left).c_str());
        drew_ = true;
    } else {
        if (!pace_.due(p, elapsed))
            return;
        const std::string body = what.empty() ? std::string() : what + rate + ", ";
        std::fprintf(stderr, "%s: %3.0f%% (%s%s elapsed, %s left)\n", label_.c_str(),
                     100 * p.fraction, body.c_str(), clock(elapsed).c_str(), clock(left).c_str());
    }
    std::fflush(stderr);
}

void ProgressPrinter::finish() {
    if (drew_)
        std::fprintf(stderr, "\n");
    drew_ = false;
}

} // namespace taskquant::cli
