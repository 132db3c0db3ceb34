#pragma once

#include "core/protocol/FrameHeader.h"

#include <functional>

namespace duplex {

// Fresh masking keys from the system's cryptographic generator (RFC 6455 section 10.3 wants
// them unpredictable). Keys are drawn from a pool refilled a few KiB at a time, so masking a
// small frame does not cost a system call. Tests may install a fixed sequence instead.
class MaskKeySource
{
public:
    MaskKeySource();

    MaskKey next();

    // Replaces the generator, e.g. with one that returns the RFC's example key. An empty
    // function restores the system generator.
    void setGenerator(std::function<MaskKey()> generator);

private:
    void refill();

    std::function<MaskKey()> m_generator;
    std::array<quint32, 512> m_pool {};
    std::size_t m_used = 512;
};

} // namespace duplex
