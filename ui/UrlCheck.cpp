#include "ui/UrlCheck.h"

namespace duplex {

namespace {

UrlCheck invalid(QString message, QString suggestion = {})
{
    UrlCheck check;
    check.verdict = UrlCheck::Verdict::Invalid;
    check.message = std::move(message);
    check.suggestion = std::move(suggestion);
    return check;
}

// "localhost:8080/x" -> "ws://localhost:8080/x" when the text looks like a host without a scheme.
bool looksLikeHostWithoutScheme(const QString &text)
{
    if (text.contains(QLatin1String("://")) || text.startsWith(QLatin1Char('/')))
        return false;
    const QUrl guess(QStringLiteral("ws://") + text, QUrl::StrictMode);
    return guess.isValid() && !guess.host().isEmpty();
}

} // namespace

UrlCheck UrlCheck::of(const QString &typed)
{
    const QString text = typed.trimmed();
    if (text.isEmpty())
        return {};

    for (const QChar c : text) {
        if (c.isSpace())
            return invalid(QStringLiteral("The URL contains a space; encode it as %20."));
    }

    const qsizetype schemeEnd = text.indexOf(QLatin1String("://"));
    if (schemeEnd < 0) {
        if (looksLikeHostWithoutScheme(text)) {
            return invalid(QStringLiteral("The URL needs a scheme: ws:// or wss://."),
                           QStringLiteral("ws://") + text);
        }
        return invalid(QStringLiteral("Not a URL: it should start with ws:// or wss://."));
    }

    const QString scheme = text.left(schemeEnd).toLower();
    const QString rest = text.mid(schemeEnd + 3);
    if (scheme == QLatin1String("http") || scheme == QLatin1String("https")) {
        const QString ws =
            scheme == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws");
        return invalid(QStringLiteral("%1:// is not a WebSocket scheme; use %2:// for the same "
                                      "server.")
                           .arg(scheme, ws),
                       ws + QStringLiteral("://") + rest);
    }
    if (scheme != QLatin1String("ws") && scheme != QLatin1String("wss")) {
        return invalid(
            QStringLiteral("Unsupported scheme \"%1\": use ws:// or wss://.").arg(scheme));
    }

    // QUrl refuses an out-of-range port with a message that hides which part is wrong.
    qsizetype authorityEnd = rest.size();
    for (const QChar end : { QLatin1Char('/'), QLatin1Char('?') }) {
        const qsizetype at = rest.indexOf(end);
        if (at >= 0 && at < authorityEnd)
            authorityEnd = at;
    }
    QString authority = rest.left(authorityEnd);
    authority = authority.mid(authority.lastIndexOf(QLatin1Char('@')) + 1);
    const qsizetype colon = authority.lastIndexOf(QLatin1Char(':'));
    if (colon >= 0 && !authority.endsWith(QLatin1Char(']'))) {
        bool ok = false;
        const int port = authority.mid(colon + 1).toInt(&ok);
        if (!ok || port < 1 || port > 65535)
            return invalid(QStringLiteral("The port must be a number from 1 to 65535."));
    }

    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid()) {
        // QUrl's message ends with a dump of its parts; the first clause is the useful one.
        const QString reason = url.errorString().section(QLatin1Char(';'), 0, 0);
        return invalid(QStringLiteral("Not a valid URL: %1.").arg(reason));
    }
    if (url.host().isEmpty())
        return invalid(
            QStringLiteral("The URL has no host, e.g. %1://localhost:8080/.").arg(scheme));
    if (!url.fragment().isNull()) {
        QUrl withoutFragment = url;
        withoutFragment.setFragment(QString());
        return invalid(QStringLiteral("WebSocket URLs cannot have a #fragment."),
                       withoutFragment.toString());
    }
    UrlCheck check;
    check.verdict = Verdict::Valid;
    check.url = url;
    return check;
}

} // namespace duplex
