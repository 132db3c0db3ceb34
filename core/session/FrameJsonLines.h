#pragma once

#include "core/protocol/Event.h"
#include "core/session/SessionRecord.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QLatin1StringView>
#include <QString>
#include <QStringList>

#include <array>

namespace duplex {

// The JSON-lines form of frames: one JSON object per frame, on one line, as `duplex-cli
// --frames` prints it and the history's export writes it (DESIGN.md section 7):
//
//   {"dir":"in","fin":true,"rsv1":false,"rsv2":false,"rsv3":false,"opcode":1,"masked":false,
//    "length":5,"payload":"Hello"}
//
// - "dir" is "in" or "out"; "opcode" the 4-bit value as on the wire, reserved ones included.
// - A masked frame adds "mask", its key as 8 hex digits, right after "masked".
// - "length" is the payload length as on the wire (compressed, for a compressed frame).
// - A frame of a compressed message adds "inflatedLength", what its payload inflated to.
// - The payload is the one in clear: unmasked and, for a compressed frame, inflated. A frame of
//   a text message whose payload is valid UTF-8 on its own carries it as the string "payload";
//   every other frame (binary, control, reserved, or a text fragment that splits a character)
//   as "payloadHex", lower-case hex. Nothing is ever lost or replaced.
//
// Fields are written in that order, always, so lines compare and diff well. A line carries no
// newline: the caller adds one.
class FrameJsonLines
{
public:
    // One JSON object on one line, fields in the order they are added (QJsonObject would sort
    // them). Strings are UTF-8 and escaped as JSON requires; the caller passes valid UTF-8.
    class Object
    {
    public:
        Object &add(QLatin1StringView name, bool value);
        Object &add(QLatin1StringView name, int value) { return add(name, qint64(value)); }
        Object &add(QLatin1StringView name, qint64 value);
        Object &add(QLatin1StringView name, quint64 value);
        // At most `decimals` digits after the point, trailing zeros dropped: 12.5, 0.034, 3.
        Object &add(QLatin1StringView name, double value, int decimals = 3);
        Object &addString(QLatin1StringView name, QByteArrayView utf8);
        Object &addString(QLatin1StringView name, const QString &text);
        Object &addString(QLatin1StringView name, const QByteArray &utf8)
        {
            return addString(name, QByteArrayView(utf8));
        }
        Object &addString(QLatin1StringView name, const char *utf8)
        {
            return addString(name, QByteArrayView(utf8));
        }
        Object &addHex(QLatin1StringView name, QByteArrayView bytes);
        Object &addNull(QLatin1StringView name);
        // A value that is already JSON (an object, an array), inserted as it is.
        Object &addRaw(QLatin1StringView name, QByteArrayView json);
        // An array of strings.
        Object &addStrings(QLatin1StringView name, const QStringList &values);

        // "{...}"; the object is empty afterwards.
        QByteArray take();
        // The bytes so far, closed with "}".
        QByteArray toByteArray() const;

    private:
        void key(QLatin1StringView name);
        QByteArray m_json;
    };

    // Appends `utf8` to `out` as the inside of a JSON string (no quotes).
    static void appendEscaped(QByteArray &out, QByteArrayView utf8);

    enum Field : quint8 {
        // Start the line with "timeUs" (microseconds since the Unix epoch) and "generation"
        // (which connection of the session): for exports of a record.
        WithTime = 0x01,
    };

    // The line of a frame as a Connection reports it. Frames must be given in the order they
    // crossed the wire, per direction: continuation frames are recognised as text by the
    // message they continue.
    QByteArray frameLine(const FrameView &frame);
    // Forgets messages in progress, e.g. when a new connection starts.
    void reset() { m_messages = {}; }

    // The line of a frame entry of a record; stateless (the record links fragments). Empty for
    // an entry that is not a frame.
    static QByteArray frameLine(const SessionRecord &record, const RecordEntry &entry,
                                int fields = 0);

    // The line of any frame, given everything it shows. `clearPayload` is unmasked and, when
    // `compressed`, inflated; `text` says the frame belongs to a text message.
    static QByteArray encode(Direction direction, const FrameHeader &header,
                             QByteArrayView clearPayload, bool compressed, bool text);

private:
    static void encodeInto(Object &object, Direction direction, const FrameHeader &header,
                           QByteArrayView clearPayload, bool compressed, bool text);

    // The data message in progress in each direction (Direction as index).
    struct MessageInProgress
    {
        bool text = false;
        bool compressed = false;
    };
    std::array<MessageInProgress, 2> m_messages {};
};

} // namespace duplex
