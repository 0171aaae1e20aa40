#include "app/studio/language.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

namespace taskquant::studio {

QString installTranslation(QApplication& app) {
    const QString setting = QSettings().value(QStringLiteral("ui/language")).toString();
    const QLocale locale = setting.isEmpty() ? QLocale::system() : QLocale(setting);
    auto* own = new QTranslator(&app);
    // taskquant_de.qm for German; every other language gets English (whose .qm only holds the
    // plural forms of the English source strings).
    if (!own->load(locale, QStringLiteral("taskquant"), QStringLiteral("_"),
                   QStringLiteral(":/i18n")) &&
        !own->load(QStringLiteral(":/i18n/taskquant_en.qm"))) {
        delete own;
        return QStringLiteral("en");
    }
    app.installTranslator(own);
    const QString language = own->language().left(2);
    if (language != QLatin1String("en")) {
        auto* qt = new QTranslator(&app); // Qt's own dialogs
        if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                     QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            app.installTranslator(qt);
        else
            delete qt;
    }
    return language.isEmpty() ? QStringLiteral("en") : language;
}

} // namespace taskquant::studio
