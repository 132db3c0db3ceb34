#include "core/session/FrameJsonLines.h"

#include "core/protocol/Utf8Validator.h"

#include <cmath>

namespace duplex {
namespace {

constexpr char HexDigits[] = "0123456789abcdef";

// Bytes that cannot appear raw inside a JSON string: '"', '\\' and U+0000..U+001F.
constexpr bool needsEscape(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

} // namespace

void FrameJsonLines::appendEscaped(QByteArray &out, QByteArrayView utf8)
{
    const char *data = utf8.data();
    const qsizetype size = utf8.size();
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < size; ++i) {
        const auto c = static_cast<unsigned char>(data[i]);
        if (!needsEscape(c))
            continue;
        out.append(data + runStart, i - runStart);
        runStart = i + 1;
        switch (c) {
        case '"':
            out.append("\\\"", 2);
            break;
        case '\\':
            out.append("\\\\", 2);
            break;
        case '\n':
            out.append("\\n", 2);
            break;
        case '\r':
            out.append("\\r", 2);
            break;
        case '\t':
            out.append("\\t", 2);
            break;
        case '\b':
            out.append("\\b", 2);
            break;
        case '\f':
            out.append("\\f", 2);
            break;
        default: {
            const char escaped[6] = { '\\', 'u', '0', '0', HexDigits[c >> 4], HexDigits[c & 0xF] };
            out.append(escaped, 6);
        }
        }
    }
    out.append(data + runStart, size - runStart);
}

void FrameJsonLines::Object::key(QLatin1StringView name)
{
    m_json.append(m_json.isEmpty() ? "{\"" : ",\"");
    m_json.append(name.data(), name.size());
    m_json.append("\":", 2);
}

FrameJsonLines::Object &FrameJsonLines::Object::add(QLatin1StringView name, bool value)
{
    key(name);
    m_json.append(value ? "true" : "false");
    return *this;
}

FrameJsonLines::Object &FrameJsonLines::Object::add(QLatin1StringView name, qint64 value)
{
    key(name);
    m_json.append(QByteArray::number(value));
    return *this;
}

FrameJsonLines::Object &FrameJsonLines::Object::add(QLatin1StringView name, quint64 value)
{
    key(name);
    m_json.append(QByteArray::number(value));
    return *this;
}

FrameJsonLines::Object &FrameJsonLines::Object::add(QLatin1StringView name, double value,
                                                    int decimals)
{
    key(name);
    if (!std::isfinite(value)) {
        m_json.append("null"); // JSON has no NaN or infinity
        return *this;
    }
    QByteArray number = QByteArray::number(value, 'f', decimals);
    if (number.contains('.')) {
        while (number.endsWith('0'))
            number.chop(1);
        if (number.endsWith('.'))
            number.chop(1);
    }
    if (number == "-0")
        number = "0";
    m_json.append(number);
    return *this;
}

FrameJsonLines::Object &FrameJsonLines::Object::addString(QLatin1StringView name,
                                                          QByteArrayView utf8)
{
    key(name);
    m_json.append('"');
    appendEscaped(m_json, utf8);
    m_json.append('"');
    return *this;
}

FrameJsonLines::Object &FrameJsonLines::Object::addString(QLatin1StringView name,
                                                          const QString &text)
{
    return addString(name, QByteArrayView(text.toUtf8()));
}

FrameJsonLines::Object &FrameJsonLines::Object::addHex(QLatin1StringView name, QByteArrayView bytes)
{
    key(name);
    const qsizetype start = m_json.size() + 1;
    m_json.resize(start + 2 * bytes.size() + 1);
    m_json[start - 1] = '"';
    char *out = m_json.data() + start;
    for (const char byte : bytes) {
        const auto value = static_cast<unsigned char>(byte);
        *out++ = HexDigits[value >> 4];
        *out++ = HexDigits[value & 0xF];
    }
    *out = '"';
    return *this;
}

FrameJsonLines::Object &FrameJsonLines::Object::addNull(QLatin1StringView name)
{
    key(name);
    m_json.append("null");
    return *this;
}

FrameJsonLines::Object &FrameJsonLines::Object::addRaw(QLatin1StringView name, QByteArrayView json)
{
    key(name);
    m_json.append(json);
    return *this;
}

FrameJsonLines::Object &FrameJsonLines::Object::addStrings(QLatin1StringView name,
                                                           const QStringList &values)
{
    key(name);
    m_json.append('[');
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            m_json.append(',');
        m_json.append('"');
        appendEscaped(m_json, values.at(i).toUtf8());
        m_json.append('"');
    }
    m_json.append(']');
    return *this;
}

