#pragma once

#include <QList>
#include <QSslCertificate>
#include <QString>
#include <QStringList>

namespace duplex {

// How long each step of the last connection attempt took, in microseconds; -1 when the step
// did not happen (no TLS on ws://, no lookup through a proxy that resolves names itself).
struct SessionTimings
{
    qint64 dnsUs = -1; // host name lookup (0 for an IP literal)
    qint64 connectUs = -1; // TCP connect, through the proxy when there is one
    qint64 tlsUs = -1; // TLS handshake
    qint64 handshakeUs = -1; // from the upgrade request's first byte written to the 101 parsed
    qint64 totalUs = -1; // from the start of the attempt to open
};

// Counts over the whole session (every connection since open()).
struct SessionStats
{
    quint64 messagesIn = 0;
    quint64 messagesOut = 0;
    quint64 bytesIn = 0; // message payload bytes, after inflating
    quint64 bytesOut = 0; // message payload bytes, before compressing
    quint64 framesIn = 0; // every frame, control frames included
    quint64 framesOut = 0;
    quint64 wireBytesIn = 0; // every byte received on the socket, handshake included
    quint64 wireBytesOut = 0; // every byte written to the socket, handshake included
    quint64 pingsSent = 0;
    quint64 pongsReceived = 0;
};

// The TLS side of the current (or last) connection.
struct TlsInfo
{
    bool encrypted = false;
    QString protocol; // "TLSv1.3"
    QString cipher; // "TLS_AES_256_GCM_SHA384"
    QString peerVerifyName; // the name sent as SNI and checked against the certificate
    // Certificate errors that were ignored because the connection allowed them.
    QStringList ignoredErrors;
    QList<QSslCertificate> peerCertificateChain;
};

} // namespace duplex
