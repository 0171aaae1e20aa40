#pragma once
// Export of a view to an image file chosen by suffix: .png (raster at 2x the logical size),
// .svg (QSvgGenerator) or .pdf (QPdfWriter, page sized to the view). QCustomPlot views draw
// through QCustomPlot's own vector path when the widget is a QCustomPlot.
// Two steps, so that only the drawing holds the GUI thread:
//  * renderPlot() draws the widget into memory (GUI thread): the raster image for .png, the
//    finished document for .svg / .pdf. Returns false with a user-facing message in *error
//    ("<path>: <problem>": unknown suffix, the drawing failed);
//  * writePlot() encodes a raster image as PNG and writes the file atomically
//    (core/io/atomic_file.h). Any thread; throws taskquant::Error naming the file.
#include <QByteArray>
#include <QImage>
#include <QString>

class QWidget;

namespace taskquant::views {

struct RenderedPlot {
    QImage image;     // .png: the raster, encoded by writePlot()
    QByteArray bytes; // .svg / .pdf: the document
};

bool renderPlot(QWidget* widget, const QString& path, RenderedPlot* out, QString* error);
void writePlot(const RenderedPlot& plot, const QString& path);
// "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"
QString plotExportFilter();

} // namespace taskquant::views
