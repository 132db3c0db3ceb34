#include "core/session/ConnectionSession.h"

#include "core/protocol/CloseCode.h"
#include "core/session/JsonWriter.h"
#include "core/session/RedirectStep.h"
#include "core/session/SessionObserver.h"
#include "core/session/SessionProxy.h"
#include "core/session/SessionTls.h"

#include <QAbstractEventDispatcher>
#include <QHostInfo>
#include <QMetaMethod>
#include <QSslCipher>
#include <QSslSocket>
#include <QTcpSocket>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace duplex {
namespace {

// One read from the socket; a turn reads at most TurnByteBudget bytes or runs TurnTimeBudgetUs,
// then yields to the event loop and resumes with a zero timer (or, on an unbuffered socket, when
// the socket says again that it is readable). A read that completes a large frame may be larger,
// up to MaxReadSize, so that the frame arrives in a few reads rather than in 64 KiB pieces.
constexpr qint64 ReadChunkSize = 64 * 1024;
constexpr qint64 MaxReadSize = 4 * 1024 * 1024;
constexpr qint64 TurnByteBudget = 256 * 1024;
constexpr qint64 TurnTimeBudgetUs = 4'000;
// Unbuffered writes go to the kernel at most this much at a time: what the kernel does not take
// of one write, QAbstractSocket copies into a buffer of its own.
constexpr qint64 WriteChunkSize = 256 * 1024;

QString formatDuration(int ms)
{
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    if (ms % 1000 == 0)
        return QStringLiteral("%1 s").arg(ms / 1000);
    return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
}

const char *closeOriginName(CloseOrigin origin)
{
    switch (origin) {
    case CloseOrigin::Local:
        return "local";
    case CloseOrigin::Remote:
        return "remote";
    case CloseOrigin::Transport:
        return "transport";
    }
    return "transport";
}

// "connection refused", "the remote host closed the connection", ...
QString describeSocketError(const QAbstractSocket *socket, QAbstractSocket::SocketError error)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return QStringLiteral("connection refused");
    case QAbstractSocket::RemoteHostClosedError:
        return QStringLiteral("the peer closed the connection");
    case QAbstractSocket::HostNotFoundError:
        return QStringLiteral("host not found");
    case QAbstractSocket::SocketTimeoutError:
        return QStringLiteral("timed out");
    case QAbstractSocket::NetworkError:
        return QStringLiteral("network error (%1)").arg(socket->errorString());
    case QAbstractSocket::ProxyAuthenticationRequiredError:
        return QStringLiteral("the proxy requires authentication, or refused the credentials");
    case QAbstractSocket::ProxyConnectionRefusedError:
        return QStringLiteral("the proxy refused the connection");
    case QAbstractSocket::ProxyConnectionClosedError:
        return QStringLiteral("the proxy closed the connection unexpectedly (%1)")
            .arg(socket->errorString());
    case QAbstractSocket::ProxyConnectionTimeoutError:
        return QStringLiteral("the proxy did not answer in time");
    case QAbstractSocket::ProxyNotFoundError:
        return QStringLiteral("the proxy host was not found");
    case QAbstractSocket::ProxyProtocolError:
        return QStringLiteral("the proxy answered something unexpected (%1)")
            .arg(socket->errorString());
    default:
        break;
    }
    QString text = socket->errorString();
    if (!text.isEmpty())
        text[0] = text[0].toLower();
    return text;
}

} // namespace

// Every entry point (a public call, a socket signal, a timer) holds a Turn; when the outermost
// one ends, the output is written once and recordGrew() is emitted once.
struct ConnectionSession::Turn
{
    explicit Turn(ConnectionSession *session)
        : m_session(session)
    {
        ++m_session->m_depth;
    }
    ~Turn()
    {
        if (--m_session->m_depth == 0)
            m_session->endOfTurn();
    }
    Turn(const Turn &) = delete;
    Turn &operator=(const Turn &) = delete;

    ConnectionSession *m_session;
};

ConnectionSession::ConnectionSession(QObject *parent)
    : ConnectionSession(SessionOptions {}, {}, parent)
{ }

ConnectionSession::ConnectionSession(const SessionOptions &options,
                                     std::shared_ptr<SessionRecord> record, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_active(options)
    , m_record(record ? std::move(record) : std::make_shared<SessionRecord>())
    , m_connection(std::make_unique<Connection>(Role::Client, options.limits))
    , m_reconnect(this)
    , m_connectTimer(this)
    , m_handshakeTimer(this)
    , m_closeTimer(this)
    , m_pingTimer(this)
    , m_pongTimer(this)
    , m_continueTimer(this)
    , m_passTimer(this)
    , m_readBuffer(new char[ReadChunkSize])
{
    m_reportedRecordSize = m_record->size();
    m_clock.start();
    for (QTimer *timer : { &m_connectTimer, &m_handshakeTimer, &m_closeTimer, &m_pongTimer,
                           &m_continueTimer, &m_passTimer })
        timer->setSingleShot(true);
    m_continueTimer.setInterval(0);
    m_passTimer.setInterval(0);
    m_pingTimer.setTimerType(Qt::PreciseTimer);
    m_pongTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_connectTimer, &QTimer::timeout, this, &ConnectionSession::onConnectTimeout);
    connect(&m_handshakeTimer, &QTimer::timeout, this, &ConnectionSession::onHandshakeTimeout);
    connect(&m_closeTimer, &QTimer::timeout, this, &ConnectionSession::onCloseTimeout);
    connect(&m_pingTimer, &QTimer::timeout, this, &ConnectionSession::onPingTimer);
    connect(&m_pongTimer, &QTimer::timeout, this, &ConnectionSession::onPongTimeout);
    connect(&m_continueTimer, &QTimer::timeout, this, &ConnectionSession::processInput);
    connect(&m_passTimer, &QTimer::timeout, this, &ConnectionSession::onEventLoopPass);
    connect(&m_reconnect, &ReconnectController::scheduled, this,
            &ConnectionSession::onReconnectScheduled);
    connect(&m_reconnect, &ReconnectController::attemptDue, this,
            &ConnectionSession::onReconnectDue);
    connect(&m_reconnect, &ReconnectController::gaveUp, this,
            &ConnectionSession::onReconnectGaveUp);
}

