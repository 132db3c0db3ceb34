#pragma once

#include "core/session/SessionOptions.h"
#include "core/session/WebSocketUrl.h"

#include <QByteArray>
#include <QString>

namespace duplex {

// Where a redirect answer to the opening handshake leads, decided without a socket: the next
// URL, or why it is not followed. ConnectionSession records the hop and connects again.
struct RedirectStep
{
    WebSocketUrl next; // valid when the redirect is followed
    QString error; // non-empty: not followed, and this says why ("handshake: ...")

    bool follows() const { return error.isEmpty(); }

    // 301, 302, 303, 307 and 308.
    static bool isRedirectStatus(int status);
    // The step after `current` answered `status` with `location`, `hopsSoFar` hops into this
    // attempt.
    static RedirectStep decide(const WebSocketUrl &current, int status, const QByteArray &location,
                               qsizetype hopsSoFar, const RedirectOptions &options);
};

} // namespace duplex
