#pragma once

#include <QColor>
#include <QFont>
#include <QString>

QT_BEGIN_NAMESPACE
class QApplication;
QT_END_NAMESPACE

namespace duplex {

// The look of the application: the Fusion style with a light or a dark palette, following the
// system unless the user picked one, and the few colours the widgets share (errors, states).
class Theme
{
public:
    enum class Mode : quint8 { System, Light, Dark };

    // Applies the palette for `mode` (System: the desktop's colour scheme; on Qt 6.4, which
    // cannot ask for it, inferred from the palette the platform gave the application).
    static void apply(Mode mode);
    static Mode mode();
    static bool isDark();

    static QString modeName(Mode mode); // "system", "light", "dark"
    static Mode modeFromName(const QString &name);

    // Shared colours, readable on the current palette.
    static QColor errorColor();
    static QColor warningColor();
    static QColor successColor();
    static QColor accentColor();
    static QColor mutedTextColor();

    // The fixed-pitch font for payloads, hex and handshakes.
    static QFont monospaceFont();
};

} // namespace duplex
