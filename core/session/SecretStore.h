#pragma once

#include <QString>

#include <memory>
#include <optional>

namespace duplex {

// Where secret values (secret header values, proxy passwords, secret environment variables)
// live, so that they never reach profiles.json or an export.
//
// Calls are synchronous. SecretStoreKeychain runs each keychain job to completion in a local
// event loop, with a time limit; call it at load and save points, not from inside painting or
// model code.
class SecretStore
{
public:
    enum class Status { Ok, NotFound, Unavailable, Failed };

    struct Result
    {
        Status status = Status::Failed;
        QString value; // with Status::Ok
        QString errorMessage; // otherwise, for the user
    };

    virtual ~SecretStore();

    // A name for the user: "the system keychain (Secret Service)", "memory only".
    virtual QString backendName() const = 0;
    // False when values are forgotten when the program exits; the UI says so.
    virtual bool isPersistent() const = 0;

    virtual Result read(const QString &key) = 0;
    virtual Result write(const QString &key, const QString &value) = 0;
    // Removing a key that is not there is not an error (Status::Ok).
    virtual Result remove(const QString &key) = 0;

    // The store to use on this system: the keychain when the build has QtKeychain and a
    // keychain answers, otherwise one that keeps secrets in memory only. In that case
    // `whyNotPersistent` says why, in a sentence the UI and the command line show: secrets are
    // then never written to disk, and are lost on exit.
    static std::unique_ptr<SecretStore> createDefault(const QString &service,
                                                      QString *whyNotPersistent = nullptr);

protected:
    SecretStore() = default;
    SecretStore(const SecretStore &) = default;
    SecretStore &operator=(const SecretStore &) = default;
};

} // namespace duplex
