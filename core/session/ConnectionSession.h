#pragma once

#include "core/protocol/Connection.h"
#include "core/session/PingTracker.h"
#include "core/session/ReconnectController.h"
#include "core/session/SessionError.h"
#include "core/session/SessionInfo.h"
#include "core/session/SessionOptions.h"
#include "core/session/SessionRecord.h"
#include "core/session/WebSocketUrl.h"

#include <QAbstractSocket>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QList>
#include <QNetworkProxy>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QSslError>
#include <QTimer>
#include <QUrl>

#include <atomic>
#include <memory>
#include <vector>

class QHostInfo;
class QSslSocket;
class QTcpSocket;

namespace duplex {

class SessionObserver;

// One WebSocket client connection, and the reconnects that follow it: drives a sans-I/O
// Connection over a QTcpSocket (ws://) or QSslSocket (wss://), with timeouts, redirects, TLS,
// proxies, keepalive and reconnect with backoff.
//
// Everything received is recorded in record() before it is acted on: every frame in both
// directions and every event (connecting, open, close, error, reconnect, redirect, TLS), each
// with a timestamp and the generation of the connection it belongs to. The generation starts at
// 1 with open() and grows by one with each reconnect attempt; every signal carries it, so a
// receiver never mixes an old connection's news into the new one's.
//
// Per-message work on the receive path allocates nothing beyond the record's chunked storage.
// Message signals are off by default (setMessageSignalsEnabled()); a SessionObserver gets every
// message synchronously as a view. Incoming data is processed in slices (about 4 ms or 256 KiB
// per event-loop turn) so a GUI thread stays responsive under a flood.
//
// A session lives in one thread (it may be moved to a worker thread before open()); call it
// from that thread, e.g. through QMetaObject::invokeMethod.
class ConnectionSession : public QObject
{
    Q_OBJECT
public:
    enum class State : quint8 {
        Idle, // never opened
        Resolving, // looking up the host name
        Connecting, // TCP connect (through the proxy)
        Securing, // TLS handshake
        Handshaking, // upgrade request sent, waiting for the 101
        Open,
        Closing, // a close frame was sent or received; the closing handshake runs
        WaitingToReconnect, // the connection ended; a reconnect attempt is scheduled
        Closed, // finished: nothing scheduled; open() starts again
    };
    Q_ENUM(State)

    explicit ConnectionSession(QObject *parent = nullptr);
    // `record` may be shared with a view; a fresh one is made when it is null.
    explicit ConnectionSession(const SessionOptions &options,
                               std::shared_ptr<SessionRecord> record = {},
                               QObject *parent = nullptr);
    ~ConnectionSession() override;

    // Takes effect at the next open() (reconnects of a running session keep the old options).
    void setOptions(const SessionOptions &options);
    const SessionOptions &options() const { return m_options; }

    // The history. Replacing it is only allowed while not connected.
    const std::shared_ptr<SessionRecord> &record() const { return m_record; }
    void setRecord(std::shared_ptr<SessionRecord> record);

    // Synchronous listeners, called in the order added. The session does not own them.
    void addObserver(SessionObserver *observer);
    void removeObserver(SessionObserver *observer);

    // messageReceived() costs a QByteArray per message: off by default.
    void setMessageSignalsEnabled(bool enabled) { m_messageSignals = enabled; }
    bool messageSignalsEnabled() const { return m_messageSignals; }

    // Starts connecting (from Idle or Closed). Fails at once, with errorOccurred() and an error
    // event recorded, when the options cannot be used.
    LocalResult open();

    // Queue a message or control frame and write it. Each fails, changing nothing, when the
    // state or the payload does not allow it.
    LocalResult sendText(QByteArrayView utf8, const SendOptions &sendOptions = {});
    LocalResult sendBinary(QByteArrayView data, const SendOptions &sendOptions = {});
    LocalResult sendPing(QByteArrayView payload = {});
    LocalResult sendPong(QByteArrayView payload = {});
    // Any frame exactly as described (reserved bits and opcodes included), to test a peer.
    LocalResult sendRawFrame(const FrameHeader &header, QByteArrayView payload);
    // Starts the closing handshake (or answers the peer's); the TCP connection is dropped when
    // the peer does not complete it within the close timeout. Never reconnects afterwards.
    // Before the connection is open it stops the attempt (or a scheduled reconnect) instead.
    LocalResult close(quint16 code = 1000, QByteArrayView reason = {});
    // Drops the TCP connection at once, without a closing handshake, and reconnects no more.
    void abort();

