#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace duplex {

class Profile;
struct SessionOptions;

// Everything the request bar and request editor of one tab hold: the form as a plain value.
// Its JSON uses the field names of a saved profile (core/session/Profile), so a tab and a
// profile convert into each other field by field; SessionOptionsMapping turns it into what a
// ConnectionSession is started with. Secrets (the proxy password) are never written to JSON.
struct ConnectionSettings
{
    struct Header
    {
        QString name;
        QString value;
        bool enabled = true;
        friend bool operator==(const Header &, const Header &) = default;
    };

    struct Deflate
    {
        bool enabled = false;
        int clientMaxWindowBits = 15; // 8..15
        int serverMaxWindowBits = 15;
        bool clientNoContextTakeover = false;
        bool serverNoContextTakeover = false;
        friend bool operator==(const Deflate &, const Deflate &) = default;
    };

    enum class Jitter : quint8 { None, Full, Equal };

    struct Reconnect
    {
        bool enabled = false;
        int initialDelayMs = 500;
        int maxDelayMs = 30'000;
        double multiplier = 2.0;
        Jitter jitter = Jitter::Full;
        int maxAttempts = 0; // 0 = unlimited
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

    struct Tls
    {
        QString caFile;
        QString certificateFile;
        QString keyFile;
        bool allowInvalidCertificates = false;
        friend bool operator==(const Tls &, const Tls &) = default;
    };

    struct Redirects
    {
        bool follow = false;
        int maxHops = 5;
        friend bool operator==(const Redirects &, const Redirects &) = default;
    };

    enum class ProxyType : quint8 { System, None, Http, Socks5 };

    struct Proxy
    {
        ProxyType type = ProxyType::System;
        QString host;
        int port = 0;
        QString user;
        QString password; // kept in memory only
        friend bool operator==(const Proxy &, const Proxy &) = default;
    };

    static constexpr qint64 DefaultMaxMessageSize = 64 * 1024 * 1024;

    QString name; // what the tab is called; empty: named after the URL
    QString url; // as typed
    // The tab talks to the embedded echo server, whose port changes from run to run: the URL's
    // port follows the server's until the user types another URL.
    bool localEcho = false;
    QList<Header> headers;
    QStringList subprotocols;
    QString origin;
    Deflate deflate;
    Reconnect reconnect;
    Keepalive keepalive;
    Timeouts timeouts;
    Redirects redirects;
    Tls tls;
    Proxy proxy;
    qint64 maxMessageSize = DefaultMaxMessageSize; // 0 = no limit

    friend bool operator==(const ConnectionSettings &, const ConnectionSettings &) = default;

    // Profile-shaped JSON, plus "localEcho". Never contains the proxy password.
    QJsonObject toJson() const;
    // Missing or mistyped fields keep their defaults; each one mistyped adds a sentence naming
    // it to `warnings`, so a hand-edited file never loses the rest of a tab.
    static ConnectionSettings fromJson(const QJsonObject &object, QStringList *warnings = nullptr);

    // What stops these settings from connecting, one sentence each, naming the field.
    QStringList problems() const;

    // What a ConnectionSession is started with: the one place where the form meets the session.
    // On failure returns nothing useful and sets `*error` to a sentence naming the field.
    SessionOptions toSessionOptions(QString *error = nullptr) const;

    // Field by field to and from a saved profile (its name becomes the tab's name).
    static ConnectionSettings fromProfile(const Profile &profile);
    // Writes these settings over `profile`'s, keeping what a tab has no field for (id,
    // folder, templates, messages sent on connect, fields of newer versions).
    void applyTo(Profile &profile) const;

    static QString jitterName(Jitter jitter);
    static QString proxyTypeName(ProxyType type);
};

} // namespace duplex
