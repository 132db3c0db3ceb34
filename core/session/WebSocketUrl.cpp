#include "core/session/WebSocketUrl.h"

#include <QHostAddress>

namespace duplex {
namespace {

// The bytes that may stand unencoded on a request line (RFC 3986 pchar, "/" and "?", plus
// "%" of existing escapes and the sub-delims). Anything else is percent-encoded.
bool keepsAsIs(uchar c)
{
    if (c <= 0x20 || c >= 0x7F)
        return false;
    switch (c) {
    case '"':
    case '<':
    case '>':
    case '\\':
    case '^':
    case '`':
    case '{':
    case '|':
    case '}':
    case '#':
        return false;
    default:
        return true;
    }
}

QByteArray encodeResource(QStringView text)
{
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() + 1);
    if (!utf8.startsWith('/'))
        out.append('/');
    static const char hex[] = "0123456789ABCDEF";
    for (const char ch : utf8) {
        const auto c = uchar(ch);
        if (keepsAsIs(c)) {
            out.append(ch);
        } else {
            out.append('%');
            out.append(hex[c >> 4]);
            out.append(hex[c & 0xF]);
        }
    }
    return out;
}

// The path, query and fragment of an absolute URL's text: whatever follows the authority.
QStringView afterAuthority(QStringView text)
{
    const qsizetype scheme = text.indexOf(u"://");
    if (scheme < 0)
        return {};
    const QStringView rest = text.sliced(scheme + 3);
    qsizetype end = 0;
    while (end < rest.size() && rest[end] != u'/' && rest[end] != u'?' && rest[end] != u'#')
        ++end;
    return rest.sliced(end);
}

QStringView withoutFragment(QStringView text)
{
    const qsizetype hash = text.indexOf(u'#');
    return hash < 0 ? text : text.first(hash);
}

QString describeScheme(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    const QString shown = url.toDisplayString();
    if (scheme == u"http") {
        return QStringLiteral("%1 is an HTTP URL; a WebSocket URL starts with ws:// (ws%2)")
            .arg(shown, shown.mid(4));
    }
    if (scheme == u"https") {
        return QStringLiteral("%1 is an HTTPS URL; a secure WebSocket URL starts with wss:// "
                              "(wss%2)")
            .arg(shown, shown.mid(5));
    }
    if (scheme.isEmpty()) {
        return QStringLiteral("%1 has no scheme; write ws://host/path, or wss://host/path for TLS")
            .arg(shown);
    }
    return QStringLiteral("the scheme \"%1\" is not a WebSocket scheme; use ws:// or wss://")
        .arg(url.scheme());
}

} // namespace

bool WebSocketUrl::hostIsAddress() const
{
    return !QHostAddress(QString::fromLatin1(host)).isNull();
}

WebSocketUrl WebSocketUrl::fromText(const QString &text)
{
    const QString trimmed = text.trimmed();
    const QUrl url(trimmed);
    if (!trimmed.contains(u"://")) {
        WebSocketUrl invalid;
        invalid.url = url;
        invalid.error =
            QStringLiteral("%1 has no scheme; write ws://host/path, or wss://host/path for TLS")
                .arg(trimmed);
        return invalid;
    }
    WebSocketUrl result = fromUrl(url);
    if (result.isValid())
        result.resource = encodeResource(withoutFragment(afterAuthority(trimmed)));
    return result;
}

WebSocketUrl WebSocketUrl::fromUrl(const QUrl &url, const QByteArray &resource)
{
    WebSocketUrl result;
    result.url = url;
    if (!url.isValid()) {
        result.error = QStringLiteral("%1 is not a valid URL: %2")
                           .arg(url.toDisplayString(), url.errorString());
        return result;
    }
    const QString scheme = url.scheme().toLower();
    if (scheme != u"ws" && scheme != u"wss") {
        result.error = describeScheme(url);
        return result;
    }
    result.secure = scheme == u"wss";
    const QString host = url.host(QUrl::FullyEncoded);
    if (host.isEmpty()) {
        result.error = QStringLiteral("%1 names no host").arg(url.toDisplayString());
        return result;
    }
    // QUrl::host() gives an IPv6 literal without its brackets, as the socket wants it.
    result.host = host.toLatin1();
    const int port = url.port(-1);
    if (port == 0) {
        result.error =
            QStringLiteral("%1: port 0 cannot be connected to").arg(url.toDisplayString());
        return result;
    }
    result.port = port > 0 ? quint16(port) : quint16(result.secure ? 443 : 80);
    if (!resource.isEmpty()) {
        result.resource = resource;
    } else {
        result.resource = url.path(QUrl::FullyEncoded).toLatin1();
        if (!result.resource.startsWith('/'))
            result.resource.prepend('/');
        if (url.hasQuery())
            result.resource += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    }
    return result;
}

WebSocketUrl WebSocketUrl::resolveRedirect(const WebSocketUrl &base, const QByteArray &location)
{
    WebSocketUrl invalid;
    const QString text = QString::fromUtf8(location).trimmed();
    if (text.isEmpty()) {
        invalid.error = QStringLiteral("the redirect has no Location header");
        return invalid;
    }
    QUrl target(text);
    if (!target.isValid()) {
        invalid.error = QStringLiteral("the Location \"%1\" is not a valid URL: %2")
                            .arg(text, target.errorString());
        return invalid;
    }
    QByteArray resource;
    if (target.isRelative()) {
        // An absolute path keeps its bytes; a relative one is resolved by QUrl's rules.
        if (text.startsWith(u'/') && !text.startsWith(u"//"))
            resource = encodeResource(withoutFragment(text));
        target = base.url.resolved(target);
    } else {
        resource = encodeResource(withoutFragment(afterAuthority(text)));
    }
    const QString scheme = target.scheme().toLower();
    if (scheme == u"http")
        target.setScheme(QStringLiteral("ws"));
    else if (scheme == u"https")
        target.setScheme(QStringLiteral("wss"));
    WebSocketUrl next = fromUrl(target, resource);
    if (!next.isValid())
        return next;
    if (base.secure && !next.secure) {
        next.error = QStringLiteral("the redirect from %1 to %2 would drop TLS; it is not followed")
                         .arg(base.url.toDisplayString(), next.url.toDisplayString());
    }
    return next;
}

} // namespace duplex
