#include "core/session/VariableSubstitution.h"

namespace duplex {

namespace {

const QLatin1String open("{{");
const QLatin1String close("}}");
const QLatin1String escapedOpen("{{{{");

QString templateLabel(const QString &what, const Profile::MessageTemplate &t, qsizetype index)
{
    return t.name.isEmpty() ? QStringLiteral("%1 #%2").arg(what).arg(index + 1)
                            : QStringLiteral("%1 '%2'").arg(what, t.name);
}

} // namespace

VariableSubstitution::VariableSubstitution(std::optional<Environment> environment)
    : m_environment(std::move(environment))
{ }

QString VariableSubstitution::environmentLabel() const
{
    return m_environment ? QStringLiteral("environment '%1'").arg(m_environment->name)
                         : QStringLiteral("no environment selected");
}

QString VariableSubstitution::substitute(const QString &text, const QString &where,
                                         QStringList &errors, QStringList *names) const
{
    QString result;
    result.reserve(text.size());
    QStringList unknown;
    qsizetype i = 0;
    while (i < text.size()) {
        if (QStringView(text).mid(i).startsWith(escapedOpen)) {
            result += open;
            i += escapedOpen.size();
            continue;
        }
        if (!QStringView(text).mid(i).startsWith(open)) {
            result += text.at(i);
            ++i;
            continue;
        }
        const qsizetype end = text.indexOf(close, i + open.size());
        if (end < 0) {
            errors << QStringLiteral("%1: \"{{\" at position %2 is never closed with \"}}\"; "
                                     "write {{{{ for a literal {{")
                          .arg(where)
                          .arg(i + 1);
            return result + text.mid(i);
        }
        const QString raw = text.mid(i, end + close.size() - i);
        const QString name = text.mid(i + open.size(), end - i - open.size()).trimmed();
        i = end + close.size();
        if (!Environment::isValidVariableName(name)) {
            errors << QStringLiteral("%1: %2 is not a variable name (use letters, digits, '_', "
                                     "'-' and '.'); write {{{{ for a literal {{")
                          .arg(where, raw);
            result += raw;
            continue;
        }
        if (names && !names->contains(name))
            names->append(name);
        const std::optional<QString> value = this->value(name);
        if (!value) {
            if (!unknown.contains(name)) {
                unknown << name;
                errors << QStringLiteral("%1: unknown variable {{%2}} (%3)")
                              .arg(where, name, environmentLabel());
            }
            result += raw;
            continue;
        }
        result += *value;
    }
    return result;
}

void VariableSubstitution::setBuiltIn(const QString &name, const QString &value)
{
    for (Environment::Variable &variable : m_builtIns) {
        if (variable.name == name) {
            variable.value = value;
            return;
        }
    }
    m_builtIns.append({ name, value, false });
}

std::optional<QString> VariableSubstitution::value(const QString &name) const
{
    if (m_environment) {
        if (const Environment::Variable *variable = m_environment->variable(name))
            return variable->value;
    }
    for (const Environment::Variable &variable : m_builtIns) {
        if (variable.name == name)
            return variable.value;
    }
    return std::nullopt;
}

std::optional<QString> VariableSubstitution::apply(const QString &text, const QString &where,
                                                   QStringList *errors) const
{
    QStringList found;
    QString result = substitute(text, where, found, nullptr);
    if (!found.isEmpty()) {
        if (errors)
            *errors << found;
        return std::nullopt;
    }
    return result;
}

std::optional<Profile::MessageTemplate>
VariableSubstitution::resolveTemplate(const Profile::MessageTemplate &t, QStringList *errors) const
{
    QStringList found;
    Profile::MessageTemplate resolved = t;
    resolved.body =
        substitute(t.body, templateLabel(QStringLiteral("template"), t, 0), found, nullptr);
    if (!found.isEmpty()) {
        if (errors)
            *errors << found;
        return std::nullopt;
    }
    return resolved;
}

std::optional<Profile> VariableSubstitution::resolve(const Profile &profile, QStringList *errors,
                                                     Scope scope) const
{
    QStringList found;
    Profile resolved = profile;

    resolved.url = substitute(profile.url, QStringLiteral("url"), found, nullptr);
    resolved.origin = substitute(profile.origin, QStringLiteral("origin"), found, nullptr);

    for (Profile::Header &header : resolved.headers) {
        if (!header.enabled)
            continue;
        const QString label = QStringLiteral("header %1").arg(header.name);
        header.name = substitute(header.name, label, found, nullptr);
        header.value = substitute(header.value, label, found, nullptr);
    }

    for (qsizetype i = 0; i < resolved.subprotocols.size(); ++i) {
        resolved.subprotocols[i] =
            substitute(resolved.subprotocols.at(i), QStringLiteral("subprotocol #%1").arg(i + 1),
                       found, nullptr);
    }

    for (qsizetype i = 0; i < resolved.onConnectMessages.size(); ++i) {
        Profile::MessageTemplate &t = resolved.onConnectMessages[i];
        t.body = substitute(t.body, templateLabel(QStringLiteral("on-connect message"), t, i),
                            found, nullptr);
    }

    if (scope == Scope::Everything) {
        for (qsizetype i = 0; i < resolved.templates.size(); ++i) {
            Profile::MessageTemplate &t = resolved.templates[i];
            t.body =
                substitute(t.body, templateLabel(QStringLiteral("template"), t, i), found, nullptr);
        }
    }

    if (!found.isEmpty()) {
        if (errors)
            *errors << found;
        return std::nullopt;
    }
    return resolved;
}

QStringList VariableSubstitution::referencedVariables(const QString &text)
{
    const VariableSubstitution none;
    QStringList ignored;
    QStringList names;
    none.substitute(text, QString(), ignored, &names);
    return names;
}

QString VariableSubstitution::escaped(const QString &literal)
{
    QString copy = literal;
    copy.replace(open, escapedOpen);
    return copy;
}

} // namespace duplex
