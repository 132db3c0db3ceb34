#pragma once

#include "core/session/SessionInfo.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QGridLayout;
class QLabel;
QT_END_NAMESPACE

namespace duplex {

class ConnectionSession;
class SparklineWidget;

// A tab's traffic at a glance: connected since, messages and bytes each way, the current rate,
// and the ping round-trip time over time. It samples the session's counters on a timer (about
// once a second), so its cost does not grow with the message rate.
class StatsView : public QWidget
{
    Q_OBJECT

public:
    explicit StatsView(QWidget *parent = nullptr);

    // Read the counters from this session from now on (null: stop).
    void setSession(const ConnectionSession *session);
    // The connection opened now / closed now.
    void connectionOpened();
    void connectionClosed();
    // A pong came back after `rttUs` microseconds.
    void addRoundTrip(qint64 rttUs);
    // Samples the counters now (the timer calls it; tests call it directly).
    void refresh();
    // Shows the latest sample.
    void draw();

    SparklineWidget *sparkline() const { return m_sparkline; }
    QString valueText(const QString &name) const;

protected:
    void showEvent(QShowEvent *event) override;

private:
    // The labels of one row of the grid, the value in and the value out.
    struct ValueRow
    {
        QLabel *in = nullptr;
        QLabel *out = nullptr;
    };
    ValueRow addValue(const QString &name, const QString &label, const QString &tip);

    const ConnectionSession *m_session = nullptr;
    QDateTime m_openedAt;
    bool m_open = false;
    SessionStats m_previous;
    QElapsedTimer m_sampleClock;
    double m_rateIn = 0;
    double m_rateOut = 0;
    double m_byteRateIn = 0;
    double m_byteRateOut = 0;
    QGridLayout *m_grid = nullptr;
    ValueRow m_messages;
    ValueRow m_bytes;
    ValueRow m_frames;
    ValueRow m_wire;
    ValueRow m_rate;
    ValueRow m_pings;
    SparklineWidget *m_sparkline = nullptr;
    QLabel *m_rttSummary = nullptr;
    QLabel *m_since = nullptr;
    double m_rttMin = -1;
    double m_rttMax = -1;
    double m_rttSum = 0;
    int m_rttCount = 0;
};

} // namespace duplex
