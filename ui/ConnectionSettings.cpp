#include "ui/ConnectionSettings.h"

#include "core/protocol/CloseCode.h"
#include "core/session/Profile.h"
#include "core/session/SessionOptions.h"
#include "ui/UrlCheck.h"

#include <QJsonArray>

namespace duplex {

namespace {

constexpr std::array jitterNames { u"none", u"full", u"equal" };
constexpr std::array proxyNames { u"system", u"none", u"http", u"socks5" };

template<std::size_t N>
int indexOfName(const std::array<const char16_t *, N> &names, const QString &name)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (name.compare(QStringView(names[i]), Qt::CaseInsensitive) == 0)
            return int(i);
    }
    return -1;
}

// Reads fields of one JSON object into settings, keeping the default (and noting why) when a
// field has the wrong type.
class Reader
{
public:
    Reader(const QJsonObject &object, QString path, QStringList *warnings)
        : m_object(object)
        , m_path(std::move(path))
        , m_warnings(warnings)
    { }

    Reader child(const QString &key) const
    {
        const QJsonValue value = m_object.value(key);
        if (!value.isUndefined() && !value.isObject())
            warn(key, QStringLiteral("an object"));
        return Reader(value.toObject(), qualified(key), m_warnings);
    }

    void read(const QString &key, QString &out) const
    {
        const QJsonValue value = m_object.value(key);
        if (value.isString())
            out = value.toString();
        else if (!value.isUndefined() && !value.isNull())
            warn(key, QStringLiteral("a string"));
    }

    void read(const QString &key, bool &out) const
    {
        const QJsonValue value = m_object.value(key);
        if (value.isBool())
            out = value.toBool();
        else if (!value.isUndefined())
            warn(key, QStringLiteral("true or false"));
    }

    void read(const QString &key, int &out, int min, int max) const
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined())
            return;
        const double number = value.toDouble(std::numeric_limits<double>::quiet_NaN());
        if (!value.isDouble() || number != std::floor(number) || number < min || number > max)
            warn(key, QStringLiteral("an integer from %1 to %2").arg(min).arg(max));
        else
            out = int(number);
    }

    void read(const QString &key, qint64 &out) const
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined())
            return;
        if (!value.isDouble() || value.toDouble() < 0)
            warn(key, QStringLiteral("a non-negative integer"));
        else
            out = value.toInteger();
    }

    void read(const QString &key, double &out, double min, double max) const
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined())
            return;
        if (!value.isDouble() || value.toDouble() < min || value.toDouble() > max)
            warn(key, QStringLiteral("a number from %1 to %2").arg(min).arg(max));
        else
            out = value.toDouble();
    }

    template<typename Enum, std::size_t N>
    void readEnum(const QString &key, Enum &out, const std::array<const char16_t *, N> &names) const
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined())
            return;
        const int index = indexOfName(names, value.toString());
        if (index < 0) {
            QStringList allowed;
            for (const char16_t *name : names)
                allowed.append(QString::fromUtf16(name));
            warn(key, allowed.join(QStringLiteral(", ")));
        } else {
            out = Enum(index);
        }
    }

    QJsonArray array(const QString &key) const
    {
        const QJsonValue value = m_object.value(key);
        if (!value.isUndefined() && !value.isArray())
            warn(key, QStringLiteral("an array"));
        return value.toArray();
    }

    QString qualified(const QString &key) const
    {
        return m_path.isEmpty() ? key : m_path + QLatin1Char('.') + key;
    }

    void warn(const QString &key, const QString &expected) const
    {
        if (m_warnings) {
            m_warnings->append(QStringLiteral("%1: expected %2; the default is used instead.")
                                   .arg(qualified(key), expected));
        }
    }

private:
    QJsonObject m_object;
    QString m_path;
    QStringList *m_warnings;
};

