#pragma once

#include "app/cli/CommandLine.h"
#include "app/cli/ExitCode.h"
#include "app/cli/HarRecorder.h"
#include "core/session/ConnectionSession.h"
#include "core/session/FrameJsonLines.h"
#include "core/session/SessionObserver.h"

#include <QObject>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace duplex::cli {

// Runs one duplex-cli session: opens it, sends, echoes and counts, prints what arrives (or
// every frame and event with --frames) and ends with the exit code the contract names.
class CliRunner : public QObject, private SessionObserver
{
    Q_OBJECT
public:
    explicit CliRunner(const CliOptions &options, QObject *parent = nullptr);
    ~CliRunner() override;

    // Opens the session; finished() follows, once.
    void start();
    // Ctrl-C or SIGTERM: close politely the first time, drop the connection the second.
    void interrupt();

    ConnectionSession &session() { return m_session; }

Q_SIGNALS:
    void finished(int exitCode);

private:
    // SessionObserver
    void frameRecorded(const FrameView &frame, qsizetype index) override;
    void eventRecorded(SessionEventKind kind, QByteArrayView json, qsizetype index) override;
    void textReceived(QByteArrayView utf8, bool compressed) override;
    void binaryReceived(QByteArrayView data, bool compressed) override;

    void onOpened(quint16 generation);
    void onClosed(const CloseInfo &info, quint16 generation);
    void onError(SessionError error, const QString &message, quint16 generation);
    void onWarning(const QString &message, quint16 generation);
    void onReconnectScheduled(int attempt, qint64 delayMs, quint16 generation);
    void onSessionFinished(quint16 generation);
    void onIdleTimeout();

    void messageReceived();
    // How --echo sends: compressed unless --no-compress.
    SendOptions sendOptions() const;
    void closeOnPurpose();
    ExitCode exitCode() const;
    void finishWhenSocketsAreGone(int code);

    void writeLine(QByteArrayView line);
    void flushOutput();
    static void diagnose(const QString &message);

    CliOptions m_options;
    ConnectionSession m_session;
    FrameJsonLines m_frameLines;
    std::unique_ptr<HarRecorder> m_har; // --export-har
    QTimer m_idleTimer;
    int m_received = 0;
    bool m_closeRequested = false;
    bool m_timedOut = false;
    int m_interrupts = 0;
    bool m_done = false;
    QByteArray m_hex; // reused for binary messages printed as hex
};

} // namespace duplex::cli
