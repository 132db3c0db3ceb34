#include "core/session/PostmanImport.h"

#include "core/session/JsonFields.h"
#include "core/session/ProfileStore.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

namespace duplex {

namespace {

void setError(QString *errorMessage, const QString &message)
{
    if (errorMessage)
        *errorMessage = message;
}

// Postman writes most values as strings but numbers and booleans also occur.
QString scalar(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double: {
        const double d = value.toDouble();
        return d == static_cast<double>(static_cast<qint64>(d))
            ? QString::number(static_cast<qint64>(d))
            : QString::number(d);
    }
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    default:
        break;
    }
    return QString();
}

QString joined(const QJsonValue &value, QChar separator)
{
    if (value.isArray()) {
        QStringList parts;
        for (const QJsonValue &part : value.toArray())
            parts << scalar(part.isObject() ? part.toObject().value(QStringLiteral("value"))
                                            : part);
        return parts.join(separator);
    }
    return scalar(value);
}

// A request URL: a string, or an object with "raw" or with its parts.
QString urlOf(const QJsonValue &url)
{
    if (!url.isObject())
        return scalar(url).trimmed();
    const QJsonObject object = url.toObject();
    const QString raw = scalar(object.value(QStringLiteral("raw"))).trimmed();
    if (!raw.isEmpty())
        return raw;
    QString built;
    const QString protocol = scalar(object.value(QStringLiteral("protocol")));
    if (!protocol.isEmpty())
        built += protocol + QStringLiteral("://");
    built += joined(object.value(QStringLiteral("host")), QLatin1Char('.'));
    const QString port = scalar(object.value(QStringLiteral("port")));
    if (!port.isEmpty())
        built += QLatin1Char(':') + port;
    const QString path = joined(object.value(QStringLiteral("path")), QLatin1Char('/'));
    if (!path.isEmpty())
        built += (path.startsWith(QLatin1Char('/')) ? QString() : QStringLiteral("/")) + path;
    QStringList query;
    for (const QJsonValue &entry : object.value(QStringLiteral("query")).toArray()) {
        const QJsonObject pair = entry.toObject();
        if (pair.value(QStringLiteral("disabled")).toBool())
            continue;
        query << scalar(pair.value(QStringLiteral("key"))) + QLatin1Char('=')
                + scalar(pair.value(QStringLiteral("value")));
    }
    if (!query.isEmpty())
        built += QLatin1Char('?') + query.join(QLatin1Char('&'));
    return built;
}

// Authentication parameters: v2.1 writes [{"key": k, "value": v}], v2.0 {k: v}.
QHash<QString, QString> authParameters(const QJsonObject &auth, const QString &type)
{
    QHash<QString, QString> parameters;
    const QJsonValue value = auth.value(type);
    if (value.isArray()) {
        for (const QJsonValue &entry : value.toArray()) {
            const QJsonObject pair = entry.toObject();
            parameters.insert(scalar(pair.value(QStringLiteral("key"))),
                              scalar(pair.value(QStringLiteral("value"))));
        }
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it)
            parameters.insert(it.key(), scalar(it.value()));
    }
    return parameters;
}

// Fills known {{variables}} so that the scheme of a URL like {{base}}/socket can be seen.
QString expanded(const QString &text, const QHash<QString, QString> &variables)
{
    static const QRegularExpression placeholder(QStringLiteral("\\{\\{\\s*([^{}]+?)\\s*\\}\\}"));
    QString result;
    qsizetype last = 0;
    auto it = placeholder.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        result += text.mid(last, match.capturedStart() - last);
        result += variables.value(match.captured(1), match.captured(0));
        last = match.capturedEnd();
    }
    return result + text.mid(last);
}

Profile::TemplateKind kindOf(const QJsonObject &body)
{
    const QString language = body.value(QStringLiteral("options"))
                                 .toObject()
                                 .value(QStringLiteral("raw"))
                                 .toObject()
                                 .value(QStringLiteral("language"))
                                 .toString();
    return language.compare(QLatin1String("json"), Qt::CaseInsensitive) == 0
        ? Profile::TemplateKind::Json
        : Profile::TemplateKind::Text;
}

class CollectionReader
{
public:
    explicit CollectionReader(PostmanImport::Result &result)
        : m_result(result)
    { }