// The first character that may not appear in an HTTP token (RFC 9110), or a null QChar.
QChar firstNonTokenChar(const QString &text)
{
    static const QString separators = QStringLiteral("()<>@,;:\\\"/[]?={}");
    for (const QChar c : text) {
        if (c.unicode() > 0x7e || c.unicode() <= 0x20 || separators.contains(c))
            return c;
    }
    return {};
}

QString describe(QChar c)
{
    if (c == QLatin1Char(' '))
        return QStringLiteral("a space");
    if (c.isPrint())
        return QStringLiteral("'%1'").arg(c);
    return QStringLiteral("U+%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
}

} // namespace

QString ConnectionSettings::jitterName(Jitter jitter)
{
    return QString::fromUtf16(jitterNames.at(std::size_t(jitter)));
}

QString ConnectionSettings::proxyTypeName(ProxyType type)
{
    return QString::fromUtf16(proxyNames.at(std::size_t(type)));
}

QJsonObject ConnectionSettings::toJson() const
{
    QJsonArray headerArray;
    for (const Header &header : headers) {
        headerArray.append(QJsonObject {
            { QStringLiteral("name"), header.name },
            { QStringLiteral("value"), header.value },
            { QStringLiteral("enabled"), header.enabled },
        });
    }
    QJsonObject object;
    object.insert(QStringLiteral("name"), name);
    object.insert(QStringLiteral("url"), url);
    object.insert(QStringLiteral("localEcho"), localEcho);
    object.insert(QStringLiteral("headers"), headerArray);
    object.insert(QStringLiteral("subprotocols"), QJsonArray::fromStringList(subprotocols));
    object.insert(QStringLiteral("origin"), origin);
    object.insert(
        QStringLiteral("deflate"),
        QJsonObject {
            { QStringLiteral("enabled"), deflate.enabled },
            { QStringLiteral("clientMaxWindowBits"), deflate.clientMaxWindowBits },
            { QStringLiteral("serverMaxWindowBits"), deflate.serverMaxWindowBits },
            { QStringLiteral("clientNoContextTakeover"), deflate.clientNoContextTakeover },
            { QStringLiteral("serverNoContextTakeover"), deflate.serverNoContextTakeover },
        });
    object.insert(QStringLiteral("reconnect"),
                  QJsonObject {
                      { QStringLiteral("enabled"), reconnect.enabled },
                      { QStringLiteral("initialDelayMs"), reconnect.initialDelayMs },
                      { QStringLiteral("maxDelayMs"), reconnect.maxDelayMs },
                      { QStringLiteral("multiplier"), reconnect.multiplier },
                      { QStringLiteral("jitter"), jitterName(reconnect.jitter) },
                      { QStringLiteral("maxAttempts"), reconnect.maxAttempts },
                  });
    object.insert(QStringLiteral("keepalive"),
                  QJsonObject {
                      { QStringLiteral("pingIntervalMs"), keepalive.pingIntervalMs },
                      { QStringLiteral("pongTimeoutMs"), keepalive.pongTimeoutMs },
                  });
    object.insert(QStringLiteral("timeouts"),
                  QJsonObject {
                      { QStringLiteral("connectMs"), timeouts.connectMs },
                      { QStringLiteral("handshakeMs"), timeouts.handshakeMs },
                      { QStringLiteral("closeMs"), timeouts.closeMs },
                  });
    object.insert(QStringLiteral("redirects"),
                  QJsonObject {
                      { QStringLiteral("follow"), redirects.follow },
                      { QStringLiteral("maxHops"), redirects.maxHops },
                  });
    object.insert(QStringLiteral("tls"),
                  QJsonObject {
                      { QStringLiteral("caFile"), tls.caFile },
                      { QStringLiteral("certificateFile"), tls.certificateFile },
                      { QStringLiteral("keyFile"), tls.keyFile },
                      { QStringLiteral("allowInvalidCertificates"), tls.allowInvalidCertificates },
                  });
    object.insert(QStringLiteral("proxy"),
                  QJsonObject {
                      { QStringLiteral("type"), proxyTypeName(proxy.type) },
                      { QStringLiteral("host"), proxy.host },
                      { QStringLiteral("port"), proxy.port },
                      { QStringLiteral("user"), proxy.user },
                  });
    object.insert(QStringLiteral("maxMessageSize"), maxMessageSize);
    return object;
}

