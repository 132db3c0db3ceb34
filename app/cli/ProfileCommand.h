#pragma once

#include "app/cli/CommandLine.h"
#include "core/session/ProfileStore.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace duplex::cli {

// --profile, --env and --save-profile against the profile store the desktop application uses
// (ProfileStore::defaultDirectory()), secrets from the system keychain when there is one.
class ProfileCommand
{
public:
    ProfileCommand();
    ~ProfileCommand();

    // --profile NAME [--env NAME]: replaces options.session with the profile's, {{variables}}
    // filled, then puts the flags given on the command line on top.
    bool load(CliOptions &options, QString *error);

    // --save-profile NAME: the command line's connection settings, on top of the --profile
    // profile when there is one, saved as NAME ("name" or "folder/name"; an existing profile
    // of that name is updated). *message says what was done.
    bool save(const CliOptions &options, QString *message, QString *error);

    // Things worth a line on stderr: unreadable store files, secrets held in memory only.
    const QStringList &notes() const { return m_notes; }

private:
    ProfileStore &store();

    std::unique_ptr<ProfileStore> m_store;
    QString m_secretsNote;
    std::optional<Profile> m_loaded; // as stored, placeholders unfilled
    QStringList m_notes;
};

} // namespace duplex::cli
