// SessionProxy and SessionTls: what a connection is set up with, built without a socket.

#include "core/session/SessionProxy.h"
#include "core/session/SessionTls.h"

#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace duplex;

class TestSessionSetup : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void explicitProxies();
    void noProxy();
    void proxyErrors();
    void tlsRefusesUnreadableFiles();
    void tlsAppliesOptions();
};

void TestSessionSetup::explicitProxies()
{
    const WebSocketUrl target = WebSocketUrl::fromText(QStringLiteral("ws://example.com/"));
    ProxyOptions options;
    options.type = ProxyType::HttpConnect;
    options.host = QStringLiteral("proxy.local");
    options.port = 3128;
    options.user = QStringLiteral("bob");
    options.password = QStringLiteral("secret");
    const QNetworkProxy http = SessionProxy::forTarget(options, target);
    QCOMPARE(http.type(), QNetworkProxy::HttpProxy);
    QCOMPARE(http.hostName(), QStringLiteral("proxy.local"));
    QCOMPARE(http.port(), quint16(3128));
    QCOMPARE(http.user(), QStringLiteral("bob"));
    QCOMPARE(http.password(), QStringLiteral("secret"));
    QCOMPARE(SessionProxy::address(http), QStringLiteral("http://proxy.local:3128"));

    options.type = ProxyType::Socks5;
    options.port = 1080;
    const QNetworkProxy socks = SessionProxy::forTarget(options, target);
    QCOMPARE(socks.type(), QNetworkProxy::Socks5Proxy);
    QCOMPARE(SessionProxy::address(socks), QStringLiteral("socks5://proxy.local:1080"));
}

void TestSessionSetup::noProxy()
{
    const WebSocketUrl target = WebSocketUrl::fromText(QStringLiteral("wss://example.com/"));
    ProxyOptions options;
    options.type = ProxyType::None;
    options.host = QStringLiteral("ignored.local");
    QCOMPARE(SessionProxy::forTarget(options, target).type(), QNetworkProxy::NoProxy);
}

void TestSessionSetup::proxyErrors()
{
    QVERIFY(SessionProxy::isProxyError(QAbstractSocket::ProxyConnectionRefusedError));
    QVERIFY(SessionProxy::isProxyError(QAbstractSocket::ProxyAuthenticationRequiredError));
    QVERIFY(!SessionProxy::isProxyError(QAbstractSocket::ConnectionRefusedError));
    QVERIFY(!SessionProxy::isProxyError(QAbstractSocket::HostNotFoundError));
}

void TestSessionSetup::tlsRefusesUnreadableFiles()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS support in this build of Qt");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString missing = dir.filePath(QStringLiteral("missing.pem"));

    TlsOptions ca;
    ca.caFiles = { missing };
    QString problem;
    QVERIFY(!SessionTls::configuration(ca, &problem));
    QCOMPARE(problem, QStringLiteral("TLS: no PEM certificate could be read from %1").arg(missing));

    TlsOptions client;
    client.clientCertificateFile = missing;
    client.clientKeyFile = missing;
    QVERIFY(!SessionTls::configuration(client, &problem));
    QVERIFY2(problem.startsWith(
                 QStringLiteral("TLS: cannot read the client certificate %1: ").arg(missing)),
             qPrintable(problem));
}

void TestSessionSetup::tlsAppliesOptions()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS support in this build of Qt");
    TlsOptions options;
    options.useSystemCaCertificates = false;
    QString problem;
    const std::optional<QSslConfiguration> configuration =
        SessionTls::configuration(options, &problem);
    QVERIFY2(configuration, qPrintable(problem));
    QVERIFY(configuration->caCertificates().isEmpty());
    QCOMPARE(configuration->peerVerifyMode(), QSslSocket::VerifyPeer);
}

QTEST_APPLESS_MAIN(TestSessionSetup)
#include "tst_sessionsetup.moc"
