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
    if (locale.language() == QLocale::English || locale.language() == QLocale::C)
        return QStringLiteral("en");
    auto* own = new QTranslator(&app);
    if (own->load(locale, QStringLiteral("taskquant"), QStringLiteral("_"),
                  QStringLiteral(":/i18n"))) {
        app.installTranslator(own);
        auto* qt = new QTranslator(&app); // Qt's own dialogs
        if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                     QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            app.installTranslator(qt);
        return locale.name().left(2);
    }
    delete own;
    return QStringLiteral("en");
}

} // namespace taskquant::studio