ConnectionSession::~ConnectionSession()
{
    if (m_lookupId >= 0)
        QHostInfo::abortHostLookup(m_lookupId);
    if (m_socket) {
        QObject::disconnect(m_socket, nullptr, this, nullptr);
        m_socket->abort();
    }
}

const char *ConnectionSession::stateName(State state)
{
    switch (state) {
    case State::Idle:
        return "idle";
    case State::Resolving:
        return "resolving";
    case State::Connecting:
        return "connecting";
    case State::Securing:
        return "securing";
    case State::Handshaking:
        return "handshaking";
    case State::Open:
        return "open";
    case State::Closing:
        return "closing";
    case State::WaitingToReconnect:
        return "waiting to reconnect";
    case State::Closed:
        return "closed";
    }
    return "unknown";
}

void ConnectionSession::setOptions(const SessionOptions &options)
{
    m_options = options;
}

void ConnectionSession::setRecord(std::shared_ptr<SessionRecord> record)
{
    if (m_state != State::Idle && m_state != State::Closed)
        return;
    m_record = record ? std::move(record) : std::make_shared<SessionRecord>();
    m_reportedRecordSize = m_record->size();
}

void ConnectionSession::addObserver(SessionObserver *observer)
{
    if (observer
        && std::find(m_observers.begin(), m_observers.end(), observer) == m_observers.end())
        m_observers.push_back(observer);
}

void ConnectionSession::removeObserver(SessionObserver *observer)
{
    m_observers.erase(std::remove(m_observers.begin(), m_observers.end(), observer),
                      m_observers.end());
}

// ---------------------------------------------------------------------------------------------
// Opening

LocalResult ConnectionSession::open()
{
    if (m_state != State::Idle && m_state != State::Closed) {
        return { LocalError::WrongState,
                 QStringLiteral("cannot open: the session is %1; close it first")
                     .arg(QLatin1String(stateName(m_state))) };
    }
    Turn turn(this);
    m_active = m_options;
    m_stats = {};
    m_error = SessionError::None;
    m_errorString.clear();
    m_closeInfo = {};
    m_everOpened = false;
    m_userClosing = false;
    m_reconnect.setPolicy(m_active.reconnect.backoff);
    m_reconnect.reset();

    QString problem = m_active.validate();
    m_origin = WebSocketUrl::fromUrl(m_active.url, m_active.resource);
    if (problem.isEmpty() && m_origin.secure) {
        if (auto configuration = SessionTls::configuration(m_active.tls, &problem))
            m_sslConfiguration = *configuration;
    }
    if (!problem.isEmpty()) {
        reportError(SessionError::InvalidOptions, problem);
        finish();
        return { LocalError::InvalidRequest, problem };
    }
    startAttempt(0);
    return {};
}

void ConnectionSession::startAttempt(int attempt)
{
    m_generation = m_generation == 0xFFFF ? 1 : quint16(m_generation + 1);
    m_attemptNumber = attempt;
    m_target = m_origin;
    m_redirectChain.clear();
    beginConnection();
}

void ConnectionSession::beginConnection()
{
    if (m_draining > 0) {
        // The Connection is being drained: replace it once the drain is over.
        m_pendingBegin = true;
        return;
    }
    destroySocket(false);
    m_pendingTeardown = Teardown::None;
    m_connectTimer.stop();
    m_handshakeTimer.stop();
    m_closeTimer.stop();
    m_pingTimer.stop();
    m_pongTimer.stop();
    m_continueTimer.stop();
    m_connection = std::make_unique<Connection>(Role::Client, m_active.limits);
    m_handshakeRequest.clear();
    m_handshakeResponse.clear();
    m_timings = {};
    m_tlsInfo = {};
    m_closeInfo = {};
    m_peerEof = false;
    m_aborting = false;
    m_lossReported = false;
    m_pings.clear();
    m_addresses.clear();
    m_nextAddress = 0;
    m_attemptClock.start();
    m_proxy = SessionProxy::forTarget(m_active.proxy, m_target);

    JsonWriter event("connecting");
    event.string("url", m_target.url.toString(QUrl::FullyEncoded))
        .number("attempt", m_attemptNumber);
    if (!m_redirectChain.isEmpty())
        event.number("redirect", m_redirectChain.size());
    if (m_proxy.type() != QNetworkProxy::NoProxy) {
        event.string("proxy", SessionProxy::address(m_proxy));
    }
    recordEvent(SessionEventKind::Connecting, event.take());

    if (m_active.timeouts.connectMs > 0)
        m_connectTimer.start(m_active.timeouts.connectMs);
    if (m_proxy.type() != QNetworkProxy::NoProxy) {
        // The proxy resolves the name (CONNECT host:port, or a SOCKS5 domain-name address).
        connectToNextAddress();
        return;
    }
    if (m_target.hostIsAddress()) {
        m_addresses = { QHostAddress(QString::fromLatin1(m_target.host)) };
        m_timings.dnsUs = 0;
        connectToNextAddress();
        return;
    }
    setState(State::Resolving);
    m_stepClock.start();
    m_lookupId = -2; // pending: a result delivered before lookupHost() returns is still ours
    m_lookupId = QHostInfo::lookupHost(QString::fromLatin1(m_target.host), this,
                                       &ConnectionSession::onLookedUp);
}

void ConnectionSession::onLookedUp(const QHostInfo &info)
{
    if (m_state != State::Resolving || (m_lookupId >= 0 && info.lookupId() != m_lookupId))
        return;
    Turn turn(this);
    m_lookupId = -1;
    m_timings.dnsUs = m_stepClock.nsecsElapsed() / 1000;
    if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
        failAttempt(SessionError::HostLookup,
                    QStringLiteral("could not resolve %1: %2")
                        .arg(QString::fromLatin1(m_target.host),
                             info.error() == QHostInfo::HostNotFound
                                 ? QStringLiteral("host not found")
                                 : info.errorString()));
        return;
    }
    m_addresses = info.addresses();
    connectToNextAddress();
}

