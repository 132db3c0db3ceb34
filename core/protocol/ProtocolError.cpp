#include "core/protocol/ProtocolError.h"

#include "core/protocol/CloseCode.h"

namespace duplex {

quint16 closeCodeFor(ProtocolError error)
{
    switch (error) {
    case ProtocolError::BadUtf8:
    case ProtocolError::BadUtf8CloseReason:
        return CloseCode::InvalidPayload;
    case ProtocolError::MessageTooBig:
    case ProtocolError::InflatedTooBig:
        return CloseCode::MessageTooBig;
    default:
        return CloseCode::ProtocolError;
    }
}

const char *describe(ProtocolError error)
{
    switch (error) {
    case ProtocolError::ReservedBitSet:
        return "a reserved bit (RSV1-3) is set but no extension defines it";
    case ProtocolError::ReservedOpcode:
        return "the frame uses a reserved opcode";
    case ProtocolError::NonMinimalLength:
        return "the payload length is not encoded in the fewest bytes";
    case ProtocolError::LengthTopBitSet:
        return "the most significant bit of the 64-bit payload length is set";
    case ProtocolError::MaskedFrameFromServer:
        return "the server sent a masked frame";
    case ProtocolError::UnmaskedFrameFromClient:
        return "the client sent an unmasked frame";
    case ProtocolError::FragmentedControl:
        return "a control frame is fragmented (FIN is not set)";
    case ProtocolError::ControlTooBig:
        return "a control frame payload is longer than 125 bytes";
    case ProtocolError::UnexpectedContinuation:
        return "a continuation frame arrived with no fragmented message in progress";
    case ProtocolError::ExpectedContinuation:
        return "a new data frame arrived inside a fragmented message";
    case ProtocolError::CloseFrameTooShort:
        return "a close frame payload of one byte (a code needs two)";
    case ProtocolError::BadCloseCode:
        return "the close code may not be sent on the wire";
    case ProtocolError::BadUtf8CloseReason:
        return "the close reason is not valid UTF-8";
    case ProtocolError::BadUtf8:
        return "a text message is not valid UTF-8";
    case ProtocolError::MessageTooBig:
        return "the message is larger than the configured maximum";
    case ProtocolError::CompressedControlOrContinuation:
        return "RSV1 (compressed) is set on a control or continuation frame";
    case ProtocolError::BadCompressedData:
        return "a compressed message does not inflate";
    case ProtocolError::InflatedTooBig:
        return "a compressed message inflates past the configured maximum";
    }
    return "unknown protocol error";
}

} // namespace duplex
