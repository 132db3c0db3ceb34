#include "ui/StatsView.h"

#include "core/session/ConnectionSession.h"
#include "ui/SparklineWidget.h"
#include "ui/Theme.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QTimer>
#include <QVBoxLayout>

namespace duplex {

namespace {

QString bytesText(double bytes)
{
    const QLocale locale;
    return locale.formattedDataSize(qint64(bytes), 1, QLocale::DataSizeTraditionalFormat);
}

QString countText(quint64 n)
{
    return QLocale().toString(qulonglong(n));
}

QString duration(qint64 seconds)
{
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

} // namespace

StatsView::StatsView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(8);

    m_since = new QLabel(this);
    m_since->setObjectName(QStringLiteral("sinceLabel"));
    m_since->setToolTip(QStringLiteral("When the current connection opened, and for how long"));
    m_since->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_since);

    m_grid = new QGridLayout;
    m_grid->setHorizontalSpacing(14);
    m_grid->setVerticalSpacing(4);
    m_grid->setColumnStretch(1, 1);
    m_grid->setColumnStretch(2, 1);
    auto *inHeader = new QLabel(QStringLiteral("<b>In ↓</b>"), this);
    auto *outHeader = new QLabel(QStringLiteral("<b>Out ↑</b>"), this);
    m_grid->addWidget(inHeader, 0, 1);
    m_grid->addWidget(outHeader, 0, 2);
    layout->addLayout(m_grid);

    m_messages = addValue(QStringLiteral("messages"), QStringLiteral("Messages"),
                          QStringLiteral("Data messages (text and binary) over the whole session"));
    m_bytes =
        addValue(QStringLiteral("bytes"), QStringLiteral("Payload"),
                 QStringLiteral("Message payload bytes, after inflating compressed messages"));
    m_frames = addValue(QStringLiteral("frames"), QStringLiteral("Frames"),
                        QStringLiteral("Every frame, control frames included"));
    m_wire = addValue(
        QStringLiteral("wire"), QStringLiteral("On the wire"),
        QStringLiteral("Every byte through the socket, handshake and frame headers included"));
    m_rate = addValue(QStringLiteral("rate"), QStringLiteral("Rate"),
                      QStringLiteral("Messages and payload per second over the last second"));
    m_pings = addValue(QStringLiteral("pings"), QStringLiteral("Ping / pong"),
                       QStringLiteral("Pongs received and pings sent"));

    auto *rttTitle = new QLabel(QStringLiteral("<b>Ping round trip</b>"), this);
    layout->addWidget(rttTitle);
    m_sparkline = new SparklineWidget(this);
    m_sparkline->setObjectName(QStringLiteral("rttSparkline"));
    m_sparkline->setFormat(QStringLiteral("%1 ms"), 2);
    m_sparkline->setPlaceholderText(
        QStringLiteral("No pongs yet: set a ping interval or press Ping"));
    m_sparkline->setMinimumHeight(70);
    layout->addWidget(m_sparkline);
    m_rttSummary = new QLabel(this);
    m_rttSummary->setObjectName(QStringLiteral("rttSummary"));
    layout->addWidget(m_rttSummary);
    layout->addStretch(1);

    auto *timer = new QTimer(this);
    timer->setInterval(1000);
    timer->setTimerType(Qt::CoarseTimer);
    connect(timer, &QTimer::timeout, this, &StatsView::refresh);
    timer->start();
    refresh();
}

StatsView::ValueRow StatsView::addValue(const QString &name, const QString &label,
                                        const QString &tip)
{
    const int row = m_grid->rowCount();
    auto *title = new QLabel(label, this);
    title->setToolTip(tip);
    m_grid->addWidget(title, row, 0);
    ValueRow labels;
    for (int column = 1; column <= 2; ++column) {
        auto *value = new QLabel(this);
        value->setObjectName(QStringLiteral("%1%2").arg(
            name, column == 1 ? QStringLiteral("In") : QStringLiteral("Out")));
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setToolTip(tip);
        m_grid->addWidget(value, row, column);
        (column == 1 ? labels.in : labels.out) = value;
    }
    return labels;
}

QString StatsView::valueText(const QString &name) const
{
    const QLabel *label = findChild<QLabel *>(name);
    return label ? label->text() : QString();
}