void ConnectionSession::connectToNextAddress()
{
    setState(State::Connecting);
    createSocket();
    m_stepClock.start();
    if (m_proxy.type() != QNetworkProxy::NoProxy) {
        m_socket->connectToHost(QString::fromLatin1(m_target.host), m_target.port);
    } else {
        const QIODevice::OpenMode mode =
            m_unbuffered ? QIODevice::ReadWrite | QIODevice::Unbuffered : QIODevice::ReadWrite;
        m_socket->connectToHost(m_addresses.at(m_nextAddress++), m_target.port, mode);
    }
}

void ConnectionSession::createSocket()
{
    destroySocket(false);
    if (m_target.secure) {
        auto *socket = new QSslSocket(this);
        socket->setSslConfiguration(m_sslConfiguration);
        const QString name = m_active.tls.peerVerifyName.isEmpty()
            ? QString::fromLatin1(m_target.host)
            : m_active.tls.peerVerifyName;
        socket->setPeerVerifyName(name);
        connect(socket, &QSslSocket::encrypted, this, &ConnectionSession::onEncrypted);
        connect(socket, &QSslSocket::sslErrors, this, &ConnectionSession::onSslErrors);
        m_sslSocket = socket;
        m_socket = socket;
    } else {
        m_socket = new QTcpSocket(this);
    }
    m_socket->setProxy(m_proxy);
    // TLS needs QSslSocket's buffers, and a proxy's socket engine its own; a plain connection
    // needs neither. Unbuffered, reads go from the kernel straight into the Connection's input
    // and writes from its output straight to the kernel: no copy in between, and a write is a
    // system call at once instead of a pass of the event loop later.
    m_unbuffered = !m_target.secure && m_proxy.type() == QNetworkProxy::NoProxy;
    m_wroteThisPass = false;
    connect(m_socket, &QAbstractSocket::connected, this, &ConnectionSession::onConnected);
    connect(m_socket, &QAbstractSocket::readyRead, this, &ConnectionSession::onReadyRead);
    connect(m_socket, &QAbstractSocket::bytesWritten, this, &ConnectionSession::onBytesWritten);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, &ConnectionSession::onSocketError);
    connect(m_socket, &QAbstractSocket::disconnected, this, &ConnectionSession::onDisconnected);
    // What is written after the first write of an event-loop pass waits for the end of the
    // pass (see flushOutput()): both signals mark it, whichever the dispatcher emits.
    for (const QMetaObject::Connection &hook : m_passHooks)
        QObject::disconnect(hook);
    if (QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance()) {
        m_passHooks[0] = connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, this,
                                 &ConnectionSession::onEventLoopPass);
        m_passHooks[1] = connect(dispatcher, &QAbstractEventDispatcher::awake, this,
                                 &ConnectionSession::onEventLoopPass);
    }
}

void ConnectionSession::destroySocket(bool graceful)
{
    if (m_lookupId >= 0)
        QHostInfo::abortHostLookup(m_lookupId);
    m_lookupId = -1;
    m_continueTimer.stop();
    if (!m_socket)
        return;
    QTcpSocket *socket = m_socket;
    m_socket = nullptr;
    m_sslSocket = nullptr;
    QObject::disconnect(socket, nullptr, this, nullptr);
    if (graceful && socket->state() == QAbstractSocket::ConnectedState) {
        // Write what is buffered (our close frame), then close; drop it if that takes too long.
        connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        socket->disconnectFromHost();
        if (socket->state() != QAbstractSocket::UnconnectedState) {
            const int grace = m_active.timeouts.closeMs > 0 ? m_active.timeouts.closeMs : 1000;
            QTimer::singleShot(grace, socket, [socket] {
                socket->abort();
                socket->deleteLater();
            });
        }
        return;
    }
    // Not synchronously: this may run inside one of the socket's own signals.
    QTimer::singleShot(0, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
}

void ConnectionSession::onConnected()
{
    Turn turn(this);
    m_connectTimer.stop();
    m_timings.connectUs = m_stepClock.nsecsElapsed() / 1000;
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_active.timeouts.handshakeMs > 0)
        m_handshakeTimer.start(m_active.timeouts.handshakeMs);
    if (m_sslSocket) {
        setState(State::Securing);
        m_stepClock.start();
        m_sslSocket->startClientEncryption();
        return;
    }
    sendHandshake();
}

void ConnectionSession::onEncrypted()
{
    Turn turn(this);
    m_timings.tlsUs = m_stepClock.nsecsElapsed() / 1000;
    const QSslCipher cipher = m_sslSocket->sessionCipher();
    m_tlsInfo.encrypted = true;
    m_tlsInfo.protocol = cipher.protocolString();
    m_tlsInfo.cipher = cipher.name();
    m_tlsInfo.peerVerifyName = m_sslSocket->peerVerifyName();
    m_tlsInfo.peerCertificateChain = m_sslSocket->peerCertificateChain();
    sendHandshake();
}

void ConnectionSession::onSslErrors(const QList<QSslError> &errors)
{
    Turn turn(this);
    const QString name = m_sslSocket->peerVerifyName();
    QStringList described;
    for (const QSslError &error : errors)
        described.append(SessionTls::describeError(error, name));
    if (m_active.tls.allowInvalidCertificates) {
        m_sslSocket->ignoreSslErrors(errors);
        m_tlsInfo.ignoredErrors = described;
        recordEvent(SessionEventKind::Tls,
                    JsonWriter("tls").strings("ignoredErrors", described).take());
        reportWarning(QStringLiteral("TLS: ignored, as this connection allows invalid "
                                     "certificates: %1")
                          .arg(described.join(QStringLiteral("; "))));
        return;
    }
    failAttempt(SessionError::Tls,
                QStringLiteral("TLS: %1").arg(described.join(QStringLiteral("; "))));
}