    void read(const QJsonObject &root)
    {
        const QJsonObject info = root.value(QStringLiteral("info")).toObject();
        m_collection = scalar(info.value(QStringLiteral("name"))).trimmed();
        if (m_collection.isEmpty())
            m_collection = QStringLiteral("Postman");
        m_collection.replace(QLatin1Char('/'), QLatin1Char('-'));

        readVariables(root.value(QStringLiteral("variable")).toArray());
        if (root.contains(QStringLiteral("event")))
            m_result.skipped << QStringLiteral("collection '%1': its scripts are not imported "
                                               "(Duplex does not run Postman scripts)")
                                    .arg(m_collection);
        walk(root.value(QStringLiteral("item")).toArray(), m_collection,
             root.value(QStringLiteral("auth")).toObject());
    }

private:
    void readVariables(const QJsonArray &variables)
    {
        Environment environment = Environment::create(m_collection);
        for (const QJsonValue &entry : variables) {
            const QJsonObject object = entry.toObject();
            const QString key = scalar(object.value(QStringLiteral("key")));
            if (key.isEmpty())
                continue;
            const QString value = scalar(object.value(QStringLiteral("value")));
            m_variables.insert(key, value);
            if (object.value(QStringLiteral("disabled")).toBool()) {
                m_result.skipped << QStringLiteral("collection variable '%1': disabled in "
                                                   "Postman, left out")
                                        .arg(key);
                continue;
            }
            if (!Environment::isValidVariableName(key)) {
                m_result.skipped << QStringLiteral("collection variable '%1': left out, a name "
                                                   "Duplex can use in {{...}} has only letters, "
                                                   "digits, '_', '-' and '.'")
                                        .arg(key);
                continue;
            }
            const bool secret =
                object.value(QStringLiteral("type")).toString() == QLatin1String("secret");
            environment.variables.append({ key, value, secret });
        }
        if (!environment.variables.isEmpty()) {
            m_result.imported << QStringLiteral("collection variables -> environment '%1' (%2 "
                                                "variables)")
                                     .arg(environment.name)
                                     .arg(environment.variables.size());
            m_result.environments.append(environment);
        }
    }

    void walk(const QJsonArray &items, const QString &folder, const QJsonObject &inheritedAuth)
    {
        for (const QJsonValue &entry : items) {
            const QJsonObject item = entry.toObject();
            const QJsonObject ownAuth = item.value(QStringLiteral("auth")).toObject();
            const QJsonObject auth = ownAuth.isEmpty() ? inheritedAuth : ownAuth;
            QString name = scalar(item.value(QStringLiteral("name"))).trimmed();
            if (item.value(QStringLiteral("item")).isArray()) {
                if (name.isEmpty())
                    name = QStringLiteral("Folder");
                name.replace(QLatin1Char('/'), QLatin1Char('-'));
                walk(item.value(QStringLiteral("item")).toArray(), folder + QLatin1Char('/') + name,
                     auth);
            } else if (item.contains(QStringLiteral("request"))) {
                takeRequest(item, folder, auth);
            } else {
                m_result.skipped << QStringLiteral("entry '%1' in %2: neither a folder nor a "
                                                   "request")
                                        .arg(name, folder);
            }
        }
    }

