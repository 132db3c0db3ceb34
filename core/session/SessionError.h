#pragma once

#include <QtGlobal>

namespace duplex {

// What went wrong with a session, grouped the way a script reacts to it (duplex-cli maps these
// to its exit codes). The message that comes with each names the problem in a sentence.
enum class SessionError : quint8 {
    None,
    InvalidOptions, // the URL or an option cannot be used (nothing was sent)
    HostLookup, // the host name could not be resolved
    Connect, // the TCP connection was refused, unreachable, ...
    ConnectTimeout, // no TCP connection (lookup included) within the connect timeout
    Proxy, // the proxy refused, failed, or wants other credentials
    Tls, // the TLS handshake failed, certificate errors included
    HandshakeTimeout, // no complete opening handshake within the handshake timeout
    HandshakeRejected, // the server answered anything but a valid 101
    Redirect, // too many redirects, or a Location that cannot be followed
    ProtocolViolation, // the peer broke RFC 6455 / RFC 7692; we failed the connection
    ConnectionLost, // the TCP connection ended without a closing handshake
    KeepaliveTimeout, // no pong within the keepalive timeout
    CloseTimeout, // the peer did not complete the closing handshake in time
    ReconnectGaveUp, // the reconnect policy allows no further attempt
};

// A short name for logs and JSON: "connect", "tls", "handshake-rejected", ...
const char *errorName(SessionError error);

// Whether the error happened before the connection was open (could not connect, TLS, refused
// handshake): duplex-cli's exit code 2.
constexpr bool isOpeningError(SessionError error)
{
    switch (error) {
    case SessionError::InvalidOptions:
    case SessionError::HostLookup:
    case SessionError::Connect:
    case SessionError::ConnectTimeout:
    case SessionError::Proxy:
    case SessionError::Tls:
    case SessionError::HandshakeTimeout:
    case SessionError::HandshakeRejected:
    case SessionError::Redirect:
        return true;
    default:
        return false;
    }
}

} // namespace duplex