ConnectionSettings ConnectionSettings::fromJson(const QJsonObject &object, QStringList *warnings)
{
    ConnectionSettings s;
    const Reader root(object, {}, warnings);
    root.read(QStringLiteral("name"), s.name);
    root.read(QStringLiteral("url"), s.url);
    root.read(QStringLiteral("localEcho"), s.localEcho);
    const QJsonArray headerArray = root.array(QStringLiteral("headers"));
    for (qsizetype i = 0; i < headerArray.size(); ++i) {
        const Reader item(headerArray.at(i).toObject(),
                          root.qualified(QStringLiteral("headers[%1]").arg(i)), warnings);
        Header header;
        item.read(QStringLiteral("name"), header.name);
        item.read(QStringLiteral("value"), header.value);
        item.read(QStringLiteral("enabled"), header.enabled);
        s.headers.append(header);
    }
    for (const QJsonValue &value : root.array(QStringLiteral("subprotocols"))) {
        if (value.isString())
            s.subprotocols.append(value.toString());
    }
    root.read(QStringLiteral("origin"), s.origin);

    const Reader deflate = root.child(QStringLiteral("deflate"));
    deflate.read(QStringLiteral("enabled"), s.deflate.enabled);
    deflate.read(QStringLiteral("clientMaxWindowBits"), s.deflate.clientMaxWindowBits, 8, 15);
    deflate.read(QStringLiteral("serverMaxWindowBits"), s.deflate.serverMaxWindowBits, 8, 15);
    deflate.read(QStringLiteral("clientNoContextTakeover"), s.deflate.clientNoContextTakeover);
    deflate.read(QStringLiteral("serverNoContextTakeover"), s.deflate.serverNoContextTakeover);

    const Reader reconnect = root.child(QStringLiteral("reconnect"));
    reconnect.read(QStringLiteral("enabled"), s.reconnect.enabled);
    reconnect.read(QStringLiteral("initialDelayMs"), s.reconnect.initialDelayMs, 0, 3'600'000);
    reconnect.read(QStringLiteral("maxDelayMs"), s.reconnect.maxDelayMs, 0, 3'600'000);
    reconnect.read(QStringLiteral("multiplier"), s.reconnect.multiplier, 1.0, 10.0);
    reconnect.readEnum(QStringLiteral("jitter"), s.reconnect.jitter, jitterNames);
    reconnect.read(QStringLiteral("maxAttempts"), s.reconnect.maxAttempts, 0, 1'000'000);

    const Reader keepalive = root.child(QStringLiteral("keepalive"));
    keepalive.read(QStringLiteral("pingIntervalMs"), s.keepalive.pingIntervalMs, 0, 3'600'000);
    keepalive.read(QStringLiteral("pongTimeoutMs"), s.keepalive.pongTimeoutMs, 0, 3'600'000);

    const Reader timeouts = root.child(QStringLiteral("timeouts"));
    timeouts.read(QStringLiteral("connectMs"), s.timeouts.connectMs, 0, 3'600'000);
    timeouts.read(QStringLiteral("handshakeMs"), s.timeouts.handshakeMs, 0, 3'600'000);
    timeouts.read(QStringLiteral("closeMs"), s.timeouts.closeMs, 0, 3'600'000);

    const Reader redirects = root.child(QStringLiteral("redirects"));
    redirects.read(QStringLiteral("follow"), s.redirects.follow);
    redirects.read(QStringLiteral("maxHops"), s.redirects.maxHops, 0, 100);

    const Reader tls = root.child(QStringLiteral("tls"));
    tls.read(QStringLiteral("caFile"), s.tls.caFile);
    tls.read(QStringLiteral("certificateFile"), s.tls.certificateFile);
    tls.read(QStringLiteral("keyFile"), s.tls.keyFile);
    tls.read(QStringLiteral("allowInvalidCertificates"), s.tls.allowInvalidCertificates);

    const Reader proxy = root.child(QStringLiteral("proxy"));
    proxy.readEnum(QStringLiteral("type"), s.proxy.type, proxyNames);
    proxy.read(QStringLiteral("host"), s.proxy.host);
    proxy.read(QStringLiteral("port"), s.proxy.port, 0, 65535);
    proxy.read(QStringLiteral("user"), s.proxy.user);

    root.read(QStringLiteral("maxMessageSize"), s.maxMessageSize);
    return s;
}

