#include "core/session/SessionError.h"

namespace duplex {

const char *errorName(SessionError error)
{
    switch (error) {
    case SessionError::None:
        return "none";
    case SessionError::InvalidOptions:
        return "invalid-options";
    case SessionError::HostLookup:
        return "host-lookup";
    case SessionError::Connect:
        return "connect";
    case SessionError::ConnectTimeout:
        return "connect-timeout";
    case SessionError::Proxy:
        return "proxy";
    case SessionError::Tls:
        return "tls";
    case SessionError::HandshakeTimeout:
        return "handshake-timeout";
    case SessionError::HandshakeRejected:
        return "handshake-rejected";
    case SessionError::Redirect:
        return "redirect";
    case SessionError::ProtocolViolation:
        return "protocol-violation";
    case SessionError::ConnectionLost:
        return "connection-lost";
    case SessionError::KeepaliveTimeout:
        return "keepalive-timeout";
    case SessionError::CloseTimeout:
        return "close-timeout";
    case SessionError::ReconnectGaveUp:
        return "reconnect-gave-up";
    }
    return "unknown";
}

} // namespace duplex
