#pragma once

#include <QtGlobal>

namespace duplex {

// Every 4-bit opcode value, the reserved ones included, so a frame can always be named
// (RFC 6455 section 5.2 and 11.8).
enum class Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    ReservedData3 = 0x3,
    ReservedData4 = 0x4,
    ReservedData5 = 0x5,
    ReservedData6 = 0x6,
    ReservedData7 = 0x7,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
    ReservedControlB = 0xB,
    ReservedControlC = 0xC,
    ReservedControlD = 0xD,
    ReservedControlE = 0xE,
    ReservedControlF = 0xF,
};

constexpr bool isControl(Opcode opcode)
{
    return (static_cast<quint8>(opcode) & 0x8) != 0;
}

constexpr bool isReserved(Opcode opcode)
{
    const auto value = static_cast<quint8>(opcode);
    return (value >= 0x3 && value <= 0x7) || value >= 0xB;
}

// A short lower-case name for logs and the UI: "text", "ping", "reserved-0xb".
const char *opcodeName(Opcode opcode);

} // namespace duplex
