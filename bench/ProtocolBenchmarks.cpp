// Protocol-core cases: masking, and parsing + UTF-8 validation of text frames, each beside
// memcpy of the same bytes and beside what QtWebSockets does (a byte-at-a-time mask loop,
// QStringDecoder over every text message).

#include "Benchmark.h"
#include "core/protocol/Connection.h"
#include "core/protocol/Masking.h"

#include <QRandomGenerator>
#include <QStringDecoder>

#include <cstring>

namespace duplex::bench {
namespace {

constexpr double Giga = 1e9;

QByteArray randomBytes(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(42);
    generator.fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    return bytes;
}

// How QtWebSockets masks: one byte at a time, the key indexed by position.
void maskLikeQtWebSockets(char *payload, quint64 size, quint32 maskingKey)
{
    const quint8 mask[] = { quint8((maskingKey & 0xFF000000u) >> 24),
                            quint8((maskingKey & 0x00FF0000u) >> 16),
                            quint8((maskingKey & 0x0000FF00u) >> 8),
                            quint8((maskingKey & 0x000000FFu)) };
    quint64 i = 0;
    while (size-- > 0)
        *payload++ ^= char(mask[i++ % 4]);
}

// About `size` bytes of ASCII JSON, the shape of a typical API message stream.
QByteArray asciiJson(qsizetype size)
{
    QByteArray text;
    text.reserve(size + 256);
    int id = 0;
    while (text.size() < size) {
        text += "{\"id\":" + QByteArray::number(id)
            + ",\"type\":\"order.updated\",\"price\":" + QByteArray::number(1000 + id % 977)
            + ".25,\"symbol\":\"BTC-USD\",\"tags\":[\"spot\","
              "\"maker\"],\"note\":\"filled at the best available price\"}\n";
        ++id;
    }
    text.truncate(size);
    return text;
}

// About `size` bytes of chat-like JSON in several scripts: Latin, Cyrillic, Greek, CJK, emoji.
QByteArray mixedText(qsizetype size)
{
    static const char *const lines[] = {
        "{\"user\":\"anna\",\"text\":\"Привет! Как дела? Всё готово к релизу.\"}\n",
        "{\"user\":\"li\",\"text\":\"你好，世界。今天的部署已经完成了。\"}\n",
        "{\"user\":\"nikos\",\"text\":\"Καλημέρα σε όλους, το σύστημα λειτουργεί.\"}\n",
        "{\"user\":\"sam\",\"text\":\"Shipped 🚀 — déjà vu, naïve café ✓\"}\n",
        "{\"user\":\"yuki\",\"text\":\"こんにちは、接続は安定しています。\"}\n",
    };
    QByteArray text;
    text.reserve(size + 256);
    for (int i = 0; text.size() < size; ++i)
        text += lines[i % 5];
    // Cut at a code point boundary.
    qsizetype cut = size;
    while (cut > 0 && (quint8(text[cut]) & 0xC0) == 0x80)
        --cut;
    text.truncate(cut);
    return text;
}

QByteArray textFrame(QByteArrayView payload)
{
    FrameHeader header;
    header.opcode = Opcode::Text;
    header.payloadLength = quint64(payload.size());
    QByteArray frame(MaxFrameHeaderSize, Qt::Uninitialized);
    frame.resize(encodeFrameHeader(header, frame.data()));
    frame += payload;
    return frame;
}

// Feeds `wire` to a client connection and drains every event; returns the messages seen. The
// bytes are handed over as a QByteArray, as a session hands over what it read from its socket.
qsizetype parseAll(Connection &connection, const QByteArray &wire)
{
    connection.receiveData(wire);
    qsizetype messages = 0;
    while (auto event = connection.nextEvent()) {
        if (const auto *text = std::get_if<TextMessage>(&*event)) {
            doNotOptimize(text->utf8.data());
            ++messages;
        }
    }
    return messages;
}

QList<Result> maskCase(const Context &context)
{
    const qsizetype size = context.smoke ? 4096 : 1 << 20;
    QByteArray buffer = randomBytes(size);
    QByteArray target(size, '\0');
    const MaskKey key { 0x37, 0xfa, 0x21, 0x3d };

    const double ours = measureRate(context, double(size), [&] {
        applyMask(buffer.data(), size, key);
        doNotOptimize(buffer.data());
    });
    const double copy = measureRate(context, double(size), [&] {
        std::memcpy(target.data(), buffer.constData(), size_t(size));
        doNotOptimize(target.data());
    });
    const double byteLoop = measureRate(context, double(size), [&] {
        maskLikeQtWebSockets(buffer.data(), quint64(size), 0x37fa213d);
        doNotOptimize(buffer.data());
    });
    return { rate(QStringLiteral("mask_1MiB"), ours / Giga, QStringLiteral("GB/s"),
                  QStringLiteral("memcpy"), copy / Giga),
             rate(QStringLiteral("mask_1MiB"), ours / Giga, QStringLiteral("GB/s"),
                  QStringLiteral("byte loop"), byteLoop / Giga) };
}

QList<Result> largeTextCase(const Context &context, const QString &name, const QByteArray &payload)
{
    const QByteArray frame = textFrame(payload);
    Limits limits;
    limits.maxMessageSize = quint64(frame.size()) * 2;
    Connection connection(Role::Client, limits);
    connection.openWithoutHandshake();
    QByteArray target(payload.size(), '\0');
    const double size = double(payload.size());

    const double ours = measureRate(context, size, [&] {
        if (parseAll(connection, frame) != 1)
            qFatal("the text frame did not parse");
    });
    const double copy = measureRate(context, size, [&] {
        std::memcpy(target.data(), payload.constData(), size_t(payload.size()));
        doNotOptimize(target.data());
    });
    const double decoder = measureRate(context, size, [&] {
        QStringDecoder decode(QStringDecoder::Utf8);
        const QString text = decode(payload);
        doNotOptimize(text.constData());
    });
    return { rate(name, ours / Giga, QStringLiteral("GB/s"), QStringLiteral("memcpy"), copy / Giga),
             rate(name, ours / Giga, QStringLiteral("GB/s"), QStringLiteral("QStringDecoder"),
                  decoder / Giga) };
}

QList<Result> smallTextCase(const Context &context)
{
    const int frames = context.smoke ? 64 : 8192;
    const QByteArray payload = asciiJson(125);
    QByteArray wire;
    for (int i = 0; i < frames; ++i)
        wire += textFrame(payload);
    Connection connection(Role::Client);
    connection.openWithoutHandshake();
    QByteArray target(wire.size(), '\0');

    const double ours = measureRate(context, frames, [&] {
        if (parseAll(connection, wire) != frames)
            qFatal("the text frames did not parse");
    });
    const double copy = measureRate(context, frames, [&] {
        std::memcpy(target.data(), wire.constData(), size_t(wire.size()));
        doNotOptimize(target.data());
    });
    const double decoder = measureRate(context, frames, [&] {
        for (int i = 0; i < frames; ++i) {
            QStringDecoder decode(QStringDecoder::Utf8);
            const QString text = decode(payload);
            doNotOptimize(text.constData());
        }
    });
    return { rate(QStringLiteral("text_125B"), ours, QStringLiteral("frames/s"),
                  QStringLiteral("memcpy"), copy),
             rate(QStringLiteral("text_125B"), ours, QStringLiteral("frames/s"),
                  QStringLiteral("QStringDecoder"), decoder) };
}

} // namespace

void registerProtocolBenchmarks(Registry &registry)
{
    registry.add(
        QStringLiteral("mask_1MiB"),
        QStringLiteral("mask a 1 MiB payload in place, against memcpy and a byte-at-a-time loop"),
        maskCase);
    registry.add(
        QStringLiteral("text_ascii_1MiB"),
        QStringLiteral("parse + validate a 1 MiB ASCII JSON text frame, against memcpy and "
                       "QStringDecoder"),
        [](const Context &context) {
            return largeTextCase(context, QStringLiteral("text_ascii_1MiB"),
                                 asciiJson(context.smoke ? 4096 : 1 << 20));
        });
    registry.add(
        QStringLiteral("text_mixed_1MiB"),
        QStringLiteral("parse + validate a 1 MiB mixed-language text frame, against memcpy and "
                       "QStringDecoder"),
        [](const Context &context) {
            return largeTextCase(context, QStringLiteral("text_mixed_1MiB"),
                                 mixedText(context.smoke ? 4096 : 1 << 20));
        });
    registry.add(
        QStringLiteral("text_125B"),
        QStringLiteral("parse + validate 125-byte text frames, against memcpy and QStringDecoder "
                       "per message"),
        smallTextCase);
}

} // namespace duplex::bench
