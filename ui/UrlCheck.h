#pragma once

#include <QString>
#include <QUrl>

namespace duplex {

// What the request bar says about the URL being typed: whether a WebSocket connection can be
// opened with it, and if not, a sentence naming what is wrong (and a fix when there is an
// obvious one, such as ws:// for http://).
struct UrlCheck
{
    enum class Verdict : quint8 { Empty, Valid, Invalid };

    Verdict verdict = Verdict::Empty;
    QUrl url; // Valid: the parsed URL
    QString message; // Invalid: what is wrong, in a sentence
    QString suggestion; // Invalid: a corrected URL when one is obvious, otherwise empty

    bool isValid() const { return verdict == Verdict::Valid; }

    // Accepts ws:// and wss:// URLs with a host; surrounding white space is ignored.
    static UrlCheck of(const QString &text);
};

} // namespace duplex