void ConnectionSession::onSocketError(QAbstractSocket::SocketError socketError)
{
    Turn turn(this);
    const QString reason = describeSocketError(m_socket, socketError);
    switch (m_state) {
    case State::Connecting:
        if (SessionProxy::isProxyError(socketError)) {
            failAttempt(SessionError::Proxy,
                        QStringLiteral("could not connect to %1 through the proxy %2:%3: %4")
                            .arg(endpointName(), m_proxy.hostName())
                            .arg(m_proxy.port())
                            .arg(reason));
            return;
        }
        if (m_nextAddress < m_addresses.size()) {
            const QHostAddress failed = m_addresses.at(m_nextAddress - 1);
            recordEvent(SessionEventKind::Note,
                        JsonWriter("note")
                            .string("message",
                                    QStringLiteral("could not connect to %1 (%2): %3; trying %4")
                                        .arg(endpointName(), failed.toString(), reason,
                                             m_addresses.at(m_nextAddress).toString()))
                            .take());
            connectToNextAddress();
            return;
        }
        failAttempt(SessionError::Connect,
                    QStringLiteral("could not connect to %1: %2").arg(endpointName(), reason));
        return;
    case State::Securing:
        failAttempt(
            SessionError::Tls,
            QStringLiteral("TLS: the handshake with %1 failed: %2").arg(endpointName(), reason));
        return;
    case State::Handshaking:
        if (socketError == QAbstractSocket::RemoteHostClosedError)
            return; // onDisconnected() lets the Connection say what was missing
        failAttempt(
            SessionError::Connect,
            QStringLiteral("handshake: the connection to %1 was lost before the server answered: "
                           "%2")
                .arg(endpointName(), reason));
        return;
    case State::Open:
    case State::Closing:
        if (socketError == QAbstractSocket::RemoteHostClosedError)
            return; // the end of the stream; onDisconnected() handles it
        loseConnection(SessionError::ConnectionLost,
                       QStringLiteral("connection lost: %1").arg(reason));
        return;
    default:
        return;
    }
}

void ConnectionSession::onDisconnected()
{
    Turn turn(this);
    if (!m_socket)
        return;
    // What the peer sent before closing comes first (an unbuffered socket holds nothing).
    if (!m_unbuffered)
        readAllBuffered();
    m_peerEof = true;
    switch (m_state) {
    case State::Connecting:
    case State::Securing:
        failAttempt(m_state == State::Securing ? SessionError::Tls : SessionError::Connect,
                    QStringLiteral("%1%2 closed the connection before it was established")
                        .arg(m_state == State::Securing ? QStringLiteral("TLS: ") : QString(),
                             endpointName()));
        return;
    case State::Handshaking:
    case State::Open:
    case State::Closing:
        m_connection->receiveEof();
        drainEvents();
        break;
    default:
        break;
    }
    if (m_socket && m_pendingTeardown == Teardown::None)
        m_pendingTeardown = Teardown::Abort;
}

void ConnectionSession::onConnectTimeout()
{
    Turn turn(this);
    const QString limit = formatDuration(m_active.timeouts.connectMs);
    if (m_state == State::Resolving) {
        failAttempt(SessionError::ConnectTimeout,
                    QStringLiteral("could not resolve %1 within %2")
                        .arg(QString::fromLatin1(m_target.host), limit));
        return;
    }
    if (m_state != State::Connecting)
        return;
    QString message =
        QStringLiteral("could not connect to %1 within %2").arg(endpointName(), limit);
    if (m_proxy.type() != QNetworkProxy::NoProxy)
        message += QStringLiteral(" (through the proxy %1:%2)")
                       .arg(m_proxy.hostName())
                       .arg(m_proxy.port());
    failAttempt(SessionError::ConnectTimeout, message);
}

void ConnectionSession::onHandshakeTimeout()
{
    Turn turn(this);
    const QString limit = formatDuration(m_active.timeouts.handshakeMs);
    if (m_state == State::Securing) {
        failAttempt(
            SessionError::HandshakeTimeout,
            QStringLiteral("TLS: no TLS handshake with %1 within %2").arg(endpointName(), limit));
    } else if (m_state == State::Handshaking) {
        failAttempt(SessionError::HandshakeTimeout,
                    QStringLiteral("handshake: %1 did not answer the opening handshake within %2")
                        .arg(endpointName(), limit));
    }
}

void ConnectionSession::onCloseTimeout()
{
    Turn turn(this);
    if (m_connection->state() != ConnectionState::LocalClosing)
        return;
    loseConnection(
        SessionError::CloseTimeout,
        QStringLiteral("close: %1 did not answer our close frame within %2; the TCP connection "
                       "was dropped")
            .arg(endpointName(), formatDuration(m_active.timeouts.closeMs)));
}

void ConnectionSession::sendHandshake()
{
    setState(State::Handshaking);
    HandshakeRequest request;
    request.host = m_target.host;
    request.port = m_target.port;
    request.secure = m_target.secure;
    request.resource = m_target.resource;
    request.origin = m_active.origin;
    request.subprotocols = m_active.subprotocols;
    request.extensions = m_active.extensions;
    request.deflate = m_active.deflate;
    request.headers = m_active.headers;
    const LocalResult result = m_connection->initiate(request);
    if (!result) {
        failAttempt(SessionError::InvalidOptions,
                    QStringLiteral("handshake: %1").arg(result.message));
        return;
    }
    m_handshakeRequest = m_connection->handshakeRequestBytes();
    m_handshakeStartNs = m_attemptClock.nsecsElapsed();
}

void ConnectionSession::followRedirect(int status, const QByteArray &location)
{
    const RedirectStep step = RedirectStep::decide(m_target, status, location,
                                                   m_redirectChain.size(), m_active.redirects);
    if (!step.follows()) {
        failAttempt(SessionError::Redirect, step.error);
        return;
    }
    const WebSocketUrl &next = step.next;
    const QUrl from = m_target.url;
    recordEvent(SessionEventKind::Redirect,
                JsonWriter("redirect")
                    .number("status", status)
                    .string("from", from.toString(QUrl::FullyEncoded))
                    .string("to", next.url.toString(QUrl::FullyEncoded))
                    .number("hop", m_redirectChain.size() + 1)
                    .take());
    Q_EMIT redirected(from, next.url, status, m_generation);
    m_redirectChain.append(from);
    m_target = next;
    m_pendingTeardown = Teardown::Abort;
    beginConnection();
}

// ---------------------------------------------------------------------------------------------
// The drain loop

