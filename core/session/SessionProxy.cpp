#include "core/session/SessionProxy.h"

#include <QNetworkProxyFactory>

namespace duplex {

QNetworkProxy SessionProxy::forTarget(const ProxyOptions &proxy, const WebSocketUrl &target)
{
    switch (proxy.type) {
    case ProxyType::None:
        break;
    case ProxyType::HttpConnect:
        return QNetworkProxy(QNetworkProxy::HttpProxy, proxy.host, proxy.port, proxy.user,
                             proxy.password);
    case ProxyType::Socks5:
        return QNetworkProxy(QNetworkProxy::Socks5Proxy, proxy.host, proxy.port, proxy.user,
                             proxy.password);
    case ProxyType::System: {
        // System settings are kept per URL scheme: ask as for the HTTP(S) URL of the endpoint.
        QUrl url = target.url;
        url.setScheme(target.secure ? QStringLiteral("https") : QStringLiteral("http"));
        const QList<QNetworkProxy> proxies =
            QNetworkProxyFactory::systemProxyForQuery(QNetworkProxyQuery(url));
        for (const QNetworkProxy &candidate : proxies) {
            if (candidate.type() == QNetworkProxy::Socks5Proxy
                || (candidate.type() == QNetworkProxy::HttpProxy
                    && candidate.capabilities().testFlag(QNetworkProxy::TunnelingCapability)))
                return candidate;
            if (candidate.type() == QNetworkProxy::NoProxy)
                break;
        }
        break;
    }
    }
    return QNetworkProxy(QNetworkProxy::NoProxy);
}

QString SessionProxy::address(const QNetworkProxy &proxy)
{
    return QStringLiteral("%1://%2:%3")
        .arg(proxy.type() == QNetworkProxy::Socks5Proxy ? QStringLiteral("socks5")
                                                        : QStringLiteral("http"),
             proxy.hostName())
        .arg(proxy.port());
}

bool SessionProxy::isProxyError(QAbstractSocket::SocketError error)
{
    switch (error) {
    case QAbstractSocket::ProxyAuthenticationRequiredError:
    case QAbstractSocket::ProxyConnectionRefusedError:
    case QAbstractSocket::ProxyConnectionClosedError:
    case QAbstractSocket::ProxyConnectionTimeoutError:
    case QAbstractSocket::ProxyNotFoundError:
    case QAbstractSocket::ProxyProtocolError:
        return true;
    default:
        return false;
    }
}

} // namespace duplex