QStringList ConnectionSettings::problems() const
{
    QStringList list;
    const UrlCheck check = UrlCheck::of(url);
    if (check.verdict == UrlCheck::Verdict::Empty)
        list.append(QStringLiteral("URL: enter a ws:// or wss:// URL."));
    else if (!check.isValid())
        list.append(QStringLiteral("URL: %1").arg(check.message));

    for (qsizetype i = 0; i < headers.size(); ++i) {
        const Header &header = headers.at(i);
        if (!header.enabled)
            continue;
        if (header.name.trimmed().isEmpty() && !header.value.isEmpty())
            list.append(QStringLiteral("Header %1: the name is empty.").arg(i + 1));
        if (const QChar bad = firstNonTokenChar(header.name); !bad.isNull()) {
            list.append(QStringLiteral("Header %1: \"%2\" is not a valid header name (%3 is not "
                                       "allowed).")
                            .arg(i + 1)
                            .arg(header.name, describe(bad)));
        }
        if (header.value.contains(QLatin1Char('\n')) || header.value.contains(QLatin1Char('\r')))
            list.append(QStringLiteral("Header %1 (%2): the value contains a line break.")
                            .arg(i + 1)
                            .arg(header.name));
    }
    for (const QString &subprotocol : subprotocols) {
        if (const QChar bad = firstNonTokenChar(subprotocol); !bad.isNull()) {
            list.append(
                QStringLiteral("Subprotocol \"%1\": %2 is not allowed in a subprotocol name.")
                    .arg(subprotocol, describe(bad)));
        }
    }
    if ((proxy.type == ProxyType::Http || proxy.type == ProxyType::Socks5)) {
        if (proxy.host.trimmed().isEmpty())
            list.append(QStringLiteral("Proxy: enter the proxy's host."));
        if (proxy.port < 1 || proxy.port > 65535)
            list.append(QStringLiteral("Proxy: the port must be from 1 to 65535."));
    }
    if (tls.certificateFile.isEmpty() != tls.keyFile.isEmpty())
        list.append(QStringLiteral("TLS: a client certificate needs both the certificate file and "
                                   "its key file."));
    if (reconnect.enabled && reconnect.maxDelayMs < reconnect.initialDelayMs)
        list.append(QStringLiteral("Reconnect: the longest delay is shorter than the first."));
    return list;
}