void ConnectionSession::onReadyRead()
{
    processInput();
}

void ConnectionSession::processInput()
{
    Turn turn(this);
    if (!m_socket || m_pendingTeardown != Teardown::None || m_state < State::Handshaking)
        return;
    if (m_unbuffered) {
        readUnbuffered();
        return;
    }
    QElapsedTimer slice;
    slice.start();
    qint64 taken = 0;
    while (taken < TurnByteBudget) {
        const qint64 read = m_socket->read(m_readBuffer.get(), ReadChunkSize);
        if (read <= 0)
            break;
        taken += read;
        m_stats.wireBytesIn += quint64(read);
        m_turnTimeUs = SessionRecord::nowUs();
        m_connection->receiveData(QByteArrayView(m_readBuffer.get(), read));
        drainEvents();
        if (!m_socket || m_pendingTeardown != Teardown::None
            || slice.nsecsElapsed() > TurnTimeBudgetUs * 1000)
            break;
    }
    // More is waiting: let the event loop breathe, then go on.
    if (m_socket && m_pendingTeardown == Teardown::None && m_socket->bytesAvailable() > 0)
        m_continueTimer.start();
}

// Reads from the kernel straight into the Connection's input, a slice of the time and bytes at
// a time. The socket signals readyRead() again while unread bytes remain, so a slice that stops
// early resumes at the next pass of the event loop without a timer.
void ConnectionSession::readUnbuffered()
{
    qint64 taken = 0;
    qint64 sliceStartUs = 0;
    for (;;) {
        const qint64 want =
            qMax(ReadChunkSize, qMin<qint64>(m_connection->frameBytesMissing(), MaxReadSize));
        char *buffer = m_connection->prepareReceive(want);
        const qint64 read = m_socket->read(buffer, want);
        m_connection->commitReceive(qMax<qint64>(read, 0));
        if (read < 0) {
            onUnbufferedEnd();
            return;
        }
        if (read == 0)
            return;
        taken += read;
        m_stats.wireBytesIn += quint64(read);
        m_turnTimeUs = SessionRecord::nowUs();
        if (sliceStartUs == 0)
            sliceStartUs = m_turnTimeUs;
        drainEvents();
        if (read < want || !m_socket || m_pendingTeardown != Teardown::None
            || taken >= TurnByteBudget || m_turnTimeUs - sliceStartUs > TurnTimeBudgetUs)
            return;
    }
}

// An unbuffered QAbstractSocket reports the end of the stream, or a failure, only as a read
// that fails: it emits neither errorOccurred() nor disconnected(). Act as if it had.
void ConnectionSession::onUnbufferedEnd()
{
    const QAbstractSocket::SocketError error = m_socket->error();
    if (error != QAbstractSocket::RemoteHostClosedError)
        onSocketError(error);
    onDisconnected();
}

void ConnectionSession::readAllBuffered()
{
    if (!m_socket)
        return;
    m_continueTimer.stop();
    for (;;) {
        const qint64 read = m_socket->read(m_readBuffer.get(), ReadChunkSize);
        if (read <= 0)
            break;
        m_stats.wireBytesIn += quint64(read);
        m_turnTimeUs = SessionRecord::nowUs();
        m_connection->receiveData(QByteArrayView(m_readBuffer.get(), read));
        drainEvents();
    }
}

void ConnectionSession::drainEvents()
{
    ++m_draining;
    while (auto event = m_connection->nextEvent())
        std::visit([this](const auto &e) { handle(e); }, *event);
    --m_draining;
}

void ConnectionSession::handle(const HandshakeCompleted &event)
{
    m_handshakeTimer.stop();
    m_handshakeResponse = event.response.raw;
    const qint64 now = m_attemptClock.nsecsElapsed();
    m_timings.handshakeUs = (now - m_handshakeStartNs) / 1000;
    m_timings.totalUs = now / 1000;
    m_everOpened = true;
    m_error = SessionError::None;
    m_errorString.clear();
    setState(State::Open);

    JsonWriter json("open");
    json.number("status", event.response.statusCode)
        .string("subprotocol", event.negotiated.subprotocol)
        .string("extensions", event.negotiated.extensions)
        .string("url", m_target.url.toString(QUrl::FullyEncoded));
    if (m_tlsInfo.encrypted) {
        JsonWriter tls;
        tls.string("protocol", m_tlsInfo.protocol).string("cipher", m_tlsInfo.cipher);
        if (!m_tlsInfo.ignoredErrors.isEmpty())
            tls.strings("ignoredErrors", m_tlsInfo.ignoredErrors);
        json.object("tls", tls.take());
    }
    JsonWriter timings;
    timings.number("dnsUs", m_timings.dnsUs)
        .number("connectUs", m_timings.connectUs)
        .number("tlsUs", m_timings.tlsUs)
        .number("handshakeUs", m_timings.handshakeUs);
    json.object("timings", timings.take());
    recordEvent(SessionEventKind::Open, json.take());

    m_reconnect.connectionEstablished();
    if (m_active.keepalive.pingIntervalMs > 0)
        m_pingTimer.start(m_active.keepalive.pingIntervalMs);
    for (const OutgoingMessage &message : std::as_const(m_active.sendAfterOpen)) {
        SendOptions sendOptions;
        sendOptions.compress = message.compress;
        const LocalResult sent = message.binary
            ? m_connection->sendBinary(message.data, sendOptions)
            : m_connection->sendText(message.data, sendOptions);
        if (!sent) {
            reportWarning(
                QStringLiteral("could not send a message after opening: %1").arg(sent.message));
            continue;
        }
        ++m_stats.messagesOut;
        m_stats.bytesOut += quint64(message.data.size());
    }
    Q_EMIT opened(m_generation);
}

void ConnectionSession::handle(const HandshakeRejected &event)
{
    m_handshakeResponse = event.response.raw + event.body;
    const int status = event.response.statusCode;
    if (event.error == HandshakeError::UnexpectedStatus && RedirectStep::isRedirectStatus(status)
        && m_active.redirects.follow) {
        followRedirect(status, event.response.value("Location"));
        return;
    }
    QString message = QStringLiteral("handshake: %1").arg(event.message);
    if (event.error == HandshakeError::UnexpectedStatus && RedirectStep::isRedirectStatus(status))
        message += QStringLiteral("; following redirects is off");
    failAttempt(SessionError::HandshakeRejected, message);
}

