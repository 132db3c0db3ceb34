#pragma once

#include <QByteArray>
#include <QHash>
#include <QIconEngine>
#include <QPixmap>

namespace duplex {

// Draws one of the SVG icons of resources/icons at any size. Strokes and fills written as
// "currentColor" take the palette's text colour at paint time (disabled, selected and normal
// each their own), so the same file reads well on the light and the dark palette and follows a
// palette change without reloading anything.
class SvgIconEngine : public QIconEngine
{
public:
    explicit SvgIconEngine(QByteArray svg);

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override;
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override;
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state,
                         qreal scale) override;
    QIconEngine *clone() const override;
    QString key() const override;

    // The icon `name` (file name without .svg) from the resources; a null icon, with a warning,
    // when there is no such file. Made once per name and shared after, with the pixmaps drawn.
    static QIcon icon(const QString &name);

private:
    QByteArray m_svg;
    QHash<QString, QPixmap> m_cache;
};

} // namespace duplex
