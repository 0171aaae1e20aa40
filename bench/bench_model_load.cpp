// Peak resident memory of loading a model, against the size of its weights in the target dtype.
// Usage: bench_model_load [MODEL_DIR]   (default: a generated ~100 MB Llama model)
// Each load runs in a fresh child process so its peak is its own.
#include <ATen/ATen.h>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/models/model_loader.h"
#include "core/models/synthetic_model.h"

using namespace taskquant;

static long residentKb() {
    std::ifstream statm("/proc/self/statm");
    long size = 0, resident = 0;
    statm >> size >> resident;
    return resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

int main(int argc, char** argv) {
    std::string dir;
    char tmpl[] = "/tmp/tq-bench-load-XXXXXX";
    if (argc > 1) {
        dir = argv[1];
    } else {
        dir = std::string(::mkdtemp(tmpl)) + "/model";
        models::SyntheticSpec s;
        s.preset = "llama";
        s.hiddenSize = 512;
        s.numLayers = 8;
        s.numHeads = 8;
        s.bpeMerges = 2000;
        models::writeSyntheticModel(dir, s);
    }
    std::printf("model: %s\n", dir.c_str());
    std::printf("%-6s %14s %14s %14s %8s %8s\n", "dtype", "weights MB", "peak delta MB",
                "after load MB", "peak/w", "load s");
    for (const char* dtype : {"fp32", "bf16"}) {
        int fd[2];
        if (::pipe(fd) != 0)
            return 1;
        pid_t pid = ::fork();
        if (pid == 0) {
            ::close(fd[0]);
            at::empty({1}); // initialise libtorch before measuring the baseline
            const long base = residentKb();
            auto t0 = std::chrono::steady_clock::now();
            auto model = models::loadModel(dir, {"cpu", dtype});
            const double secs =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            struct rusage ru {};
            ::getrusage(RUSAGE_SELF, &ru);
            double weights = 0;
            for (const auto& p : model->parameters())
                weights += double(p.tensor.numel()) * p.tensor.element_size();
            char line[256];
            const double peak = double(ru.ru_maxrss - base) / 1024.0, w = weights / 1048576.0;
            std::snprintf(line, sizeof line, "%-6s %14.1f %14.1f %14.1f %8.2f %8.2f\n", dtype, w,
                          peak, double(residentKb() - base) / 1024.0, peak / w, secs);
            (void)!::write(fd[1], line, std::string(line).size());
            ::_exit(0);
        }
        ::close(fd[1]);
        char buf[512] = {0};
        (void)!::read(fd[0], buf, sizeof buf - 1);
        ::close(fd[0]);
        int status = 0;
        ::waitpid(pid, &status, 0);
        std::fputs(buf, stdout);
    }
    return 0;
}
