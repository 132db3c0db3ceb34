#pragma once

#include <QObject>

class QSocketNotifier;

namespace duplex::cli {

// Turns SIGINT and SIGTERM into a Qt signal delivered by the event loop (a signal handler may
// do next to nothing itself: it writes one byte to a pipe that a QSocketNotifier watches).
// Without POSIX signals it does nothing.
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void interrupted();

private:
    void onReadable();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace duplex::cli