    void takeRequest(const QJsonObject &item, const QString &folder, const QJsonObject &auth)
    {
        QString name = scalar(item.value(QStringLiteral("name"))).trimmed();
        if (name.isEmpty())
            name = QStringLiteral("Request");
        const QJsonValue requestValue = item.value(QStringLiteral("request"));
        const QJsonObject request = requestValue.toObject();
        QString method = scalar(request.value(QStringLiteral("method"))).toUpper();
        if (method.isEmpty())
            method = QStringLiteral("GET");
        QString url = requestValue.isString() ? requestValue.toString().trimmed()
                                              : urlOf(request.value(QStringLiteral("url")));
        const QJsonArray headers = request.value(QStringLiteral("header")).toArray();
        const QString label = QStringLiteral("request '%1' in %2").arg(name, folder);

        bool upgrade = false;
        for (const QJsonValue &header : headers) {
            const QJsonObject h = header.toObject();
            if (scalar(h.value(QStringLiteral("key")))
                        .compare(QLatin1String("upgrade"), Qt::CaseInsensitive)
                    == 0
                && scalar(h.value(QStringLiteral("value")))
                       .contains(QLatin1String("websocket"), Qt::CaseInsensitive)
                && !h.value(QStringLiteral("disabled")).toBool())
                upgrade = true;
        }
        const QString scheme =
            expanded(url, m_variables).section(QStringLiteral("://"), 0, 0).trimmed().toLower();
        const QString protocol =
            scalar(
                request.value(QStringLiteral("url")).toObject().value(QStringLiteral("protocol")))
                .toLower();
        bool webSocket = scheme == QLatin1String("ws") || scheme == QLatin1String("wss")
            || protocol == QLatin1String("ws") || protocol == QLatin1String("wss");
        QStringList notes;
        if (!webSocket && upgrade) {
            if (method != QLatin1String("GET")) {
                m_result.skipped << QStringLiteral("%1 skipped: it has 'Upgrade: websocket' but "
                                                   "is a %2, and a WebSocket handshake is a GET")
                                        .arg(label, method);
                return;
            }
            webSocket = true;
            if (url.startsWith(QLatin1String("https://"), Qt::CaseInsensitive))
                url = QStringLiteral("wss://") + url.mid(8);
            else if (url.startsWith(QLatin1String("http://"), Qt::CaseInsensitive))
                url = QStringLiteral("ws://") + url.mid(7);
            else
                notes << QStringLiteral("its URL does not start with http(s)://; check that it "
                                        "gives a ws:// or wss:// address");
        }
        if (!webSocket) {
            m_result.skipped << QStringLiteral("%1 (%2 %3) skipped: not a WebSocket request. "
                                               "Postman leaves its WebSocket requests out of "
                                               "exported collections; only requests with a "
                                               "ws:// or wss:// URL, or a GET with an "
                                               "'Upgrade: websocket' header, can be imported")
                                    .arg(label, method, url);
            return;
        }

        Profile profile =
            Profile::create(QString(name).replace(QLatin1Char('/'), QLatin1Char('-')));
        profile.folder = Profile::normalizedFolder(folder);
        profile.url = url;

        QStringList dropped;
        for (const QJsonValue &header : headers) {
            const QJsonObject h = header.toObject();
            const QString key = scalar(h.value(QStringLiteral("key"))).trimmed();
            const QString value = scalar(h.value(QStringLiteral("value")));
            const bool enabled = !h.value(QStringLiteral("disabled")).toBool();
            const QString lower = key.toLower();
            if (key.isEmpty())
                continue;
            if (lower == QLatin1String("upgrade") || lower == QLatin1String("connection")
                || lower == QLatin1String("sec-websocket-key")
                || lower == QLatin1String("sec-websocket-version") || lower == QLatin1String("host")
                || lower == QLatin1String("content-length")) {
                dropped << key;
            } else if (lower == QLatin1String("sec-websocket-protocol") && enabled) {
                for (const QString &p : value.split(QLatin1Char(','))) {
                    if (!p.trimmed().isEmpty())
                        profile.subprotocols << p.trimmed();
                }
            } else if (lower == QLatin1String("sec-websocket-extensions") && enabled) {
                if (value.contains(QLatin1String("permessage-deflate"), Qt::CaseInsensitive)) {
                    profile.deflate.enabled = true;
                    profile.deflate.clientNoContextTakeover =
                        value.contains(QLatin1String("client_no_context_takeover"));
                    profile.deflate.serverNoContextTakeover =
                        value.contains(QLatin1String("server_no_context_takeover"));
                } else {
                    notes
                        << QStringLiteral("extensions '%1' are not supported, left out").arg(value);
                }
            } else if (lower == QLatin1String("origin") && enabled) {
                profile.origin = value;
            } else {
                const bool secret = lower == QLatin1String("authorization")
                    || lower == QLatin1String("proxy-authorization")
                    || lower == QLatin1String("cookie");
                profile.headers.append({ key, value, enabled, secret });
            }
        }
        if (!dropped.isEmpty())
            notes << QStringLiteral("handshake headers Duplex writes itself were left out (%1)")
                         .arg(dropped.join(QStringLiteral(", ")));

        // A request's own "auth" wins over what its folders and the collection set.
        const QJsonObject ownAuth = request.value(QStringLiteral("auth")).toObject();
        takeAuth(ownAuth.isEmpty() ? auth : ownAuth, profile, notes);
        takeBodies(item, request, profile, notes);

        if (item.contains(QStringLiteral("event")))
            notes << QStringLiteral("its scripts are not imported (Duplex does not run Postman "
                                    "scripts)");
        QStringList dynamic;
        static const QRegularExpression dynamicVariable(
            QStringLiteral("\\{\\{\\s*(\\$[^}]*)\\}\\}"));
        QStringList texts { profile.url };
        for (const Profile::Header &h : std::as_const(profile.headers))
            texts << h.name << h.value;
        for (const Profile::MessageTemplate &t : std::as_const(profile.templates))
            texts << t.body;
        for (const QString &text : std::as_const(texts)) {
            auto it = dynamicVariable.globalMatch(text);
            while (it.hasNext()) {
                const QString variable = it.next().captured(1).trimmed();
                if (!dynamic.contains(variable))
                    dynamic << variable;
            }
        }
        if (!dynamic.isEmpty())
            notes << QStringLiteral("it uses Postman's generated variables (%1), which Duplex "
                                    "does not provide; define them in the environment")
                         .arg(dynamic.join(QStringLiteral(", ")));

        m_result.imported << QStringLiteral("%1 -> profile '%2'").arg(label, profile.path());
        for (const QString &note : std::as_const(notes))
            m_result.skipped << QStringLiteral("%1: %2").arg(label, note);
        m_result.profiles.append(profile);
    }

