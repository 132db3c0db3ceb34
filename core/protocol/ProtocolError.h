#pragma once

#include <QtGlobal>

namespace duplex {

// A violation of RFC 6455 (or RFC 7692) by the peer. Each one fails the connection with the
// close code closeCodeFor() gives: 1009 for size, 1007 for bad UTF-8, 1002 for the rest.
enum class ProtocolError : quint8 {
    // framing (1002)
    ReservedBitSet, // RSV1-3 set without an extension that defines it
    ReservedOpcode, // opcode 3-7 or 0xB-0xF
    NonMinimalLength, // a length encoded in more bytes than it needs
    LengthTopBitSet, // the most significant bit of a 64-bit length is set
    MaskedFrameFromServer,
    UnmaskedFrameFromClient,
    FragmentedControl, // a control frame without FIN
    ControlTooBig, // a control frame payload over 125 bytes
    UnexpectedContinuation, // a continuation frame with no message in progress
    ExpectedContinuation, // a new text/binary frame inside a fragmented message
    // close frames (1002, or 1007 for the reason)
    CloseFrameTooShort, // a close payload of exactly one byte
    BadCloseCode, // a code that may not be sent
    BadUtf8CloseReason,
    // payload (1007)
    BadUtf8,
    // sizes (1009)
    MessageTooBig,
    // permessage-deflate (1002, 1009 for the inflated size)
    CompressedControlOrContinuation, // RSV1 on a control or continuation frame
    BadCompressedData,
    InflatedTooBig,
};

quint16 closeCodeFor(ProtocolError error);

// One sentence for logs and the UI, e.g. "a control frame longer than 125 bytes".
const char *describe(ProtocolError error);

} // namespace duplex