QByteArray FrameJsonLines::Object::take()
{
    QByteArray json = std::move(m_json);
    m_json = QByteArray();
    if (json.isEmpty())
        return QByteArrayLiteral("{}");
    json.append('}');
    return json;
}

QByteArray FrameJsonLines::Object::toByteArray() const
{
    return m_json.isEmpty() ? QByteArrayLiteral("{}") : m_json + '}';
}

void FrameJsonLines::encodeInto(Object &object, Direction direction, const FrameHeader &header,
                                QByteArrayView clearPayload, bool compressed, bool text)
{
    using namespace Qt::Literals::StringLiterals;
    object.addString("dir"_L1, QByteArrayView(direction == Direction::Incoming ? "in" : "out"))
        .add("fin"_L1, header.fin)
        .add("rsv1"_L1, header.rsv1)
        .add("rsv2"_L1, header.rsv2)
        .add("rsv3"_L1, header.rsv3)
        .add("opcode"_L1, int(header.opcode))
        .add("masked"_L1, header.masked);
    if (header.masked)
        object.addHex("mask"_L1, QByteArrayView(header.maskKey.data(), header.maskKey.size()));
    object.add("length"_L1, quint64(header.payloadLength));
    if (compressed)
        object.add("inflatedLength"_L1, qint64(clearPayload.size()));
    if (text && Utf8Validator::isValid(clearPayload))
        object.addString("payload"_L1, clearPayload);
    else
        object.addHex("payloadHex"_L1, clearPayload);
}

QByteArray FrameJsonLines::encode(Direction direction, const FrameHeader &header,
                                  QByteArrayView clearPayload, bool compressed, bool text)
{
    Object object;
    encodeInto(object, direction, header, clearPayload, compressed, text);
    return object.take();
}

QByteArray FrameJsonLines::frameLine(const FrameView &frame)
{
    const FrameHeader &header = frame.header;
    MessageInProgress &message = m_messages[static_cast<std::size_t>(frame.direction)];
    bool text = false;
    bool compressed = false;
    if (header.opcode == Opcode::Text || header.opcode == Opcode::Binary) {
        // RSV1 on the first frame marks a compressed message (RFC 7692 section 6).
        text = header.opcode == Opcode::Text;
        compressed = header.rsv1;
        message = header.fin ? MessageInProgress {} : MessageInProgress { text, compressed };
    } else if (header.opcode == Opcode::Continuation) {
        text = message.text;
        compressed = message.compressed;
        if (header.fin)
            message = {};
    }

    if (compressed)
        return encode(frame.direction, header, frame.inflated, true, text);
    if (header.masked && frame.payload.isEmpty() && header.payloadLength > 0) {
        const QByteArray clear = frame.payloadInClear();
        return encode(frame.direction, header, clear, false, text);
    }
    return encode(frame.direction, header, frame.payload, false, text);
}

QByteArray FrameJsonLines::frameLine(const SessionRecord &record, const RecordEntry &entry,
                                     int fields)
{
    using namespace Qt::Literals::StringLiterals;
    if (entry.type != RecordType::Frame)
        return {};
    const QByteArrayView wire = record.wire(entry);
    const HeaderParse parsed = parseFrameHeader(wire);
    if (parsed.status != HeaderParse::Status::Complete)
        return {};
    const FrameHeader &header = parsed.header;

    bool text = header.opcode == Opcode::Text;
    if (header.opcode == Opcode::Continuation && entry.flags & RecordFragment) {
        const RecordEntry &first = record.entry(qsizetype(entry.group));
        text = (first.firstByte & 0x0F) == quint8(Opcode::Text);
    }
    const bool compressed = entry.flags & RecordCompressed;

    Object object;
    if (fields & WithTime)
        object.add("timeUs"_L1, entry.timeUs).add("generation"_L1, int(entry.generation));
    encodeInto(object, entry.direction, header, record.payload(entry), compressed, text);
    return object.take();
}

} // namespace duplex
