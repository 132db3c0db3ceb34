#include "ui/RecordText.h"

#include "core/protocol/CloseCode.h"
#include "core/protocol/Masking.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace duplex::RecordText {
namespace {

constexpr char16_t Ellipsis = u'\u2026';

// Bytes of a UTF-8 prefix that end on a character boundary.
qsizetype utf8Boundary(QByteArrayView bytes)
{
    qsizetype end = bytes.size();
    qsizetype back = 0;
    while (back < 4 && end - back > 0 && (quint8(bytes[end - back - 1]) & 0xC0) == 0x80)
        ++back;
    if (end - back <= 0)
        return end;
    const quint8 lead = quint8(bytes[end - back - 1]);
    const int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (length > back + 1)
        return end - back - 1; // the last character is cut: drop it
    return end;
}

bool isValidUtf8(QByteArrayView bytes)
{
    return QUtf8StringView(bytes).isValidUtf8();
}

bool looksLikeText(QByteArrayView bytes)
{
    if (!isValidUtf8(bytes))
        return false;
    for (char c : bytes) {
        const auto u = quint8(c);
        if (u < 0x20 && c != '\n' && c != '\r' && c != '\t')
            return false;
    }
    return true;
}

// One line: line breaks as a visible symbol, other controls as their Unicode pictures.
QString oneLine(QString text, int maxChars, bool truncated)
{
    if (text.size() > maxChars) {
        text.truncate(maxChars);
        truncated = true;
    }
    for (QChar &c : text) {
        const char16_t u = c.unicode();
        if (u == u'\n')
            c = QChar(u'\u21B5');
        else if (u == u'\t' || u == u'\r')
            c = QChar(u' ');
        else if (u < 0x20)
            c = QChar(char16_t(0x2400 + u));
    }
    if (truncated)
        text.append(QChar(Ellipsis));
    return text;
}

QString textOf(QByteArrayView payload, quint64 totalSize, int maxChars)
{
    const bool truncated = quint64(payload.size()) < totalSize;
    const QByteArrayView whole = truncated ? payload.first(utf8Boundary(payload)) : payload;
    return oneLine(QString::fromUtf8(whole), maxChars, truncated);
}

QString jsonValueText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isDouble())
        return QString::number(value.toDouble());
    if (value.isNull())
        return QStringLiteral("null");
    const QJsonDocument document =
        value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    return QString::fromUtf8(document.toJson(QJsonDocument::Compact));
}

} // namespace

LenientHeader readHeader(QByteArrayView wire)
{
    LenientHeader result;
    if (wire.size() < 2)
        return result;
    const auto *bytes = reinterpret_cast<const quint8 *>(wire.data());
    FrameHeader &header = result.header;
    header.fin = bytes[0] & 0x80;
    header.rsv1 = bytes[0] & 0x40;
    header.rsv2 = bytes[0] & 0x20;
    header.rsv3 = bytes[0] & 0x10;
    header.opcode = static_cast<Opcode>(bytes[0] & 0x0F);
    header.masked = bytes[1] & 0x80;
    const int shortLength = bytes[1] & 0x7F;
    const int extended = shortLength == 126 ? 2 : shortLength == 127 ? 8 : 0;
    result.size = 2 + extended + (header.masked ? 4 : 0);
    if (wire.size() < result.size)
        return result;
    quint64 length = quint64(shortLength);
    if (extended) {
        length = 0;
        for (int i = 0; i < extended; ++i)
            length = (length << 8) | bytes[2 + i];
    }
    header.payloadLength = length;
    if (header.masked) {
        const quint8 *key = bytes + 2 + extended;
        header.maskKey = { key[0], key[1], key[2], key[3] };
    }
    result.complete = true;
    return result;
}

Opcode opcodeOf(const RecordEntry &entry)
{
    return static_cast<Opcode>(entry.firstByte & 0x0F);
}

MessageKind kindOf(const RecordEntry &entry)
{
    if (entry.type == RecordType::SessionEvent)
        return MessageKind::SessionEvent;
    switch (opcodeOf(entry)) {
    case Opcode::Continuation:
        return MessageKind::Continuation;
    case Opcode::Text:
        return MessageKind::Text;
    case Opcode::Binary:
        return MessageKind::Binary;
    case Opcode::Close:
        return MessageKind::Close;
    case Opcode::Ping:
        return MessageKind::Ping;
    case Opcode::Pong:
        return MessageKind::Pong;
    default:
        return MessageKind::Reserved;
    }
}