void ConnectionSession::handle(const HandshakeRequested &) { }

void ConnectionSession::handle(const FrameStarted &) { }

void ConnectionSession::handle(const FrameReceived &event)
{
    const qsizetype index = m_record->appendFrame(m_turnTimeUs, m_generation, event.frame);
    ++m_stats.framesIn;
    for (std::size_t i = 0; i < m_observers.size(); ++i)
        m_observers[i]->frameRecorded(event.frame, index);
}

void ConnectionSession::handle(const FrameSent &event)
{
    const qsizetype index = m_record->appendFrame(m_turnTimeUs, m_generation, event.frame);
    ++m_stats.framesOut;
    for (std::size_t i = 0; i < m_observers.size(); ++i)
        m_observers[i]->frameRecorded(event.frame, index);
}

void ConnectionSession::handle(const TextMessage &event)
{
    ++m_stats.messagesIn;
    m_stats.bytesIn += quint64(event.utf8.size());
    for (std::size_t i = 0; i < m_observers.size(); ++i)
        m_observers[i]->textReceived(event.utf8, event.compressed);
    if (m_messageSignals)
        Q_EMIT messageReceived(event.utf8.toByteArray(), true, m_generation);
}

void ConnectionSession::handle(const BinaryMessage &event)
{
    ++m_stats.messagesIn;
    m_stats.bytesIn += quint64(event.data.size());
    for (std::size_t i = 0; i < m_observers.size(); ++i)
        m_observers[i]->binaryReceived(event.data, event.compressed);
    if (m_messageSignals)
        Q_EMIT messageReceived(event.data.toByteArray(), false, m_generation);
}

void ConnectionSession::handle(const PingReceived &event)
{
    for (std::size_t i = 0; i < m_observers.size(); ++i)
        m_observers[i]->pingReceived(event.payload);
}

void ConnectionSession::handle(const PongReceived &event)
{
    ++m_stats.pongsReceived;
    const PingTracker::Answer answer = m_pings.answer(event.payload, m_clock);
    const qint64 rttUs = answer.rttUs;
    if (answer.keepalive)
        m_pongTimer.stop();
    for (std::size_t i = 0; i < m_observers.size(); ++i)
        m_observers[i]->pongReceived(event.payload, rttUs);
    if (rttUs < 0)
        return;
    m_lastRttUs = rttUs;
    // {"event":"pong","rttUs":1234,"rttMs":1.234}, as JsonWriter would write it, on the stack:
    // this is recorded for every pong.
    static constexpr char head[] = "{\"event\":\"pong\",\"rttUs\":";
    static constexpr char ms[] = ",\"rttMs\":";
    char json[96];
    std::memcpy(json, head, sizeof head - 1);
    char *end = std::to_chars(json + sizeof head - 1, json + 48, rttUs).ptr;
    std::memcpy(end, ms, sizeof ms - 1);
    end += sizeof ms - 1;
    end = std::to_chars(end, end + 20, rttUs / 1000).ptr;
    const auto fraction = int(rttUs % 1000);
    end[0] = '.';
    end[1] = char('0' + fraction / 100);
    end[2] = char('0' + fraction / 10 % 10);
    end[3] = char('0' + fraction % 10);
    end[4] = '}';
    end += 5;
    // Stamped with the time of the read that brought the pong, like its frame.
    recordEvent(SessionEventKind::Pong, QByteArrayView(json, end - json), m_turnTimeUs);
    if (m_pongReceivedConnected.load(std::memory_order_relaxed))
        Q_EMIT pongReceived(rttUs, m_generation);
}

void ConnectionSession::handle(const CloseReceived &)
{
    if (m_connection->state() != ConnectionState::Closed)
        setState(State::Closing);
}

void ConnectionSession::handle(const ProtocolViolation &event)
{
    m_lossReported = true;
    reportError(SessionError::ProtocolViolation,
                QStringLiteral("protocol: %1; the connection was failed with close code %2")
                    .arg(QLatin1String(describe(event.error)))
                    .arg(event.closeCode));
}

void ConnectionSession::handle(const ConnectionClosed &event)
{
    connectionEnded(event.info);
}

// Writes what the Connection produced. The first write of an event-loop pass goes out at once,
// which saves a pass on every round trip (a ping, a request); what is produced after it in the
// same pass (a loop of sends) waits for the end of the pass, when the dispatcher is about to
// wait again, and goes out as one large write instead of a system call per message.
void ConnectionSession::flushOutput()
{
    if (!m_socket || !m_connection->hasPendingOutput())
        return;
    if (m_wroteThisPass) {
        if (!m_passTimer.isActive())
            m_passTimer.start(); // in case the dispatcher emits neither signal
        return;
    }
    m_wroteThisPass = true;
    writeOutput();
}

void ConnectionSession::onEventLoopPass()
{
    m_wroteThisPass = false;
    if (m_socket && m_connection->hasPendingOutput())
        writeOutput();
}

void ConnectionSession::onBytesWritten()
{
    // An unbuffered socket emits this when it has written what the kernel had refused earlier.
    if (m_unbuffered && m_socket && m_socket->bytesToWrite() == 0)
        writeOutput();
}

void ConnectionSession::writeOutput()
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (!m_unbuffered) {
        const QByteArrayView output = m_connection->pendingOutput();
        if (output.isEmpty())
            return;
        const qint64 written = m_socket->write(output.data(), output.size());
        if (written <= 0)
            return;
        m_connection->consumeOutput(written);
        m_stats.wireBytesOut += quint64(written);
        m_socket->flush(); // QAbstractSocket would wait for the next pass of the event loop
        return;
    }
    // Piece by piece while the kernel takes everything; once QAbstractSocket holds a rest the
    // kernel refused, the next piece waits for bytesWritten().
    while (m_socket->bytesToWrite() == 0) {
        const QByteArrayView output = m_connection->pendingOutput();
        if (output.isEmpty())
            return;
        const qint64 piece = qMin<qint64>(output.size(), WriteChunkSize);
        const qint64 written = m_socket->write(output.data(), piece);
        if (written < 0) {
            // Unbuffered, a failed write is not signalled either; the failure is handled
            // outside whatever turn is writing.
            QMetaObject::invokeMethod(this, &ConnectionSession::onWriteFailed,
                                      Qt::QueuedConnection);
            return;
        }
        if (written == 0)
            return;
        m_connection->consumeOutput(written);
        m_stats.wireBytesOut += quint64(written);
    }
}

