#include "views/plot_export.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>
#include <QPixmap>
#include <QSvgGenerator>
#include <QWidget>
#include <qcustomplot.h>

namespace taskquant::views {
QString plotExportFilter() {
    return QCoreApplication::translate("PlotExport", "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)");
}

bool exportWidget(QWidget* widget, const QString& path, QString* error) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QSize size = widget->size();
    auto fail = [&](const QString& why) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, why);
        return false;
    };
    if (suffix == QLatin1String("png")) {
        if (auto* plot = qobject_cast<QCustomPlot*>(widget))
            return plot->savePng(path, size.width(), size.height(), 2.0)
                       ? true
                       : fail(QCoreApplication::translate("PlotExport", "cannot write the image"));
        QPixmap pm(size * 2);
        pm.setDevicePixelRatio(2.0);
        pm.fill(widget->palette().color(QPalette::Window));
        widget->render(&pm);
        return pm.save(path, "PNG") ? true : fail(QCoreApplication::translate("PlotExport", "cannot write the image"));
    }
    if (suffix == QLatin1String("pdf")) {
        if (auto* plot = qobject_cast<QCustomPlot*>(widget))
            return plot->savePdf(path, size.width(), size.height())
                       ? true
                       : fail(QCoreApplication::translate("PlotExport", "cannot write the PDF"));
        QPdfWriter pdf(path);
        pdf.setResolution(96);
        pdf.setPageSize(QPageSize(QSizeF(size), QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        QPainter p;
        if (!p.begin(&pdf))
            return fail(QCoreApplication::translate("PlotExport", "cannot write the PDF"));
        widget->render(&p);
        p.end();
        return QFileInfo::exists(path) ? true : fail(QCoreApplication::translate("PlotExport", "cannot write the PDF"));
    }
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setTitle(widget->windowTitle());
        if (auto* plot = qobject_cast<QCustomPlot*>(widget)) {
            QCPPainter painter;
            if (!painter.begin(&svg))
                return fail(QCoreApplication::translate("PlotExport", "cannot write the SVG"));
            plot->toPainter(&painter, size.width(), size.height());
            painter.end();
        } else {
            QPainter p;
            if (!p.begin(&svg))
                return fail(QCoreApplication::translate("PlotExport", "cannot write the SVG"));
            widget->render(&p);
            p.end();
        }
        return QFileInfo::exists(path) ? true : fail(QCoreApplication::translate("PlotExport", "cannot write the SVG"));
    }
    return fail(QCoreApplication::translate("PlotExport", "unknown image type (use .png, .svg or .pdf)"));
}

} // namespace taskquant::views
