#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace duplex {

// A ws:// or wss:// URL taken apart into what the connection and the request line need.
//
// QUrl decodes percent-encoded unreserved characters ("%41" becomes "A"), so a path and query
// are only kept byte for byte when parsed from the text the user wrote: prefer
// fromText(). http and https are refused with a message suggesting ws and wss.
struct WebSocketUrl
{
    QUrl url; // the URL as a QUrl, for display and for resolving redirects
    bool secure = false; // wss
    QByteArray host; // as the socket and SNI want it; an IPv6 literal without brackets
    quint16 port = 0; // the effective port: the scheme's default when the URL names none
    QByteArray resource; // path and query for the request line; "/" when the path is empty
    QString error; // non-empty: the URL cannot be used, and this says why

    bool isValid() const { return error.isEmpty(); }
    // Whether host is an IPv4 or IPv6 literal (no lookup needed).
    bool hostIsAddress() const;

    // From text such as "ws://[::1]:8080/p?q=%41": the path and query go on the request line
    // exactly as written (bytes outside printable ASCII are percent-encoded, the fragment is
    // dropped).
    static WebSocketUrl fromText(const QString &text);
    // From a QUrl: the path and query in QUrl's fully encoded form. A non-empty `resource`
    // replaces them, byte for byte.
    static WebSocketUrl fromUrl(const QUrl &url, const QByteArray &resource = {});

    // The target of a redirect: `location` resolved against `base`, http mapped to ws and https
    // to wss. The result's error says why when it cannot be followed.
    static WebSocketUrl resolveRedirect(const WebSocketUrl &base, const QByteArray &location);
};

} // namespace duplex
