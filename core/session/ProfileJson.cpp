// Profile, part two: its JSON form, toJson() and fromJson(). The value itself, its problems and
// its secrets are in Profile.cpp.

#include "core/session/JsonFields.h"
#include "core/session/Profile.h"

#include <QJsonArray>

#include <cmath>

namespace duplex {

namespace {

// Fields this version reads; anything else at the top level is kept in unknownFields.
const QStringList &knownFields()
{
    static const QStringList fields {
        QStringLiteral("schemaVersion"),
        QStringLiteral("id"),
        QStringLiteral("name"),
        QStringLiteral("folder"),
        QStringLiteral("url"),
        QStringLiteral("headers"),
        QStringLiteral("subprotocols"),
        QStringLiteral("origin"),
        QStringLiteral("deflate"),
        QStringLiteral("reconnect"),
        QStringLiteral("onConnect"),
        QStringLiteral("keepalive"),
        QStringLiteral("timeouts"),
        QStringLiteral("redirects"),
        QStringLiteral("tls"),
        QStringLiteral("proxy"),
        QStringLiteral("maxMessageSize"),
        QStringLiteral("templates"),
    };
    return fields;
}

QJsonArray templatesToJson(const QList<Profile::MessageTemplate> &templates)
{
    QJsonArray array;
    for (const Profile::MessageTemplate &t : templates) {
        array.append(QJsonObject {
            { QStringLiteral("name"), t.name },
            { QStringLiteral("kind"), Profile::templateKindName(t.kind) },
            { QStringLiteral("body"), t.body },
        });
    }
    return array;
}

void readTemplates(JsonFields &reader, const QString &key, QList<Profile::MessageTemplate> &out)
{
    const std::optional<QJsonArray> array = reader.readArray(key);
    if (!array)
        return;
    out.clear();
    for (qsizetype i = 0; i < array->size() && !reader.failed(); ++i) {
        const QString itemKey = QStringLiteral("%1[%2]").arg(key).arg(i);
        const QJsonValue item = array->at(i);
        if (!item.isObject())
            return reader.failExpected(itemKey, QStringLiteral("an object"), item);
        JsonFields itemReader = reader.nested(item.toObject(), itemKey);
        Profile::MessageTemplate t;
        itemReader.readString(QStringLiteral("name"), t.name);
        itemReader.readEnum(QStringLiteral("kind"), t.kind, &Profile::templateKindFromName,
                            QStringLiteral("text, json, hex, base64 or file"));
        itemReader.readString(QStringLiteral("body"), t.body);
        out.append(t);
    }
}

QJsonValue closeCodesToJson(const QList<Profile::CloseCodeRange> &ranges)
{
    QJsonArray array;
    for (const Profile::CloseCodeRange &range : ranges) {
        if (range.first == range.last)
            array.append(range.first);
        else
            array.append(QStringLiteral("%1-%2").arg(range.first).arg(range.last));
    }
    return array;
}

} // namespace

QJsonObject Profile::toJson() const
{
    QJsonObject object = unknownFields;

    QJsonArray headerArray;
    for (const Header &header : headers) {
        headerArray.append(QJsonObject {
            { QStringLiteral("name"), header.name },
            { QStringLiteral("value"), header.secret ? QJsonValue() : QJsonValue(header.value) },
            { QStringLiteral("enabled"), header.enabled },
            { QStringLiteral("secret"), header.secret },
        });
    }

    QJsonObject proxyObject {
        { QStringLiteral("type"), proxyTypeName(proxy.type) },
        { QStringLiteral("host"), proxy.host },
        { QStringLiteral("port"), proxy.port },
        { QStringLiteral("user"), proxy.user },
    };
    if (!proxy.password.isEmpty())
        proxyObject.insert(QStringLiteral("password"), QJsonValue::Null);

    object.insert(QStringLiteral("schemaVersion"), SchemaVersion);
    object.insert(QStringLiteral("id"), id.toString(QUuid::WithoutBraces));
    object.insert(QStringLiteral("name"), name);
    object.insert(QStringLiteral("folder"), normalizedFolder(folder));
    object.insert(QStringLiteral("url"), url);
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
                      { QStringLiteral("resetAfterMs"), reconnect.resetAfterMs },
                      { QStringLiteral("closeCodes"), closeCodesToJson(reconnect.closeCodes) },
                  });
    object.insert(QStringLiteral("onConnect"), templatesToJson(onConnectMessages));
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
    object.insert(QStringLiteral("proxy"), proxyObject);
    object.insert(QStringLiteral("maxMessageSize"), maxMessageSize);
    object.insert(QStringLiteral("templates"), templatesToJson(templates));
    return object;
}

