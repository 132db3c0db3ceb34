#pragma once

#include "core/session/Environment.h"
#include "core/session/Profile.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

#include <optional>

namespace duplex {

class ProfileStore;

// Profiles and environments as one JSON file to share with a colleague:
//
//   { "format": "duplex-profile-export", "version": 1, "exportedAt": "...",
//     "profiles": [ ...Profile::toJson()... ], "environments": [ ...Environment::toJson()... ] }
//
// Secret values are left out and marked: a secret header or variable has "secret": true and
// "value": null, a proxy password is "password": null. The importer says which ones to enter
// again. A profiles.json or environments.json copied from another machine imports too.
class ProfileExchange
{
public:
    static constexpr int FormatVersion = 1;
    static QString formatMarker() { return QStringLiteral("duplex-profile-export"); }

    struct Contents
    {
        QList<Profile> profiles;
        QList<Environment> environments;
        QStringList notes; // skipped entries, withheld secrets, a newer version's file
    };

    static QByteArray exportJson(const QList<Profile> &profiles,
                                 const QList<Environment> &environments);

    // Nothing, and a sentence saying why, when the data is not such a file or none of its
    // entries can be read; entries that cannot be read are otherwise skipped with a note.
    static std::optional<Contents> parse(const QByteArray &json, QString *errorMessage = nullptr);

    // parse() then ProfileStore::merge(): names already taken get " (2)", and `report` lists
    // every note, every renaming and what was imported.
    static bool importInto(ProfileStore &store, const QByteArray &json,
                           QStringList *report = nullptr, QString *errorMessage = nullptr);
};

} // namespace duplex
