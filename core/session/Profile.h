#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <optional>

namespace duplex {

// A saved connection: everything needed to open the same WebSocket again tomorrow.
//
// A plain value. Every setting is a public member so that the profile editor, the command line
// and the tests read and write them directly; there is no invariant a setter could keep while a
// user is half-way through editing, so problems() reports what does not make sense instead of
// refusing it. The nested types are scoped here so that the session layer's own reconnect and
// proxy types never collide with these stored forms.
//
// JSON: toJson()/fromJson() with a "schemaVersion". Fields this version does not know (written
// by a newer one) are kept in unknownFields and written back unchanged. Secret values (secret
// header values, the proxy password) are never part of the JSON: ProfileStore keeps them in a
// SecretStore, and an export marks them as withheld.
class Profile
{
public:
    static constexpr int SchemaVersion = 1;
    static constexpr qint64 DefaultMaxMessageSize = qint64(64) * 1024 * 1024;

    struct Header
    {
        QString name;
        QString value;
        bool enabled = true;
        bool secret = false;
        friend bool operator==(const Header &, const Header &) = default;
    };

    enum class TemplateKind : quint8 { Text, Json, Hex, Base64, File };

    // A message the user sends often. For TemplateKind::File the body is a file's path.
    struct MessageTemplate
    {
        QString name;
        TemplateKind kind = TemplateKind::Text;
        QString body;
        friend bool operator==(const MessageTemplate &, const MessageTemplate &) = default;
    };

    // permessage-deflate offer (RFC 7692). Window bits are 8..15; 15 is the protocol default,
    // which the handshake may leave out.
    struct Deflate
    {
        bool enabled = false;
        int clientMaxWindowBits = 15;
        int serverMaxWindowBits = 15;
        bool clientNoContextTakeover = false;
        bool serverNoContextTakeover = false;
        friend bool operator==(const Deflate &, const Deflate &) = default;
    };

    enum class Jitter : quint8 { None, Full, Equal };

    // An inclusive range of close codes; a single code has first == last. 1006 stands for a
    // connection lost without a close frame.
    struct CloseCodeRange
    {
        int first = 0;
        int last = 0;
        bool contains(int code) const { return code >= first && code <= last; }
        friend bool operator==(const CloseCodeRange &, const CloseCodeRange &) = default;
    };

    struct Reconnect
    {
        bool enabled = false;
        int initialDelayMs = 500;
        int maxDelayMs = 30'000;
        double multiplier = 2.0;
        Jitter jitter = Jitter::Full;
        int maxAttempts = 0; // 0 = unlimited
        int resetAfterMs = 60'000; // a connection open this long resets the attempt count
        // Close codes after which to reconnect. 1000 (normal) and 1008 (policy violation) never
        // reconnect, even when a range here covers them: the peer meant to end the connection.
        QList<CloseCodeRange> closeCodes { { 1001, 1001 }, { 1006, 1006 }, { 1011, 1013 } };

        bool shouldReconnectAfter(int closeCode) const;
        friend bool operator==(const Reconnect &, const Reconnect &) = default;
    };

    struct Keepalive
    {
        int pingIntervalMs = 0; // 0 = no pings
        int pongTimeoutMs = 10'000;
        friend bool operator==(const Keepalive &, const Keepalive &) = default;
    };

    struct Timeouts
    {
        int connectMs = 10'000;
        int handshakeMs = 10'000;
        int closeMs = 5'000;
        friend bool operator==(const Timeouts &, const Timeouts &) = default;
    };

    struct Redirects
    {
        bool follow = true;
        int maxHops = 5;
        friend bool operator==(const Redirects &, const Redirects &) = default;
    };

    struct Tls
    {
        QString caFile;
        QString certificateFile;
        QString keyFile;
        bool allowInvalidCertificates = false;
        friend bool operator==(const Tls &, const Tls &) = default;
    };

    enum class ProxyType : quint8 { System, None, Http, Socks5 };

    struct Proxy
    {
        ProxyType type = ProxyType::System;
        QString host;
        int port = 0;
        QString user;
        QString password; // secret
        friend bool operator==(const Proxy &, const Proxy &) = default;
    };

    // Where a secret value lives in a profile: key is stable for a given header name (and its
    // occurrence among secret headers of that name) or the proxy password.
    struct SecretSlot
    {
        QString key;
        QString description; // "header X-Token", "proxy password"
        QString value;
        friend bool operator==(const SecretSlot &, const SecretSlot &) = default;
    };

    QUuid id;
    QString name;
    QString folder; // "Payments/Staging"; empty = top level
    QString url; // kept as typed: may hold {{variables}}
    QList<Header> headers;
    QStringList subprotocols;
    QString origin;
    Deflate deflate;
    Reconnect reconnect;
    QList<MessageTemplate> onConnectMessages; // sent in order after every (re)connect
    Keepalive keepalive;
    Timeouts timeouts;
    Redirects redirects;
    Tls tls;
    Proxy proxy;
    qint64 maxMessageSize = DefaultMaxMessageSize; // bytes; 0 = no limit
    QList<MessageTemplate> templates;
    QJsonObject unknownFields; // written by a newer version; kept as they were

    // A profile with a fresh id and the given name; every other setting at its default.
    static Profile create(const QString &name = {});

    // "folder/name", or "name" at the top level: what the command line accepts.
    QString path() const;

    // Trims every folder segment and drops empty ones: " a//b/ " -> "a/b".
    static QString normalizedFolder(const QString &folder);

    // Never carries a secret value: a secret header is written with "value": null, a proxy
    // password as "password": null (meaning "set, kept elsewhere").
    QJsonObject toJson() const;
    // Missing fields take their defaults; a field of the wrong type or out of range is an
    // error naming it ("reconnect.initialDelayMs: expected an integer, got \"soon\"").
    static std::optional<Profile> fromJson(const QJsonObject &object,
                                           QString *errorMessage = nullptr);

    // Everything that would stop this profile from connecting or is out of range, one sentence
    // each, naming the field. Placeholders ({{name}}) are accepted where substitution applies.
    QStringList problems() const;

    QList<SecretSlot> secretSlots() const;
    bool setSecretValue(const QString &key, const QString &value);
    Profile withoutSecrets() const;
    bool hasSecrets() const;

    static QString templateKindName(TemplateKind kind);
    static std::optional<TemplateKind> templateKindFromName(const QString &name);
    static QString jitterName(Jitter jitter);
    static std::optional<Jitter> jitterFromName(const QString &name);
    static QString proxyTypeName(ProxyType type);
    static std::optional<ProxyType> proxyTypeFromName(const QString &name);

    // "1001, 1006, 1011-1013" <-> ranges, for editors and the command line.
    static QString closeCodesToString(const QList<CloseCodeRange> &ranges);
    static std::optional<QList<CloseCodeRange>>
    closeCodesFromString(const QString &text, QString *errorMessage = nullptr);

    friend bool operator==(const Profile &, const Profile &) = default;
};

} // namespace duplex