std::optional<Profile> Profile::fromJson(const QJsonObject &object, QString *errorMessage)
{
    QString error;
    JsonFields reader(object, QString(), &error);
    Profile p;

    int schemaVersion = SchemaVersion;
    reader.readInt(QStringLiteral("schemaVersion"), schemaVersion);
    if (!reader.failed() && schemaVersion < 1)
        reader.fail(QStringLiteral("schemaVersion"),
                    QStringLiteral("%1 is not a version this program wrote").arg(schemaVersion));
    // A newer schemaVersion is read as far as this version understands it; the rest is kept.

    QString idText;
    reader.readString(QStringLiteral("id"), idText);
    if (!reader.failed() && !idText.isEmpty()) {
        p.id = QUuid::fromString(idText);
        if (p.id.isNull())
            reader.fail(QStringLiteral("id"), QStringLiteral("\"%1\" is not a UUID").arg(idText));
    }

    reader.readString(QStringLiteral("name"), p.name);
    if (!reader.failed() && p.name.trimmed().isEmpty())
        reader.fail(QStringLiteral("name"), QStringLiteral("missing or empty"));
    reader.readString(QStringLiteral("folder"), p.folder);
    p.folder = normalizedFolder(p.folder);
    reader.readString(QStringLiteral("url"), p.url);
    reader.readString(QStringLiteral("origin"), p.origin);

    if (const auto headers = reader.readArray(QStringLiteral("headers"))) {
        for (qsizetype i = 0; i < headers->size() && !reader.failed(); ++i) {
            const QString key = QStringLiteral("headers[%1]").arg(i);
            const QJsonValue item = headers->at(i);
            if (!item.isObject()) {
                reader.failExpected(key, QStringLiteral("an object"), item);
                break;
            }
            JsonFields headerReader(item.toObject(), key, &error);
            Header header;
            headerReader.readString(QStringLiteral("name"), header.name);
            headerReader.readString(QStringLiteral("value"), header.value);
            headerReader.readBool(QStringLiteral("enabled"), header.enabled);
            headerReader.readBool(QStringLiteral("secret"), header.secret);
            p.headers.append(header);
        }
    }

    if (const auto protocols = reader.readArray(QStringLiteral("subprotocols"))) {
        for (qsizetype i = 0; i < protocols->size() && !reader.failed(); ++i) {
            const QJsonValue item = protocols->at(i);
            if (!item.isString()) {
                reader.failExpected(QStringLiteral("subprotocols[%1]").arg(i),
                                    QStringLiteral("a string"), item);
                break;
            }
            p.subprotocols << item.toString();
        }
    }

    if (const auto deflate = reader.readObject(QStringLiteral("deflate"))) {
        JsonFields r(*deflate, QStringLiteral("deflate"), &error);
        r.readBool(QStringLiteral("enabled"), p.deflate.enabled);
        r.readInt(QStringLiteral("clientMaxWindowBits"), p.deflate.clientMaxWindowBits);
        r.readInt(QStringLiteral("serverMaxWindowBits"), p.deflate.serverMaxWindowBits);
        r.readBool(QStringLiteral("clientNoContextTakeover"), p.deflate.clientNoContextTakeover);
        r.readBool(QStringLiteral("serverNoContextTakeover"), p.deflate.serverNoContextTakeover);
    }

    if (const auto reconnect = reader.readObject(QStringLiteral("reconnect"))) {
        JsonFields r(*reconnect, QStringLiteral("reconnect"), &error);
        r.readBool(QStringLiteral("enabled"), p.reconnect.enabled);
        r.readInt(QStringLiteral("initialDelayMs"), p.reconnect.initialDelayMs);
        r.readInt(QStringLiteral("maxDelayMs"), p.reconnect.maxDelayMs);
        r.readDouble(QStringLiteral("multiplier"), p.reconnect.multiplier);
        r.readEnum(QStringLiteral("jitter"), p.reconnect.jitter, &jitterFromName,
                   QStringLiteral("none, full or equal"));
        r.readInt(QStringLiteral("maxAttempts"), p.reconnect.maxAttempts);
        r.readInt(QStringLiteral("resetAfterMs"), p.reconnect.resetAfterMs);
        if (const auto codes = r.readArray(QStringLiteral("closeCodes"))) {
            QStringList parts;
            for (qsizetype i = 0; i < codes->size() && !r.failed(); ++i) {
                const QJsonValue item = codes->at(i);
                if (item.isDouble() && std::trunc(item.toDouble()) == item.toDouble())
                    parts << QString::number(static_cast<qint64>(item.toDouble()));
                else if (item.isString())
                    parts << item.toString();
                else
                    r.fail(QStringLiteral("closeCodes[%1]").arg(i),
                           QStringLiteral("expected a close code or a range like \"1011-1013\", "
                                          "got %1")
                               .arg(JsonFields::describe(item)));
            }
            if (!r.failed()) {
                QString rangeError;
                const auto ranges = closeCodesFromString(parts.join(QLatin1Char(',')), &rangeError);
                if (ranges)
                    p.reconnect.closeCodes = *ranges;
                else
                    r.fail(QStringLiteral("closeCodes"), rangeError);
            }
        }
    }

    readTemplates(reader, QStringLiteral("onConnect"), p.onConnectMessages);

    if (const auto keepalive = reader.readObject(QStringLiteral("keepalive"))) {
        JsonFields r(*keepalive, QStringLiteral("keepalive"), &error);
        r.readInt(QStringLiteral("pingIntervalMs"), p.keepalive.pingIntervalMs);
        r.readInt(QStringLiteral("pongTimeoutMs"), p.keepalive.pongTimeoutMs);
    }

    if (const auto timeouts = reader.readObject(QStringLiteral("timeouts"))) {
        JsonFields r(*timeouts, QStringLiteral("timeouts"), &error);
        r.readInt(QStringLiteral("connectMs"), p.timeouts.connectMs);
        r.readInt(QStringLiteral("handshakeMs"), p.timeouts.handshakeMs);
        r.readInt(QStringLiteral("closeMs"), p.timeouts.closeMs);
    }

    if (const auto redirects = reader.readObject(QStringLiteral("redirects"))) {
        JsonFields r(*redirects, QStringLiteral("redirects"), &error);
        r.readBool(QStringLiteral("follow"), p.redirects.follow);
        r.readInt(QStringLiteral("maxHops"), p.redirects.maxHops);
    }

    if (const auto tls = reader.readObject(QStringLiteral("tls"))) {
        JsonFields r(*tls, QStringLiteral("tls"), &error);
        r.readString(QStringLiteral("caFile"), p.tls.caFile);
        r.readString(QStringLiteral("certificateFile"), p.tls.certificateFile);
        r.readString(QStringLiteral("keyFile"), p.tls.keyFile);
        r.readBool(QStringLiteral("allowInvalidCertificates"), p.tls.allowInvalidCertificates);
    }

    if (const auto proxy = reader.readObject(QStringLiteral("proxy"))) {
        JsonFields r(*proxy, QStringLiteral("proxy"), &error);
        r.readEnum(QStringLiteral("type"), p.proxy.type, &proxyTypeFromName,
                   QStringLiteral("system, none, http or socks5"));
        r.readString(QStringLiteral("host"), p.proxy.host);
        r.readInt(QStringLiteral("port"), p.proxy.port);
        r.readString(QStringLiteral("user"), p.proxy.user);
        // null means "set, kept in the secret store"; a string is a password typed into the file
        // by hand, which the store moves into the secret store on its next save.
        r.readString(QStringLiteral("password"), p.proxy.password);
    }

    reader.readInt64(QStringLiteral("maxMessageSize"), p.maxMessageSize);
    readTemplates(reader, QStringLiteral("templates"), p.templates);

    if (!error.isEmpty()) {
        if (errorMessage)
            *errorMessage = error;
        return std::nullopt;
    }

    if (p.id.isNull())
        p.id = QUuid::createUuid();
    p.unknownFields = JsonFields::unknownFields(object, knownFields());
    return p;
}

} // namespace duplex
