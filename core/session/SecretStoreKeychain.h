#pragma once

#include "core/session/SecretStore.h"

namespace duplex {

// Secrets in the operating system's keychain through QtKeychain: the Secret Service or KWallet
// on Linux, the Keychain on macOS, the Credential Manager on Windows. QtKeychain's insecure
// fallback (plain text in a settings file) is never enabled.
//
// QtKeychain works with asynchronous jobs; each call here starts one and runs a local event loop
// (user input excluded) until it finishes or the time limit passes. That needs a
// QCoreApplication. A job that times out is left to delete itself when it finishes.
//
// Built without QtKeychain (DUPLEX_HAVE_QTKEYCHAIN undefined), every call answers
// Status::Unavailable and says so.
class SecretStoreKeychain final : public SecretStore
{
public:
    explicit SecretStoreKeychain(QString service, int timeoutMs = 5000);

    static bool isCompiledIn();

    QString backendName() const override;
    bool isPersistent() const override { return true; }

    Result read(const QString &key) override;
    Result write(const QString &key, const QString &value) override;
    Result remove(const QString &key) override;

    // Whether a keychain answers: reads a key that is never written. Status::Ok when it does,
    // otherwise Unavailable or Failed with the reason.
    Result probe();

    QString service() const { return m_service; }

private:
    QString m_service;
    int m_timeoutMs;
};

} // namespace duplex