    State state() const { return m_state; }
    quint16 generation() const { return m_generation; }
    // The URL of the current connection (after redirects).
    QUrl url() const { return m_target.url; }
    // Each redirect hop of the current attempt, in order: the URL that answered 3xx.
    const QList<QUrl> &redirectChain() const { return m_redirectChain; }

    // The opening handshake of the current (or last) connection, exactly as on the wire: the
    // request, and the response head (for a refusal, followed by the body as far as kept).
    const QByteArray &handshakeRequest() const { return m_handshakeRequest; }
    const QByteArray &handshakeResponse() const { return m_handshakeResponse; }
    // What the server agreed to, once open.
    const Negotiated &negotiated() const { return m_connection->negotiated(); }
    ConnectionState connectionState() const { return m_connection->state(); }
    // How the last connection ended; meaningful once closed.
    const CloseInfo &closeInfo() const { return m_closeInfo; }
    SessionError error() const { return m_error; }
    const QString &errorString() const { return m_errorString; }

    const SessionTimings &timings() const { return m_timings; }
    const SessionStats &stats() const { return m_stats; }
    const TlsInfo &tlsInfo() const { return m_tlsInfo; }
    // The last keepalive (or matched ping) round trip, or -1.
    qint64 lastRttUs() const { return m_lastRttUs; }

    ReconnectController *reconnectController() { return &m_reconnect; }

    static const char *stateName(State state);

Q_SIGNALS:
    void stateChanged(duplex::ConnectionSession::State state, quint16 generation);
    // The opening handshake completed.
    void opened(quint16 generation);
    // Only while messageSignalsEnabled().
    void messageReceived(const QByteArray &data, bool text, quint16 generation);
    // The WebSocket connection ended (cleanly or not); a reconnect may follow.
    void closed(const duplex::CloseInfo &info, quint16 generation);
    void errorOccurred(duplex::SessionError error, const QString &message, quint16 generation);
    // Something the user should know that did not fail the connection, e.g. ignored
    // certificate errors.
    void warningOccurred(const QString &message, quint16 generation);
    void redirected(const QUrl &from, const QUrl &to, int status, quint16 generation);
    // "reconnecting in delayMs ms"; the attempt will run as generation + 1.
    void reconnectScheduled(int attempt, qint64 delayMs, quint16 generation);
    // A pong echoed one of our pings (keepalive or sendPing()).
    void pongReceived(qint64 rttUs, quint16 generation);
    // The record has grown to `size` entries. At most once per drain, never once per frame.
    void recordGrew(qsizetype size);
    // Closed for good: no reconnect follows (the user closed, the policy gave up, or the
    // close was not one that reconnects).
    void finished(quint16 generation);

protected:
    void connectNotify(const QMetaMethod &signal) override;
    void disconnectNotify(const QMetaMethod &signal) override;

private:
    struct Turn;
    void recountListeners();
    void dropPassHooks();
    enum class Teardown : quint8 { None, Abort, Graceful };

    // Connection attempts
    void startAttempt(int attempt);
    void beginConnection();
    void onLookedUp(const QHostInfo &info);
    void connectToNextAddress();
    void createSocket();
    void destroySocket(bool graceful);
    void onConnected();
    void onEncrypted();
    void onSslErrors(const QList<QSslError> &errors);
    void onSocketError(QAbstractSocket::SocketError socketError);
    void onDisconnected();
    void onConnectTimeout();
    void onHandshakeTimeout();
    void onCloseTimeout();
    void sendHandshake();
    void followRedirect(int status, const QByteArray &location);

    // The drain loop
    void onReadyRead();
    void processInput();
    void readUnbuffered();
    void onUnbufferedEnd();
    void readAllBuffered();
    void drainEvents();
    void handle(const HandshakeCompleted &event);
    void handle(const HandshakeRejected &event);
    void handle(const HandshakeRequested &event);
    void handle(const FrameStarted &event);
    void handle(const FrameReceived &event);
    void handle(const FrameSent &event);
    void handle(const TextMessage &event);
    void handle(const BinaryMessage &event);
    void handle(const PingReceived &event);
    void handle(const PongReceived &event);
    void handle(const CloseReceived &event);
    void handle(const ProtocolViolation &event);
    void handle(const ConnectionClosed &event);
    void flushOutput();
    // After a send: its frames go out at once when this is the outermost call, and are recorded
    // right after, stamped then. Inline: it is on every send's path.
    Q_ALWAYS_INLINE void recordSent()
    {
        if (m_draining)
            return;
        if (m_depth == 1)
            flushOutput();
        m_turnTimeUs = SessionRecord::nowUs();
        drainEvents();
    }
    void writeOutput();
    void onEventLoopPass();
    void onBytesWritten();
    void onWriteFailed();
    void endOfTurn();

