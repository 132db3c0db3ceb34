#pragma once

#include "core/session/SessionOptions.h"
#include "core/session/WebSocketUrl.h"

#include <QAbstractSocket>
#include <QNetworkProxy>
#include <QString>

namespace duplex {

// The proxy a connection goes through, from ProxyOptions. Pure functions but for the system
// settings, which Qt reads.
class SessionProxy
{
public:
    // The QNetworkProxy for `target`: none, the HTTP (CONNECT) or SOCKS5 proxy given, or the
    // system's choice for the endpoint's http(s) URL when it can tunnel (an HTTP proxy without
    // CONNECT cannot carry a WebSocket).
    static QNetworkProxy forTarget(const ProxyOptions &options, const WebSocketUrl &target);
    // "http://proxy.local:3128", "socks5://127.0.0.1:1080": for the record.
    static QString address(const QNetworkProxy &proxy);
    // Whether a socket error is the proxy's rather than the endpoint's.
    static bool isProxyError(QAbstractSocket::SocketError error);
};

} // namespace duplex
