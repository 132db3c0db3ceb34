#include "core/session/SessionTls.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace duplex {

namespace {

std::optional<QSslConfiguration> fail(QString *problem, const QString &message)
{
    if (problem)
        *problem = message;
    return std::nullopt;
}

} // namespace

std::optional<QSslConfiguration> SessionTls::configuration(const TlsOptions &tls, QString *problem)
{
    if (!QSslSocket::supportsSsl())
        return fail(problem, QStringLiteral("TLS: this build of Qt has no TLS support"));
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    if (!tls.useSystemCaCertificates)
        configuration.setCaCertificates({});
    for (const QString &file : tls.caFiles) {
        const QList<QSslCertificate> certificates = QSslCertificate::fromPath(file, QSsl::Pem);
        if (certificates.isEmpty())
            return fail(problem,
                        QStringLiteral("TLS: no PEM certificate could be read from %1").arg(file));
        configuration.addCaCertificates(certificates);
    }
    if (!tls.clientCertificateFile.isEmpty()) {
        QFile certificateFile(tls.clientCertificateFile);
        if (!certificateFile.open(QIODevice::ReadOnly)) {
            return fail(problem,
                        QStringLiteral("TLS: cannot read the client certificate %1: %2")
                            .arg(tls.clientCertificateFile, certificateFile.errorString()));
        }
        const QSslCertificate certificate(certificateFile.readAll(), QSsl::Pem);
        if (certificate.isNull()) {
            return fail(
                problem,
                QStringLiteral("TLS: %1 holds no PEM certificate").arg(tls.clientCertificateFile));
        }
        QFile keyFile(tls.clientKeyFile);
        if (!keyFile.open(QIODevice::ReadOnly)) {
            return fail(problem,
                        QStringLiteral("TLS: cannot read the client key %1: %2")
                            .arg(tls.clientKeyFile, keyFile.errorString()));
        }
        const QByteArray pem = keyFile.readAll();
        QSslKey key;
        for (const QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec, QSsl::Dsa }) {
            key = QSslKey(pem, algorithm, QSsl::Pem, QSsl::PrivateKey, tls.clientKeyPassphrase);
            if (!key.isNull())
                break;
        }
        if (key.isNull()) {
            return fail(problem,
                        QStringLiteral("TLS: %1 holds no PEM private key that can be read (RSA, "
                                       "EC or DSA; is a passphrase needed?)")
                            .arg(tls.clientKeyFile));
        }
        configuration.setLocalCertificate(certificate);
        configuration.setPrivateKey(key);
    }
    configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    return configuration;
}

QString SessionTls::describeError(const QSslError &error, const QString &name)
{
    const QString subject = QStringLiteral("the certificate of %1").arg(name);
    const QSslCertificate certificate = error.certificate();
    QString what;
    switch (error.error()) {
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
        what = QStringLiteral("is signed by an unknown authority");
        break;
    case QSslError::CertificateExpired:
        what = certificate.isNull() ? QStringLiteral("has expired")
                                    : QStringLiteral("has expired (valid until %1)")
                                          .arg(certificate.expiryDate().toString(Qt::ISODate));
        break;
    case QSslError::CertificateNotYetValid:
        what = certificate.isNull() ? QStringLiteral("is not valid yet")
                                    : QStringLiteral("is not valid yet (valid from %1)")
                                          .arg(certificate.effectiveDate().toString(Qt::ISODate));
        break;
    case QSslError::HostNameMismatch: {
        QStringList names = certificate.subjectAlternativeNames().values(QSsl::DnsEntry);
        names += certificate.subjectAlternativeNames().values(QSsl::IpAddressEntry);
        if (names.isEmpty())
            names = certificate.subjectInfo(QSslCertificate::CommonName);
        what = names.isEmpty() ? QStringLiteral("was issued for another host name")
                               : QStringLiteral("was issued for %1, not %2")
                                     .arg(names.join(QStringLiteral(", ")), name);
        break;
    }
    case QSslError::CertificateRevoked:
        what = QStringLiteral("has been revoked");
        break;
    case QSslError::NoPeerCertificate:
        return QStringLiteral("%1 sent no certificate").arg(name);
    default:
        what = QStringLiteral("failed verification");
        break;
    }
    return QStringLiteral("%1 %2 (%3)").arg(subject, what, error.errorString());
}

} // namespace duplex
