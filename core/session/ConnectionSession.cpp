// ConnectionSession, part one: the session, its drain loop, sending, keepalive and what it
// records. A connection attempt, from the host lookup to its end, is in
// ConnectionSessionAttempt.cpp.

#include "core/session/ConnectionSession.h"

#include "core/protocol/CloseCode.h"
#include "core/session/ConnectionSessionDetail.h"
#include "core/session/FrameJsonLines.h"
#include "core/session/RedirectStep.h"
#include "core/session/SessionObserver.h"

#include <QHostInfo>
#include <QMetaMethod>
#include <QSslSocket>
#include <QTcpSocket>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace duplex {

using namespace Qt::Literals::StringLiterals;
using detail::eventJson;

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

} // namespace

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

    FrameJsonLines::Object json = eventJson("open");
    json.add("status"_L1, qint64(event.response.statusCode))
        .addString("subprotocol"_L1, event.negotiated.subprotocol)
        .addString("extensions"_L1, event.negotiated.extensions)
        .addString("url"_L1, m_target.url.toString(QUrl::FullyEncoded));
    if (m_tlsInfo.encrypted) {
        FrameJsonLines::Object tls;
        tls.addString("protocol"_L1, m_tlsInfo.protocol).addString("cipher"_L1, m_tlsInfo.cipher);
        if (!m_tlsInfo.ignoredErrors.isEmpty())
            tls.addStrings("ignoredErrors"_L1, m_tlsInfo.ignoredErrors);
        json.addRaw("tls"_L1, tls.take());
    }
    FrameJsonLines::Object timings;
    timings.add("dnsUs"_L1, qint64(m_timings.dnsUs))
        .add("connectUs"_L1, qint64(m_timings.connectUs))
        .add("tlsUs"_L1, qint64(m_timings.tlsUs))
        .add("handshakeUs"_L1, qint64(m_timings.handshakeUs));
    json.addRaw("timings"_L1, timings.take());
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
    // {"event":"pong","rttUs":1234,"rttMs":1.234}, as eventJson() would write it, on the stack:
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
    recountListeners();
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
        recountListeners();
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
                       .arg(detail::formatDuration(m_active.keepalive.pongTimeoutMs)));
}

// ---------------------------------------------------------------------------------------------
// Reporting

void ConnectionSession::connectNotify(const QMetaMethod &signal)
{
    if (signal == QMetaMethod::fromSignal(&ConnectionSession::recordGrew))
        m_recordGrewConnected = true;
    else if (signal == QMetaMethod::fromSignal(&ConnectionSession::pongReceived))
        m_pongReceivedConnected = true;
    // A recount already under way may have read the connections before this one was added.
    m_recountListeners = true;
}

void ConnectionSession::disconnectNotify(const QMetaMethod &)
{
    // Qt may call this holding one of its pooled locks (while a listener is destroyed), and the
    // same lock may guard this object: asking Qt anything here, isSignalConnected() included,
    // can deadlock. The next emission asks instead.
    m_recountListeners = true;
}

void ConnectionSession::recountListeners()
{
    if (!m_recountListeners.load(std::memory_order_relaxed) || !m_recountListeners.exchange(false))
        return;
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
    recordEvent(SessionEventKind::Error,
                eventJson("error")
                    .addString("error"_L1, errorName(error))
                    .addString("message"_L1, message)
                    .take());
    Q_EMIT errorOccurred(error, message, m_generation);
}

void ConnectionSession::reportWarning(const QString &message)
{
    recordEvent(SessionEventKind::Note,
                eventJson("warning").addString("message"_L1, message).take());
    Q_EMIT warningOccurred(message, m_generation);
}

QString ConnectionSession::endpointName() const
{
    const QString host = QString::fromLatin1(m_target.host);
    return host.contains(u':') ? QStringLiteral("[%1]:%2").arg(host).arg(m_target.port)
                               : QStringLiteral("%1:%2").arg(host).arg(m_target.port);
}

} // namespace duplex
