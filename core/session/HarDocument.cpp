#include "core/session/HarDocument.h"

#include "core/session/JsonFields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>

#ifndef DUPLEX_HAR_CREATOR_VERSION
#define DUPLEX_HAR_CREATOR_VERSION "unknown"
#endif

namespace duplex {

namespace {

bool isValidUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder.decode(bytes);
    Q_UNUSED(decoded);
    return !decoder.hasError();
}

QJsonArray headersToJson(const QList<HarDocument::Header> &headers, const QStringList &redacted)
{
    QJsonArray array;
    for (const HarDocument::Header &header : headers) {
        const bool hide = redacted.contains(header.name, Qt::CaseInsensitive);
        array.append(QJsonObject {
            { QStringLiteral("name"), header.name },
            { QStringLiteral("value"), hide ? HarDocument::redactedValue() : header.value },
        });
    }
    return array;
}

QJsonArray cookiesToJson(const QList<HarDocument::Header> &headers, const QStringList &redacted)
{
    QJsonArray cookies;
    if (redacted.contains(QStringLiteral("cookie"), Qt::CaseInsensitive))
        return cookies;
    for (const HarDocument::Header &header : headers) {
        if (header.name.compare(QLatin1String("cookie"), Qt::CaseInsensitive) != 0)
            continue;
        for (const QString &pair : header.value.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
            const qsizetype equals = pair.indexOf(QLatin1Char('='));
            if (equals <= 0)
                continue;
            cookies.append(QJsonObject {
                { QStringLiteral("name"), pair.left(equals).trimmed() },
                { QStringLiteral("value"), pair.mid(equals + 1).trimmed() },
            });
        }
    }
    return cookies;
}

QJsonArray queryToJson(const QString &url)
{
    QJsonArray array;
    const QUrlQuery query(QUrl(url).query());
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded)) {
        array.append(QJsonObject {
            { QStringLiteral("name"), name },
            { QStringLiteral("value"), value },
        });
    }
    return array;
}

QList<HarDocument::Header> readHeaders(const JsonFields &fields, const QString &key)
{
    QList<HarDocument::Header> headers;
    const QJsonArray array = fields.array(key);
    for (qsizetype i = 0; i < array.size() && !fields.failed(); ++i) {
        const QString itemKey = QStringLiteral("%1[%2]").arg(key).arg(i);
        if (!array.at(i).isObject())
            fields.failExpected(itemKey, QStringLiteral("an object"), array.at(i));
        const JsonFields item = fields.nested(array.at(i).toObject(), itemKey);
        headers.append({ item.string(QStringLiteral("name"), {}, true),
                         item.string(QStringLiteral("value")) });
    }
    return headers;
}

bool looksLikeWebSocket(const QJsonObject &entry)
{
    if (entry.contains(QStringLiteral("_webSocketMessages")))
        return true;
    if (entry.value(QStringLiteral("_resourceType"))
            .toString()
            .compare(QLatin1String("websocket"), Qt::CaseInsensitive)
        == 0)
        return true;
    const QJsonObject request = entry.value(QStringLiteral("request")).toObject();
    const QString scheme = QUrl(request.value(QStringLiteral("url")).toString()).scheme().toLower();
    if (scheme == QLatin1String("ws") || scheme == QLatin1String("wss"))
        return true;
    return entry.value(QStringLiteral("response"))
               .toObject()
               .value(QStringLiteral("status"))
               .toInt()
        == 101;
}

