#include "core/session/ProfileExchange.h"

#include "core/session/JsonFields.h"
#include "core/session/ProfileStore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace duplex {

namespace {

void setError(QString *errorMessage, const QString &message)
{
    if (errorMessage)
        *errorMessage = message;
}

QString plural(qsizetype n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

// The secrets a profile entry marks as withheld, by description.
QStringList withheldSecrets(const QJsonObject &entry, const Profile &profile)
{
    QStringList withheld;
    for (const Profile::Header &header : profile.headers) {
        if (header.secret && header.value.isEmpty())
            withheld << QStringLiteral("header %1").arg(header.name);
    }
    const QJsonObject proxy = entry.value(QStringLiteral("proxy")).toObject();
    if (proxy.contains(QStringLiteral("password"))
        && proxy.value(QStringLiteral("password")).isNull())
        withheld << QStringLiteral("proxy password");
    return withheld;
}

} // namespace

QByteArray ProfileExchange::exportJson(const QList<Profile> &profiles,
                                       const QList<Environment> &environments)
{
    QJsonArray profileArray;
    for (const Profile &profile : profiles)
        profileArray.append(profile.toJson()); // marks secrets, never carries them
    QJsonArray environmentArray;
    for (const Environment &environment : environments)
        environmentArray.append(environment.toJson());
    const QJsonObject root {
        { QStringLiteral("format"), formatMarker() },
        { QStringLiteral("version"), FormatVersion },
        { QStringLiteral("exportedAt"),
          QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) },
        { QStringLiteral("profiles"), profileArray },
        { QStringLiteral("environments"), environmentArray },
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::optional<ProfileExchange::Contents> ProfileExchange::parse(const QByteArray &json,
                                                                QString *errorMessage)
{
    const std::optional<QJsonDocument> parsed = JsonFields::parse(json, errorMessage);
    if (!parsed)
        return std::nullopt;
    const QJsonDocument &document = *parsed;
    if (!document.isObject()) {
        setError(errorMessage,
                 QStringLiteral("not a Duplex profile export (expected a JSON "
                                "object with \"format\": \"%1\")")
                     .arg(formatMarker()));
        return std::nullopt;
    }
    const QJsonObject root = document.object();
    const QString format = root.value(QStringLiteral("format")).toString();
    const bool known = format == formatMarker() || format == QLatin1String("duplex-profiles")
        || format == QLatin1String("duplex-environments");
    if (!known) {
        setError(errorMessage,
                 root.contains(QStringLiteral("format"))
                     ? QStringLiteral("not a Duplex profile export (its \"format\" is \"%1\", "
                                      "expected \"%2\")")
                           .arg(format, formatMarker())
                     : QStringLiteral("not a Duplex profile export (no \"format\": \"%1\"); "
                                      "for a Postman collection use the Postman import")
                           .arg(formatMarker()));
        return std::nullopt;
    }

    Contents contents;
    const QJsonValue versionValue = root.contains(QStringLiteral("version"))
        ? root.value(QStringLiteral("version"))
        : root.value(QStringLiteral("schemaVersion"));
    const int version = versionValue.toInt(1);
    if (version > FormatVersion)
        contents.notes << QStringLiteral("the file was written by a newer version of Duplex "
                                         "(format %1); settings this version does not know are "
                                         "kept as they are")
                              .arg(version);

    for (const QString &key : { QStringLiteral("profiles"), QStringLiteral("environments") }) {
        const QJsonValue list = root.value(key);
        if (!list.isUndefined() && !list.isArray()) {
            setError(errorMessage, QStringLiteral("\"%1\" is not a list").arg(key));
            return std::nullopt;
        }
    }

    qsizetype failures = 0;
    QString firstFailure;
    const auto skip = [&](const QString &line) {
        contents.notes << line;
        if (failures++ == 0)
            firstFailure = line;
    };

    const QJsonArray profiles = root.value(QStringLiteral("profiles")).toArray();
    for (qsizetype i = 0; i < profiles.size(); ++i) {
        const QJsonObject entry = profiles.at(i).toObject();
        QString error;
        std::optional<Profile> profile =
            profiles.at(i).isObject() ? Profile::fromJson(entry, &error) : std::nullopt;
        if (!profiles.at(i).isObject())
            error = QStringLiteral("expected an object");
        if (!profile) {
            skip(QStringLiteral("profile #%1 skipped: %2").arg(i + 1).arg(error));
            continue;
        }
        const QStringList withheld = withheldSecrets(entry, *profile);
        if (!withheld.isEmpty())
            contents.notes << QStringLiteral("profile '%1': secret values were not exported "
                                             "(%2); enter them again")
                                  .arg(profile->path(), withheld.join(QStringLiteral(", ")));
        contents.profiles.append(*profile);
    }

    const QJsonArray environments = root.value(QStringLiteral("environments")).toArray();
    for (qsizetype i = 0; i < environments.size(); ++i) {
        QString error = QStringLiteral("expected an object");
        std::optional<Environment> environment = environments.at(i).isObject()
            ? Environment::fromJson(environments.at(i).toObject(), &error)
            : std::nullopt;
        if (!environment) {
            skip(QStringLiteral("environment #%1 skipped: %2").arg(i + 1).arg(error));
            continue;
        }
        QStringList withheld;
        for (const Environment::Variable &v : environment->variables) {
            if (v.secret && v.value.isEmpty())
                withheld << v.name;
        }
        if (!withheld.isEmpty())
            contents.notes << QStringLiteral("environment '%1': secret variables were not "
                                             "exported (%2); enter them again")
                                  .arg(environment->name, withheld.join(QStringLiteral(", ")));
        contents.environments.append(*environment);
    }

    if (failures > 0 && contents.profiles.isEmpty() && contents.environments.isEmpty()) {
        setError(errorMessage,
                 QStringLiteral("nothing in the file could be read: %1").arg(firstFailure));
        return std::nullopt;
    }
    return contents;
}

bool ProfileExchange::importInto(ProfileStore &store, const QByteArray &json, QStringList *report,
                                 QString *errorMessage)
{
    const std::optional<Contents> contents = parse(json, errorMessage);
    if (!contents)
        return false;
    QStringList lines = contents->notes;
    if (!store.merge(contents->profiles, contents->environments, &lines, errorMessage))
        return false;
    lines << QStringLiteral("imported %1 and %2")
                 .arg(plural(contents->profiles.size(), QStringLiteral("profile"),
                             QStringLiteral("profiles")),
                      plural(contents->environments.size(), QStringLiteral("environment"),
                             QStringLiteral("environments")));
    if (report)
        *report << lines;
    return true;
}

} // namespace duplex
