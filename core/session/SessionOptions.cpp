#include "core/session/SessionOptions.h"

#include "core/protocol/Handshake.h"
#include "core/session/WebSocketUrl.h"

namespace duplex {

std::optional<ProxyOptions> ProxyOptions::fromUrl(const QUrl &url, QString *error)
{
    auto failWith = [error](QString message) -> std::optional<ProxyOptions> {
        if (error)
            *error = std::move(message);
        return std::nullopt;
    };
    if (!url.isValid() || url.host().isEmpty()) {
        return failWith(QStringLiteral("the proxy %1 is not a URL of the form "
                                       "http://host:port or socks5://host:port")
                            .arg(url.toDisplayString()));
    }
    ProxyOptions proxy;
    const QString scheme = url.scheme().toLower();
    if (scheme == u"http") {
        proxy.type = ProxyType::HttpConnect;
    } else if (scheme == u"socks5" || scheme == u"socks5h" || scheme == u"socks") {
        proxy.type = ProxyType::Socks5;
    } else {
        return failWith(QStringLiteral("the proxy scheme \"%1\" is not supported; use http:// "
                                       "(HTTP CONNECT) or socks5://")
                            .arg(url.scheme()));
    }
    proxy.host = url.host();
    const int port = url.port(proxy.type == ProxyType::Socks5 ? 1080 : 8080);
    if (port <= 0)
        return failWith(
            QStringLiteral("the proxy %1 has no usable port").arg(url.toDisplayString()));
    proxy.port = quint16(port);
    proxy.user = url.userName();
    proxy.password = url.password();
    return proxy;
}

QString SessionOptions::setUrl(const QString &text)
{
    const WebSocketUrl parsed = WebSocketUrl::fromText(text);
    url = parsed.url;
    resource = parsed.isValid() ? parsed.resource : QByteArray();
    return parsed.error;
}

QString SessionOptions::validate() const
{
    const WebSocketUrl target = WebSocketUrl::fromUrl(url, resource);
    if (!target.isValid())
        return target.error;

    HandshakeRequest request;
    request.host = target.host;
    request.port = target.port;
    request.secure = target.secure;
    request.resource = target.resource;
    request.origin = origin;
    request.subprotocols = subprotocols;
    request.extensions = extensions;
    request.deflate = deflate;
    request.headers = headers;
    const BuiltRequest built = buildHandshakeRequest(request, generateHandshakeKey());
    if (!built.error.isEmpty())
        return built.error;
    if (deflate.enabled) {
        const QString problem = deflate.validate();
        if (!problem.isEmpty())
            return QStringLiteral("permessage-deflate: %1").arg(problem);
    }
    if (limits.maxMessageSize == 0)
        return QStringLiteral("the maximum message size must be at least 1 byte");
    if (timeouts.connectMs < 0 || timeouts.handshakeMs < 0 || timeouts.closeMs < 0)
        return QStringLiteral("a timeout must not be negative (0 turns it off)");
    if (redirects.maxHops < 0)
        return QStringLiteral("the redirect limit must not be negative");
    if (keepalive.pingIntervalMs < 0 || keepalive.pongTimeoutMs < 0)
        return QStringLiteral("the keepalive interval and pong timeout must not be negative");
    if (tls.clientCertificateFile.isEmpty() != tls.clientKeyFile.isEmpty()) {
        return tls.clientKeyFile.isEmpty()
            ? QStringLiteral("TLS: a client certificate needs its private key (the key file)")
            : QStringLiteral("TLS: a client key needs its certificate (the certificate file)");
    }
    if ((proxy.type == ProxyType::HttpConnect || proxy.type == ProxyType::Socks5)
        && (proxy.host.isEmpty() || proxy.port == 0))
        return QStringLiteral("the proxy needs a host and a port");
    if (reconnect.enabled) {
        const QString problem = reconnect.backoff.validate();
        if (!problem.isEmpty())
            return problem;
    }
    return {};
}

} // namespace duplex
