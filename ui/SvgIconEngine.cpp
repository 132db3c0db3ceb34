#include "ui/SvgIconEngine.h"

#include "ui/Resources.h"

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
    static QHash<QString, QByteArray> sources;
    auto it = sources.find(name);
    if (it == sources.end()) {
        const QByteArray svg = Resources::read(QStringLiteral("icons/%1.svg").arg(name));
        if (svg.isEmpty()) {
            qWarning("No icon named %s in the resources", qPrintable(name));
            return {};
        }
        it = sources.insert(name, svg);
    }
    return QIcon(new SvgIconEngine(*it));
}

} // namespace duplex
