#include "core/session/HarReplay.h"

#include "core/protocol/Event.h"
#include "core/protocol/FrameHeader.h"
#include "core/session/FrameJsonLines.h"

#include <cmath>

namespace duplex {

namespace {

using namespace Qt::Literals::StringLiterals;

qint64 microsecondsOf(double seconds)
{
    return std::isfinite(seconds) ? qint64(std::llround(seconds * 1e6)) : 0;
}

bool isOneOf(const QString &name, std::initializer_list<QLatin1StringView> names)
{
    for (const QLatin1StringView candidate : names) {
        if (name.compare(candidate, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

QString HarReplay::reconstructedNote(const QString &sourceName)
{
    return u"Read from %1. A HAR keeps each message's direction, time, opcode and data but not "
           u"its frames: each frame shown is reconstructed from them (one frame, FIN set, "
           u"unmasked, uncompressed), not the bytes that crossed the wire."_s.arg(sourceName);
}

QByteArray HarReplay::reconstructedFrame(quint8 opcode, QByteArrayView data)
{
    FrameHeader header;
    header.fin = true;
    header.opcode = Opcode(opcode & 0x0F);
    header.masked = false;
    header.payloadLength = quint64(data.size());
    QByteArray wire(MaxFrameHeaderSize, Qt::Uninitialized);
    wire.truncate(encodeFrameHeader(header, wire.data()));
    wire.append(data);
    return wire;
}

qsizetype HarReplay::fill(SessionRecord &record, const HarDocument &document,
                          const QString &sourceName)
{
    qsizetype frames = 0;
    for (qsizetype i = 0; i < document.entries.size(); ++i) {
        const HarDocument::Entry &entry = document.entries.at(i);
        const auto generation = quint16(i + 1);
        qint64 startUs = entry.handshake.startedAt.isValid()
            ? entry.handshake.startedAt.toMSecsSinceEpoch() * 1000
            : (entry.messages.isEmpty() ? 0 : microsecondsOf(entry.messages.first().time));

        FrameJsonLines::Object connecting;
        connecting.addString("event"_L1, QByteArrayView("connecting"))
            .addString("url"_L1, entry.handshake.url)
            .add("attempt"_L1, 1);
        record.appendEvent(startUs, generation, SessionEventKind::Connecting, connecting.take());
        FrameJsonLines::Object note;
        note.addString("event"_L1, QByteArrayView("note"))
            .addString("message"_L1, reconstructedNote(sourceName));
        record.appendEvent(startUs, generation, SessionEventKind::Note, note.take());
        FrameJsonLines::Object open;
        open.addString("event"_L1, QByteArrayView("open"))
            .add("status"_L1, entry.handshake.status)
            .addString("url"_L1, entry.handshake.url);
        record.appendEvent(startUs, generation, SessionEventKind::Open, open.take());

        for (const HarDocument::Message &message : entry.messages) {
            const QByteArray wire = reconstructedFrame(message.opcode, message.data);
            FrameView frame;
            frame.direction = message.direction;
            frame.header.fin = true;
            frame.header.opcode = Opcode(message.opcode & 0x0F);
            frame.header.payloadLength = quint64(message.data.size());
            frame.wire = wire;
            frame.payload = QByteArrayView(wire).sliced(wire.size() - message.data.size());
            if (record.appendFrame(microsecondsOf(message.time), generation, frame) < 0)
                return frames; // the record is full
            ++frames;
        }
    }
    return frames;
}

Profile HarReplay::profileOf(const HarDocument::Entry &entry, const QString &name)
{
    Profile profile = Profile::create(name);
    profile.url = entry.handshake.url;
    const QStringList sensitive = HarDocument::sensitiveHeaderNames();
    for (const HarDocument::Header &header : entry.handshake.requestHeaders) {
        const QString &key = header.name;
        if (isOneOf(key,
                    { "Host"_L1, "Upgrade"_L1, "Connection"_L1, "Sec-WebSocket-Key"_L1,
                      "Sec-WebSocket-Version"_L1, "Content-Length"_L1 })) {
            continue;
        }
        if (isOneOf(key, { "Sec-WebSocket-Protocol"_L1 })) {
            for (const QString &part : header.value.split(u',', Qt::SkipEmptyParts))
                profile.subprotocols.append(part.trimmed());
            continue;
        }
        if (isOneOf(key, { "Origin"_L1 })) {
            profile.origin = header.value;
            continue;
        }
        if (isOneOf(key, { "Sec-WebSocket-Extensions"_L1 })) {
            if (header.value.contains("permessage-deflate"_L1, Qt::CaseInsensitive))
                profile.deflate.enabled = true;
            continue;
        }
        Profile::Header kept;
        kept.name = key;
        kept.value = header.value;
        kept.secret = sensitive.contains(key, Qt::CaseInsensitive);
        if (header.value == HarDocument::redactedValue()) {
            kept.value.clear();
            kept.enabled = false;
            kept.secret = true;
        }
        profile.headers.append(kept);
    }
    return profile;
}

} // namespace duplex