void StatsView::setSession(const ConnectionSession *session)
{
    m_session = session;
    m_previous = session ? session->stats() : SessionStats {};
    m_sampleClock.start();
    refresh();
}

void StatsView::connectionOpened()
{
    m_open = true;
    m_openedAt = QDateTime::currentDateTime();
    draw();
}

void StatsView::connectionClosed()
{
    m_open = false;
    draw();
}

void StatsView::addRoundTrip(qint64 rttUs)
{
    const double ms = double(rttUs) / 1000.0;
    m_sparkline->addValue(ms);
    m_rttMin = m_rttCount == 0 ? ms : qMin(m_rttMin, ms);
    m_rttMax = m_rttCount == 0 ? ms : qMax(m_rttMax, ms);
    m_rttSum += ms;
    ++m_rttCount;
    m_rttSummary->setText(
        QStringLiteral("last %1 ms · min %2 · avg %3 · max %4 · %5 %6")
            .arg(ms, 0, 'f', 2)
            .arg(m_rttMin, 0, 'f', 2)
            .arg(m_rttSum / m_rttCount, 0, 'f', 2)
            .arg(m_rttMax, 0, 'f', 2)
            .arg(m_rttCount)
            .arg(m_rttCount == 1 ? QStringLiteral("sample") : QStringLiteral("samples")));
}

void StatsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    draw();
}

void StatsView::refresh()
{
    const SessionStats stats = m_session ? m_session->stats() : SessionStats {};
    const qint64 elapsedMs = m_sampleClock.isValid() ? m_sampleClock.restart() : 0;
    if (elapsedMs > 0) {
        const double seconds = double(elapsedMs) / 1000.0;
        const auto rate = [seconds](quint64 now, quint64 before) {
            return double(now - qMin(now, before)) / seconds;
        };
        m_rateIn = rate(stats.messagesIn, m_previous.messagesIn);
        m_rateOut = rate(stats.messagesOut, m_previous.messagesOut);
        m_byteRateIn = rate(stats.bytesIn, m_previous.bytesIn);
        m_byteRateOut = rate(stats.bytesOut, m_previous.bytesOut);
    } else {
        m_sampleClock.start();
    }
    m_previous = stats;
    // Sampling goes on for the rate; drawing only for what is seen.
    if (isVisible())
        draw();
}

void StatsView::draw()
{
    const SessionStats stats = m_session ? m_session->stats() : SessionStats {};
    const auto set = [](const ValueRow &row, const QString &in, const QString &out) {
        row.in->setText(in);
        row.out->setText(out);
    };
    if (m_open && m_openedAt.isValid()) {
        m_since->setText(QStringLiteral("Connected since <b>%1</b> · %2")
                             .arg(m_openedAt.time().toString(QStringLiteral("HH:mm:ss")),
                                  duration(m_openedAt.secsTo(QDateTime::currentDateTime()))));
    } else {
        m_since->setText(QStringLiteral("Not connected"));
    }
    set(m_messages, countText(stats.messagesIn), countText(stats.messagesOut));
    set(m_bytes, bytesText(double(stats.bytesIn)), bytesText(double(stats.bytesOut)));
    set(m_frames, countText(stats.framesIn), countText(stats.framesOut));
    set(m_wire, bytesText(double(stats.wireBytesIn)), bytesText(double(stats.wireBytesOut)));
    set(m_rate,
        QStringLiteral("%1 msg/s · %2/s")
            .arg(m_rateIn, 0, 'f', m_rateIn < 10 ? 1 : 0)
            .arg(bytesText(m_byteRateIn)),
        QStringLiteral("%1 msg/s · %2/s")
            .arg(m_rateOut, 0, 'f', m_rateOut < 10 ? 1 : 0)
            .arg(bytesText(m_byteRateOut)));
    const auto plural = [](quint64 n, const QString &word) {
        return QStringLiteral("%1 %2%3").arg(countText(n), word,
                                             n == 1 ? QString() : QStringLiteral("s"));
    };
    set(m_pings, plural(stats.pongsReceived, QStringLiteral("pong")),
        plural(stats.pingsSent, QStringLiteral("ping")));
}

} // namespace duplex