HarDocument::Entry readEntry(const JsonFields &entry, QStringList &warnings)
{
    HarDocument::Entry result;
    HarDocument::Handshake &handshake = result.handshake;

    const QString started = entry.string(QStringLiteral("startedDateTime"), {}, true);
    handshake.startedAt = QDateTime::fromString(started, Qt::ISODateWithMs);
    if (!handshake.startedAt.isValid())
        entry.fail(QStringLiteral("startedDateTime"),
                   QStringLiteral("\"%1\" is not an ISO 8601 date and time").arg(started));
    if (entry.failed())
        return result;

    const JsonFields request =
        entry.nested(entry.object(QStringLiteral("request"), true), QStringLiteral("request"));
    handshake.url = request.string(QStringLiteral("url"), {}, true);
    handshake.method = request.string(QStringLiteral("method"), QStringLiteral("GET"));
    handshake.httpVersion =
        request.string(QStringLiteral("httpVersion"), QStringLiteral("HTTP/1.1"));
    handshake.requestHeaders = readHeaders(request, QStringLiteral("headers"));

    if (entry.has(QStringLiteral("response"))) {
        const JsonFields response =
            entry.nested(entry.object(QStringLiteral("response")), QStringLiteral("response"));
        const double status = response.number(QStringLiteral("status"), 101);
        if (status != std::trunc(status) || status < 0 || status > 999)
            response.fail(QStringLiteral("status"),
                          QStringLiteral("%1 is not an HTTP status").arg(status));
        handshake.status = static_cast<int>(status);
        handshake.statusText = response.string(QStringLiteral("statusText"));
        handshake.responseHttpVersion =
            response.string(QStringLiteral("httpVersion"), handshake.httpVersion);
        handshake.responseHeaders = readHeaders(response, QStringLiteral("headers"));
    }

    if (entry.has(QStringLiteral("timings"))) {
        const JsonFields timings =
            entry.nested(entry.object(QStringLiteral("timings")), QStringLiteral("timings"));
        HarDocument::Timings &t = handshake.timings;
        t.blocked = timings.number(QStringLiteral("blocked"), -1);
        t.dns = timings.number(QStringLiteral("dns"), -1);
        t.connect = timings.number(QStringLiteral("connect"), -1);
        t.ssl = timings.number(QStringLiteral("ssl"), -1);
        t.send = timings.number(QStringLiteral("send"), 0);
        t.wait = timings.number(QStringLiteral("wait"), 0);
        t.receive = timings.number(QStringLiteral("receive"), 0);
    }
    handshake.serverIpAddress = entry.string(QStringLiteral("serverIPAddress"));
    if (entry.failed())
        return result;

    if (!entry.has(QStringLiteral("_webSocketMessages"))) {
        warnings << QStringLiteral("%1 (%2) has no _webSocketMessages: the program that wrote it "
                                   "did not record the messages (Firefox, for one, does not)")
                        .arg(entry.pathOf(QString()).chopped(1), handshake.url);
        return result;
    }
    const QJsonArray messages = entry.array(QStringLiteral("_webSocketMessages"));
    for (qsizetype i = 0; i < messages.size() && !entry.failed(); ++i) {
        const QString key = QStringLiteral("_webSocketMessages[%1]").arg(i);
        if (!messages.at(i).isObject()) {
            entry.failExpected(key, QStringLiteral("an object"), messages.at(i));
            break;
        }
        const JsonFields message = entry.nested(messages.at(i).toObject(), key);
        HarDocument::Message m;
        const QString type = message.string(QStringLiteral("type"), {}, true);
        if (type == QLatin1String("send"))
            m.direction = Direction::Outgoing;
        else if (type == QLatin1String("receive"))
            m.direction = Direction::Incoming;
        else
            message.fail(QStringLiteral("type"),
                         QStringLiteral("\"%1\" is neither \"send\" nor \"receive\"").arg(type));
        m.time = message.number(QStringLiteral("time"), 0, true);
        const double opcode = message.number(QStringLiteral("opcode"), 0, true);
        if (opcode != std::trunc(opcode) || opcode < 0 || opcode > 15)
            message.fail(QStringLiteral("opcode"),
                         QStringLiteral("expected an integer 0-15, got %1").arg(opcode));
        const QString data = message.string(QStringLiteral("data"), {}, true);
        if (message.failed())
            break;
        m.opcode = static_cast<quint8>(opcode);
        const bool base64 = m.opcode != 1
            || message.string(QStringLiteral("_dataEncoding")) == QLatin1String("base64");
        if (base64) {
            const auto decoded = QByteArray::fromBase64Encoding(
                data.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            if (decoded && data.size() == data.toLatin1().size()) {
                m.data = *decoded;
            } else {
                m.data = data.toUtf8();
                warnings << QStringLiteral("%1.data: opcode %2 data should be Base64 but is not; "
                                           "kept as the text it is")
                                .arg(entry.pathOf(key))
                                .arg(m.opcode);
            }
        } else {
            m.data = data.toUtf8();
        }
        result.messages.append(m);
    }
    return result;
}

} // namespace

