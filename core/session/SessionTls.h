#pragma once

#include "core/session/SessionOptions.h"

#include <QSslConfiguration>
#include <QSslError>
#include <QString>

#include <optional>

namespace duplex {

// What ConnectionSession needs of TLS that does not need a socket: the configuration a wss://
// connection starts with, and certificate errors in words. Pure functions.
class SessionTls
{
public:
    // Qt's default configuration with TlsOptions applied: the system store or not, extra CA
    // files, a client certificate and key (PEM), peer verification on. Nothing, and a sentence
    // starting "TLS: " in `problem`, when a file cannot be read or holds nothing usable, or when
    // Qt has no TLS support.
    static std::optional<QSslConfiguration> configuration(const TlsOptions &options,
                                                          QString *problem);

    // "the certificate of example.com has expired (valid until 2024-01-01T00:00:00Z) (...)".
    static QString describeError(const QSslError &error, const QString &peerName);
};

} // namespace duplex
