#include "app/cli/ProfileOptions.h"

#include <QFile>

#include <limits>

namespace duplex::cli {
namespace {

using namespace Qt::Literals::StringLiterals;

Jitter jitterOf(Profile::Jitter jitter)
{
    switch (jitter) {
    case Profile::Jitter::None:
        return Jitter::None;
    case Profile::Jitter::Full:
        return Jitter::Full;
    case Profile::Jitter::Equal:
        return Jitter::Equal;
    }
    return Jitter::Full;
}

std::optional<OutgoingMessage> messageOf(const Profile::MessageTemplate &message, int index,
                                         QStringList *problems)
{
    const QString where = u"onConnectMessages[%1]"_s.arg(index)
        + (message.name.isEmpty() ? QString() : u" (\"%1\")"_s.arg(message.name));
    switch (message.kind) {
    case Profile::TemplateKind::Text:
    case Profile::TemplateKind::Json:
        return OutgoingMessage { false, message.body.toUtf8() };
    case Profile::TemplateKind::Hex: {
        QByteArray digits = message.body.toLatin1();
        digits.replace(' ', QByteArray()).replace('\n', QByteArray());
        const QByteArray data = QByteArray::fromHex(digits);
        if (data.toHex() != digits.toLower()) {
            problems->append(where + u": the body is not hex"_s);
            return std::nullopt;
        }
        return OutgoingMessage { true, data };
    }
    case Profile::TemplateKind::Base64: {
        const auto decoded = QByteArray::fromBase64Encoding(
            message.body.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            problems->append(where + u": the body is not Base64"_s);
            return std::nullopt;
        }
        return OutgoingMessage { true, *decoded };
    }
    case Profile::TemplateKind::File: {
        QFile file(message.body);
        if (!file.open(QIODevice::ReadOnly)) {
            problems->append(where
                             + u": cannot read \"%1\": %2"_s.arg(message.body, file.errorString()));
            return std::nullopt;
        }
        return OutgoingMessage { true, file.readAll() };
    }
    }
    return std::nullopt;
}

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

std::optional<SessionOptions> ProfileOptions::sessionOptions(const Profile &resolved,
                                                             QStringList *problems)
{
    SessionOptions session;
    const QString urlProblem = session.setUrl(resolved.url);
    if (!urlProblem.isEmpty())
        problems->append(u"url: "_s + urlProblem);
    for (const Profile::Header &header : resolved.headers) {
        if (header.enabled)
            session.headers.append({ header.name.toUtf8(), header.value.toUtf8() });
    }
    for (const QString &subprotocol : resolved.subprotocols)
        session.subprotocols.append(subprotocol.toUtf8());
    session.origin = resolved.origin.toUtf8();
    session.deflate.enabled = resolved.deflate.enabled;
    session.deflate.clientMaxWindowBits = resolved.deflate.clientMaxWindowBits;
    session.deflate.serverMaxWindowBits = resolved.deflate.serverMaxWindowBits;
    session.deflate.clientNoContextTakeover = resolved.deflate.clientNoContextTakeover;
    session.deflate.serverNoContextTakeover = resolved.deflate.serverNoContextTakeover;
    session.limits.maxMessageSize = resolved.maxMessageSize > 0
        ? quint64(resolved.maxMessageSize)
        : std::numeric_limits<quint64>::max();
    session.timeouts.connectMs = resolved.timeouts.connectMs;
    session.timeouts.handshakeMs = resolved.timeouts.handshakeMs;
    session.timeouts.closeMs = resolved.timeouts.closeMs;
    session.redirects.follow = resolved.redirects.follow;
    session.redirects.maxHops = resolved.redirects.maxHops;

    if (!resolved.tls.caFile.isEmpty())
        session.tls.caFiles.append(resolved.tls.caFile);
    session.tls.clientCertificateFile = resolved.tls.certificateFile;
    session.tls.clientKeyFile = resolved.tls.keyFile;
    session.tls.allowInvalidCertificates = resolved.tls.allowInvalidCertificates;

    switch (resolved.proxy.type) {
    case Profile::ProxyType::System:
        session.proxy.type = ProxyType::System;
        break;
    case Profile::ProxyType::None:
        session.proxy.type = ProxyType::None;
        break;
    case Profile::ProxyType::Http:
    case Profile::ProxyType::Socks5:
        session.proxy.type = resolved.proxy.type == Profile::ProxyType::Http
            ? ProxyType::HttpConnect
            : ProxyType::Socks5;
        session.proxy.host = resolved.proxy.host;
        session.proxy.port = quint16(qBound(0, resolved.proxy.port, 65535));
        session.proxy.user = resolved.proxy.user;
        session.proxy.password = resolved.proxy.password;
        break;
    }

    session.keepalive.pingIntervalMs = resolved.keepalive.pingIntervalMs;
    session.keepalive.pongTimeoutMs = resolved.keepalive.pongTimeoutMs;

    ReconnectOptions &reconnect = session.reconnect;
    reconnect.enabled = resolved.reconnect.enabled;
    reconnect.backoff.initialDelayMs = resolved.reconnect.initialDelayMs;
    reconnect.backoff.maxDelayMs = resolved.reconnect.maxDelayMs;
    reconnect.backoff.multiplier = resolved.reconnect.multiplier;
    reconnect.backoff.jitter = jitterOf(resolved.reconnect.jitter);
    reconnect.backoff.maxAttempts = resolved.reconnect.maxAttempts;
    reconnect.backoff.resetAfterMs = resolved.reconnect.resetAfterMs;
    reconnect.closeCodes.clear();
    for (const Profile::CloseCodeRange &range : resolved.reconnect.closeCodes) {
        for (int code = qMax(range.first, 1000); code <= qMin(range.last, 4999); ++code) {
            if (resolved.reconnect.shouldReconnectAfter(code)
                && !reconnect.closeCodes.contains(quint16(code)))
                reconnect.closeCodes.append(quint16(code));
        }
    }

    for (int i = 0; i < resolved.onConnectMessages.size(); ++i) {
        if (auto message = messageOf(resolved.onConnectMessages[i], i, problems))
            session.sendAfterOpen.append(*message);
    }
    if (!problems->isEmpty())
        return std::nullopt;
    return session;
}

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
    if (cli.wasGiven(u"ca"_s))
        profile.tls.caFile = given.tls.caFiles.value(0);
    if (cli.wasGiven(u"cert"_s))
        profile.tls.certificateFile = given.tls.clientCertificateFile;
    if (cli.wasGiven(u"key"_s))
        profile.tls.keyFile = given.tls.clientKeyFile;
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