SessionOptions ConnectionSettings::toSessionOptions(QString *error) const
{
    SessionOptions options;
    const auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return options;
    };
    const QStringList found = problems();
    if (!found.isEmpty())
        return fail(found.constFirst());
    if (const QString problem = options.setUrl(url.trimmed()); !problem.isEmpty())
        return fail(QStringLiteral("URL: %1").arg(problem));

    for (const Header &header : headers) {
        if (header.enabled && !header.name.trimmed().isEmpty())
            options.headers.append({ header.name.trimmed().toUtf8(), header.value.toUtf8() });
    }
    for (const QString &subprotocol : subprotocols)
        options.subprotocols.append(subprotocol.toUtf8());
    options.origin = origin.trimmed().toUtf8();

    options.deflate.enabled = deflate.enabled;
    options.deflate.clientMaxWindowBits = deflate.clientMaxWindowBits;
    options.deflate.serverMaxWindowBits = deflate.serverMaxWindowBits;
    options.deflate.clientNoContextTakeover = deflate.clientNoContextTakeover;
    options.deflate.serverNoContextTakeover = deflate.serverNoContextTakeover;

    options.limits.maxMessageSize =
        maxMessageSize > 0 ? quint64(maxMessageSize) : std::numeric_limits<quint64>::max() / 2;

    options.timeouts.connectMs = timeouts.connectMs;
    options.timeouts.handshakeMs = timeouts.handshakeMs;
    options.timeouts.closeMs = timeouts.closeMs;
    options.redirects.follow = redirects.follow;
    options.redirects.maxHops = redirects.maxHops;

    if (!tls.caFile.isEmpty())
        options.tls.caFiles.append(tls.caFile);
    options.tls.clientCertificateFile = tls.certificateFile;
    options.tls.clientKeyFile = tls.keyFile;
    options.tls.allowInvalidCertificates = tls.allowInvalidCertificates;

    switch (proxy.type) {
    case ProxyType::System:
        options.proxy.type = duplex::ProxyType::System;
        break;
    case ProxyType::None:
        options.proxy.type = duplex::ProxyType::None;
        break;
    case ProxyType::Http:
        options.proxy.type = duplex::ProxyType::HttpConnect;
        break;
    case ProxyType::Socks5:
        options.proxy.type = duplex::ProxyType::Socks5;
        break;
    }
    options.proxy.host = proxy.host.trimmed();
    options.proxy.port = quint16(proxy.port);
    options.proxy.user = proxy.user;
    options.proxy.password = proxy.password;

    options.keepalive.pingIntervalMs = keepalive.pingIntervalMs;
    options.keepalive.pongTimeoutMs = keepalive.pongTimeoutMs;

    options.reconnect.enabled = reconnect.enabled;
    options.reconnect.backoff.initialDelayMs = reconnect.initialDelayMs;
    options.reconnect.backoff.maxDelayMs = reconnect.maxDelayMs;
    options.reconnect.backoff.multiplier = reconnect.multiplier;
    options.reconnect.backoff.maxAttempts = reconnect.maxAttempts;
    switch (reconnect.jitter) {
    case Jitter::None:
        options.reconnect.backoff.jitter = duplex::Jitter::None;
        break;
    case Jitter::Full:
        options.reconnect.backoff.jitter = duplex::Jitter::Full;
        break;
    case Jitter::Equal:
        options.reconnect.backoff.jitter = duplex::Jitter::Equal;
        break;
    }

    if (const QString problem = options.validate(); !problem.isEmpty())
        return fail(problem.at(0).toUpper() + problem.mid(1) + QLatin1Char('.'));
    if (error)
        error->clear();
    return options;
}

// The profile's enums and ours list the same values in the same order.
static_assert(quint8(Profile::Jitter::None) == quint8(ConnectionSettings::Jitter::None)
              && quint8(Profile::Jitter::Full) == quint8(ConnectionSettings::Jitter::Full)
              && quint8(Profile::Jitter::Equal) == quint8(ConnectionSettings::Jitter::Equal));
static_assert(quint8(Profile::ProxyType::System) == quint8(ConnectionSettings::ProxyType::System)
              && quint8(Profile::ProxyType::None) == quint8(ConnectionSettings::ProxyType::None)
              && quint8(Profile::ProxyType::Http) == quint8(ConnectionSettings::ProxyType::Http)
              && quint8(Profile::ProxyType::Socks5)
                  == quint8(ConnectionSettings::ProxyType::Socks5));

