#include "core/session/SessionExport.h"

#include "core/protocol/HttpHead.h"
#include "core/session/FrameJsonLines.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <array>
#include <optional>

namespace duplex {

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
    QByteArray head = bytes;
    // A response may carry a body (a refusal's text) after the head.
    if (const qsizetype end = head.indexOf("\r\n\r\n"); end >= 0)
        head.truncate(end + 4);
    HttpHeadParser parser(kind, head.size() + 1);
    if (head.isEmpty() || parser.parse(head) != HttpHeadParser::Status::Complete)
        return std::nullopt;
    return parser.takeHead();
}

double milliseconds(qint64 us)
{
    return us < 0 ? -1.0 : double(us) / 1000.0;
}

qint64 microseconds(const QJsonObject &object, QLatin1StringView key)
{
    const QJsonValue value = object.value(key);
    return value.isDouble() ? value.toInteger() : -1;
}

// The data message being joined in one direction.
struct MessageInProgress
{
    bool active = false;
    quint8 opcode = 0;
    double time = 0;
    QByteArray data;
};

} // namespace

QByteArray SessionExport::jsonLine(const SessionRecord &record, const RecordEntry &entry)
{
    if (entry.type == RecordType::Frame)
        return FrameJsonLines::frameLine(record, entry, FrameJsonLines::WithTime);
    const QByteArrayView json = record.data(entry);
    FrameJsonLines::Object prefix;
    prefix.add("timeUs"_L1, entry.timeUs).add("generation"_L1, int(entry.generation));
    QByteArray line = prefix.take();
    // {"timeUs":1,"generation":0} + {"event":...} -> {"timeUs":1,"generation":0,"event":...}
    if (json.size() > 2 && json.front() == '{') {
        line.chop(1);
        line += ',';
        line += json.sliced(1);
    }
    return line;
}

QByteArray SessionExport::jsonLines(const SessionRecord &record)
{
    QByteArray out;
    const qsizetype size = record.size();
    for (qsizetype i = 0; i < size; ++i) {
        const QByteArray line = jsonLine(record, record.entry(i));
        if (line.isEmpty())
            continue;
        out += line;
        out += '\n';
    }
    return out;
}

bool SessionExport::readHandshake(const HandshakeBytes &bytes, HarDocument::Handshake &handshake)
{
    if (auto request = parseHead(bytes.request, HttpHeadParser::Kind::Request)) {
        handshake.method = QString::fromLatin1(request->method);
        handshake.httpVersion = QString::fromLatin1(request->version);
        handshake.requestHeaders = headersOf(*request);
    }
    const auto response = parseHead(bytes.response, HttpHeadParser::Kind::Response);
    if (!response)
        return false;
    handshake.status = response->statusCode;
    handshake.statusText = QString::fromLatin1(response->reasonPhrase);
    handshake.responseHttpVersion = QString::fromLatin1(response->version);
    handshake.responseHeaders = headersOf(*response);
    return true;
}

HarDocument::Timings SessionExport::timingsOf(qint64 dnsUs, qint64 connectUs, qint64 tlsUs,
                                              qint64 handshakeUs)
{
    HarDocument::Timings timings;
    timings.dns = milliseconds(dnsUs);
    timings.ssl = milliseconds(tlsUs);
    // HAR's connect includes the TLS handshake.
    if (connectUs >= 0)
        timings.connect = milliseconds(connectUs + qMax<qint64>(0, tlsUs));
    timings.wait = qMax(0.0, milliseconds(handshakeUs));
    return timings;
}

HarDocument SessionExport::har(const SessionRecord &record,
                               const QHash<quint16, HandshakeBytes> &handshakes)
{
    HarDocument document;
    std::optional<HarDocument::Entry> pending; // a connection attempt not answered yet
    quint16 pendingGeneration = 0;
    QHash<quint16, qsizetype> entryOf; // generation -> index in document.entries
    std::array<MessageInProgress, 2> messages {};

    const auto commit = [&] {
        if (!pending)
            return;
        if (const auto it = handshakes.constFind(pendingGeneration); it != handshakes.cend())
            readHandshake(*it, pending->handshake);
        entryOf.insert(pendingGeneration, document.entries.size());
        document.entries.append(*pending);
        pending.reset();
        messages = {};
    };

    const qsizetype size = record.size();
    for (qsizetype i = 0; i < size; ++i) {
        const RecordEntry &entry = record.entry(i);
        if (entry.type == RecordType::SessionEvent) {
            const auto kind = SessionEventKind(entry.group);
            if (kind != SessionEventKind::Connecting && kind != SessionEventKind::Open
                && kind != SessionEventKind::Redirect)
                continue;
            const QJsonObject event =
                QJsonDocument::fromJson(record.data(entry).toByteArray()).object();
            if (kind == SessionEventKind::Connecting) {
                pending = HarDocument::Entry {};
                pending->handshake.url = event.value("url"_L1).toString();
                pending->handshake.startedAt =
                    QDateTime::fromMSecsSinceEpoch(entry.timeUs / 1000, Qt::UTC);
                pendingGeneration = entry.generation;
                continue;
            }
            if (!pending || pendingGeneration != entry.generation)
                continue;
            pending->handshake.status = event.value("status"_L1).toInt(101);
            if (kind == SessionEventKind::Redirect) {
                pending->handshake.statusText = u"Redirect"_s;
            } else {
                const QJsonObject timings = event.value("timings"_L1).toObject();
                pending->handshake.timings = timingsOf(
                    microseconds(timings, "dnsUs"_L1), microseconds(timings, "connectUs"_L1),
                    microseconds(timings, "tlsUs"_L1), microseconds(timings, "handshakeUs"_L1));
            }
            commit();
            continue;
        }

        const Opcode opcode = Opcode(entry.firstByte & 0x0F);
        const auto found = entryOf.constFind(entry.generation);
        if (isControl(opcode) || found == entryOf.cend())
            continue;
        MessageInProgress &message = messages[entry.direction == Direction::Incoming ? 0 : 1];
        if (opcode != Opcode::Continuation) {
            message.active = true;
            message.opcode = quint8(opcode);
            message.time = double(entry.timeUs) / 1e6;
            message.data.clear();
        }
        if (!message.active)
            continue; // a continuation without its start
        message.data += record.payload(entry);
        if (entry.flags & RecordMessageEnd) {
            HarDocument::Message done;
            done.direction = entry.direction;
            done.time = message.time;
            done.opcode = message.opcode;
            done.data = std::move(message.data);
            document.entries[*found].messages.append(std::move(done));
            message = {};
        }
    }
    return document;
}

bool SessionExport::writeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = u"Cannot write \"%1\": %2"_s.arg(path, file.errorString());
        return false;
    }
    if (file.write(bytes) != bytes.size() || !file.commit()) {
        *error = u"Cannot write \"%1\": %2"_s.arg(path, file.errorString());
        file.cancelWriting();
        return false;
    }
    return true;
}

} // namespace duplex