QString typeName(const RecordEntry &entry)
{
    if (entry.type == RecordType::Frame)
        return QString::fromLatin1(opcodeName(opcodeOf(entry)));
    switch (static_cast<SessionEventKind>(entry.group)) {
    case SessionEventKind::Connecting:
        return QStringLiteral("connecting");
    case SessionEventKind::Open:
        return QStringLiteral("open");
    case SessionEventKind::Close:
        return QStringLiteral("closed");
    case SessionEventKind::Error:
        return QStringLiteral("error");
    case SessionEventKind::Reconnect:
        return QStringLiteral("reconnect");
    case SessionEventKind::Redirect:
        return QStringLiteral("redirect");
    case SessionEventKind::Tls:
        return QStringLiteral("tls");
    case SessionEventKind::Note:
        return QStringLiteral("note");
    case SessionEventKind::Pong:
        return QStringLiteral("round trip");
    }
    return QStringLiteral("event");
}

QString kindName(MessageKind kind)
{
    switch (kind) {
    case MessageKind::Text:
        return QStringLiteral("Text");
    case MessageKind::Binary:
        return QStringLiteral("Binary");
    case MessageKind::Continuation:
        return QStringLiteral("Continuation");
    case MessageKind::Ping:
        return QStringLiteral("Ping");
    case MessageKind::Pong:
        return QStringLiteral("Pong");
    case MessageKind::Close:
        return QStringLiteral("Close");
    case MessageKind::Reserved:
        return QStringLiteral("Reserved opcodes");
    case MessageKind::SessionEvent:
        return QStringLiteral("Session events");
    }
    return {};
}

quint64 wirePayloadSize(const RecordEntry &entry, QByteArrayView data)
{
    if (entry.type != RecordType::Frame)
        return quint64(data.size());
    const LenientHeader parsed = readHeader(data);
    if (!parsed.complete)
        return 0;
    return qMin(parsed.header.payloadLength, quint64(data.size() - parsed.size));
}

quint64 payloadSize(const SessionRecord &record, const RecordEntry &entry)
{
    const QByteArrayView data = record.data(entry);
    if (entry.type != RecordType::Frame)
        return quint64(data.size());
    const LenientHeader parsed = readHeader(data);
    if (!parsed.complete)
        return 0;
    const quint64 onWire = qMin(parsed.header.payloadLength, quint64(data.size() - parsed.size));
    if (entry.flags & RecordCompressed)
        return quint64(data.size() - parsed.size) - onWire;
    return onWire;
}

QByteArray payloadPrefix(const SessionRecord &record, const RecordEntry &entry, qsizetype maxBytes)
{
    const QByteArrayView data = record.data(entry);
    if (entry.type != RecordType::Frame)
        return data.first(qMin(maxBytes, data.size())).toByteArray();
    const LenientHeader parsed = readHeader(data);
    if (!parsed.complete)
        return {};
    const qsizetype onWire =
        qsizetype(qMin(parsed.header.payloadLength, quint64(data.size() - parsed.size)));
    if (entry.flags & RecordCompressed) {
        const QByteArrayView inflatedBytes = data.sliced(parsed.size + onWire);
        return inflatedBytes.first(qMin(maxBytes, inflatedBytes.size())).toByteArray();
    }
    const qsizetype size = qMin(maxBytes, onWire);
    QByteArray out(size, Qt::Uninitialized);
    if (parsed.header.masked)
        copyMasked(out.data(), data.data() + parsed.size, size, parsed.header.maskKey);
    else if (size > 0)
        std::memcpy(out.data(), data.data() + parsed.size, size_t(size));
    return out;
}

