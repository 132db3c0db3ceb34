#include "core/protocol/Opcode.h"

namespace duplex {

const char *opcodeName(Opcode opcode)
{
    static constexpr const char *names[16] = {
        "continuation", "text",         "binary",       "reserved-0x3",
        "reserved-0x4", "reserved-0x5", "reserved-0x6", "reserved-0x7",
        "close",        "ping",         "pong",         "reserved-0xb",
        "reserved-0xc", "reserved-0xd", "reserved-0xe", "reserved-0xf",
    };
    return names[static_cast<quint8>(opcode) & 0xF];
}

} // namespace duplex
