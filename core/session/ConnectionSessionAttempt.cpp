// ConnectionSession, part two: a connection attempt from the host lookup to its end. Resolving,
// connecting (through a proxy), TLS, the opening handshake request, redirects and the time
// limits of each step; then how an attempt or a connection ends (failure, loss, close, abort)
// and whether a reconnect follows. The session and its drain loop are in ConnectionSession.cpp.

#include "core/session/ConnectionSession.h"
#include "core/session/ConnectionSessionDetail.h"
#include "core/session/FrameJsonLines.h"
#include "core/session/RedirectStep.h"
#include "core/session/SessionProxy.h"
#include "core/session/SessionTls.h"

#include <QAbstractEventDispatcher>
#include <QHostInfo>
#include <QSslCipher>
#include <QSslSocket>
#include <QTcpSocket>

namespace duplex {

using namespace Qt::Literals::StringLiterals;
using detail::eventJson;
using detail::formatDuration;

namespace {

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

    FrameJsonLines::Object event = eventJson("connecting");
    event.addString("url"_L1, m_target.url.toString(QUrl::FullyEncoded))
        .add("attempt"_L1, qint64(m_attemptNumber));
    if (!m_redirectChain.isEmpty())
        event.add("redirect"_L1, qint64(m_redirectChain.size()));
    if (m_proxy.type() != QNetworkProxy::NoProxy) {
        event.addString("proxy"_L1, SessionProxy::address(m_proxy));
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
    dropPassHooks();
    if (QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance()) {
        m_passHooks[0] = connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, this,
                                 &ConnectionSession::onEventLoopPass);
        m_passHooks[1] = connect(dispatcher, &QAbstractEventDispatcher::awake, this,
                                 &ConnectionSession::onEventLoopPass);
    }
}

// Without a socket there is nothing to flush at the end of a pass: an idle or closed session
// (a tab left open) is not called on every pass of its thread's event loop.
void ConnectionSession::dropPassHooks()
{
    for (QMetaObject::Connection &hook : m_passHooks)
        QObject::disconnect(hook);
    m_wroteThisPass = false; // the next socket's first write goes out at once
}

void ConnectionSession::destroySocket(bool graceful)
{
    if (m_lookupId >= 0)
        QHostInfo::abortHostLookup(m_lookupId);
    m_lookupId = -1;
    m_continueTimer.stop();
    dropPassHooks();
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
                    eventJson("tls").addStrings("ignoredErrors"_L1, described).take());
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
                        eventJson("note")
                            .addString("message"_L1,
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
                eventJson("redirect")
                    .add("status"_L1, qint64(status))
                    .addString("from"_L1, from.toString(QUrl::FullyEncoded))
                    .addString("to"_L1, next.url.toString(QUrl::FullyEncoded))
                    .add("hop"_L1, qint64(m_redirectChain.size() + 1))
                    .take());
    Q_EMIT redirected(from, next.url, status, m_generation);
    m_redirectChain.append(from);
    m_target = next;
    m_pendingTeardown = Teardown::Abort;
    beginConnection();
}

// ---------------------------------------------------------------------------------------------
// Closing

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
        recordEvent(
            SessionEventKind::Note,
            eventJson("note")
                .addString("message"_L1, QStringLiteral("aborted before the connection was open"))
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
    FrameJsonLines::Object json = eventJson("close");
    json.add("code"_L1, qint64(m_closeInfo.code))
        .addString("reason"_L1, m_closeInfo.reason)
        .add("clean"_L1, m_closeInfo.clean)
        .addString("origin"_L1, closeOriginName(m_closeInfo.origin));
    if (m_closeInfo.violation)
        json.addString("violation"_L1, describe(*m_closeInfo.violation));
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
    recordEvent(SessionEventKind::Reconnect,
                eventJson("reconnect")
                    .add("attempt"_L1, qint64(attempt))
                    .add("delayMs"_L1, qint64(delayMs))
                    .take());
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

} // namespace duplex
