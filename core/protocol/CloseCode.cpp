#include "core/protocol/CloseCode.h"

namespace duplex {

const char *closeCodeName(quint16 code)
{
    switch (code) {
    case CloseCode::Normal:
        return "Normal Closure";
    case CloseCode::GoingAway:
        return "Going Away";
    case CloseCode::ProtocolError:
        return "Protocol Error";
    case CloseCode::UnsupportedData:
        return "Unsupported Data";
    case CloseCode::NoStatus:
        return "No Status Received";
    case CloseCode::Abnormal:
        return "Abnormal Closure";
    case CloseCode::InvalidPayload:
        return "Invalid Frame Payload Data";
    case CloseCode::PolicyViolation:
        return "Policy Violation";
    case CloseCode::MessageTooBig:
        return "Message Too Big";
    case CloseCode::MandatoryExtension:
        return "Mandatory Extension";
    case CloseCode::InternalError:
        return "Internal Error";
    case CloseCode::ServiceRestart:
        return "Service Restart";
    case CloseCode::TryAgainLater:
        return "Try Again Later";
    case CloseCode::BadGateway:
        return "Bad Gateway";
    case CloseCode::TlsHandshake:
        return "TLS Handshake";
    default:
        return "";
    }
}

} // namespace duplex