QString hex(QByteArrayView bytes, qsizetype maxBytes)
{
    static constexpr char digits[] = "0123456789abcdef";
    const bool truncated = maxBytes >= 0 && bytes.size() > maxBytes;
    const qsizetype count = truncated ? maxBytes : bytes.size();
    QString out(count > 0 ? count * 3 - 1 : 0, Qt::Uninitialized);
    QChar *p = out.data();
    for (qsizetype i = 0; i < count; ++i) {
        const auto b = quint8(bytes[i]);
        if (i)
            *p++ = QLatin1Char(' ');
        *p++ = QLatin1Char(digits[b >> 4]);
        *p++ = QLatin1Char(digits[b & 0xF]);
    }
    if (truncated)
        out.append(QChar(Ellipsis));
    return out;
}

QString closeCodeText(quint16 code)
{
    QString text = QString::number(code);
    if (const char *name = closeCodeName(code); name && *name)
        text += QLatin1Char(' ') + QString::fromLatin1(name);
    return text;
}

QString closeDescription(QByteArrayView payload)
{
    if (payload.size() < 2)
        return QStringLiteral("no status code");
    QString text = closeCodeText(quint16((quint8(payload[0]) << 8) | quint8(payload[1])));
    const QByteArrayView reason = payload.sliced(2);
    if (!reason.isEmpty())
        text += QStringLiteral(": ") + QString::fromUtf8(reason);
    return text;
}

QString preview(MessageKind kind, QByteArrayView payload, quint64 totalSize, int maxChars)
{
    const bool truncated = quint64(payload.size()) < totalSize;
    switch (kind) {
    case MessageKind::Text:
        return textOf(payload, totalSize, maxChars);
    case MessageKind::Binary:
    case MessageKind::Reserved: {
        QString out = hex(payload, qMin<qsizetype>(payload.size(), (maxChars + 1) / 3));
        if (truncated && !out.endsWith(QChar(Ellipsis)))
            out.append(QChar(Ellipsis));
        return out;
    }
    case MessageKind::Close:
        return oneLine(closeDescription(payload), maxChars, false);
    case MessageKind::Ping:
    case MessageKind::Pong:
    case MessageKind::Continuation:
    case MessageKind::SessionEvent:
        if (payload.isEmpty())
            return {};
        if (looksLikeText(truncated ? payload.first(utf8Boundary(payload)) : payload))
            return textOf(payload, totalSize, maxChars);
        return hex(payload, (maxChars + 1) / 3);
    }
    return {};
}

QString filterText(MessageKind kind, QByteArrayView payload)
{
    switch (kind) {
    case MessageKind::Text:
        return QString::fromUtf8(payload);
    case MessageKind::Binary:
    case MessageKind::Reserved:
        return hex(payload);
    case MessageKind::Close:
        return closeDescription(payload);
    default:
        return looksLikeText(payload) ? QString::fromUtf8(payload) : hex(payload);
    }
}

