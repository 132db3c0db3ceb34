#include "core/session/ProfileConnection.h"

#include "core/session/HexBytes.h"
#include "core/session/VariableSubstitution.h"

#include <QFile>

#include <limits>

namespace duplex {

using namespace Qt::Literals::StringLiterals;

std::optional<SessionOptions> ProfileConnection::prepare(const Profile &profile,
                                                         const VariableSubstitution &variables,
                                                         QStringList *problems, Profile *resolved)
{
    std::optional<Profile> filled =
        variables.resolve(profile, problems, VariableSubstitution::Scope::Connection);
    if (!filled)
        return std::nullopt;
    if (resolved)
        *resolved = *filled;
    return sessionOptions(*filled, problems);
}

Jitter ProfileConnection::jitterOf(Profile::Jitter jitter)
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

ProxyType ProfileConnection::proxyTypeOf(Profile::ProxyType type)
{
    switch (type) {
    case Profile::ProxyType::System:
        return ProxyType::System;
    case Profile::ProxyType::None:
        return ProxyType::None;
    case Profile::ProxyType::Http:
        return ProxyType::HttpConnect;
    case Profile::ProxyType::Socks5:
        return ProxyType::Socks5;
    }
    return ProxyType::System;
}

std::optional<OutgoingMessage> ProfileConnection::message(const Profile::MessageTemplate &message,
                                                          const QString &where, QString *problem)
{
    switch (message.kind) {
    case Profile::TemplateKind::Text:
    case Profile::TemplateKind::Json:
        return OutgoingMessage { false, message.body.toUtf8() };
    case Profile::TemplateKind::Hex: {
        HexBytes hex = HexBytes::parse(message.body);
        if (!hex.ok()) {
            *problem = where
                + u": the body is not hex: character %1: %2"_s.arg(hex.errorAt + 1).arg(hex.error);
            return std::nullopt;
        }
        return OutgoingMessage { true, std::move(hex.bytes) };
    }
    case Profile::TemplateKind::Base64: {
        const auto decoded = QByteArray::fromBase64Encoding(
            message.body.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            *problem = where + u": the body is not Base64"_s;
            return std::nullopt;
        }
        return OutgoingMessage { true, *decoded };
    }
    case Profile::TemplateKind::File: {
        QFile file(message.body);
        if (!file.open(QIODevice::ReadOnly)) {
            *problem = where + u": cannot read \"%1\": %2"_s.arg(message.body, file.errorString());
            return std::nullopt;
        }
        return OutgoingMessage { true, file.readAll() };
    }
    }
    *problem = where + u": unknown kind of message"_s;
    return std::nullopt;
}

std::optional<SessionOptions> ProfileConnection::sessionOptions(const Profile &resolved,
                                                                QStringList *problems)
{
    const qsizetype problemsBefore = problems->size();
    SessionOptions session;
    const QString urlProblem = session.setUrl(resolved.url.trimmed());
    if (!urlProblem.isEmpty())
        problems->append(u"url: "_s + urlProblem);
    for (const Profile::Header &header : resolved.headers) {
        if (header.enabled && !header.name.trimmed().isEmpty())
            session.headers.append({ header.name.trimmed().toUtf8(), header.value.toUtf8() });
    }
    for (const QString &subprotocol : resolved.subprotocols)
        session.subprotocols.append(subprotocol.toUtf8());
    session.origin = resolved.origin.trimmed().toUtf8();
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

    session.proxy.type = proxyTypeOf(resolved.proxy.type);
    if (resolved.proxy.type == Profile::ProxyType::Http
        || resolved.proxy.type == Profile::ProxyType::Socks5) {
        session.proxy.host = resolved.proxy.host.trimmed();
        session.proxy.port = quint16(qBound(0, resolved.proxy.port, 65535));
        session.proxy.user = resolved.proxy.user;
        session.proxy.password = resolved.proxy.password;
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
    // Every close code once, in order, however the profile's ranges overlap.
    reconnect.closeCodes.clear();
    for (int code = 1000; code <= 4999; ++code) {
        if (resolved.reconnect.shouldReconnectAfter(code))
            reconnect.closeCodes.append(quint16(code));
    }

    for (qsizetype i = 0; i < resolved.onConnectMessages.size(); ++i) {
        const Profile::MessageTemplate &t = resolved.onConnectMessages.at(i);
        const QString where = u"onConnectMessages[%1]"_s.arg(i)
            + (t.name.isEmpty() ? QString() : u" (\"%1\")"_s.arg(t.name));
        QString problem;
        if (auto outgoing = message(t, where, &problem))
            session.sendAfterOpen.append(*outgoing);
        else
            problems->append(problem);
    }
    if (problems->size() > problemsBefore)
        return std::nullopt;
    if (const QString invalid = session.validate(); !invalid.isEmpty()) {
        problems->append(invalid);
        return std::nullopt;
    }
    return session;
}

QStringList ProfileConnection::connectionProblems(const Profile &profile)
{
    // A tab may have no name yet, and a template that cannot be sent stops nothing until it
    // is sent: check everything else.
    Profile connection = profile;
    connection.name = u"connection"_s;
    connection.templates.clear();
    return connection.problems();
}

} // namespace duplex
