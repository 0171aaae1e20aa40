#pragma once
// Number formatting shared by tooltips, tables and plot labels: scores with 4 significant
// digits (scientific when very large or small), parameter counts with K/M/G suffixes, byte
// sizes in MB/GB. Locale-aware through QLocale(); thread-safe.
#include <QString>
#include <cstdint>

namespace taskquant::views {

QString formatScore(double v);
QString formatCount(int64_t n); // "0" .. "999", "12.3 K", "2.62 M", "1.2 G"
QString formatBytes(uint64_t bytes);

} // namespace taskquant::views
