#include "views/plot_export.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>
#include <QPixmap>
#include <QSvgGenerator>
#include <QWidget>
#include <qcustomplot.h>

#include "core/io/atomic_file.h"
#include "core/util/error.h"

namespace taskquant::views {
QString plotExportFilter() {
    return QCoreApplication::translate(
        "PlotExport", "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)");
}

bool renderPlot(QWidget* widget, const QString& path, RenderedPlot* out, QString* error) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QSize size = widget->size();
    auto fail = [&](const QString& why) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, why);
        return false;
    };
    *out = RenderedPlot();
    if (suffix == QLatin1String("png")) {
        if (auto* plot = qobject_cast<QCustomPlot*>(widget)) {
            out->image = plot->toPixmap(size.width(), size.height(), 2.0).toImage();
            // As QCustomPlot::savePng records it: 96 dots per inch.
            out->image.setDotsPerMeterX(int(96 / 0.0254));
            out->image.setDotsPerMeterY(int(96 / 0.0254));
        } else {
            QPixmap pm(size * 2);
            pm.setDevicePixelRatio(2.0);
            pm.fill(widget->palette().color(QPalette::Window));
            widget->render(&pm);
            out->image = pm.toImage();
        }
        return !out->image.isNull()
                   ? true
                   : fail(QCoreApplication::translate("PlotExport", "cannot write the image"));
    }
    QBuffer buffer(&out->bytes);
    buffer.open(QIODevice::WriteOnly);
    if (suffix == QLatin1String("pdf")) {
        QPdfWriter pdf(&buffer);
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        if (auto* plot = qobject_cast<QCustomPlot*>(widget)) {
            // As QCustomPlot::savePdf: the page is the plot's size in points, drawn vectorised.
            pdf.setPageSize(
                QPageSize(QSizeF(size), QPageSize::Point, QString(), QPageSize::ExactMatch));
            QCPPainter painter;
            if (!painter.begin(&pdf))
                return fail(QCoreApplication::translate("PlotExport", "cannot write the PDF"));
            painter.setMode(QCPPainter::pmVectorized);
            painter.setWindow(QRect(QPoint(0, 0), size));
            plot->toPainter(&painter, size.width(), size.height());
            painter.end();
        } else {
            pdf.setResolution(96);
            pdf.setPageSize(QPageSize(QSizeF(size), QPageSize::Point));
            QPainter p;
            if (!p.begin(&pdf))
                return fail(QCoreApplication::translate("PlotExport", "cannot write the PDF"));
            widget->render(&p);
            p.end();
        }
        return !out->bytes.isEmpty()
                   ? true
                   : fail(QCoreApplication::translate("PlotExport", "cannot write the PDF"));
    }
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
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
        return !out->bytes.isEmpty()
                   ? true
                   : fail(QCoreApplication::translate("PlotExport", "cannot write the SVG"));
    }
    return fail(
        QCoreApplication::translate("PlotExport", "unknown image type (use .png, .svg or .pdf)"));
}

void writePlot(const RenderedPlot& plot, const QString& path) {
    QByteArray bytes = plot.bytes;
    if (!plot.image.isNull()) {
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        if (!plot.image.save(&buffer, "PNG"))
            throw taskquant::Error(
                path.toStdString(),
                QCoreApplication::translate("PlotExport", "cannot write the image").toStdString());
    }
    io::writeFileAtomically(path.toStdString(), bytes.toStdString());
}

} // namespace taskquant::views
