#include "core/session/Environment.h"

#include "core/session/JsonFields.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

namespace duplex {

namespace {

QString typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("true or false");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

} // namespace

Environment Environment::create(const QString &name)
{
    Environment environment;
    environment.id = QUuid::createUuid();
    environment.name = name;
    return environment;
}

const Environment::Variable *Environment::variable(const QString &variableName) const
{
    for (const Variable &v : variables) {
        if (v.name == variableName)
            return &v;
    }
    return nullptr;
}

std::optional<QString> Environment::value(const QString &variableName) const
{
    if (const Variable *v = variable(variableName))
        return v->value;
    return std::nullopt;
}

void Environment::setValue(const QString &variableName, const QString &newValue)
{
    for (Variable &v : variables) {
        if (v.name == variableName) {
            v.value = newValue;
            return;
        }
    }
    variables.append({ variableName, newValue, false });
}

QJsonObject Environment::toJson() const
{
    QJsonObject object = unknownFields;
    QJsonArray array;
    for (const Variable &v : variables) {
        array.append(QJsonObject {
            { QStringLiteral("name"), v.name },
            { QStringLiteral("value"), v.secret ? QJsonValue() : QJsonValue(v.value) },
            { QStringLiteral("secret"), v.secret },
        });
    }
    object.insert(QStringLiteral("schemaVersion"), SchemaVersion);
    object.insert(QStringLiteral("id"), id.toString(QUuid::WithoutBraces));
    object.insert(QStringLiteral("name"), name);
    object.insert(QStringLiteral("variables"), array);
    return object;
}

std::optional<Environment> Environment::fromJson(const QJsonObject &object, QString *errorMessage)
{
    const auto fail = [&](const QString &field, const QString &message) {
        if (errorMessage)
            *errorMessage = field + QStringLiteral(": ") + message;
        return std::nullopt;
    };
    const auto expected = [](const QString &what, const QJsonValue &got) {
        return QStringLiteral("expected %1, got %2").arg(what, typeName(got));
    };

    Environment environment;
    const QJsonValue version = object.value(QStringLiteral("schemaVersion"));
    if (!version.isUndefined() && (!version.isDouble() || version.toDouble() < 1))
        return fail(QStringLiteral("schemaVersion"),
                    expected(QStringLiteral("a version number"), version));

    const QJsonValue id = object.value(QStringLiteral("id"));
    if (id.isString() && !id.toString().isEmpty()) {
        environment.id = QUuid::fromString(id.toString());
        if (environment.id.isNull())
            return fail(QStringLiteral("id"),
                        QStringLiteral("\"%1\" is not a UUID").arg(id.toString()));
    } else if (!id.isUndefined() && !id.isNull() && !id.isString()) {
        return fail(QStringLiteral("id"), expected(QStringLiteral("a string"), id));
    }

    const QJsonValue name = object.value(QStringLiteral("name"));
    if (!name.isString())
        return fail(QStringLiteral("name"), expected(QStringLiteral("a string"), name));
    environment.name = name.toString();
    if (environment.name.trimmed().isEmpty())
        return fail(QStringLiteral("name"), QStringLiteral("empty"));

    const QJsonValue variables = object.value(QStringLiteral("variables"));
    if (!variables.isUndefined() && !variables.isNull() && !variables.isArray())
        return fail(QStringLiteral("variables"), expected(QStringLiteral("an array"), variables));
    const QJsonArray array = variables.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString path = QStringLiteral("variables[%1]").arg(i);
        if (!array.at(i).isObject())
            return fail(path, expected(QStringLiteral("an object"), array.at(i)));
        const QJsonObject item = array.at(i).toObject();
        Variable v;
        const QJsonValue itemName = item.value(QStringLiteral("name"));
        if (!itemName.isString())
            return fail(path + QStringLiteral(".name"),
                        expected(QStringLiteral("a string"), itemName));
        v.name = itemName.toString();
        const QJsonValue value = item.value(QStringLiteral("value"));
        if (value.isString())
            v.value = value.toString();
        else if (!value.isUndefined() && !value.isNull())
            return fail(path + QStringLiteral(".value"),
                        expected(QStringLiteral("a string"), value));
        const QJsonValue secret = item.value(QStringLiteral("secret"));
        if (secret.isBool())
            v.secret = secret.toBool();
        else if (!secret.isUndefined() && !secret.isNull())
            return fail(path + QStringLiteral(".secret"),
                        expected(QStringLiteral("true or false"), secret));
        environment.variables.append(v);
    }

    if (environment.id.isNull())
        environment.id = QUuid::createUuid();
    static const QStringList known { QStringLiteral("schemaVersion"), QStringLiteral("id"),
                                     QStringLiteral("name"), QStringLiteral("variables") };
    environment.unknownFields = JsonFields::unknownFields(object, known);
    return environment;
}

QStringList Environment::problems() const
{
    QStringList problems;
    if (name.trimmed().isEmpty())
        problems << QStringLiteral("name: empty");
    QSet<QString> seen;
    for (qsizetype i = 0; i < variables.size(); ++i) {
        const QString &variableName = variables.at(i).name;
        if (variableName.isEmpty()) {
            problems << QStringLiteral("variable #%1: empty name").arg(i + 1);
            continue;
        }
        if (!isValidVariableName(variableName))
            problems << QStringLiteral("variable \"%1\": use only letters, digits, '_', '-' and "
                                       "'.' so that {{%1}} can refer to it")
                            .arg(variableName);
        if (seen.contains(variableName))
            problems << QStringLiteral("variable \"%1\": defined twice; the first one is used")
                            .arg(variableName);
        seen.insert(variableName);
    }
    return problems;
}

bool Environment::isValidVariableName(const QString &variableName)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_.\\-]+$"));
    return pattern.match(variableName).hasMatch();
}

QString Environment::secretKey(const QString &variableName)
{
    return QStringLiteral("variable:") + variableName;
}

Environment Environment::withoutSecrets() const
{
    Environment copy = *this;
    for (Variable &v : copy.variables) {
        if (v.secret)
            v.value.clear();
    }
    return copy;
}

} // namespace duplex
