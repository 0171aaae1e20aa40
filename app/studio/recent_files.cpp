#include "app/studio/recent_files.h"

#include <QFileInfo>
#include <QSettings>

namespace taskquant::studio {

namespace {
const QString kKey = QStringLiteral("recent/paths");
}

QStringList RecentFiles::paths() const {
    return QSettings().value(kKey).toStringList();
}

void RecentFiles::add(const QString& path) {
    const QString p = QFileInfo(path).absoluteFilePath();
    QStringList list = paths();
    list.removeAll(p);
    list.prepend(p);
    while (list.size() > limit_)
        list.removeLast();
    QSettings().setValue(kKey, list);
}

void RecentFiles::clear() {
    QSettings().remove(kKey);
}

} // namespace taskquant::studio
