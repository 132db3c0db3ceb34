#pragma once

#include <QtGlobal>

namespace duplex {

// Which end of the connection this side plays. A client masks what it sends and expects
// unmasked frames; a server the other way round (RFC 6455 section 5.1).
enum class Role : quint8 { Client, Server };

// Which way a frame crossed the wire, seen from this side.
enum class Direction : quint8 { Incoming, Outgoing };

} // namespace duplex
