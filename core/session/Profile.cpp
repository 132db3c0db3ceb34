// Profile, part one: the value, its problems and its secrets. Its JSON form is in
// ProfileJson.cpp.

#include "core/session/Profile.h"

#include "core/session/HexBytes.h"

#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QUrl>

#include <cmath>
#include <initializer_list>

namespace duplex {

namespace {

bool isToken(const QString &text)
{
    // RFC 7230 token characters.
    static const QRegularExpression token(QStringLiteral("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"));
    return token.match(text).hasMatch();
}

bool hasPlaceholder(const QString &text)
{
    return text.contains(QLatin1String("{{"));
}

// Replaces every {{...}} with something that fits anywhere in a URL (a host, a port, a path)
// so that the rest can be checked as a URL.
QString withoutPlaceholders(const QString &text)
{
    static const QRegularExpression placeholder(QStringLiteral("\\{\\{[^}]*\\}\\}"));
    QString copy = text;
    copy.replace(placeholder, QStringLiteral("1"));
    return copy;
}

void checkUrl(const QString &url, QStringList &problems)
{
    const QString trimmed = url.trimmed();
    if (trimmed.isEmpty()) {
        problems << QStringLiteral("url: empty; enter a ws:// or wss:// address");
        return;
    }
    if (trimmed.startsWith(QLatin1String("{{")))
        return; // the scheme itself comes from a variable: checked after substitution
    const QUrl parsed(withoutPlaceholders(trimmed), QUrl::StrictMode);
    const QString scheme = parsed.scheme().toLower();
    if (scheme == QLatin1String("http") || scheme == QLatin1String("https")) {
        const QString suggestion =
            scheme == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws");
        problems << QStringLiteral("url: %1:// is not a WebSocket address; use %2:// (a "
                                   "WebSocket handshake over %1 starts with %2://)")
                        .arg(scheme, suggestion);
        return;
    }
    if (scheme.isEmpty()) {
        problems << QStringLiteral("url: \"%1\" has no scheme; start it with ws:// or wss://")
                        .arg(trimmed);
        return;
    }
    if (scheme != QLatin1String("ws") && scheme != QLatin1String("wss")) {
        problems << QStringLiteral("url: scheme \"%1\" is not supported; use ws:// or wss://")
                        .arg(scheme);
        return;
    }
    if (!parsed.isValid()) {
        problems << QStringLiteral("url: not a valid address (%1)").arg(parsed.errorString());
        return;
    }
    if (parsed.host().isEmpty())
        problems << QStringLiteral("url: no host name");
    if (parsed.hasFragment())
        problems << QStringLiteral("url: a WebSocket address cannot have a #fragment");
}

void checkTemplates(const QList<Profile::MessageTemplate> &templates, const QString &what,
                    QStringList &problems)
{
    for (qsizetype i = 0; i < templates.size(); ++i) {
        const Profile::MessageTemplate &t = templates.at(i);
        const QString label = t.name.isEmpty() ? QStringLiteral("%1 #%2").arg(what).arg(i + 1)
                                               : QStringLiteral("%1 '%2'").arg(what, t.name);
        if (hasPlaceholder(t.body))
            continue; // checked once substituted
        switch (t.kind) {
        case Profile::TemplateKind::Text:
            break;
        case Profile::TemplateKind::Json: {
            QJsonParseError error;
            QJsonDocument::fromJson(t.body.toUtf8(), &error);
            if (error.error != QJsonParseError::NoError)
                problems << QStringLiteral("%1: not valid JSON at offset %2 (%3)")
                                .arg(label)
                                .arg(error.offset)
                                .arg(error.errorString());
            break;
        }
        case Profile::TemplateKind::Hex: {
            const HexBytes hex = HexBytes::parse(t.body);
            if (!hex.ok())
                problems << QStringLiteral("%1: not hexadecimal bytes: character %2: %3")
                                .arg(label)
                                .arg(hex.errorAt + 1)
                                .arg(hex.error);
            break;
        }
        case Profile::TemplateKind::Base64: {
            const auto decoded = QByteArray::fromBase64Encoding(
                t.body.trimmed().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                problems << QStringLiteral("%1: not valid Base64").arg(label);
            break;
        }
        case Profile::TemplateKind::File:
            if (t.body.trimmed().isEmpty())
                problems << QStringLiteral("%1: no file chosen").arg(label);
            else if (!QFileInfo(t.body).isFile())
                problems << QStringLiteral("%1: no such file %2").arg(label, t.body);
            break;
        }
    }
}

QString secretHeaderKey(const QString &name, int occurrence)
{
    return QStringLiteral("header:%1#%2").arg(name.trimmed().toLower()).arg(occurrence);
}

const QString proxyPasswordKey = QStringLiteral("proxy:password");

// The one of `values` whose name (as `nameOf` gives it) is `name`, ignoring case.
template<typename Enum>
std::optional<Enum> valueNamed(const QString &name, std::initializer_list<Enum> values,
                               QString (*nameOf)(Enum))
{
    for (Enum value : values) {
        if (name.compare(nameOf(value), Qt::CaseInsensitive) == 0)
            return value;
    }
    return std::nullopt;
}

} // namespace

bool Profile::Reconnect::shouldReconnectAfter(int closeCode) const
{
    if (closeCode == 1000 || closeCode == 1008)
        return false;
    for (const CloseCodeRange &range : closeCodes) {
        if (range.contains(closeCode))
            return true;
    }
    return false;
}

Profile Profile::create(const QString &name)
{
    Profile profile;
    profile.id = QUuid::createUuid();
    profile.name = name;
    return profile;
}

QString Profile::path() const
{
    const QString normalized = normalizedFolder(folder);
    return normalized.isEmpty() ? name : normalized + QLatin1Char('/') + name;
}

QString Profile::normalizedFolder(const QString &folder)
{
    QStringList segments;
    for (const QString &segment : folder.split(QLatin1Char('/'))) {
        const QString trimmed = segment.trimmed();
        if (!trimmed.isEmpty())
            segments << trimmed;
    }
    return segments.join(QLatin1Char('/'));
}

QStringList Profile::problems() const
{
    QStringList problems;

    if (name.trimmed().isEmpty())
        problems << QStringLiteral("name: empty");
    else if (name.contains(QLatin1Char('/')))
        problems << QStringLiteral("name: \"%1\" contains '/', which separates folders; use the "
                                   "folder for grouping")
                        .arg(name);
    if (name != name.trimmed())
        problems << QStringLiteral("name: starts or ends with spaces");

    checkUrl(url, problems);

    for (qsizetype i = 0; i < headers.size(); ++i) {
        const Header &header = headers.at(i);
        const QString label = header.name.isEmpty() ? QStringLiteral("header #%1").arg(i + 1)
                                                    : QStringLiteral("header %1").arg(header.name);
        if (header.name.trimmed().isEmpty()) {
            if (header.enabled || !header.value.isEmpty())
                problems << QStringLiteral("%1: empty name").arg(label);
        } else if (!hasPlaceholder(header.name) && !isToken(header.name)) {
            problems << QStringLiteral("%1: the name has characters a header name cannot have "
                                       "(spaces, colons, quotes...)")
                            .arg(label);
        }
        if (header.value.contains(QLatin1Char('\r')) || header.value.contains(QLatin1Char('\n')))
            problems << QStringLiteral("%1: the value contains a line break").arg(label);
    }

    for (qsizetype i = 0; i < subprotocols.size(); ++i) {
        const QString &protocol = subprotocols.at(i);
        if (protocol.isEmpty())
            problems << QStringLiteral("subprotocol #%1: empty").arg(i + 1);
        else if (!hasPlaceholder(protocol) && !isToken(protocol))
            problems << QStringLiteral("subprotocol \"%1\": not a valid token (no spaces or "
                                       "commas)")
                            .arg(protocol);
    }

    if (!origin.isEmpty() && !hasPlaceholder(origin)) {
        const QUrl parsed(origin, QUrl::StrictMode);
        if (!parsed.isValid() || parsed.scheme().isEmpty() || parsed.host().isEmpty())
            problems << QStringLiteral("origin: \"%1\" is not an origin like "
                                       "https://app.example.com")
                            .arg(origin);
    }

    const auto checkBits = [&](const QString &field, int bits) {
        if (bits < 8 || bits > 15)
            problems << QStringLiteral("deflate.%1: %2 is outside 8..15").arg(field).arg(bits);
    };
    checkBits(QStringLiteral("clientMaxWindowBits"), deflate.clientMaxWindowBits);
    checkBits(QStringLiteral("serverMaxWindowBits"), deflate.serverMaxWindowBits);

    if (reconnect.initialDelayMs < 0)
        problems << QStringLiteral("reconnect.initialDelayMs: must not be negative");
    if (reconnect.maxDelayMs < reconnect.initialDelayMs)
        problems << QStringLiteral("reconnect.maxDelayMs: %1 is below the initial delay %2")
                        .arg(reconnect.maxDelayMs)
                        .arg(reconnect.initialDelayMs);
    if (!std::isfinite(reconnect.multiplier) || reconnect.multiplier < 1.0
        || reconnect.multiplier > 100.0)
        problems << QStringLiteral("reconnect.multiplier: %1 is outside 1..100")
                        .arg(reconnect.multiplier);
    if (reconnect.maxAttempts < 0)
        problems << QStringLiteral("reconnect.maxAttempts: must not be negative (0 = unlimited)");
    if (reconnect.resetAfterMs < 0)
        problems << QStringLiteral("reconnect.resetAfterMs: must not be negative");
    for (const CloseCodeRange &range : reconnect.closeCodes) {
        if (range.first > range.last || range.first < 1000 || range.last > 4999)
            problems << QStringLiteral("reconnect.closeCodes: %1 is not a range of close codes "
                                       "within 1000-4999")
                            .arg(closeCodesToString({ range }));
        else if (range.first == range.last && (range.first == 1000 || range.first == 1008))
            problems << QStringLiteral("reconnect.closeCodes: %1 never reconnects (the peer "
                                       "meant to close); remove it")
                            .arg(range.first);
    }

    if (keepalive.pingIntervalMs < 0)
        problems << QStringLiteral("keepalive.pingIntervalMs: must not be negative (0 = off)");
    if (keepalive.pingIntervalMs > 0 && keepalive.pongTimeoutMs <= 0)
        problems << QStringLiteral("keepalive.pongTimeoutMs: must be positive when pings are on");

    if (timeouts.connectMs < 0)
        problems << QStringLiteral("timeouts.connectMs: must not be negative (0 = none)");
    if (timeouts.handshakeMs < 0)
        problems << QStringLiteral("timeouts.handshakeMs: must not be negative (0 = none)");
    if (timeouts.closeMs < 0)
        problems << QStringLiteral("timeouts.closeMs: must not be negative (0 = none)");

    if (redirects.maxHops < 0 || redirects.maxHops > 50)
        problems << QStringLiteral("redirects.maxHops: %1 is outside 0..50").arg(redirects.maxHops);

    const auto checkFile = [&](const QString &field, const QString &path) {
        if (!path.isEmpty() && !QFileInfo(path).isFile())
            problems << QStringLiteral("tls.%1: no such file %2").arg(field, path);
    };
    checkFile(QStringLiteral("caFile"), tls.caFile);
    checkFile(QStringLiteral("certificateFile"), tls.certificateFile);
    checkFile(QStringLiteral("keyFile"), tls.keyFile);
    if (!tls.keyFile.isEmpty() && tls.certificateFile.isEmpty())
        problems << QStringLiteral("tls.keyFile: a key without a client certificate is unused");
    if (tls.keyFile.isEmpty() && !tls.certificateFile.isEmpty())
        problems << QStringLiteral("tls.certificateFile: a client certificate needs its key file");

    if (proxy.type == ProxyType::Http || proxy.type == ProxyType::Socks5) {
        if (proxy.host.trimmed().isEmpty())
            problems << QStringLiteral("proxy.host: empty");
        if (proxy.port < 1 || proxy.port > 65535)
            problems << QStringLiteral("proxy.port: %1 is outside 1..65535").arg(proxy.port);
    } else if (proxy.port < 0 || proxy.port > 65535) {
        problems << QStringLiteral("proxy.port: %1 is outside 0..65535").arg(proxy.port);
    }

    if (maxMessageSize < 0)
        problems << QStringLiteral("maxMessageSize: must not be negative (0 = no limit)");

    checkTemplates(onConnectMessages, QStringLiteral("on-connect message"), problems);
    checkTemplates(templates, QStringLiteral("template"), problems);
    for (qsizetype i = 0; i < templates.size(); ++i) {
        if (templates.at(i).name.trimmed().isEmpty())
            problems << QStringLiteral("template #%1: no name").arg(i + 1);
    }
    return problems;
}

QList<Profile::SecretSlot> Profile::secretSlots() const
{
    QList<SecretSlot> slots;
    QHash<QString, int> occurrences;
    for (const Header &header : headers) {
        if (!header.secret)
            continue;
        const QString folded = header.name.trimmed().toLower();
        const int occurrence = occurrences.value(folded);
        occurrences.insert(folded, occurrence + 1);
        slots.append({ secretHeaderKey(header.name, occurrence),
                       QStringLiteral("header %1").arg(header.name), header.value });
    }
    if (proxy.type == ProxyType::Http || proxy.type == ProxyType::Socks5
        || !proxy.password.isEmpty())
        slots.append({ proxyPasswordKey, QStringLiteral("proxy password"), proxy.password });
    return slots;
}

bool Profile::setSecretValue(const QString &key, const QString &value)
{
    if (key == proxyPasswordKey) {
        proxy.password = value;
        return true;
    }
    QHash<QString, int> occurrences;
    for (Header &header : headers) {
        if (!header.secret)
            continue;
        const QString folded = header.name.trimmed().toLower();
        const int occurrence = occurrences.value(folded);
        occurrences.insert(folded, occurrence + 1);
        if (secretHeaderKey(header.name, occurrence) == key) {
            header.value = value;
            return true;
        }
    }
    return false;
}

Profile Profile::withoutSecrets() const
{
    Profile copy = *this;
    for (Header &header : copy.headers) {
        if (header.secret)
            header.value.clear();
    }
    copy.proxy.password.clear();
    return copy;
}

bool Profile::hasSecrets() const
{
    for (const SecretSlot &slot : secretSlots()) {
        if (!slot.value.isEmpty())
            return true;
    }
    return false;
}

QString Profile::templateKindName(TemplateKind kind)
{
    switch (kind) {
    case TemplateKind::Text:
        return QStringLiteral("text");
    case TemplateKind::Json:
        return QStringLiteral("json");
    case TemplateKind::Hex:
        return QStringLiteral("hex");
    case TemplateKind::Base64:
        return QStringLiteral("base64");
    case TemplateKind::File:
        return QStringLiteral("file");
    }
    return QStringLiteral("text");
}

std::optional<Profile::TemplateKind> Profile::templateKindFromName(const QString &name)
{
    return valueNamed(name,
                      { TemplateKind::Text, TemplateKind::Json, TemplateKind::Hex,
                        TemplateKind::Base64, TemplateKind::File },
                      &templateKindName);
}

QString Profile::jitterName(Jitter jitter)
{
    switch (jitter) {
    case Jitter::None:
        return QStringLiteral("none");
    case Jitter::Full:
        return QStringLiteral("full");
    case Jitter::Equal:
        return QStringLiteral("equal");
    }
    return QStringLiteral("full");
}

std::optional<Profile::Jitter> Profile::jitterFromName(const QString &name)
{
    return valueNamed(name, { Jitter::None, Jitter::Full, Jitter::Equal }, &jitterName);
}

QString Profile::proxyTypeName(ProxyType type)
{
    switch (type) {
    case ProxyType::System:
        return QStringLiteral("system");
    case ProxyType::None:
        return QStringLiteral("none");
    case ProxyType::Http:
        return QStringLiteral("http");
    case ProxyType::Socks5:
        return QStringLiteral("socks5");
    }
    return QStringLiteral("system");
}

std::optional<Profile::ProxyType> Profile::proxyTypeFromName(const QString &name)
{
    return valueNamed(name,
                      { ProxyType::System, ProxyType::None, ProxyType::Http, ProxyType::Socks5 },
                      &proxyTypeName);
}

QString Profile::closeCodesToString(const QList<CloseCodeRange> &ranges)
{
    QStringList parts;
    for (const CloseCodeRange &range : ranges) {
        parts << (range.first == range.last
                      ? QString::number(range.first)
                      : QStringLiteral("%1-%2").arg(range.first).arg(range.last));
    }
    return parts.join(QStringLiteral(", "));
}

std::optional<QList<Profile::CloseCodeRange>> Profile::closeCodesFromString(const QString &text,
                                                                            QString *errorMessage)
{
    static const QRegularExpression single(QStringLiteral("^\\s*(\\d{1,5})\\s*$"));
    static const QRegularExpression range(
        QStringLiteral("^\\s*(\\d{1,5})\\s*-\\s*(\\d{1,5})\\s*$"));
    QList<CloseCodeRange> ranges;
    const auto failWith = [&](const QString &message) -> std::optional<QList<CloseCodeRange>> {
        if (errorMessage)
            *errorMessage = message;
        return std::nullopt;
    };
    for (const QString &part : text.split(QLatin1Char(','))) {
        if (part.trimmed().isEmpty())
            continue;
        CloseCodeRange parsed;
        if (const auto match = single.match(part); match.hasMatch()) {
            parsed.first = parsed.last = match.captured(1).toInt();
        } else if (const auto rangeMatch = range.match(part); rangeMatch.hasMatch()) {
            parsed.first = rangeMatch.captured(1).toInt();
            parsed.last = rangeMatch.captured(2).toInt();
        } else {
            return failWith(QStringLiteral("\"%1\" is neither a close code nor a range like "
                                           "1011-1013")
                                .arg(part.trimmed()));
        }
        if (parsed.first < 1000 || parsed.last > 4999 || parsed.first > parsed.last)
            return failWith(QStringLiteral("\"%1\" is not within the close codes 1000-4999")
                                .arg(part.trimmed()));
        ranges.append(parsed);
    }
    return ranges;
}

} // namespace duplex