double HarDocument::Timings::total() const
{
    double sum = 0;
    for (double phase : { blocked, dns, connect, send, wait, receive }) {
        if (phase > 0)
            sum += phase;
    }
    return sum; // ssl is part of connect
}

double HarDocument::Message::timeOf(const QDateTime &dateTime)
{
    return static_cast<double>(dateTime.toMSecsSinceEpoch()) / 1000.0;
}

QDateTime HarDocument::Message::dateTime() const
{
    return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(std::llround(time * 1000.0)),
                                          Qt::UTC);
}

QStringList HarDocument::sensitiveHeaderNames()
{
    return { QStringLiteral("Authorization"), QStringLiteral("Proxy-Authorization"),
             QStringLiteral("Cookie"), QStringLiteral("Set-Cookie") };
}

QString HarDocument::defaultCreatorVersion()
{
    return QStringLiteral(DUPLEX_HAR_CREATOR_VERSION);
}

QByteArray HarDocument::toJson() const
{
    return toJson(WriteOptions {});
}

QByteArray HarDocument::toJson(const WriteOptions &options) const
{
    QStringList redacted = options.redactedHeaders;
    if (options.redactSensitiveHeaders)
        redacted << sensitiveHeaderNames();

    QJsonArray entryArray;
    for (const Entry &entry : entries) {
        const Handshake &h = entry.handshake;
        QDateTime started = h.startedAt;
        if (!started.isValid())
            started = entry.messages.isEmpty() ? QDateTime::currentDateTimeUtc()
                                               : entry.messages.first().dateTime();

        QJsonArray messages;
        for (const Message &m : entry.messages) {
            QJsonObject message {
                { QStringLiteral("type"),
                  m.direction == Direction::Outgoing ? QStringLiteral("send")
                                                     : QStringLiteral("receive") },
                { QStringLiteral("time"), m.time },
                { QStringLiteral("opcode"), m.opcode },
            };
            if (m.opcode == 1 && isValidUtf8(m.data)) {
                message.insert(QStringLiteral("data"), QString::fromUtf8(m.data));
            } else {
                message.insert(QStringLiteral("data"), QString::fromLatin1(m.data.toBase64()));
                if (m.opcode == 1)
                    message.insert(QStringLiteral("_dataEncoding"), QStringLiteral("base64"));
            }
            messages.append(message);
        }

        QJsonObject timings {
            { QStringLiteral("blocked"), h.timings.blocked },
            { QStringLiteral("dns"), h.timings.dns },
            { QStringLiteral("connect"), h.timings.connect },
            { QStringLiteral("ssl"), h.timings.ssl },
            { QStringLiteral("send"), h.timings.send },
            { QStringLiteral("wait"), h.timings.wait },
            { QStringLiteral("receive"), h.timings.receive },
        };

        QJsonObject object {
            { QStringLiteral("startedDateTime"), started.toUTC().toString(Qt::ISODateWithMs) },
            { QStringLiteral("time"), h.timings.total() },
            { QStringLiteral("request"),
              QJsonObject {
                  { QStringLiteral("method"), h.method },
                  { QStringLiteral("url"), h.url },
                  { QStringLiteral("httpVersion"), h.httpVersion },
                  { QStringLiteral("cookies"), cookiesToJson(h.requestHeaders, redacted) },
                  { QStringLiteral("headers"), headersToJson(h.requestHeaders, redacted) },
                  { QStringLiteral("queryString"), queryToJson(h.url) },
                  { QStringLiteral("headersSize"), -1 },
                  { QStringLiteral("bodySize"), 0 },
              } },
            { QStringLiteral("response"),
              QJsonObject {
                  { QStringLiteral("status"), h.status },
                  { QStringLiteral("statusText"), h.statusText },
                  { QStringLiteral("httpVersion"), h.responseHttpVersion },
                  { QStringLiteral("cookies"), QJsonArray() },
                  { QStringLiteral("headers"), headersToJson(h.responseHeaders, redacted) },
                  { QStringLiteral("content"),
                    QJsonObject {
                        { QStringLiteral("size"), 0 },
                        { QStringLiteral("mimeType"), QStringLiteral("x-unknown") },
                    } },
                  { QStringLiteral("redirectURL"), QString() },
                  { QStringLiteral("headersSize"), -1 },
                  { QStringLiteral("bodySize"), 0 },
              } },
            { QStringLiteral("cache"), QJsonObject() },
            { QStringLiteral("timings"), timings },
            { QStringLiteral("_resourceType"), QStringLiteral("websocket") },
            { QStringLiteral("_webSocketMessages"), messages },
        };
        if (!h.serverIpAddress.isEmpty())
            object.insert(QStringLiteral("serverIPAddress"), h.serverIpAddress);
        entryArray.append(object);
    }

    const QJsonObject log {
        { QStringLiteral("version"), QStringLiteral("1.2") },
        { QStringLiteral("creator"),
          QJsonObject {
              { QStringLiteral("name"), creatorName },
              { QStringLiteral("version"), creatorVersion },
          } },
        { QStringLiteral("pages"), QJsonArray() },
        { QStringLiteral("entries"), entryArray },
    };
    return QJsonDocument(QJsonObject { { QStringLiteral("log"), log } })
        .toJson(QJsonDocument::Indented);
}

