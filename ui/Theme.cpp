#include "ui/Theme.h"

#include <QApplication>
#include <QFontDatabase>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleHints>

namespace duplex {

namespace {

Theme::Mode g_mode = Theme::Mode::System;
bool g_dark = false;
bool g_captured = false;
QPalette g_systemPalette;

bool systemPrefersDark()
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    const Qt::ColorScheme scheme = QGuiApplication::styleHints()->colorScheme();
    if (scheme != Qt::ColorScheme::Unknown)
        return scheme == Qt::ColorScheme::Dark;
#endif
    // Qt 6.4: the platform theme's palette tells; a dark window background means a dark desktop.
    return g_systemPalette.color(QPalette::Window).lightness() < 128;
}

QPalette lightPalette()
{
    QPalette p;
    const QColor window(0xf5, 0xf6, 0xf8);
    const QColor base(0xff, 0xff, 0xff);
    const QColor text(0x1f, 0x23, 0x28);
    const QColor highlight(0x25, 0x63, 0xeb);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0xf3, 0xf5, 0xf8));
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xf0));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8f, 0x98));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0xfb, 0xfb, 0xfc));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, Qt::white);
    p.setColor(QPalette::Midlight, QColor(0xe8, 0xea, 0xee));
    p.setColor(QPalette::Mid, QColor(0xc9, 0xcd, 0xd3));
    p.setColor(QPalette::Dark, QColor(0xa0, 0xa6, 0xaf));
    p.setColor(QPalette::Shadow, QColor(0x60, 0x66, 0x70));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, highlight);
    p.setColor(QPalette::LinkVisited, QColor(0x6f, 0x42, 0xc1));
    const QColor disabled(0xa0, 0xa5, 0xad);
    for (const auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Base, window);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0xb6, 0xbc, 0xc6));
    return p;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x1e, 0x20, 0x24);
    const QColor base(0x16, 0x18, 0x1b);
    const QColor text(0xe3, 0xe6, 0xea);
    const QColor highlight(0x3b, 0x82, 0xf6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x1c, 0x1f, 0x23));
    p.setColor(QPalette::ToolTipBase, QColor(0x2b, 0x2e, 0x33));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x7d, 0x84, 0x8e));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x2a, 0x2d, 0x32));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x3a, 0x3e, 0x45));
    p.setColor(QPalette::Midlight, QColor(0x32, 0x36, 0x3c));
    p.setColor(QPalette::Mid, QColor(0x26, 0x29, 0x2e));
    p.setColor(QPalette::Dark, QColor(0x12, 0x13, 0x16));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb3, 0x92, 0xf0));
    const QColor disabled(0x6b, 0x71, 0x7a);
    for (const auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Base, window);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x3a, 0x3e, 0x45));
    return p;
}

} // namespace

void Theme::apply(Mode mode)
{
    if (!g_captured) {
        g_systemPalette = QGuiApplication::palette();
        g_captured = true;
        if (QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion")))
            QApplication::setStyle(fusion);
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
        // Follow the desktop when it switches between light and dark while we run.
        QObject::connect(QGuiApplication::styleHints(), &QStyleHints::colorSchemeChanged, qApp, [] {
            if (g_mode == Theme::Mode::System)
                Theme::apply(Theme::Mode::System);
        });
#endif
    }
    g_mode = mode;
    g_dark = mode == Mode::Dark || (mode == Mode::System && systemPrefersDark());
    QApplication::setPalette(g_dark ? darkPalette() : lightPalette());
}

Theme::Mode Theme::mode()
{
    return g_mode;
}

bool Theme::isDark()
{
    return g_dark;
}

QString Theme::modeName(Mode mode)
{
    switch (mode) {
    case Mode::Light:
        return QStringLiteral("light");
    case Mode::Dark:
        return QStringLiteral("dark");
    case Mode::System:
        break;
    }
    return QStringLiteral("system");
}

Theme::Mode Theme::modeFromName(const QString &name)
{
    if (name == QLatin1String("light"))
        return Mode::Light;
    if (name == QLatin1String("dark"))
        return Mode::Dark;
    return Mode::System;
}

QColor Theme::errorColor()
{
    return g_dark ? QColor(0xf8, 0x71, 0x71) : QColor(0xc6, 0x28, 0x28);
}

QColor Theme::warningColor()
{
    return g_dark ? QColor(0xfb, 0xbf, 0x24) : QColor(0xb4, 0x53, 0x09);
}

QColor Theme::successColor()
{
    return g_dark ? QColor(0x4a, 0xde, 0x80) : QColor(0x15, 0x80, 0x3d);
}

QColor Theme::accentColor()
{
    return QGuiApplication::palette().color(QPalette::Highlight);
}

QColor Theme::mutedTextColor()
{
    return QGuiApplication::palette().color(QPalette::PlaceholderText);
}

QFont Theme::monospaceFont()
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setStyleHint(QFont::Monospace);
    return font;
}

} // namespace duplex
