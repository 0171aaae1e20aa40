#pragma once
// Export of a view to an image file chosen by suffix: .png (raster at 2x the logical size),
// .svg (QSvgGenerator) or .pdf (QPdfWriter, page sized to the view). QCustomPlot views draw
// through QCustomPlot's own vector path when the widget is a QCustomPlot. Returns false with
// a user-facing message in *error on failure (unknown suffix, unwritable file). GUI thread.
#include <QString>

class QWidget;

namespace taskquant::views {

bool exportWidget(QWidget* widget, const QString& path, QString* error);
// "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"
QString plotExportFilter();

} // namespace taskquant::views
