#pragma once

#include "core/protocol/HttpHead.h"
#include "core/protocol/Limits.h"
#include "core/protocol/PerMessageDeflate.h"
#include "core/session/BackoffPolicy.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace duplex {

// Plain values: a Profile maps onto these, and duplex-cli fills them from its flags. Durations
// are milliseconds; 0 turns a timeout or timer off.

struct SessionTimeouts
{
    // Host name lookup and TCP connect (through the proxy, when there is one).
    int connectMs = 10000;
    // TLS handshake and the opening handshake, until the 101 is parsed.
    int handshakeMs = 10000;
    // After our close frame: the peer's close and the end of the TCP connection. When it
    // passes, the TCP connection is dropped.
    int closeMs = 5000;
};

struct RedirectOptions
{
    // Follow 301, 302, 303, 307 and 308 answers to the opening handshake. Off by default: a
    // WebSocket server rarely redirects, and following one silently hides a misconfiguration.
    bool follow = false;
    int maxHops = 5;
};

struct TlsOptions
{
    // PEM files with extra certificate authorities, trusted besides the system store.
    QStringList caFiles;
    bool useSystemCaCertificates = true;
    // Client certificate and its private key (PEM); both or neither.
    QString clientCertificateFile;
    QString clientKeyFile;
    QByteArray clientKeyPassphrase;
    // Accept a certificate that fails verification, for this connection only. The ignored
    // errors are still recorded and reported.
    bool allowInvalidCertificates = false;
    // The name sent as SNI and checked against the certificate; empty: the URL's host.
    QString peerVerifyName;
};

enum class ProxyType : quint8 {
    None, // connect directly, whatever the application or system settings say
    System, // the system's proxy settings for this URL
    HttpConnect, // an HTTP proxy, through CONNECT
    Socks5,
};

struct ProxyOptions
{
    ProxyType type = ProxyType::None;
    QString host;
    quint16 port = 0;
    QString user;
    QString password;

    // From "http://[user:pass@]host:port" or "socks5://[user:pass@]host:port"; std::nullopt and
    // a message in *error for anything else.
    static std::optional<ProxyOptions> fromUrl(const QUrl &url, QString *error = nullptr);
};

struct KeepaliveOptions
{
    // Send a ping this often while open; the round-trip time comes from its pong.
    int pingIntervalMs = 0;
    // A keepalive ping without its pong for this long: the connection is considered dead.
    int pongTimeoutMs = 10000;
};

// A data message to send, e.g. a subscription re-sent after each reconnect.
struct OutgoingMessage
{
    bool binary = false;
    QByteArray data; // UTF-8 for text
    // When permessage-deflate was negotiated: compress it (RSV1 set), or send it as it is.
    bool compress = true;

    friend bool operator==(const OutgoingMessage &, const OutgoingMessage &) = default;
};

struct ReconnectOptions
{
    bool enabled = false;
    BackoffPolicy backoff;
    // The close codes after which to reconnect: a server's close frame, or 1006 for a
    // connection lost without one (a dead keepalive included). A close the user asked for never
    // reconnects, nor does our own close of a peer that broke the protocol.
    QList<quint16> closeCodes { 1001, 1006, 1011, 1012, 1013 };
    // Also retry when the very first connection attempt fails; otherwise the session only
    // reconnects once it has been open.
    bool retryFirstConnect = false;

    bool reconnectsAfter(quint16 closeCode) const { return closeCodes.contains(closeCode); }
};

struct SessionOptions
{
    // The endpoint, ws:// or wss://. QUrl decodes percent-encoded unreserved characters, so
    // use setUrl() with the text as written to keep the path and query byte for byte.
    QUrl url;
    // The path and query exactly as they go on the request line; empty: url's, fully encoded.
    QByteArray resource;
    QList<HttpHeader> headers; // custom handshake headers, in order
    QList<QByteArray> subprotocols;
    QByteArray origin; // empty: no Origin header
    QList<QByteArray> extensions; // extension offers besides permessage-deflate, verbatim
    DeflateOptions deflate;
    Limits limits; // maxMessageSize and the rest of what the protocol core enforces
    SessionTimeouts timeouts;
    RedirectOptions redirects;
    TlsOptions tls;
    ProxyOptions proxy;
    KeepaliveOptions keepalive;
    ReconnectOptions reconnect;
    // Data messages sent, in order, right after every open: the first and each reconnect.
    QList<OutgoingMessage> sendAfterOpen;

    // Sets url and resource from the text as written; returns an error sentence (the URL is
    // not a usable ws/wss URL) or an empty string.
    QString setUrl(const QString &text);

    // Empty when the options can be used; otherwise a sentence naming the first problem.
    QString validate() const;
};

} // namespace duplex
