#include "app/studio/tour_capture.h"

#include <QApplication>
#include <QDir>
#include <QPixmap>
#include <QString>
#include <QThread>
#include <QWidget>
#include <cstdio>

namespace taskquant::studio {

void settleEvents() {
    for (int i = 0; i < 10; ++i) {
        QApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(20);
    }
}

bool savePixmap(const QPixmap& p, const QString& directory, const QString& name) {
    const QString path = QDir(directory).filePath(name);
    if (!p.save(path, "PNG")) {
        std::fprintf(stderr, "%s: cannot write the image\n", qPrintable(path));
        return false;
    }
    std::printf("%s\n", qPrintable(path));
    return true;
}

bool saveGrab(QWidget& w, const QString& directory, const QString& name) {
    settleEvents();
    return savePixmap(w.grab(), directory, name);
}

} // namespace taskquant::studio
