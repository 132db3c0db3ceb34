#include "ui/SvgIconEngine.h"

#include "ui/Resources.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QPainter>
#include <QPalette>
#include <QSvgRenderer>

namespace duplex {

namespace {

QColor colorFor(QIcon::Mode mode)
{
    const QPalette palette = QGuiApplication::palette();
    switch (mode) {
    case QIcon::Disabled:
        return palette.color(QPalette::Disabled, QPalette::WindowText);
    case QIcon::Selected:
        return palette.color(QPalette::Active, QPalette::HighlightedText);
    case QIcon::Normal:
    case QIcon::Active:
        break;
    }
    return palette.color(QPalette::Active, QPalette::WindowText);
}

// The icons made so far, by name. Each is made once and then shared (QIcon is implicitly
// shared), so a view asking for an icon at every paint reuses the pixmaps its engine drew
// instead of parsing and drawing the SVG again. Sharing is safe across palette changes: the
// engine picks the colour at paint time and keys its pixmaps by size and colour.
QHash<QString, QIcon> &iconCache()
{
    static QHash<QString, QIcon> icons;
    return icons;
}

// Run as the application goes: the cached pixmaps must not outlive it.
void clearIconCache()
{
    iconCache().clear();
}

} // namespace

SvgIconEngine::SvgIconEngine(QByteArray svg)
    : m_svg(std::move(svg))
{ }

void SvgIconEngine::paint(QPainter *painter, const QRect &rect, QIcon::Mode mode,
                          QIcon::State state)
{
    const qreal scale = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    painter->drawPixmap(rect, scaledPixmap(rect.size(), mode, state, scale));
}

QPixmap SvgIconEngine::pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state)
{
    return scaledPixmap(size, mode, state, 1.0);
}

QPixmap SvgIconEngine::scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State, qreal scale)
{
    const QColor color = colorFor(mode);
    const QSize pixels = (QSizeF(size) * scale).toSize();
    const QString cacheKey = QStringLiteral("%1x%2-%3")
                                 .arg(pixels.width())
                                 .arg(pixels.height())
                                 .arg(color.rgba(), 0, 16);
    if (const auto it = m_cache.constFind(cacheKey); it != m_cache.constEnd())
        return *it;

    QByteArray svg = m_svg;
    svg.replace("currentColor", color.name(QColor::HexRgb).toLatin1());
    QSvgRenderer renderer(svg);
    QPixmap pixmap(pixels);
    pixmap.fill(Qt::transparent);
    if (renderer.isValid()) {
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        // Keep the drawing's aspect ratio inside the requested box.
        QSizeF drawn = renderer.defaultSize();
        drawn.scale(QSizeF(pixels), Qt::KeepAspectRatio);
        const QRectF target((pixels.width() - drawn.width()) / 2,
                            (pixels.height() - drawn.height()) / 2, drawn.width(), drawn.height());
        renderer.render(&painter, target);
    }
    pixmap.setDevicePixelRatio(scale);
    if (m_cache.size() > 32)
        m_cache.clear();
    m_cache.insert(cacheKey, pixmap);
    return pixmap;
}

QIconEngine *SvgIconEngine::clone() const
{
    return new SvgIconEngine(m_svg);
}

QString SvgIconEngine::key() const
{
    return QStringLiteral("DuplexSvgIconEngine");
}

QIcon SvgIconEngine::icon(const QString &name)
{
    QHash<QString, QIcon> &icons = iconCache();
    if (const auto it = icons.constFind(name); it != icons.constEnd())
        return *it;
    const QByteArray svg = Resources::read(QStringLiteral("icons/%1.svg").arg(name));
    if (svg.isEmpty()) {
        qWarning("No icon named %s in the resources", qPrintable(name));
        return {};
    }
    if (icons.isEmpty())
        qAddPostRoutine(clearIconCache);
    return *icons.insert(name, QIcon(new SvgIconEngine(svg)));
}

} // namespace duplex
