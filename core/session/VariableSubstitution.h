#pragma once

#include "core/session/Environment.h"
#include "core/session/Profile.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace duplex {

// Puts an environment's values in place of {{name}} placeholders.
//
// Syntax:
//   {{name}}     the variable's value; spaces inside the braces are ignored ({{ name }}).
//                Names use letters, digits, '_', '-' and '.'.
//   {{{{         a literal "{{" (so "{{{{name}}" gives "{{name}}"). A "}}" outside a
//                placeholder is always literal.
// A value is inserted as it is and never scanned again, so a value containing "{{" stays so.
//
// Errors name the variable, the place it was used and the environment, e.g.
//   header X-Token: unknown variable {{token}} (environment 'staging')
// and are reported before anything is sent: resolve() returns nothing when any placeholder of
// the chosen scope cannot be filled.
class VariableSubstitution
{
public:
    enum class Scope {
        Connection, // url, headers, origin, subprotocols, on-connect messages
        Everything, // and every message template
    };

    VariableSubstitution() = default; // no environment: any placeholder is an error
    explicit VariableSubstitution(std::optional<Environment> environment);

    const std::optional<Environment> &environment() const { return m_environment; }

    // A variable the program provides (e.g. localEchoPort, the embedded echo server's port),
    // used when the environment has no variable of that name.
    void setBuiltIn(const QString &name, const QString &value);
    std::optional<QString> value(const QString &name) const;

    // The text with every placeholder filled, or nothing and the reasons (one per problem,
    // each starting with `where`).
    std::optional<QString> apply(const QString &text, const QString &where,
                                 QStringList *errors = nullptr) const;

    // A copy of the profile with placeholders filled in the fields of the scope. Disabled
    // headers are copied unchanged (they are not sent). With Scope::Connection, templates are
    // copied unchanged so that a template using a variable this environment lacks does not stop
    // the connection; fill each one with resolveTemplate() when it is sent.
    std::optional<Profile> resolve(const Profile &profile, QStringList *errors = nullptr,
                                   Scope scope = Scope::Everything) const;
    std::optional<Profile::MessageTemplate> resolveTemplate(const Profile::MessageTemplate &t,
                                                            QStringList *errors = nullptr) const;

    // The variable names the text refers to, in order of first use, e.g. for highlighting.
    static QStringList referencedVariables(const QString &text);
    // The text written so that substitution gives it back unchanged ("{{" -> "{{{{").
    static QString escaped(const QString &literal);

private:
    QString substitute(const QString &text, const QString &where, QStringList &errors,
                       QStringList *names) const;
    QString environmentLabel() const;

    std::optional<Environment> m_environment;
    QList<Environment::Variable> m_builtIns;
};

} // namespace duplex
