#include "ui/SparklineWidget.h"

#include "ui/Theme.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace duplex {

SparklineWidget::SparklineWidget(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void SparklineWidget::addValue(double value)
{
    m_values.push_back(value);
    while (int(m_values.size()) > Capacity)
        m_values.pop_front();
    setToolTip(QStringLiteral("Latest %1 over the last %2 samples")
                   .arg(formatted(value))
                   .arg(m_values.size()));
    update();
}

void SparklineWidget::clear()
{
    m_values.clear();
    setToolTip(QString());
    update();
}

void SparklineWidget::setFormat(const QString &format, int decimals)
{
    m_format = format;
    m_decimals = decimals;
    update();
}

void SparklineWidget::setPlaceholderText(const QString &text)
{
    m_placeholder = text;
    update();
}

QSize SparklineWidget::sizeHint() const
{
    return { 240, fontMetrics().height() * 4 };
}

QSize SparklineWidget::minimumSizeHint() const
{
    return { 120, fontMetrics().height() * 3 };
}

QString SparklineWidget::formatted(double value) const
{
    return m_format.arg(value, 0, 'f', m_decimals);
}

void SparklineWidget::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QRectF frame = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    painter.setPen(QPen(pal.color(QPalette::Mid), 1));
    painter.setBrush(pal.color(QPalette::Base));
    painter.drawRoundedRect(frame, 4, 4);

    const QFontMetrics metrics = fontMetrics();
    if (m_values.empty()) {
        painter.setPen(Theme::mutedTextColor());
        painter.drawText(rect(), Qt::AlignCenter, m_placeholder);
        return;
    }

    const auto [lowIt, highIt] = std::minmax_element(m_values.begin(), m_values.end());
    const double low = *lowIt;
    const double high = *highIt;
    const QString latest = formatted(m_values.back());
    const QString range = QStringLiteral("%1 – %2").arg(formatted(low), formatted(high));
    const int labelWidth =
        qMax(metrics.horizontalAdvance(latest), metrics.horizontalAdvance(range)) + 12;

    const QRectF plot = frame.adjusted(6, 6, -labelWidth, -6);
    if (plot.width() > 8) {
        const double span = high - low > 0 ? high - low : 1.0;
        const double step = plot.width() / double(Capacity - 1);
        const double startX = plot.right() - step * double(m_values.size() - 1);
        QPainterPath line;
        for (std::size_t i = 0; i < m_values.size(); ++i) {
            const double x = startX + step * double(i);
            const double y = plot.bottom() - (m_values[i] - low) / span * plot.height();
            if (i == 0)
                line.moveTo(x, y);
            else
                line.lineTo(x, y);
        }
        QPainterPath fill = line;
        fill.lineTo(plot.right(), plot.bottom());
        fill.lineTo(startX, plot.bottom());
        fill.closeSubpath();
        QColor accent = Theme::accentColor();
        QColor area = accent;
        area.setAlpha(40);
        painter.fillPath(fill, area);
        painter.setPen(QPen(accent, 1.6));
        painter.setBrush(Qt::NoBrush);
        painter.drawPath(line);
        const double lastY = plot.bottom() - (m_values.back() - low) / span * plot.height();
        painter.setBrush(accent);
        painter.drawEllipse(QPointF(plot.right(), lastY), 2.5, 2.5);
    }

    const QRectF labels(frame.right() - labelWidth + 4, frame.top() + 4, labelWidth - 8,
                        frame.height() - 8);
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(pal.color(QPalette::Text));
    painter.drawText(labels, Qt::AlignRight | Qt::AlignTop, latest);
    painter.setFont(font());
    painter.setPen(Theme::mutedTextColor());
    painter.drawText(labels, Qt::AlignRight | Qt::AlignBottom, range);
}

} // namespace duplex
