#include "app/cli/HarRecorder.h"

#include "core/session/ConnectionSession.h"
#include "core/session/SessionExport.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace duplex::cli {

using namespace Qt::Literals::StringLiterals;

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
    if (!SessionExport::readHandshake(
            { m_session.handshakeRequest(), m_session.handshakeResponse() }, handshake))
        return;
    const SessionTimings &timings = m_session.timings();
    handshake.timings = SessionExport::timingsOf(timings.dnsUs, timings.connectUs, timings.tlsUs,
                                                 timings.handshakeUs);
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
    QString problem;
    if (SessionExport::writeFile(path, document().toJson(), &problem))
        return true;
    problem[0] = problem[0].toLower();
    *error = u"--export-har: "_s + problem;
    return false;
}

} // namespace duplex::cli
