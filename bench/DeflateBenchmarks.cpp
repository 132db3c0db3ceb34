// permessage-deflate: a 1 MiB JSON message compressed, framed and masked by a client
// Connection, then parsed, unmasked, inflated and UTF-8 checked by a server Connection, beside
// zlib's own deflate + inflate of the same bytes at the same level in the same run.

#include "Benchmark.h"
#include "core/protocol/Connection.h"

#include <QRandomGenerator>

#include <zlib.h>

namespace duplex::bench {
namespace {

constexpr double Mega = 1e6;
constexpr int Level = 6;

QByteArray jsonText(qsizetype size)
{
    static const char *const names[] = { "alice", "bob", "carol", "dave", "erin", "frank" };
    QRandomGenerator generator(11);
    QByteArray text = "[";
    while (text.size() < size) {
        text += "{\"id\":" + QByteArray::number(generator.bounded(1000000)) + ",\"user\":\""
            + names[generator.bounded(6)]
            + "\",\"active\":" + (generator.bounded(2) ? "true" : "false")
            + ",\"score\":" + QByteArray::number(generator.generateDouble() * 100, 'f', 3)
            + ",\"tags\":[\"alpha\",\"beta\"]},";
    }
    text.truncate(size);
    return text;
}

// zlib alone: raw deflate with a sync flush (what permessage-deflate sends), then inflate.
struct ZlibRoundTrip
{
    z_stream deflater {};
    z_stream inflater {};
    QByteArray compressed;
    QByteArray inflated;

    ZlibRoundTrip()
    {
        deflateInit2(&deflater, Level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
        inflateInit2(&inflater, -15);
    }
    ~ZlibRoundTrip()
    {
        deflateEnd(&deflater);
        inflateEnd(&inflater);
    }

    void run(const QByteArray &input)
    {
        deflateReset(&deflater);
        compressed.resize(qsizetype(deflateBound(&deflater, uLong(input.size()))) + 16);
        deflater.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(input.constData()));
        deflater.avail_in = uInt(input.size());
        deflater.next_out = reinterpret_cast<Bytef *>(compressed.data());
        deflater.avail_out = uInt(compressed.size());
        deflate(&deflater, Z_SYNC_FLUSH);
        const auto compressedSize = qsizetype(compressed.size() - deflater.avail_out);

        inflateReset(&inflater);
        inflated.resize(input.size());
        inflater.next_in = reinterpret_cast<Bytef *>(compressed.data());
        inflater.avail_in = uInt(compressedSize);
        inflater.next_out = reinterpret_cast<Bytef *>(inflated.data());
        inflater.avail_out = uInt(inflated.size());
        inflate(&inflater, Z_SYNC_FLUSH);
        if (inflater.avail_out != 0)
            qFatal("zlib did not inflate the whole message");
        doNotOptimize(inflated.constData());
    }
};

QList<Result> deflateCase(const Context &context)
{
    const QByteArray message = jsonText(context.smoke ? 4096 : 1 << 20);
    Limits limits;
    limits.maxMessageSize = quint64(message.size()) * 2;
    Connection client(Role::Client, limits);
    Connection server(Role::Server, limits);
    DeflateParameters parameters;
    Negotiated negotiated;
    negotiated.deflate = parameters;
    client.openWithoutHandshake(negotiated);
    server.openWithoutHandshake(negotiated);

    const double ours = measureRate(context, double(message.size()), [&] {
        if (!client.sendText(message))
            qFatal("send failed");
        while (client.nextEvent()) { }
        server.receiveData(client.pendingOutput());
        client.consumeOutput(client.pendingOutput().size());
        bool received = false;
        while (auto event = server.nextEvent())
            received = received || std::holds_alternative<TextMessage>(*event);
        if (!received)
            qFatal("the compressed message did not arrive");
    });
    ZlibRoundTrip zlib;
    const double reference =
        measureRate(context, double(message.size()), [&] { zlib.run(message); });
    return { rate(QStringLiteral("deflate_roundtrip_1MiB"), ours / Mega, QStringLiteral("MB/s"),
                  QStringLiteral("zlib"), reference / Mega) };
}

} // namespace

void registerDeflateBenchmarks(Registry &registry)
{
    registry.add(
        QStringLiteral("deflate_roundtrip_1MiB"),
        QStringLiteral("compress + frame + parse + inflate a 1 MiB JSON message, against zlib's "
                       "deflate + inflate"),
        deflateCase);
}

} // namespace duplex::bench
