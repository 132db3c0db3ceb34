#pragma once

#include "core/session/SessionError.h"

namespace duplex::cli {

// duplex-cli's exit status (DESIGN.md section 7). Scripts depend on these: keep them stable.
enum class ExitCode : int {
    Closed = 0, // the closing handshake completed
    Usage = 1, // a bad flag, value, file or URL: nothing was sent
    CouldNotConnect = 2, // lookup, TCP, proxy, TLS, or the opening handshake failed
    ProtocolViolation = 3, // the peer broke the protocol and we failed the connection
    ConnectionLost = 4, // no closing handshake: lost, dead keepalive, close unanswered
    Timeout = 5, // nothing received for --timeout seconds
};

// The exit code for the error that ended a session.
constexpr ExitCode exitCodeFor(SessionError error)
{
    switch (error) {
    case SessionError::None:
        return ExitCode::Closed;
    case SessionError::InvalidOptions:
        return ExitCode::Usage;
    case SessionError::ProtocolViolation:
        return ExitCode::ProtocolViolation;
    case SessionError::ConnectionLost:
    case SessionError::KeepaliveTimeout:
    case SessionError::CloseTimeout:
    case SessionError::ReconnectGaveUp:
        return ExitCode::ConnectionLost;
    default:
        return isOpeningError(error) ? ExitCode::CouldNotConnect : ExitCode::ConnectionLost;
    }
}

} // namespace duplex::cli
