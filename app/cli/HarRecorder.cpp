#include "app/cli/HarRecorder.h"

#include "core/protocol/HttpHead.h"
#include "core/session/ConnectionSession.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace duplex::cli {
namespace {

using namespace Qt::Literals::StringLiterals;

QList<HarDocument::Header> headersOf(const HttpHead &head)
{
    QList<HarDocument::Header> headers;
    for (const HttpHeader &header : head.headers)
        headers.append({ QString::fromLatin1(header.name), QString::fromUtf8(header.value) });
    return headers;
}

std::optional<HttpHead> parseHead(const QByteArray &bytes, HttpHeadParser::Kind kind)
{
    HttpHeadParser parser(kind, bytes.size() + 1);
    if (parser.parse(bytes) != HttpHeadParser::Status::Complete)
        return std::nullopt;
    return parser.takeHead();
}

double milliseconds(qint64 us)
{
    return us < 0 ? -1.0 : double(us) / 1000.0;
}

} // namespace

HarRecorder::HarRecorder(ConnectionSession &session)
    : m_session(session)
{
    m_session.addObserver(this);
}

HarRecorder::~HarRecorder()
{
    m_session.removeObserver(this);
}

void HarRecorder::eventRecorded(SessionEventKind kind, QByteArrayView json, qsizetype index)
{
    switch (kind) {
    case SessionEventKind::Connecting: {
        if (!m_entries.isEmpty() && !m_answered)
            m_entries.removeLast(); // the previous attempt never got an answer
        const QJsonObject event = QJsonDocument::fromJson(json.toByteArray()).object();
        HarDocument::Entry entry;
        entry.handshake.url = event.value("url"_L1).toString();
        entry.handshake.startedAt =
            QDateTime::fromMSecsSinceEpoch(m_session.record()->entry(index).timeUs / 1000, Qt::UTC);
        m_entries.append(entry);
        m_answered = false;
        m_messages = {};
        break;
    }
    case SessionEventKind::Open:
    case SessionEventKind::Redirect:
        takeHandshake();
        break;
    case SessionEventKind::Error:
        if (!m_session.handshakeResponse().isEmpty() && !m_answered)
            takeHandshake();
        break;
    default:
        break;
    }
}

void HarRecorder::takeHandshake()
{
    if (m_entries.isEmpty())
        return;
    HarDocument::Handshake &handshake = m_entries.last().handshake;
    if (auto request = parseHead(m_session.handshakeRequest(), HttpHeadParser::Kind::Request)) {
        handshake.method = QString::fromLatin1(request->method);
        handshake.httpVersion = QString::fromLatin1(request->version);
        handshake.requestHeaders = headersOf(*request);
    }
    QByteArray responseBytes = m_session.handshakeResponse();
    const qsizetype headEnd = responseBytes.indexOf("\r\n\r\n");
    if (headEnd >= 0)
        responseBytes.truncate(headEnd + 4);
    auto response = parseHead(responseBytes, HttpHeadParser::Kind::Response);
    if (!response)
        return;
    handshake.status = response->statusCode;
    handshake.statusText = QString::fromLatin1(response->reasonPhrase);
    handshake.responseHttpVersion = QString::fromLatin1(response->version);
    handshake.responseHeaders = headersOf(*response);
    const SessionTimings &timings = m_session.timings();
    handshake.timings.dns = milliseconds(timings.dnsUs);
    handshake.timings.ssl = milliseconds(timings.tlsUs);
    if (timings.connectUs >= 0)
        handshake.timings.connect =
            milliseconds(timings.connectUs + qMax<qint64>(0, timings.tlsUs));
    handshake.timings.wait = qMax(0.0, milliseconds(timings.handshakeUs));
    m_answered = true;
}

void HarRecorder::frameRecorded(const FrameView &frame, qsizetype index)
{
    if (m_entries.isEmpty() || isControl(frame.header.opcode))
        return;
    MessageInProgress &message = m_messages[frame.direction == Direction::Incoming ? 0 : 1];
    if (frame.header.opcode != Opcode::Continuation) {
        message.active = true;
        message.opcode = quint8(frame.header.opcode);
        message.time = double(m_session.record()->entry(index).timeUs) / 1e6;
        message.data.clear();
        message.compressed = frame.header.rsv1;
    }
    if (!message.active)
        return;
    if (message.compressed)
        message.data += frame.inflated;
    else if (frame.header.masked && frame.payload.isEmpty())
        message.data += frame.payloadInClear();
    else
        message.data += frame.payload;
    if (frame.header.fin) {
        HarDocument::Message done;
        done.direction = frame.direction;
        done.time = message.time;
        done.opcode = message.opcode;
        done.data = std::move(message.data);
        m_entries.last().messages.append(std::move(done));
        message = {};
    }
}

HarDocument HarRecorder::document() const
{
    HarDocument document;
    document.entries = m_entries;
    if (!document.entries.isEmpty() && !m_answered)
        document.entries.removeLast();
    return document;
}

bool HarRecorder::write(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = u"--export-har: cannot write \"%1\": %2"_s.arg(path, file.errorString());
        return false;
    }
    file.write(document().toJson());
    if (!file.commit()) {
        *error = u"--export-har: cannot write \"%1\": %2"_s.arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace duplex::cli