void ConnectionSession::onWriteFailed()
{
    if (!m_socket || !m_unbuffered)
        return;
    onUnbufferedEnd();
}

void ConnectionSession::endOfTurn()
{
    ++m_depth; // what runs here is part of this turn
    flushOutput();
    if (m_pendingTeardown != Teardown::None) {
        const bool graceful = m_pendingTeardown == Teardown::Graceful;
        m_pendingTeardown = Teardown::None;
        destroySocket(graceful);
    }
    if (m_pendingBegin) {
        m_pendingBegin = false;
        beginConnection();
        flushOutput();
    }
    --m_depth;
    const qsizetype size = m_record->size();
    if (size != m_reportedRecordSize) {
        m_reportedRecordSize = size;
        if (m_recordGrewConnected.load(std::memory_order_relaxed))
            Q_EMIT recordGrew(size);
    }
}

// ---------------------------------------------------------------------------------------------
// Sending

LocalResult ConnectionSession::sendText(QByteArrayView utf8, const SendOptions &sendOptions)
{
    Turn turn(this);
    const LocalResult result = m_connection->sendText(utf8, sendOptions);
    if (result) {
        ++m_stats.messagesOut;
        m_stats.bytesOut += quint64(utf8.size());
        recordSent();
    }
    return result;
}

LocalResult ConnectionSession::sendBinary(QByteArrayView data, const SendOptions &sendOptions)
{
    Turn turn(this);
    const LocalResult result = m_connection->sendBinary(data, sendOptions);
    if (result) {
        ++m_stats.messagesOut;
        m_stats.bytesOut += quint64(data.size());
        recordSent();
    }
    return result;
}

LocalResult ConnectionSession::sendPing(QByteArrayView payload)
{
    Turn turn(this);
    const LocalResult result = m_connection->sendPing(payload);
    if (result) {
        ++m_stats.pingsSent;
        m_pings.remember(payload, false, m_clock);
        recordSent();
    }
    return result;
}

LocalResult ConnectionSession::sendPong(QByteArrayView payload)
{
    Turn turn(this);
    const LocalResult result = m_connection->sendPong(payload);
    if (result)
        recordSent();
    return result;
}

LocalResult ConnectionSession::sendRawFrame(const FrameHeader &header, QByteArrayView payload)
{
    Turn turn(this);
    const LocalResult result = m_connection->sendRawFrame(header, payload);
    if (result)
        recordSent();
    return result;
}

LocalResult ConnectionSession::close(quint16 code, QByteArrayView reason)
{
    Turn turn(this);
    switch (m_state) {
    case State::Idle:
    case State::Closed:
        return { LocalError::WrongState,
                 QStringLiteral("cannot close: the session is not connected") };
    case State::WaitingToReconnect:
        m_userClosing = true;
        m_reconnect.cancel();
        finish();
        return {};
    case State::Resolving:
    case State::Connecting:
    case State::Securing:
    case State::Handshaking:
        abort();
        return {};
    case State::Open:
    case State::Closing:
        break;
    }
    const LocalResult result = m_connection->close(code, reason);
    if (!result)
        return result;
    m_userClosing = true;
    m_pingTimer.stop();
    if (m_connection->state() == ConnectionState::LocalClosing) {
        setState(State::Closing);
        if (m_active.timeouts.closeMs > 0)
            m_closeTimer.start(m_active.timeouts.closeMs);
    }
    if (!m_draining) {
        m_turnTimeUs = SessionRecord::nowUs();
        drainEvents();
    }
    return result;
}

void ConnectionSession::abort()
{
    Turn turn(this);
    m_userClosing = true;
    m_reconnect.cancel();
    switch (m_state) {
    case State::Idle:
    case State::Closed:
        return;
    case State::WaitingToReconnect:
        finish();
        return;
    case State::Resolving:
    case State::Connecting:
    case State::Securing:
    case State::Handshaking:
        m_connectTimer.stop();
        m_handshakeTimer.stop();
        m_pendingTeardown = Teardown::Abort;
        if (m_lookupId >= 0)
            QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
        recordEvent(SessionEventKind::Note,
                    JsonWriter("note")
                        .string("message", QStringLiteral("aborted before the connection was open"))
                        .take());
        finish();
        return;
    case State::Open:
    case State::Closing:
        break;
    }
    m_aborting = true;
    m_pendingTeardown = Teardown::Abort;
    m_connection->receiveEof();
    if (!m_draining)
        drainEvents();
}

// ---------------------------------------------------------------------------------------------
// Keepalive

void ConnectionSession::onPingTimer()
{
    Turn turn(this);
    if (m_state != State::Open)
        return;
    if (m_pings.awaitingKeepalive())
        return; // its pong timeout is running
    const QByteArray payload = m_pings.nextKeepalivePayload();
    if (!m_connection->sendPing(payload))
        return;
    ++m_stats.pingsSent;
    m_pings.remember(payload, true, m_clock);
    if (m_active.keepalive.pongTimeoutMs > 0)
        m_pongTimer.start(m_active.keepalive.pongTimeoutMs);
    m_turnTimeUs = SessionRecord::nowUs();
    drainEvents();
}

void ConnectionSession::onPongTimeout()
{
    Turn turn(this);
    if (m_state != State::Open && m_state != State::Closing)
        return;
    loseConnection(SessionError::KeepaliveTimeout,
                   QStringLiteral("no pong within %1: the connection is considered dead")
                       .arg(formatDuration(m_active.keepalive.pongTimeoutMs)));
}

// ---------------------------------------------------------------------------------------------
// Ending

