// Fuzz target: arbitrary bytes as the server's answer to our opening handshake (and, the other
// way round, as a client's upgrade request to a server Connection).

#include "core/protocol/Connection.h"

#include <cstddef>
#include <cstdint>

namespace {

void drain(duplex::Connection &connection)
{
    while (auto event = connection.nextEvent()) {
        if (const auto *rejected = std::get_if<duplex::HandshakeRejected>(&*event)) {
            if (rejected->message.isEmpty())
                __builtin_trap(); // a refusal must always say why
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype split = size > 0 ? qsizetype(data[0]) % qsizetype(size) : 0;
    {
        duplex::HandshakeRequest request;
        request.host = "fuzz.test";
        request.subprotocols = { "chat" };
        request.deflate.enabled = true;
        duplex::Limits limits;
        limits.maxHandshakeSize = 4096;
        duplex::Connection client(duplex::Role::Client, limits);
        // A fixed key, so the fuzzer can find responses that pass the accept check.
        if (!client.initiate(request, "dGhlIHNhbXBsZSBub25jZQ=="))
            __builtin_trap();
        client.receiveData(input.first(split));
        drain(client);
        client.receiveData(input.sliced(split));
        drain(client);
        client.receiveEof();
        drain(client);
    }
    {
        duplex::Connection server(duplex::Role::Server);
        server.receiveData(input);
        while (auto event = server.nextEvent()) {
            if (std::holds_alternative<duplex::HandshakeRequested>(*event)) {
                duplex::DeflateOptions policy;
                policy.enabled = true;
                (void)server.acceptHandshake({}, policy);
            }
        }
        server.receiveEof();
        drain(server);
    }
    return 0;
}