ConnectionSettings ConnectionSettings::fromProfile(const Profile &profile)
{
    ConnectionSettings s;
    s.name = profile.name;
    s.url = profile.url;
    for (const Profile::Header &header : profile.headers)
        s.headers.append({ header.name, header.value, header.enabled });
    s.subprotocols = profile.subprotocols;
    s.origin = profile.origin;
    s.deflate.enabled = profile.deflate.enabled;
    s.deflate.clientMaxWindowBits = profile.deflate.clientMaxWindowBits;
    s.deflate.serverMaxWindowBits = profile.deflate.serverMaxWindowBits;
    s.deflate.clientNoContextTakeover = profile.deflate.clientNoContextTakeover;
    s.deflate.serverNoContextTakeover = profile.deflate.serverNoContextTakeover;
    s.reconnect.enabled = profile.reconnect.enabled;
    s.reconnect.initialDelayMs = profile.reconnect.initialDelayMs;
    s.reconnect.maxDelayMs = profile.reconnect.maxDelayMs;
    s.reconnect.multiplier = profile.reconnect.multiplier;
    s.reconnect.jitter = Jitter(quint8(profile.reconnect.jitter));
    s.reconnect.maxAttempts = profile.reconnect.maxAttempts;
    s.keepalive.pingIntervalMs = profile.keepalive.pingIntervalMs;
    s.keepalive.pongTimeoutMs = profile.keepalive.pongTimeoutMs;
    s.timeouts.connectMs = profile.timeouts.connectMs;
    s.timeouts.handshakeMs = profile.timeouts.handshakeMs;
    s.timeouts.closeMs = profile.timeouts.closeMs;
    s.redirects.follow = profile.redirects.follow;
    s.redirects.maxHops = profile.redirects.maxHops;
    s.tls.caFile = profile.tls.caFile;
    s.tls.certificateFile = profile.tls.certificateFile;
    s.tls.keyFile = profile.tls.keyFile;
    s.tls.allowInvalidCertificates = profile.tls.allowInvalidCertificates;
    s.proxy.type = ProxyType(quint8(profile.proxy.type));
    s.proxy.host = profile.proxy.host;
    s.proxy.port = profile.proxy.port;
    s.proxy.user = profile.proxy.user;
    s.proxy.password = profile.proxy.password;
    s.maxMessageSize = profile.maxMessageSize;
    return s;
}

void ConnectionSettings::applyTo(Profile &profile) const
{
    if (!name.isEmpty())
        profile.name = name;
    profile.url = url;
    profile.headers.clear();
    for (const Header &header : headers)
        profile.headers.append({ header.name, header.value, header.enabled, false });
    profile.subprotocols = subprotocols;
    profile.origin = origin;
    profile.deflate.enabled = deflate.enabled;
    profile.deflate.clientMaxWindowBits = deflate.clientMaxWindowBits;
    profile.deflate.serverMaxWindowBits = deflate.serverMaxWindowBits;
    profile.deflate.clientNoContextTakeover = deflate.clientNoContextTakeover;
    profile.deflate.serverNoContextTakeover = deflate.serverNoContextTakeover;
    profile.reconnect.enabled = reconnect.enabled;
    profile.reconnect.initialDelayMs = reconnect.initialDelayMs;
    profile.reconnect.maxDelayMs = reconnect.maxDelayMs;
    profile.reconnect.multiplier = reconnect.multiplier;
    profile.reconnect.jitter = Profile::Jitter(quint8(reconnect.jitter));
    profile.reconnect.maxAttempts = reconnect.maxAttempts;
    profile.keepalive.pingIntervalMs = keepalive.pingIntervalMs;
    profile.keepalive.pongTimeoutMs = keepalive.pongTimeoutMs;
    profile.timeouts.connectMs = timeouts.connectMs;
    profile.timeouts.handshakeMs = timeouts.handshakeMs;
    profile.timeouts.closeMs = timeouts.closeMs;
    profile.redirects.follow = redirects.follow;
    profile.redirects.maxHops = redirects.maxHops;
    profile.tls.caFile = tls.caFile;
    profile.tls.certificateFile = tls.certificateFile;
    profile.tls.keyFile = tls.keyFile;
    profile.tls.allowInvalidCertificates = tls.allowInvalidCertificates;
    profile.proxy.type = Profile::ProxyType(quint8(proxy.type));
    profile.proxy.host = proxy.host;
    profile.proxy.port = proxy.port;
    profile.proxy.user = proxy.user;
    profile.proxy.password = proxy.password;
    profile.maxMessageSize = maxMessageSize;
}

} // namespace duplex
