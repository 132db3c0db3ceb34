// Fuzz target: arbitrary bytes as the frames a peer sends, to a client and to a server
// Connection (with and without permessage-deflate), delivered in pieces whose sizes come from
// the input itself so the fuzzer also explores how reads are split.

#include "core/protocol/Connection.h"

#include <cstddef>
#include <cstdint>

namespace {

void drain(duplex::Connection &connection)
{
    while (auto event = connection.nextEvent()) {
        // Touch every view so the sanitizer sees any that points outside its buffer.
        std::visit(
            [](const auto &e) {
                using T = std::decay_t<decltype(e)>;
                volatile char sink = 0;
                auto touch = [&sink](QByteArrayView view) {
                    for (const char c : view)
                        sink = char(sink ^ c);
                };
                if constexpr (std::is_same_v<
                                  T,
                                  duplex::FrameReceived> || std::is_same_v<T, duplex::FrameSent>) {
                    touch(e.frame.wire);
                    touch(e.frame.payload);
                    touch(e.frame.inflated);
                } else if constexpr (std::is_same_v<T, duplex::TextMessage>) {
                    touch(e.utf8);
                    if (!duplex::Utf8Validator::isValid(e.utf8))
                        __builtin_trap(); // a text message must have been validated
                } else if constexpr (std::is_same_v<T, duplex::BinaryMessage>) {
                    touch(e.data);
                } else if constexpr (
                    std::is_same_v<
                        T, duplex::PingReceived> || std::is_same_v<T, duplex::PongReceived>) {
                    touch(e.payload);
                } else if constexpr (std::is_same_v<T, duplex::CloseReceived>) {
                    touch(e.reason);
                }
            },
            *event);
    }
    connection.consumeOutput(connection.pendingOutput().size());
}

void run(duplex::Role role, bool deflate, const uint8_t *data, size_t size)
{
    duplex::Limits limits;
    limits.maxMessageSize = 1 << 20;
    duplex::Connection connection(role, limits);
    duplex::Negotiated negotiated;
    if (deflate)
        negotiated.deflate = duplex::DeflateParameters {};
    connection.openWithoutHandshake(negotiated);
    size_t offset = 0;
    size_t piece = size > 0 ? (data[0] % 17) + 1 : 1;
    while (offset < size) {
        const size_t n = std::min(piece, size - offset);
        connection.receiveData(
            QByteArrayView(reinterpret_cast<const char *>(data) + offset, qsizetype(n)));
        drain(connection);
        offset += n;
        piece = piece * 3 % 97 + 1;
    }
    connection.receiveEof();
    drain(connection);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run(duplex::Role::Client, false, data, size);
    run(duplex::Role::Server, false, data, size);
    run(duplex::Role::Client, true, data, size);
    return 0;
}