    void takeAuth(const QJsonObject &auth, Profile &profile, QStringList &notes)
    {
        const QString type = auth.value(QStringLiteral("type")).toString();
        if (type.isEmpty() || type == QLatin1String("noauth"))
            return;
        for (const Profile::Header &h : std::as_const(profile.headers)) {
            if (h.name.compare(QLatin1String("authorization"), Qt::CaseInsensitive) == 0)
                return; // an explicit header wins, as in Postman
        }
        const QHash<QString, QString> parameters = authParameters(auth, type);
        if (type == QLatin1String("bearer")) {
            profile.headers.append(
                { QStringLiteral("Authorization"),
                  QStringLiteral("Bearer ") + parameters.value(QStringLiteral("token")), true,
                  true });
        } else if (type == QLatin1String("apikey")) {
            const QString key =
                parameters.value(QStringLiteral("key"), QStringLiteral("X-API-Key"));
            const QString where = parameters.value(QStringLiteral("in"), QStringLiteral("header"));
            if (where == QLatin1String("header"))
                profile.headers.append(
                    { key, parameters.value(QStringLiteral("value")), true, true });
            else
                notes << QStringLiteral("its API key goes in the %1, which is not imported; add "
                                        "%2=... to the URL")
                             .arg(where, key);
        } else if (type == QLatin1String("basic")) {
            const QString user = parameters.value(QStringLiteral("username"));
            const QString password = parameters.value(QStringLiteral("password"));
            if (user.contains(QLatin1String("{{")) || password.contains(QLatin1String("{{"))) {
                notes << QStringLiteral("its basic authentication uses variables, which cannot be "
                                        "encoded ahead of time; add an Authorization header");
            } else {
                const QByteArray credentials = (user + QLatin1Char(':') + password).toUtf8();
                profile.headers.append(
                    { QStringLiteral("Authorization"),
                      QStringLiteral("Basic ") + QString::fromLatin1(credentials.toBase64()), true,
                      true });
            }
        } else {
            notes << QStringLiteral("its '%1' authentication is not imported; add the header it "
                                    "produces by hand")
                         .arg(type);
        }
    }

    void takeBodies(const QJsonObject &item, const QJsonObject &request, Profile &profile,
                    QStringList &notes)
    {
        const QJsonObject body = request.value(QStringLiteral("body")).toObject();
        const QString mode = body.value(QStringLiteral("mode")).toString();
        if (mode == QLatin1String("raw") && !body.value(QStringLiteral("disabled")).toBool()) {
            const QString raw = scalar(body.value(QStringLiteral("raw")));
            if (!raw.isEmpty())
                profile.templates.append({ profile.name, kindOf(body), raw });
        } else if (!mode.isEmpty() && mode != QLatin1String("none")
                   && !body.value(QStringLiteral("disabled")).toBool()) {
            notes << QStringLiteral("its %1 body has no WebSocket equivalent, left out").arg(mode);
        }

        QSet<QString> bodies;
        for (const Profile::MessageTemplate &t : std::as_const(profile.templates))
            bodies.insert(t.body);
        const QJsonArray examples = item.value(QStringLiteral("response")).toArray();
        for (qsizetype i = 0; i < examples.size(); ++i) {
            const QJsonObject example = examples.at(i).toObject();
            const QJsonObject exampleBody = example.value(QStringLiteral("originalRequest"))
                                                .toObject()
                                                .value(QStringLiteral("body"))
                                                .toObject();
            const QString raw = scalar(exampleBody.value(QStringLiteral("raw")));
            if (raw.isEmpty() || bodies.contains(raw))
                continue;
            bodies.insert(raw);
            QString exampleName = scalar(example.value(QStringLiteral("name"))).trimmed();
            if (exampleName.isEmpty())
                exampleName = QStringLiteral("Example %1").arg(i + 1);
            profile.templates.append({ exampleName, kindOf(exampleBody), raw });
        }
    }