QString eventSentence(const RecordEntry &entry, QByteArrayView json)
{
    const QJsonObject object = QJsonDocument::fromJson(json.toByteArray()).object();
    auto text = [&object](const char *key) {
        return object.value(QLatin1StringView(key));
    };
    QStringList parts;
    QString head;
    switch (static_cast<SessionEventKind>(entry.group)) {
    case SessionEventKind::Connecting:
        head = QStringLiteral("Connecting");
        if (text("url").isString())
            head += QStringLiteral(" to ") + text("url").toString();
        if (text("attempt").toInt() > 1)
            parts << QStringLiteral("attempt %1").arg(text("attempt").toInt());
        if (text("proxy").isString())
            parts << QStringLiteral("via ") + text("proxy").toString();
        if (parts.isEmpty())
            return head;
        break;
    case SessionEventKind::Open:
        head = QStringLiteral("Connected");
        if (!text("status").isUndefined())
            parts << QString::number(text("status").toInt());
        if (!text("subprotocol").toString().isEmpty())
            parts << QStringLiteral("subprotocol ") + text("subprotocol").toString();
        if (!text("extensions").toString().isEmpty())
            parts << QStringLiteral("extensions ") + text("extensions").toString();
        if (text("tls").isObject())
            parts << text("tls").toObject().value(QLatin1StringView("protocol")).toString();
        break;
    case SessionEventKind::Close: {
        head = QStringLiteral("Closed");
        const int code = text("code").toInt(-1);
        if (code >= 0)
            parts << closeCodeText(quint16(code));
        if (!text("reason").toString().isEmpty())
            parts << QStringLiteral("reason \"%1\"").arg(text("reason").toString());
        if (text("origin").isString())
            parts << QStringLiteral("by ") + text("origin").toString();
        if (text("clean").isBool() && !text("clean").toBool())
            parts << QStringLiteral("not clean");
        if (text("violation").isString())
            parts << text("violation").toString();
        break;
    }
    case SessionEventKind::Error:
        head = QStringLiteral("Error");
        if (text("message").isString())
            parts << text("message").toString();
        break;
    case SessionEventKind::Reconnect:
        head = QStringLiteral("Reconnecting");
        if (!text("attempt").isUndefined())
            parts << QStringLiteral("attempt %1").arg(text("attempt").toInt());
        if (!text("delayMs").isUndefined())
            parts << QStringLiteral("in %1 ms").arg(text("delayMs").toInt());
        break;
    case SessionEventKind::Redirect:
        head = QStringLiteral("Redirected");
        if (!text("status").isUndefined())
            head += QStringLiteral(" (%1)").arg(text("status").toInt());
        if (text("to").isString())
            head += QStringLiteral(" to ") + text("to").toString();
        return head;
    case SessionEventKind::Tls:
        head = QStringLiteral("TLS");
        break;
    case SessionEventKind::Note:
        head = QStringLiteral("Note");
        if (text("message").isString())
            parts << text("message").toString();
        break;
    case SessionEventKind::Pong:
        head = QStringLiteral("Pong");
        if (!text("rttUs").isUndefined())
            parts << QStringLiteral("round trip %1 ms")
                         .arg(text("rttUs").toDouble() / 1000.0, 0, 'f', 2);
        break;
    }
    if (parts.isEmpty()) {
        // Whatever else the event carries, as key: value.
        static constexpr const char *known[] = { "event",   "url",    "message", "status",
                                                 "code",    "reason", "attempt", "delayMs",
                                                 "timings", "error",  "clean",   "origin" };
        for (auto it = object.begin(); it != object.end(); ++it) {
            bool skip = false;
            for (const char *key : known)
                skip = skip || it.key() == QLatin1StringView(key);
            if (skip)
                continue;
            parts << it.key() + QStringLiteral(": ") + jsonValueText(it.value());
        }
    }
    if (parts.isEmpty())
        return head;
    return head + QStringLiteral(": ") + parts.join(QStringLiteral(", "));
}

QByteArray layoutJson(QByteArrayView json, int indent)
{
    QByteArray out;
    out.reserve(indent < 0 ? json.size() : json.size() * 2);
    int depth = 0;
    bool inString = false;
    const auto newline = [&out, &depth, indent] {
        if (indent < 0)
            return;
        out += '\n';
        out += QByteArray(depth * indent, ' ');
    };
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < json.size())
                out += json[++i];
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case ' ':
        case '\t':
        case '\n':
        case '\r':
            break;
        case '"':
            inString = true;
            out += c;
            break;
        case '{':
        case '[': {
            // An empty object or array stays on one line.
            qsizetype next = i + 1;
            while (next < json.size() && QByteArrayView(" \t\r\n").contains(json[next]))
                ++next;
            if (next < json.size() && (json[next] == '}' || json[next] == ']')) {
                out += c;
                out += json[next];
                i = next;
                break;
            }
            out += c;
            ++depth;
            newline();
            break;
        }
        case '}':
        case ']':
            --depth;
            newline();
            out += c;
            break;
        case ',':
            out += c;
            newline();
            break;
        case ':':
            out += indent < 0 ? ":" : ": ";
            break;
        default:
            out += c;
        }
    }
    return out;
}

QString formatSize(quint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    const double value = double(bytes);
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 KiB").arg(value / 1024.0, 0, 'f', 1);
    if (bytes < quint64(1024) * 1024 * 1024)
        return QStringLiteral("%1 MiB").arg(value / (1024.0 * 1024.0), 0, 'f', 1);
    return QStringLiteral("%1 GiB").arg(value / (1024.0 * 1024.0 * 1024.0), 0, 'f', 2);
}

} // namespace duplex::RecordText
