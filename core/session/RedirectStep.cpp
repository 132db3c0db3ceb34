#include "core/session/RedirectStep.h"

namespace duplex {

bool RedirectStep::isRedirectStatus(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

RedirectStep RedirectStep::decide(const WebSocketUrl &current, int status,
                                  const QByteArray &location, qsizetype hopsSoFar,
                                  const RedirectOptions &options)
{
    RedirectStep step;
    if (hopsSoFar >= options.maxHops) {
        step.error =
            QStringLiteral("handshake: more than %1 redirects; the last one (%2) pointed to %3")
                .arg(options.maxHops)
                .arg(status)
                .arg(QString::fromUtf8(location));
        return step;
    }
    step.next = WebSocketUrl::resolveRedirect(current, location);
    if (!step.next.isValid())
        step.error = QStringLiteral("handshake: cannot follow the %1 redirect from %2: %3")
                         .arg(status)
                         .arg(current.url.toDisplayString(), step.next.error);
    return step;
}

} // namespace duplex
