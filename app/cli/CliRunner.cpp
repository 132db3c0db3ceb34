#include "app/cli/CliRunner.h"

#include "core/protocol/CloseCode.h"

#include <QAbstractSocket>

#include <memory>

namespace duplex::cli {
namespace {

using namespace Qt::Literals::StringLiterals;

// How long to wait, after the session finished, for its sockets to hand their last bytes (our
// close frame) to the system before the process exits anyway.
constexpr int SocketDrainLimitMs = 3000;

// The first bytes of a refused handshake's body, on one line, control bytes escaped.
QString bodyExcerpt(const QByteArray &response)
{
    const qsizetype headEnd = response.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return {};
    const QByteArray body = response.mid(headEnd + 4);
    if (body.isEmpty())
        return {};
    constexpr qsizetype Shown = 300;
    QString text = QString::fromUtf8(body.left(Shown));
    QString escaped;
    for (const QChar c : std::as_const(text)) {
        if (c == u'\n')
            escaped += u"\\n"_s;
        else if (c == u'\r')
            escaped += u"\\r"_s;
        else if (c == u'\t')
            escaped += u"\\t"_s;
        else if (c.unicode() < 0x20 || c.unicode() == 0x7F)
            escaped += u"\\x%1"_s.arg(int(c.unicode()), 2, 16, QChar(u'0'));
        else
            escaped += c;
    }
    if (body.size() > Shown)
        escaped += u"... (%1 bytes in all)"_s.arg(body.size());
    return escaped;
}

} // namespace

CliRunner::CliRunner(const CliOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_session(options.session)
    , m_idleTimer(this)
{
    m_session.addObserver(this);
    if (!options.exportHar.isEmpty())
        m_har = std::make_unique<HarRecorder>(m_session);
    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, &CliRunner::onIdleTimeout);
    connect(&m_session, &ConnectionSession::opened, this, &CliRunner::onOpened);
    connect(&m_session, &ConnectionSession::closed, this, &CliRunner::onClosed);
    connect(&m_session, &ConnectionSession::errorOccurred, this, &CliRunner::onError);
    connect(&m_session, &ConnectionSession::warningOccurred, this, &CliRunner::onWarning);
    connect(&m_session, &ConnectionSession::reconnectScheduled, this,
            &CliRunner::onReconnectScheduled);
    connect(&m_session, &ConnectionSession::finished, this, &CliRunner::onSessionFinished);
    // Output goes out once per turn of the session, not once per message.
    connect(&m_session, &ConnectionSession::recordGrew, this, &CliRunner::flushOutput);
}

CliRunner::~CliRunner()
{
    m_session.removeObserver(this);
    flushOutput();
}

void CliRunner::start()
{
    if (m_options.idleTimeoutMs > 0)
        m_idleTimer.start(m_options.idleTimeoutMs);
    m_session.open();
}

void CliRunner::interrupt()
{
    if (m_done)
        return;
    if (++m_interrupts > 1) {
        diagnose(u"interrupted again; dropping the connection"_s);
        m_session.abort();
        return;
    }
    diagnose(u"interrupted; closing (interrupt again to drop the connection)"_s);
    closeOnPurpose();
}

// ---------------------------------------------------------------------------------------------
// What the session reports

void CliRunner::frameRecorded(const FrameView &frame, qsizetype)
{
    if (frame.direction == Direction::Incoming && m_options.idleTimeoutMs > 0 && !m_timedOut)
        m_idleTimer.start(m_options.idleTimeoutMs);
    if (m_options.frames)
        writeLine(m_frameLines.frameLine(frame));
}

void CliRunner::eventRecorded(SessionEventKind kind, QByteArrayView json, qsizetype)
{
    if (kind == SessionEventKind::Connecting)
        m_frameLines.reset(); // a new connection: no message is in progress
    if (m_options.frames)
        writeLine(json);
}

void CliRunner::textReceived(QByteArrayView utf8, bool)
{
    if (m_closeRequested)
        return;
    if (!m_options.frames)
        writeLine(utf8);
    if (m_options.echo)
        m_session.sendText(utf8, sendOptions());
    messageReceived();
}

void CliRunner::binaryReceived(QByteArrayView data, bool)
{
    if (m_closeRequested)
        return;
    if (!m_options.frames) {
        m_hex.resize(data.size() * 2);
        static constexpr char digits[] = "0123456789abcdef";
        char *out = m_hex.data();
        for (const char byte : data) {
            *out++ = digits[uchar(byte) >> 4];
            *out++ = digits[uchar(byte) & 0xF];
        }
        writeLine(m_hex);
    }
    if (m_options.echo)
        m_session.sendBinary(data, sendOptions());
    messageReceived();
}

SendOptions CliRunner::sendOptions() const
{
    SendOptions options;
    options.compress = m_options.compress;
    return options;
}

void CliRunner::messageReceived()
{
    ++m_received;
    if (m_options.count > 0 && m_received >= m_options.count)
        closeOnPurpose();
}

void CliRunner::onOpened(quint16)
{
    if (m_options.idleTimeoutMs > 0 && !m_timedOut)
        m_idleTimer.start(m_options.idleTimeoutMs);
}

void CliRunner::onClosed(const CloseInfo &info, quint16)
{
    if (info.violation == ProtocolError::MessageTooBig
        || info.violation == ProtocolError::InflatedTooBig) {
        diagnose(u"the limit is %1 bytes; --max-message-size raises it"_s.arg(
            m_options.session.limits.maxMessageSize));
    }
    if (info.origin == CloseOrigin::Remote && info.code != CloseCode::Normal) {
        const char *name = closeCodeName(info.code);
        QString message = u"the server closed the connection with %1"_s.arg(info.code);
        if (name && *name)
            message += u" ("_s + QLatin1StringView(name) + u")"_s;
        if (!info.reason.isEmpty())
            message += u": \""_s + QString::fromUtf8(info.reason) + u"\""_s;
        diagnose(message);
    }
}

void CliRunner::onError(SessionError error, const QString &message, quint16)
{
    diagnose(message);
    if (error == SessionError::HandshakeRejected) {
        const QString body = bodyExcerpt(m_session.handshakeResponse());
        if (!body.isEmpty())
            diagnose(u"the response body begins: "_s + body);
    }
}

void CliRunner::onWarning(const QString &message, quint16)
{
    diagnose(u"warning: "_s + message);
}

void CliRunner::onReconnectScheduled(int attempt, qint64 delayMs, quint16)
{
    diagnose(u"reconnecting in %1 ms (attempt %2)"_s.arg(delayMs).arg(attempt));
}

void CliRunner::onIdleTimeout()
{
    if (m_done)
        return;
    m_timedOut = true;
    diagnose(u"nothing received for %1 s (--timeout); closing"_s.arg(double(m_options.idleTimeoutMs)
                                                                     / 1000.0));
    closeOnPurpose();
}

void CliRunner::closeOnPurpose()
{
    if (m_closeRequested)
        return;
    m_closeRequested = true;
    switch (m_session.state()) {
    case ConnectionSession::State::Open:
        if (!m_session.close(m_options.closeCode, m_options.closeReason))
            m_session.abort();
        break;
    case ConnectionSession::State::Closing:
        break; // the closing handshake is already running
    default:
        m_session.abort();
        break;
    }
}

void CliRunner::onSessionFinished(quint16)
{
    if (m_done)
        return;
    m_done = true;
    m_idleTimer.stop();
    flushOutput();
    int code = int(exitCode());
    if (m_har) {
        QString problem;
        if (!m_har->write(m_options.exportHar, &problem)) {
            diagnose(problem);
            code = int(ExitCode::Usage);
        }
    }
    finishWhenSocketsAreGone(code);
}

ExitCode CliRunner::exitCode() const
{
    if (m_timedOut)
        return ExitCode::Timeout;
    const SessionError error = m_session.error();
    if (error != SessionError::None)
        return exitCodeFor(error);
    return m_session.closeInfo().clean ? ExitCode::Closed : ExitCode::ConnectionLost;
}

void CliRunner::finishWhenSocketsAreGone(int code)
{
    // The session lets go of its socket once the closing handshake is done, but the socket may
    // still hold our last frames (the close reply). Exit once every socket is gone.
    const QList<QAbstractSocket *> sockets = m_session.findChildren<QAbstractSocket *>();
    auto emitted = std::make_shared<bool>(false);
    auto finish = [this, code, emitted] {
        if (*emitted)
            return;
        *emitted = true;
        flushOutput();
        Q_EMIT finished(code);
    };
    if (sockets.isEmpty()) {
        finish();
        return;
    }
    auto remaining = std::make_shared<qsizetype>(sockets.size());
    for (QAbstractSocket *socket : sockets) {
        connect(socket, &QObject::destroyed, this, [remaining, finish] {
            if (--*remaining == 0)
                finish();
        });
    }
    QTimer::singleShot(SocketDrainLimitMs, this, finish);
}

// ---------------------------------------------------------------------------------------------
// Output

void CliRunner::writeLine(QByteArrayView line)
{
    std::fwrite(line.data(), 1, size_t(line.size()), stdout);
    std::fputc('\n', stdout);
}

void CliRunner::flushOutput()
{
    std::fflush(stdout);
}

void CliRunner::diagnose(const QString &message)
{
    const QByteArray text = u"duplex-cli: %1\n"_s.arg(message).toUtf8();
    std::fwrite(text.data(), 1, size_t(text.size()), stderr);
    std::fflush(stderr);
}

} // namespace duplex::cli
