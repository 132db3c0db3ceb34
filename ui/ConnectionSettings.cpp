#include "ui/ConnectionSettings.h"

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

} // namespace duplex