    // Keepalive
    void onPingTimer();
    void onPongTimeout();

    // Ending
    void failAttempt(SessionError error, const QString &message);
    void loseConnection(SessionError error, const QString &message);
    void connectionEnded(const CloseInfo &info);
    void finishOrReconnect(bool mayReconnect);
    void finish();
    void onReconnectScheduled(int attempt, qint64 delayMs);
    void onReconnectDue(int attempt);
    void onReconnectGaveUp(int attempts);

    void setState(State state);
    // `timeUs`: the event's time stamp; now when negative.
    qsizetype recordEvent(SessionEventKind kind, QByteArrayView json, qint64 timeUs = -1);
    void reportError(SessionError error, const QString &message);
    void reportWarning(const QString &message);
    QString endpointName() const;

    SessionOptions m_options; // as given to setOptions()
    SessionOptions m_active; // the options of the running session
    std::shared_ptr<SessionRecord> m_record;
    std::vector<SessionObserver *> m_observers;
    std::unique_ptr<Connection> m_connection;
    QTcpSocket *m_socket = nullptr; // a QSslSocket for wss://
    QSslSocket *m_sslSocket = nullptr;
    QSslConfiguration m_sslConfiguration;
    QNetworkProxy m_proxy;
    ReconnectController m_reconnect;

    QTimer m_connectTimer;
    QTimer m_handshakeTimer;
    QTimer m_closeTimer;
    QTimer m_pingTimer;
    QTimer m_pongTimer;
    QTimer m_continueTimer; // resumes a time-sliced drain
    QTimer m_passTimer; // writes deferred output should no event-loop pass hook run
    QMetaObject::Connection m_passHooks[2]; // the event dispatcher's aboutToBlock(), awake()

    State m_state = State::Idle;
    quint16 m_generation = 0;
    int m_attemptNumber = 0; // 0: the first connection; n: reconnect attempt n
    WebSocketUrl m_origin; // the URL as configured
    WebSocketUrl m_target; // the URL of the current connection (after redirects)
    QList<QUrl> m_redirectChain;
    QList<QHostAddress> m_addresses;
    qsizetype m_nextAddress = 0;
    int m_lookupId = -1;
    int m_depth = 0; // nesting of entry points; the outermost ends the turn
    int m_draining = 0; // nesting of drainEvents(): the Connection may not be replaced
    bool m_everOpened = false;
    bool m_userClosing = false;
    bool m_aborting = false;
    bool m_lossReported = false; // the current connection's end was already explained
    bool m_messageSignals = false;
    bool m_peerEof = false;
    bool m_pendingBegin = false;
    bool m_wroteThisPass = false; // a write of this event-loop pass went out at once
    // Whether anything listens to the signals emitted on every round trip or turn; emitting one
    // nobody listens to still costs a walk through QMetaObject::activate(). Set from
    // connectNotify(), which may run in another thread; after a disconnection, recounted by
    // recountListeners() before the next emission.
    std::atomic<bool> m_recordGrewConnected { false };
    std::atomic<bool> m_pongReceivedConnected { false };
    std::atomic<bool> m_recountListeners { false };
    // Plain TCP without a proxy: the socket has no buffers of its own; the Connection's input
    // and output buffers are read into and written from directly.
    bool m_unbuffered = false;
    Teardown m_pendingTeardown = Teardown::None;

    QByteArray m_handshakeRequest;
    QByteArray m_handshakeResponse;
    CloseInfo m_closeInfo;
    SessionError m_error = SessionError::None;
    QString m_errorString;
    SessionTimings m_timings;
    SessionStats m_stats;
    TlsInfo m_tlsInfo;
    QElapsedTimer m_clock; // monotonic time base for round trips
    QElapsedTimer m_attemptClock; // since the start of the current connection
    QElapsedTimer m_stepClock; // since the start of the current step (lookup, connect, TLS)
    qint64 m_handshakeStartNs = 0;
    qint64 m_lastRttUs = -1;
    PingTracker m_pings;

    std::unique_ptr<char[]> m_readBuffer;
    qint64 m_turnTimeUs = 0; // the time stamp of the frames this turn records
    qsizetype m_reportedRecordSize = 0;
};

} // namespace duplex
