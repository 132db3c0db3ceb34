#pragma once

#include "core/session/SessionRecord.h"

#include <QString>

namespace duplex {

// What a history row is, for the type column and the type filter. Frames are classified by
// their opcode, session events all count as Event.
enum class MessageKind : quint8 {
    Text,
    Binary,
    Continuation,
    Ping,
    Pong,
    Close,
    Reserved, // reserved data (0x3-0x7) and control (0xB-0xF) opcodes
    SessionEvent,
};

// A set of kinds, one bit per MessageKind (bit = 1 << kind).
using MessageKinds = quint16;
constexpr MessageKinds kindBit(MessageKind kind)
{
    return MessageKinds(1u << static_cast<quint8>(kind));
}
inline constexpr MessageKinds AllMessageKinds = 0xFF;
inline constexpr int MessageKindCount = 8;

// How the history shows a record entry. Everything here reads only what it is given (the
// record and an entry) and is safe to call from any thread: the filter worker uses the same
// functions as the model, so what is matched is what is shown.
namespace RecordText {

// A frame header read as its bytes say, even when it breaks an encoding rule (a non-minimal
// length): the history shows what crossed the wire. `complete` is false when the bytes end
// inside the header.
struct LenientHeader
{
    FrameHeader header;
    int size = 0;
    bool complete = false;
};
LenientHeader readHeader(QByteArrayView wire);

Opcode opcodeOf(const RecordEntry &entry);
MessageKind kindOf(const RecordEntry &entry);
// "text", "binary", "ping", "reserved-0x3"; for events "open", "closed", "error", ...
QString typeName(const RecordEntry &entry);
// The user-facing name of a kind, for filter menus: "Text", "Events".
QString kindName(MessageKind kind);

// The payload of a frame entry in clear (unmasked; for a compressed data frame, the inflated
// bytes), at most `maxBytes` of it from its start. Never copies more than asked for.
QByteArray payloadPrefix(const SessionRecord &record, const RecordEntry &entry, qsizetype maxBytes);
// The size of that payload in clear, without reading it.
quint64 payloadSize(const SessionRecord &record, const RecordEntry &entry);
// The payload length as carried on the wire (compressed bytes for a compressed frame).
quint64 wirePayloadSize(const RecordEntry &entry, QByteArrayView data);

// One line for the preview column: text with line breaks and controls shown as symbols,
// binary as spaced lower-case hex ("0a 1b"), close frames as "1000 Normal Closure: reason".
// `payload` may be a prefix of the real payload; `totalSize` is the whole size.
QString preview(MessageKind kind, QByteArrayView payload, quint64 totalSize, int maxChars = 200);
// What a text filter is matched against for a frame or message payload (the whole payload;
// binary as spaced hex, like the preview).
QString filterText(MessageKind kind, QByteArrayView payload);
// A close code with its name when it has one: "1000 Normal Closure", "4000". Each place adds
// the reason in its own form.
QString closeCodeText(quint16 code);
// Close frame payload as "1000 Normal Closure: reason" ("no status code" when empty).
QString closeDescription(QByteArrayView payload);
// A session event as a sentence: "Connected: 101, subprotocol chat", "Closed: 1000 ...".
QString eventSentence(const RecordEntry &entry, QByteArrayView json);

// Valid JSON laid out anew exactly as written: keys keep their order and numbers their
// spelling, which QJsonDocument would not (it sorts keys and rewrites numbers as doubles).
// Only whitespace outside strings changes: `indent` spaces per level, or all on one line when
// `indent` is negative. Call it on text already known to be JSON.
QByteArray layoutJson(QByteArrayView json, int indent);
// The history's form: 4 spaces per level.
inline QByteArray prettyJson(QByteArrayView json)
{
    return layoutJson(json, 4);
}

// "512 B", "1.5 KiB", "16.0 MiB".
QString formatSize(quint64 bytes);
// Lower-case hex with a space between bytes; at most `maxBytes` bytes, then "…".
QString hex(QByteArrayView bytes, qsizetype maxBytes = -1);

} // namespace RecordText
} // namespace duplex