void ConnectionSession::failAttempt(SessionError error, const QString &message)
{
    if (m_lossReported)
        return; // one explanation per attempt: the first
    m_lossReported = true;
    m_connectTimer.stop();
    m_handshakeTimer.stop();
    if (m_lookupId >= 0)
        QHostInfo::abortHostLookup(m_lookupId);
    m_lookupId = -1;
    m_pendingTeardown = Teardown::Abort;
    reportError(error, message);
    const bool mayReconnect = m_active.reconnect.enabled && !m_userClosing
        && (m_everOpened || m_active.reconnect.retryFirstConnect);
    finishOrReconnect(mayReconnect);
}

void ConnectionSession::loseConnection(SessionError error, const QString &message)
{
    if (!m_lossReported) {
        m_lossReported = true;
        reportError(error, message);
    }
    m_pendingTeardown = Teardown::Abort;
    m_connection->receiveEof();
    if (!m_draining)
        drainEvents();
}

void ConnectionSession::connectionEnded(const CloseInfo &info)
{
    m_closeInfo = info;
    if (m_aborting)
        m_closeInfo.origin = CloseOrigin::Local;
    m_connectTimer.stop();
    m_handshakeTimer.stop();
    m_closeTimer.stop();
    m_pingTimer.stop();
    m_pongTimer.stop();
    m_pings.clear();
    if (m_closeInfo.origin == CloseOrigin::Transport && !m_lossReported) {
        m_lossReported = true;
        reportError(SessionError::ConnectionLost,
                    m_userClosing
                        ? QStringLiteral("close: %1 dropped the connection without answering "
                                         "our close frame")
                              .arg(endpointName())
                        : QStringLiteral("connection lost: %1 closed the TCP connection without "
                                         "a closing handshake")
                              .arg(endpointName()));
    }
    JsonWriter json("close");
    json.number("code", m_closeInfo.code)
        .string("reason", m_closeInfo.reason)
        .boolean("clean", m_closeInfo.clean)
        .string("origin", closeOriginName(m_closeInfo.origin));
    if (m_closeInfo.violation)
        json.string("violation", describe(*m_closeInfo.violation));
    recordEvent(SessionEventKind::Close, json.take());
    // Graceful unless the end was a drop on purpose (abort, timeouts): a close frame we just
    // queued, e.g. the 1002 that fails a peer that broke the protocol, still reaches the peer.
    if (m_pendingTeardown == Teardown::None)
        m_pendingTeardown = Teardown::Graceful;
    Q_EMIT closed(m_closeInfo, m_generation);

    const bool mayReconnect = m_active.reconnect.enabled && !m_userClosing && !m_closeInfo.violation
        && m_active.reconnect.reconnectsAfter(m_closeInfo.code);
    finishOrReconnect(mayReconnect);
}

void ConnectionSession::finishOrReconnect(bool mayReconnect)
{
    if (mayReconnect) {
        // scheduleNext() reports through scheduled() or gaveUp().
        m_reconnect.scheduleNext();
        return;
    }
    finish();
}

void ConnectionSession::finish()
{
    setState(State::Closed);
    Q_EMIT finished(m_generation);
}

void ConnectionSession::onReconnectScheduled(int attempt, qint64 delayMs)
{
    recordEvent(
        SessionEventKind::Reconnect,
        JsonWriter("reconnect").number("attempt", attempt).number("delayMs", delayMs).take());
    setState(State::WaitingToReconnect);
    Q_EMIT reconnectScheduled(attempt, delayMs, m_generation);
}

void ConnectionSession::onReconnectDue(int attempt)
{
    Turn turn(this);
    if (m_state != State::WaitingToReconnect)
        return;
    startAttempt(attempt);
}

void ConnectionSession::onReconnectGaveUp(int attempts)
{
    reportError(SessionError::ReconnectGaveUp,
                QStringLiteral("reconnect: gave up after %1 attempt%2")
                    .arg(attempts)
                    .arg(attempts == 1 ? QString() : QStringLiteral("s")));
    finish();
}

// ---------------------------------------------------------------------------------------------
// Reporting

void ConnectionSession::connectNotify(const QMetaMethod &signal)
{
    if (signal == QMetaMethod::fromSignal(&ConnectionSession::recordGrew))
        m_recordGrewConnected = true;
    else if (signal == QMetaMethod::fromSignal(&ConnectionSession::pongReceived))
        m_pongReceivedConnected = true;
}

void ConnectionSession::disconnectNotify(const QMetaMethod &)
{
    // The method may be invalid (everything disconnected at once): ask again for both.
    m_recordGrewConnected =
        isSignalConnected(QMetaMethod::fromSignal(&ConnectionSession::recordGrew));
    m_pongReceivedConnected =
        isSignalConnected(QMetaMethod::fromSignal(&ConnectionSession::pongReceived));
}

void ConnectionSession::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state, m_generation);
}

qsizetype ConnectionSession::recordEvent(SessionEventKind kind, QByteArrayView json, qint64 timeUs)
{
    const qsizetype index = m_record->appendEvent(timeUs >= 0 ? timeUs : SessionRecord::nowUs(),
                                                  m_generation, kind, json);
    for (std::size_t i = 0; i < m_observers.size(); ++i)
        m_observers[i]->eventRecorded(kind, json, index);
    return index;
}

void ConnectionSession::reportError(SessionError error, const QString &message)
{
    m_error = error;
    m_errorString = message;
    recordEvent(
        SessionEventKind::Error,
        JsonWriter("error").string("error", errorName(error)).string("message", message).take());
    Q_EMIT errorOccurred(error, message, m_generation);
}

void ConnectionSession::reportWarning(const QString &message)
{
    recordEvent(SessionEventKind::Note, JsonWriter("warning").string("message", message).take());
    Q_EMIT warningOccurred(message, m_generation);
}

QString ConnectionSession::endpointName() const
{
    const QString host = QString::fromLatin1(m_target.host);
    return host.contains(u':') ? QStringLiteral("[%1]:%2").arg(host).arg(m_target.port)
                               : QStringLiteral("%1:%2").arg(host).arg(m_target.port);
}

} // namespace duplex
