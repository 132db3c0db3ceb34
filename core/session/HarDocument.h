#pragma once

#include "core/protocol/Role.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace duplex {

// A session's history as an HTTP Archive (HAR 1.2) that browser devtools and HAR viewers open,
// and such an archive read back.
//
// Each WebSocket connection is one entry: request and response are the opening handshake (GET,
// 101 Switching Protocols), "_resourceType" is "websocket", and "_webSocketMessages" lists the
// messages the way Chrome's devtools write them:
//   { "type": "send" | "receive", "time": <seconds since the epoch>, "opcode": 1, "data": "..." }
// Text (opcode 1) is written as the text itself; every other opcode's payload as Base64, as
// Chrome does for binary messages (the DevTools protocol's rule: payloadData is Base64 unless
// the opcode is 1). A text message that is not valid UTF-8 is written as Base64 with
// "_dataEncoding": "base64" so that no byte is lost. "pages" is written (empty) because Chrome's
// importer requires it.
//
// Reading accepts our files, Chrome's and Firefox's (which carries no messages) and anything
// else following the same shape; non-WebSocket entries are skipped and counted in warnings.
class HarDocument
{
public:
    struct Header
    {
        QString name;
        QString value;
        friend bool operator==(const Header &, const Header &) = default;
    };

    // Milliseconds; -1 = not known (HAR's own convention). send, wait and receive are required
    // by HAR 1.2 and default to 0.
    struct Timings
    {
        double blocked = -1;
        double dns = -1;
        double connect = -1; // includes ssl, as HAR defines it
        double ssl = -1;
        double send = 0;
        double wait = 0; // waiting for the 101
        double receive = 0;
        double total() const; // what the entry's "time" is: the sum of the known phases
        friend bool operator==(const Timings &, const Timings &) = default;
    };

    struct Handshake
    {
        QString url; // ws:// or wss://
        QString method = QStringLiteral("GET");
        QString httpVersion = QStringLiteral("HTTP/1.1");
        QList<Header> requestHeaders;
        int status = 101;
        QString statusText = QStringLiteral("Switching Protocols");
        QString responseHttpVersion = QStringLiteral("HTTP/1.1");
        QList<Header> responseHeaders;
        QDateTime startedAt;
        Timings timings;
        QString serverIpAddress; // optional
        friend bool operator==(const Handshake &, const Handshake &) = default;
    };

    struct Message
    {
        Direction direction = Direction::Outgoing;
        double time = 0; // seconds since the epoch, with fractions
        quint8 opcode = 1;
        QByteArray data; // the payload: UTF-8 for text
        friend bool operator==(const Message &, const Message &) = default;

        static double timeOf(const QDateTime &dateTime);
        QDateTime dateTime() const; // to the millisecond
    };

    struct Entry
    {
        Handshake handshake;
        QList<Message> messages;
        friend bool operator==(const Entry &, const Entry &) = default;
    };

    struct WriteOptions
    {
        // Headers whose values are replaced by "[redacted]" (names ignore case), e.g. the
        // profile's secret headers.
        QStringList redactedHeaders;
        // Also redact Authorization, Proxy-Authorization, Cookie and Set-Cookie.
        bool redactSensitiveHeaders = true;
    };

    static QString redactedValue() { return QStringLiteral("[redacted]"); }
    static QStringList sensitiveHeaderNames();

    QString creatorName = QStringLiteral("Duplex");
    QString creatorVersion = defaultCreatorVersion();
    QList<Entry> entries;
    QStringList warnings; // from fromJson(): what was skipped or looked odd

    QByteArray toJson() const;
    QByteArray toJson(const WriteOptions &options) const;

    // Nothing, and a sentence naming the field ("log.entries[0]._webSocketMessages[3].opcode:
    // expected an integer 0-15, got \"x\""), when the data is not a HAR with at least one
    // WebSocket connection.
    static std::optional<HarDocument> fromJson(const QByteArray &json,
                                               QString *errorMessage = nullptr);

private:
    static QString defaultCreatorVersion();
};

} // namespace duplex