    PostmanImport::Result &m_result;
    QString m_collection;
    QHash<QString, QString> m_variables;
};

void readEnvironment(const QJsonObject &root, PostmanImport::Result &result)
{
    const QString scope = root.value(QStringLiteral("_postman_variable_scope")).toString();
    QString name = scalar(root.value(QStringLiteral("name"))).trimmed();
    if (name.isEmpty())
        name = scope == QLatin1String("globals") ? QStringLiteral("Postman globals")
                                                 : QStringLiteral("Postman environment");
    Environment environment = Environment::create(name);
    for (const QJsonValue &entry : root.value(QStringLiteral("values")).toArray()) {
        const QJsonObject object = entry.toObject();
        const QString key = scalar(object.value(QStringLiteral("key")));
        if (key.isEmpty())
            continue;
        const QJsonValue enabled = object.value(QStringLiteral("enabled"));
        if (enabled.isBool() && !enabled.toBool()) {
            result.skipped << QStringLiteral("variable '%1' of environment '%2': disabled in "
                                             "Postman, left out")
                                  .arg(key, name);
            continue;
        }
        if (!Environment::isValidVariableName(key)) {
            result.skipped << QStringLiteral("variable '%1' of environment '%2': left out, a "
                                             "name Duplex can use in {{...}} has only letters, "
                                             "digits, '_', '-' and '.'")
                                  .arg(key, name);
            continue;
        }
        const bool secret =
            object.value(QStringLiteral("type")).toString() == QLatin1String("secret");
        environment.variables.append(
            { key, scalar(object.value(QStringLiteral("value"))), secret });
    }
    result.imported << QStringLiteral("Postman environment '%1' -> environment '%1' (%2 "
                                      "variables)")
                           .arg(name)
                           .arg(environment.variables.size());
    result.environments.append(environment);
}

} // namespace

std::optional<PostmanImport::Result> PostmanImport::parse(const QByteArray &json,
                                                          QString *errorMessage)
{
    const std::optional<QJsonDocument> parsed = JsonFields::parse(json, errorMessage);
    if (!parsed)
        return std::nullopt;
    const QJsonDocument &document = *parsed;
    const QJsonObject root = document.object();
    Result result;
    if (root.value(QStringLiteral("info")).isObject() && root.contains(QStringLiteral("item"))) {
        const QString schema = root.value(QStringLiteral("info"))
                                   .toObject()
                                   .value(QStringLiteral("schema"))
                                   .toString();
        if (!schema.isEmpty() && !schema.contains(QLatin1String("/v2."))) {
            setError(errorMessage,
                     QStringLiteral("a Postman collection in a format this import "
                                    "does not read (%1); export it as Collection "
                                    "v2.1")
                         .arg(schema));
            return std::nullopt;
        }
        if (!root.value(QStringLiteral("item")).isArray()) {
            setError(errorMessage,
                     QStringLiteral("a Postman collection whose \"item\" is not "
                                    "a list"));
            return std::nullopt;
        }
        CollectionReader(result).read(root);
        return result;
    }
    if (root.value(QStringLiteral("values")).isArray()) {
        readEnvironment(root, result);
        return result;
    }
    if (root.contains(QStringLiteral("requests")) && root.contains(QStringLiteral("order"))) {
        setError(errorMessage,
                 QStringLiteral("a Postman collection in the old v1 format; "
                                "export it again as Collection v2.1"));
        return std::nullopt;
    }
    setError(errorMessage,
             QStringLiteral("not a Postman collection (v2.0 or v2.1, with \"info\" "
                            "and \"item\") or environment (with \"values\")"));
    return std::nullopt;
}

bool PostmanImport::importInto(ProfileStore &store, const QByteArray &json, QStringList *report,
                               QString *errorMessage)
{
    const std::optional<Result> result = parse(json, errorMessage);
    if (!result)
        return false;
    if (result->profiles.isEmpty() && result->environments.isEmpty()) {
        setError(errorMessage,
                 QStringLiteral("nothing to import: %1")
                     .arg(result->skipped.isEmpty() ? QStringLiteral("the collection is empty")
                                                    : result->skipped.join(QStringLiteral("; "))));
        return false;
    }
    QStringList lines = result->imported;
    if (!store.merge(result->profiles, result->environments, &lines, errorMessage))
        return false;
    for (const QString &line : result->skipped)
        lines << QStringLiteral("not imported: ") + line;
    if (report)
        *report << lines;
    return true;
}

} // namespace duplex