std::optional<HarDocument> HarDocument::fromJson(const QByteArray &json, QString *errorMessage)
{
    const auto fail = [errorMessage](const QString &message) {
        if (errorMessage)
            *errorMessage = message;
        return std::nullopt;
    };

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const qsizetype offset = std::clamp<qsizetype>(parseError.offset, 0, json.size());
        const qsizetype line = json.left(offset).count('\n') + 1;
        return fail(QStringLiteral("not a HAR file: not valid JSON (%1 at line %2)")
                        .arg(parseError.errorString())
                        .arg(line));
    }
    if (!document.isObject() || !document.object().value(QStringLiteral("log")).isObject())
        return fail(QStringLiteral("not a HAR file: expected a JSON object with a \"log\" "
                                   "object"));

    HarDocument har;
    QString error;
    const JsonFields log(document.object().value(QStringLiteral("log")).toObject(),
                         QStringLiteral("log"), &error, JsonFields::ArrayNoun::List);
    const QString version = log.string(QStringLiteral("version"));
    if (version.isEmpty())
        har.warnings << QStringLiteral("log.version: missing; read as HAR 1.2");
    else if (version != QLatin1String("1.2") && version != QLatin1String("1.1"))
        har.warnings << QStringLiteral("log.version: \"%1\" is not a HAR version this program "
                                       "knows (1.1, 1.2); read as 1.2")
                            .arg(version);
    if (log.has(QStringLiteral("creator"))) {
        const JsonFields creator =
            log.nested(log.object(QStringLiteral("creator")), QStringLiteral("creator"));
        har.creatorName = creator.string(QStringLiteral("name"));
        har.creatorVersion = creator.string(QStringLiteral("version"));
    }
    const QJsonArray entries = log.array(QStringLiteral("entries"), true);
    qsizetype others = 0;
    for (qsizetype i = 0; i < entries.size() && error.isEmpty(); ++i) {
        const QString key = QStringLiteral("entries[%1]").arg(i);
        if (!entries.at(i).isObject()) {
            log.failExpected(key, QStringLiteral("an object"), entries.at(i));
            break;
        }
        const QJsonObject entry = entries.at(i).toObject();
        if (!looksLikeWebSocket(entry)) {
            ++others;
            continue;
        }
        Entry read = readEntry(log.nested(entry, key), har.warnings);
        if (error.isEmpty())
            har.entries.append(read);
    }
    if (!error.isEmpty())
        return fail(QStringLiteral("malformed HAR: ") + error);
    if (har.entries.isEmpty())
        return fail(QStringLiteral("no WebSocket connection in this HAR (%1 entries, none with "
                                   "_webSocketMessages, a 101 response or a ws:// URL)")
                        .arg(entries.size()));
    if (others > 0)
        har.warnings << QStringLiteral("%1 entries that are not WebSocket connections were "
                                       "skipped")
                            .arg(others);
    return har;
}

} // namespace duplex
