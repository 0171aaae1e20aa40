#include "views/score_format.h"

#include <QLocale>
#include <cmath>

namespace taskquant::views {

QString formatScore(double v) {
    if (!std::isfinite(v))
        return QString::number(v);
    const double a = std::abs(v);
    const char format = (a != 0 && (a < 1e-3 || a >= 1e6)) ? 'e' : 'g';
    return QLocale().toString(v, format, format == 'e' ? 3 : 4);
}

QString formatCount(int64_t n) {
    const double a = std::abs(double(n));
    QLocale l;
    if (a < 1000)
        return l.toString(qlonglong(n));
    if (a < 1e6)
        return l.toString(n / 1e3, 'g', 3) + QStringLiteral(" K");
    if (a < 1e9)
        return l.toString(n / 1e6, 'g', 3) + QStringLiteral(" M");
    return l.toString(n / 1e9, 'g', 3) + QStringLiteral(" G");
}

QString formatBytes(uint64_t bytes) {
    QLocale l;
    if (bytes < 1024 * 1024)
        return l.toString(bytes / 1024.0, 'f', 1) + QStringLiteral(" KiB");
    if (bytes < 1024ull * 1024 * 1024)
        return l.toString(bytes / 1048576.0, 'f', 1) + QStringLiteral(" MiB");
    return l.toString(bytes / 1073741824.0, 'f', 2) + QStringLiteral(" GiB");
}

} // namespace taskquant::views
