#pragma once

#include "core/protocol/FrameHeader.h"

namespace duplex {

// RFC 6455 section 5.3: payload byte i is XORed with key[i % 4]. `keyOffset` is how many payload
// bytes came before `data` in the same frame, so a payload can be (un)masked in pieces as it
// arrives. Works a vector (or machine word) at a time.
void applyMask(char *data, qsizetype size, const MaskKey &key, quint64 keyOffset = 0);

// Copies `size` bytes from `source` to `destination`, masking them on the way: one pass instead
// of a copy followed by applyMask.
void copyMasked(char *destination, const char *source, qsizetype size, const MaskKey &key,
                quint64 keyOffset = 0);

// The byte-at-a-time loop most implementations use (QtWebSockets among them). Kept as the
// reference the benchmark measures the fast path against, and as the oracle in tests.
void applyMaskBytewise(char *data, qsizetype size, const MaskKey &key, quint64 keyOffset = 0);

} // namespace duplex
