#pragma once

#include <QDir>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace duplex {

class MainWindow;
class ConnectionTab;
class EnvironmentDialog;

// Drives the real window without a user, for `duplex --smoke` (start, show, report the title)
// and `duplex --screenshots DIR` (an echo round trip on the embedded server, then PNGs of the
// window at each stage). Each step runs an action and waits, by polling the event loop, until
// its condition holds or its time is up.
class WindowDriver : public QObject
{
    Q_OBJECT

public:
    explicit WindowDriver(MainWindow *window, QObject *parent = nullptr);

    // Waits for the window to be shown, prints "window title: <title>" and finishes with 0
    // when the title is "Duplex".
    void runSmoke();
    // Writes 01-echo-roundtrip.png ... into `directory` (created if needed), among them the
    // profiles sidebar, the environment editor and a HAR opened read-only.
    void runScreenshots(const QString &directory);

    QStringList writtenFiles() const { return m_written; }

Q_SIGNALS:
    void finished(int exitCode);

private:
    struct Step
    {
        QString name;
        std::function<void()> action;
        std::function<bool()> done;
        int timeoutMs = 10000;
    };

    void addStep(const QString &name, std::function<void()> action, std::function<bool()> done = {},
                 int timeoutMs = 10000);
    // A PNG of the window, or of `widget` (a dialog) when given.
    void addShot(const QString &fileName, std::function<QWidget *()> widget = {});
    void addProfileSteps();
    void start();
    void poll();
    void fail(const QString &message);
    ConnectionTab *firstTab() const;
    bool selectHistoryRow(ConnectionTab *tab, int opcode, bool incoming, int occurrence);
    qsizetype recordSize(ConnectionTab *tab) const;

    MainWindow *m_window;
    QList<Step> m_steps;
    qsizetype m_index = -1;
    bool m_started = false;
    QElapsedTimer m_stepClock;
    QTimer m_poll;
    QDir m_directory;
    QStringList m_written;
    qsizetype m_mark = 0;
    QPointer<EnvironmentDialog> m_environmentDialog;
};

} // namespace duplex
