#pragma once

// Turns a Connection's events into short strings, so tests can compare whole sequences and
// check that feeding the same bytes in different pieces gives the same events.

#include "core/protocol/Connection.h"

#include <QStringList>

#include <algorithm>

namespace duplex::test {

inline QString hexOf(QByteArrayView bytes, qsizetype max = 16)
{
    QString hex = QString::fromLatin1(bytes.first(qMin(bytes.size(), max)).toByteArray().toHex());
    if (bytes.size() > max)
        hex += QStringLiteral("...");
    return hex;
}

inline QString describeEvent(const Event &event)
{
    struct Describe
    {
        QString operator()(const HandshakeCompleted &e) const
        {
            return QStringLiteral("handshake-completed:%1:%2")
                .arg(QString::fromLatin1(e.negotiated.subprotocol),
                     QString::fromLatin1(e.negotiated.extensions));
        }
        QString operator()(const HandshakeRejected &e) const
        {
            return QStringLiteral("handshake-rejected:%1:%2:%3")
                .arg(int(e.error))
                .arg(e.response.statusCode)
                .arg(QString::fromLatin1(e.body));
        }
        QString operator()(const HandshakeRequested &) const
        {
            return QStringLiteral("handshake-requested");
        }
        QString operator()(const FrameStarted &e) const
        {
            return QStringLiteral("started:%1:%2")
                .arg(QLatin1String(opcodeName(e.header.opcode)))
                .arg(e.header.payloadLength);
        }
        QString operator()(const FrameReceived &e) const
        {
            return frame(QStringLiteral("in"), e.frame);
        }
        QString operator()(const FrameSent &e) const
        {
            return frame(QStringLiteral("out"), e.frame);
        }
        QString operator()(const TextMessage &e) const
        {
            return QStringLiteral("text:")
                + QString::fromUtf8(e.utf8.first(qMin<qsizetype>(e.utf8.size(), 40)))
                + (e.utf8.size() > 40 ? QStringLiteral("...(%1)").arg(e.utf8.size()) : QString());
        }
        QString operator()(const BinaryMessage &e) const
        {
            return QStringLiteral("binary:%1:%2").arg(e.data.size()).arg(hexOf(e.data));
        }
        QString operator()(const PingReceived &e) const
        {
            return QStringLiteral("ping:") + hexOf(e.payload, 200);
        }
        QString operator()(const PongReceived &e) const
        {
            return QStringLiteral("pong:") + hexOf(e.payload, 200);
        }
        QString operator()(const CloseReceived &e) const
        {
            return QStringLiteral("close:%1:%2").arg(e.code).arg(QString::fromUtf8(e.reason));
        }
        QString operator()(const ProtocolViolation &e) const
        {
            return QStringLiteral("violation:%1:%2").arg(e.closeCode).arg(int(e.error));
        }
        QString operator()(const ConnectionClosed &e) const
        {
            static const char *origins[] = { "local", "remote", "transport" };
            return QStringLiteral("closed:%1:%2:%3")
                .arg(QLatin1String(origins[int(e.info.origin)]))
                .arg(e.info.code)
                .arg(e.info.clean ? QStringLiteral("clean") : QStringLiteral("unclean"));
        }

        static QString frame(const QString &direction, const FrameView &f)
        {
            QString flags;
            if (f.header.fin)
                flags += QStringLiteral("F");
            if (f.header.rsv1)
                flags += QStringLiteral("1");
            if (f.header.rsv2)
                flags += QStringLiteral("2");
            if (f.header.rsv3)
                flags += QStringLiteral("3");
            if (f.header.masked)
                flags += QStringLiteral("M");
            return QStringLiteral("%1:%2:%3:%4")
                .arg(direction, QLatin1String(opcodeName(f.header.opcode)), flags)
                .arg(f.header.payloadLength);
        }
    };
    return std::visit(Describe {}, event);
}

inline QStringList drain(Connection &connection)
{
    QStringList log;
    while (auto event = connection.nextEvent())
        log.append(describeEvent(*event));
    return log;
}

// Feeds `input` in the given pieces (sizes; the rest goes in one last piece), draining events
// after each, then EOF when asked.
inline QStringList feed(Connection &connection, QByteArrayView input,
                        const QList<qsizetype> &pieces, bool eof = false)
{
    QStringList log;
    qsizetype offset = 0;
    for (const qsizetype piece : pieces) {
        const qsizetype size = qMin(piece, input.size() - offset);
        connection.receiveData(input.sliced(offset, size));
        offset += size;
        log += drain(connection);
    }
    if (offset < input.size()) {
        connection.receiveData(input.sliced(offset));
        log += drain(connection);
    }
    if (eof) {
        connection.receiveEof();
        log += drain(connection);
    }
    return log;
}

// The same, reading each piece straight into the Connection the way a socket reader does:
// prepareReceive() with room to spare, then commitReceive() of what the piece filled.
inline QStringList feedInPlace(Connection &connection, QByteArrayView input,
                               const QList<qsizetype> &pieces, bool eof = false)
{
    QStringList log;
    auto receive = [&](QByteArrayView piece) {
        char *room = connection.prepareReceive(piece.size() + 7);
        std::copy(piece.begin(), piece.end(), room);
        connection.commitReceive(piece.size());
        log += drain(connection);
    };
    qsizetype offset = 0;
    for (const qsizetype piece : pieces) {
        const qsizetype size = qMin(piece, input.size() - offset);
        receive(input.sliced(offset, size));
        offset += size;
    }
    if (offset < input.size())
        receive(input.sliced(offset));
    if (eof) {
        connection.receiveEof();
        log += drain(connection);
    }
    return log;
}

} // namespace duplex::test
