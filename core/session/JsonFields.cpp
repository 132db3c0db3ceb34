#include "core/session/JsonFields.h"

#include <QJsonParseError>

#include <cmath>
#include <limits>

namespace duplex {

namespace {

QString nameOf(JsonFields::ArrayNoun arrayNoun)
{
    return arrayNoun == JsonFields::ArrayNoun::List ? QStringLiteral("a list")
                                                    : QStringLiteral("an array");
}

} // namespace

JsonFields::JsonFields(QJsonObject object, QString path, QString *error, ArrayNoun arrayNoun)
    : m_object(std::move(object))
    , m_path(std::move(path))
    , m_error(error)
    , m_arrayNoun(arrayNoun)
{ }

JsonFields JsonFields::nested(const QJsonObject &object, const QString &key) const
{
    return JsonFields(object, pathOf(key), m_error, m_arrayNoun);
}

QString JsonFields::pathOf(const QString &key) const
{
    return m_path.isEmpty() ? key : m_path + QLatin1Char('.') + key;
}

void JsonFields::fail(const QString &key, const QString &message) const
{
    if (!failed())
        *m_error = pathOf(key) + QStringLiteral(": ") + message;
}

void JsonFields::failExpected(const QString &key, const QString &what, const QJsonValue &got) const
{
    fail(key, QStringLiteral("expected %1, got %2").arg(what, describe(got, m_arrayNoun)));
}

bool JsonFields::present(const QString &key) const
{
    const QJsonValue v = m_object.value(key);
    return !v.isUndefined() && !v.isNull();
}

bool JsonFields::given(const QString &key, bool required) const
{
    if (present(key))
        return true;
    if (required)
        fail(key, QStringLiteral("missing"));
    return false;
}

bool JsonFields::expect(const QString &key, bool ok, const QString &what) const
{
    if (!ok)
        failExpected(key, what, m_object.value(key));
    return ok;
}

void JsonFields::readBool(const QString &key, bool &out) const
{
    const QJsonValue v = m_object.value(key);
    if (present(key) && expect(key, v.isBool(), QStringLiteral("true or false")))
        out = v.toBool();
}

void JsonFields::readInt64(const QString &key, qint64 &out) const
{
    if (!present(key))
        return;
    const double d = m_object.value(key).toDouble();
    // 2^53: the largest range in which a JSON number is an exact integer.
    constexpr double limit = 9007199254740992.0;
    if (expect(key,
               m_object.value(key).isDouble() && std::isfinite(d) && std::trunc(d) == d
                   && std::fabs(d) <= limit,
               QStringLiteral("an integer")))
        out = static_cast<qint64>(d);
}

void JsonFields::readInt(const QString &key, int &out) const
{
    qint64 wide = out;
    readInt64(key, wide);
    if (failed())
        return;
    if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max())
        return fail(key, QStringLiteral("%1 is too large").arg(wide));
    out = static_cast<int>(wide);
}

void JsonFields::readDouble(const QString &key, double &out) const
{
    const QJsonValue v = m_object.value(key);
    if (present(key) && expect(key, v.isDouble(), QStringLiteral("a number")))
        out = v.toDouble();
}

std::optional<QJsonObject> JsonFields::readObject(const QString &key) const
{
    const QJsonValue v = m_object.value(key);
    if (!present(key) || !expect(key, v.isObject(), QStringLiteral("an object")))
        return std::nullopt;
    return v.toObject();
}

std::optional<QJsonArray> JsonFields::readArray(const QString &key) const
{
    const QJsonValue v = m_object.value(key);
    if (!present(key) || !expect(key, v.isArray(), nameOf(m_arrayNoun)))
        return std::nullopt;
    return v.toArray();
}

QString JsonFields::string(const QString &key, const QString &fallback, bool required) const
{
    const QJsonValue v = m_object.value(key);
    if (!given(key, required) || !expect(key, v.isString(), QStringLiteral("a string")))
        return fallback;
    return v.toString();
}

double JsonFields::number(const QString &key, double fallback, bool required) const
{
    const QJsonValue v = m_object.value(key);
    if (!given(key, required)
        || !expect(key, v.isDouble() && std::isfinite(v.toDouble()), QStringLiteral("a number")))
        return fallback;
    return v.toDouble();
}

QJsonObject JsonFields::object(const QString &key, bool required) const
{
    const QJsonValue v = m_object.value(key);
    if (!given(key, required) || !expect(key, v.isObject(), QStringLiteral("an object")))
        return {};
    return v.toObject();
}

QJsonArray JsonFields::array(const QString &key, bool required) const
{
    const QJsonValue v = m_object.value(key);
    if (!given(key, required) || !expect(key, v.isArray(), nameOf(m_arrayNoun)))
        return {};
    return v.toArray();
}

QString JsonFields::describe(const QJsonValue &value, ArrayNoun arrayNoun)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QString::number(value.toDouble());
    case QJsonValue::String: {
        QString text = value.toString();
        if (text.size() > 40)
            text = text.left(37) + QStringLiteral("...");
        return QStringLiteral("\"%1\"").arg(text);
    }
    case QJsonValue::Array:
        return nameOf(arrayNoun);
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

QJsonObject JsonFields::unknownFields(const QJsonObject &object, const QStringList &known)
{
    QJsonObject unknown;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (!known.contains(it.key()))
            unknown.insert(it.key(), it.value());
    }
    return unknown;
}

std::optional<QJsonDocument> JsonFields::parse(const QByteArray &json, QString *errorMessage)
{
    QJsonParseError parseError;
    QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error == QJsonParseError::NoError)
        return document;
    if (errorMessage)
        *errorMessage = QStringLiteral("not valid JSON (%1 at byte %2)")
                            .arg(parseError.errorString())
                            .arg(parseError.offset);
    return std::nullopt;
}

} // namespace duplex
