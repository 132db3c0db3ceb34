#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <optional>

namespace duplex {

// A named set of variables (dev, staging, prod) that VariableSubstitution puts in place of
// {{name}} in a profile. A plain value like Profile; variables keep the order the user gave them.
// A secret variable's value never appears in toJson(): ProfileStore keeps it in a SecretStore.
class Environment
{
public:
    static constexpr int SchemaVersion = 1;

    struct Variable
    {
        QString name;
        QString value;
        bool secret = false;
        friend bool operator==(const Variable &, const Variable &) = default;
    };

    QUuid id;
    QString name;
    QList<Variable> variables;
    QJsonObject unknownFields; // written by a newer version; kept as they were

    static Environment create(const QString &name = {});

    // The variable of that name (exact match; names are case-sensitive as in the placeholders),
    // or nothing.
    const Variable *variable(const QString &name) const;
    std::optional<QString> value(const QString &name) const;
    // Sets (or appends) a variable, keeping its secret flag when it already exists.
    void setValue(const QString &name, const QString &value);

    QJsonObject toJson() const; // a secret variable is written as "value": null
    static std::optional<Environment> fromJson(const QJsonObject &object,
                                               QString *errorMessage = nullptr);

    // Empty or duplicate names, names a placeholder cannot spell.
    QStringList problems() const;

    // A name VariableSubstitution accepts between the braces: letters, digits, '_', '-', '.'.
    static bool isValidVariableName(const QString &name);

    // The secret store key of a variable ("variable:token").
    static QString secretKey(const QString &variableName);
    Environment withoutSecrets() const;

    friend bool operator==(const Environment &, const Environment &) = default;
};

} // namespace duplex
