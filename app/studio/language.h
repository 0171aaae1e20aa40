#pragma once
// UI language: the system locale by default, overridden by the "ui/language" setting
// ("en", "de"; empty = system). Translations are compiled into the binary (:/i18n/*.qm).
class QApplication;
class QString;

namespace taskquant::studio {

// Loads and installs the translator for the chosen language; returns the language used.
QString installTranslation(QApplication& app);

} // namespace taskquant::studio
