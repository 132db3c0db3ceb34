#include "app/cli/ProfileCommand.h"

#include "app/cli/ProfileOptions.h"
#include "core/session/ProfileConnection.h"
#include "core/session/SecretStore.h"
#include "core/session/VariableSubstitution.h"

namespace duplex::cli {

using namespace Qt::Literals::StringLiterals;

ProfileCommand::ProfileCommand() = default;
ProfileCommand::~ProfileCommand() = default;

ProfileStore &ProfileCommand::store()
{
    if (!m_store) {
        std::shared_ptr<SecretStore> secrets =
            SecretStore::createDefault(u"Duplex"_s, &m_secretsNote);
        m_store = std::make_unique<ProfileStore>(std::move(secrets));
        m_store->setLockTimeout(2000);
        for (const ProfileStore::Warning &warning : m_store->warnings())
            m_notes.append(warning.text());
    }
    return *m_store;
}

bool ProfileCommand::load(CliOptions &options, QString *error)
{
    QString problem;
    m_loaded = store().findProfile(options.profile, &problem);
    if (!m_loaded) {
        *error = u"--profile: "_s + problem;
        return false;
    }
    if (!m_loaded->secretSlots().isEmpty() && !m_secretsNote.isEmpty())
        m_notes.append(m_secretsNote);

    std::optional<Environment> environment;
    if (!options.environment.isEmpty()) {
        environment = store().findEnvironment(options.environment);
        if (!environment) {
            QStringList names;
            for (const Environment &known : store().environments())
                names.append(known.name);
            *error = u"--env: no environment named \"%1\"%2"_s.arg(
                options.environment,
                names.isEmpty() ? u" (there are none)"_s
                                : u"; there are: "_s + names.join(u", "_s));
            return false;
        }
    }

    // The command line's own values go in before the placeholders are filled, so that a
    // flag can use {{variables}} too and a URL given here replaces the profile's.
    Profile merged = *m_loaded;
    ProfileOptions::applyGivenFlags(options, merged);
    QStringList problems;
    Profile resolved;
    std::optional<SessionOptions> session =
        ProfileConnection::prepare(merged, VariableSubstitution(environment), &problems, &resolved);
    if (!session) {
        *error = u"--profile %1: %2"_s.arg(options.profile, problems.join(u"; "_s));
        return false;
    }
    // A profile holds one CA file; the command line may name several.
    if (options.wasGiven(u"ca"_s))
        session->tls.caFiles = options.session.tls.caFiles;
    ProfileOptions::applyRunFlags(options, *session);
    const QString invalid = session->validate();
    if (!invalid.isEmpty()) {
        *error = u"--profile %1: %2"_s.arg(options.profile, invalid);
        return false;
    }
    if (!session->reconnect.enabled) {
        for (const QString &flag : { u"backoff-initial"_s, u"backoff-max"_s,
                                     u"backoff-multiplier"_s, u"max-retries"_s }) {
            if (options.wasGiven(flag)) {
                *error = u"--%1: only applies with --reconnect (the profile %2 does not "
                         "reconnect)"_s.arg(flag, options.profile);
                return false;
            }
        }
    }
    options.session = *session;
    if (options.url.isEmpty())
        options.url = resolved.url;
    return true;
}

bool ProfileCommand::save(const CliOptions &options, QString *message, QString *error)
{
    QString folder;
    QString name = options.saveProfile.trimmed();
    const qsizetype slash = name.lastIndexOf(u'/');
    if (slash >= 0) {
        folder = Profile::normalizedFolder(name.left(slash));
        name = name.mid(slash + 1).trimmed();
    }
    if (name.isEmpty()) {
        *error = u"--save-profile: \"%1\" has no profile name after the folder"_s.arg(
            options.saveProfile);
        return false;
    }
    if (options.url.isEmpty() && !m_loaded) {
        *error = u"--save-profile: a profile needs a URL"_s;
        return false;
    }
    if (options.session.tls.caFiles.size() > 1) {
        *error = u"--save-profile: a profile holds one CA file; --ca was given %1 times"_s.arg(
            options.session.tls.caFiles.size());
        return false;
    }

    const std::optional<Profile> existing = store().findProfile(folder, name);
    Profile profile = m_loaded ? *m_loaded : Profile::create(name);
    if (!m_loaded) {
        // What duplex-cli does without the flags: the profile does the same when run again.
        profile.proxy.type = Profile::ProxyType::None;
        profile.redirects.follow = false;
        profile.reconnect.jitter = Profile::Jitter::None;
    }
    ProfileOptions::applyGivenFlags(options, profile);
    profile.name = name;
    profile.folder = folder;
    const QStringList problems = profile.problems();
    if (!problems.isEmpty()) {
        *error = u"--save-profile: "_s + problems.join(u"; "_s);
        return false;
    }
    QString problem;
    if (existing) {
        profile.id = existing->id;
        if (!store().updateProfile(profile, &problem)) {
            *error = u"--save-profile: "_s + problem;
            return false;
        }
        *message =
            u"updated the profile \"%1\" in %2"_s.arg(profile.path(), store().profilesFilePath());
    } else {
        if (m_loaded)
            profile.id = QUuid::createUuid();
        if (!store().addProfile(profile, &problem)) {
            *error = u"--save-profile: "_s + problem;
            return false;
        }
        *message =
            u"saved the profile \"%1\" in %2"_s.arg(profile.path(), store().profilesFilePath());
    }
    if (profile.hasSecrets() && !m_secretsNote.isEmpty())
        m_notes.append(m_secretsNote);
    return true;
}

} // namespace duplex::cli
