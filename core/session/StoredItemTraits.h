#pragma once

#include "core/session/Environment.h"
#include "core/session/Profile.h"

#include <QList>
#include <QString>

namespace duplex {

// Where a secret value lives in a stored item. `key` is the item's own name for the place
// ("header:x-token#0", "variable:token"); the SecretStore key puts the item's id before it.
struct StoredSecret
{
    QString key;
    QString description; // "header X-Token", "variable token"
    QString value;
};

// Names compared as the store compares them: trimmed, without regard to case.
struct StoredItemNames
{
    static bool same(const QString &a, const QString &b);
    static bool sameFolder(const QString &a, const QString &b);
    // "at the top level", "in folder 'Team'": where a profile is, in a sentence.
    static QString folderLabel(const QString &folder);
};

// What ProfileStore needs to know about each kind of item it keeps, so that its logic (load,
// save, secrets, add, change, remove, merge) is written once: how the kind is named in
// sentences, where its names must be unique, and where its secret values are.
template<typename Item>
struct StoredItemTraits;

template<>
struct StoredItemTraits<Profile> : StoredItemNames
{
    static QString noun() { return QStringLiteral("profile"); }
    static QString aNoun() { return QStringLiteral("a profile"); }
    // The first part of the item's keys in the SecretStore: never reworded, or every stored
    // secret of this kind would be lost.
    static QString secretKeyPrefix() { return QStringLiteral("profile"); }
    // Whether '/' in a name is refused because a path uses it between folder and name.
    static constexpr bool slashSeparatesFolders = true;
    // How a sentence names the item.
    static QString label(const Profile &profile) { return profile.path(); }
    // Where the item's name must be unique, to end a sentence with ("" when everywhere).
    static QString where(const Profile &profile)
    {
        return QLatin1Char(' ') + folderLabel(profile.folder);
    }
    // Whether the names of `a` and `b` must differ.
    static bool sameGroup(const Profile &a, const Profile &b)
    {
        return sameFolder(a.folder, b.folder);
    }
    static void normalize(Profile &profile);

    // Every place that may hold a secret, with what it holds now.
    static QList<StoredSecret> secrets(const Profile &profile);
    // Puts a value read from the SecretStore into the (empty) place `key`.
    static void setSecret(Profile &profile, const QString &key, const QString &value);
    // Whether a missing stored value is worth a warning: a proxy password slot exists for every
    // proxy; only a secret header is expected to have a value.
    static bool expectsStoredValue(const StoredSecret &secret);
    // How a warning names a secret found written in the file ("the header X-Token is written").
    static QString secretInFile(const StoredSecret &secret) { return secret.description; }

    // Whether loading says so when an id repeats (either way the later item gets a new id).
    static constexpr bool warnsOfDuplicateIds = true;
    // The warning when a file holds `profile` and, before it, `existing` of the same name.
    static QString twoNamed(const Profile &existing, const Profile &profile);
};

template<>
struct StoredItemTraits<Environment> : StoredItemNames
{
    static QString noun() { return QStringLiteral("environment"); }
    static QString aNoun() { return QStringLiteral("an environment"); }
    static QString secretKeyPrefix() { return QStringLiteral("environment"); }
    static constexpr bool slashSeparatesFolders = false;
    static QString label(const Environment &environment) { return environment.name; }
    static QString where(const Environment &) { return {}; }
    static bool sameGroup(const Environment &, const Environment &) { return true; }
    static void normalize(Environment &environment);

    static QList<StoredSecret> secrets(const Environment &environment);
    static void setSecret(Environment &environment, const QString &key, const QString &value);
    static bool expectsStoredValue(const StoredSecret &) { return true; }
    static QString secretInFile(const StoredSecret &secret)
    {
        return QStringLiteral("secret ") + secret.description;
    }

    static constexpr bool warnsOfDuplicateIds = false;
    static QString twoNamed(const Environment &existing, const Environment &environment);
};

} // namespace duplex
