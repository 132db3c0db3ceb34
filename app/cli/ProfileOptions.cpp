#include "app/cli/ProfileOptions.h"

#include <QFileInfo>

#include <limits>

namespace duplex::cli {
namespace {

using namespace Qt::Literals::StringLiterals;

// A header given on the command line replaces the profile's headers of that name.
void mergeHeaders(QList<Profile::Header> &into, const QList<HttpHeader> &given)
{
    for (const HttpHeader &header : given) {
        const QString name = QString::fromUtf8(header.name);
        into.removeIf([&name](const Profile::Header &existing) {
            return existing.name.compare(name, Qt::CaseInsensitive) == 0;
        });
    }
    for (const HttpHeader &header : given) {
        Profile::Header added;
        added.name = QString::fromUtf8(header.name);
        added.value = QString::fromUtf8(header.value);
        into.append(added);
    }
}

} // namespace

void ProfileOptions::applyRunFlags(const CliOptions &cli, SessionOptions &session)
{
    if (cli.wasGiven(u"deflate-level"_s))
        session.deflate.compressionLevel = cli.session.deflate.compressionLevel;
    for (OutgoingMessage &message : session.sendAfterOpen)
        message.compress = cli.compress;
}

void ProfileOptions::applyGivenFlags(const CliOptions &cli, Profile &profile)
{
    const SessionOptions &given = cli.session;
    if (!cli.url.isEmpty())
        profile.url = cli.url;
    if (cli.wasGiven(u"header"_s))
        mergeHeaders(profile.headers, given.headers);
    if (cli.wasGiven(u"subprotocol"_s)) {
        profile.subprotocols.clear();
        for (const QByteArray &name : given.subprotocols)
            profile.subprotocols.append(QString::fromUtf8(name));
    }
    if (cli.wasGiven(u"origin"_s))
        profile.origin = QString::fromUtf8(given.origin);
    // Each deflate parameter implies --deflate; the parser has already set enabled.
    if (given.deflate.enabled)
        profile.deflate.enabled = true;
    if (cli.wasGiven(u"deflate-client-max-window-bits"_s))
        profile.deflate.clientMaxWindowBits = given.deflate.clientMaxWindowBits;
    if (cli.wasGiven(u"deflate-server-max-window-bits"_s))
        profile.deflate.serverMaxWindowBits = given.deflate.serverMaxWindowBits;
    if (cli.wasGiven(u"deflate-client-no-context-takeover"_s))
        profile.deflate.clientNoContextTakeover = true;
    if (cli.wasGiven(u"deflate-server-no-context-takeover"_s))
        profile.deflate.serverNoContextTakeover = true;
    if (cli.wasGiven(u"send"_s) || cli.wasGiven(u"send-binary"_s) || cli.wasGiven(u"send-file"_s))
        profile.onConnectMessages = cli.messageTemplates;
    if (cli.wasGiven(u"ping-interval"_s)) {
        profile.keepalive.pingIntervalMs = given.keepalive.pingIntervalMs;
        profile.keepalive.pongTimeoutMs = given.keepalive.pongTimeoutMs;
    }
    if (cli.wasGiven(u"reconnect"_s)) {
        profile.reconnect.enabled = true;
        // duplex-cli's reconnect has no jitter; the saved profile behaves the same.
        profile.reconnect.jitter = Profile::Jitter::None;
    }
    const BackoffPolicy &backoff = given.reconnect.backoff;
    if (cli.wasGiven(u"backoff-initial"_s))
        profile.reconnect.initialDelayMs = int(backoff.initialDelayMs);
    if (cli.wasGiven(u"backoff-max"_s))
        profile.reconnect.maxDelayMs = int(backoff.maxDelayMs);
    if (cli.wasGiven(u"backoff-multiplier"_s))
        profile.reconnect.multiplier = backoff.multiplier;
    if (cli.wasGiven(u"max-retries"_s))
        profile.reconnect.maxAttempts = backoff.maxAttempts;
    // Absolute, as --send-file is: the profile may run from another directory.
    const auto absolute = [](const QString &path) {
        return path.isEmpty() ? path : QFileInfo(path).absoluteFilePath();
    };
    if (cli.wasGiven(u"ca"_s))
        profile.tls.caFile = absolute(given.tls.caFiles.value(0));
    if (cli.wasGiven(u"cert"_s))
        profile.tls.certificateFile = absolute(given.tls.clientCertificateFile);
    if (cli.wasGiven(u"key"_s))
        profile.tls.keyFile = absolute(given.tls.clientKeyFile);
    if (cli.wasGiven(u"insecure"_s))
        profile.tls.allowInvalidCertificates = true;
    if (cli.wasGiven(u"proxy"_s)) {
        profile.proxy.type = given.proxy.type == ProxyType::Socks5 ? Profile::ProxyType::Socks5
                                                                   : Profile::ProxyType::Http;
        profile.proxy.host = given.proxy.host;
        profile.proxy.port = given.proxy.port;
        profile.proxy.user = given.proxy.user;
        profile.proxy.password = given.proxy.password;
    }
    if (cli.wasGiven(u"max-message-size"_s)) {
        profile.maxMessageSize = qint64(qMin<quint64>(given.limits.maxMessageSize,
                                                      quint64(std::numeric_limits<qint64>::max())));
    }
    if (cli.wasGiven(u"connect-timeout"_s)) {
        profile.timeouts.connectMs = given.timeouts.connectMs;
        profile.timeouts.handshakeMs = given.timeouts.handshakeMs;
    }
}

} // namespace duplex::cli
