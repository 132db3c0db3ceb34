#pragma once

#include "core/session/Profile.h"
#include "core/session/SessionOptions.h"

#include <QStringList>

#include <optional>

namespace duplex {

class VariableSubstitution;

// From a saved profile to what a ConnectionSession is started with: the one mapping of
// Profile fields onto SessionOptions, used by duplex-cli (--profile) and by the window's tabs
// alike, so that a profile connects the same way wherever it is run.
//
//     QStringList problems;
//     const auto options = ProfileConnection::prepare(profile, variables, &problems);
//     if (!options)
//         show(problems);            // "url: unknown variable {{host}} (environment 'dev')"
//     else
//         session->setOptions(*options);
//
// Problems are sentences that start with the field they concern ("url: ...", "header X-Token:
// ...", "onConnectMessages[0] (\"hello\"): the body is not hex"); nothing is returned while
// there is any, so nothing is sent on a profile that cannot be used as it stands.
class ProfileConnection
{
public:
    // {{variables}} filled (VariableSubstitution::Scope::Connection: url, headers, origin,
    // subprotocols, on-connect messages), then sessionOptions(). `resolved`, when given,
    // receives the profile with its placeholders filled.
    static std::optional<SessionOptions> prepare(const Profile &profile,
                                                 const VariableSubstitution &variables,
                                                 QStringList *problems,
                                                 Profile *resolved = nullptr);

    // The session options of a profile whose placeholders are already filled, checked with
    // SessionOptions::validate(). Disabled headers and headers without a name are not sent; a
    // maxMessageSize of 0 means no limit.
    static std::optional<SessionOptions> sessionOptions(const Profile &resolved,
                                                        QStringList *problems);

    // What a template sends: text and JSON as UTF-8 text, hex and Base64 decoded to binary, a
    // file's bytes as binary. Nothing, and a sentence starting with `where`, when the body
    // cannot be turned into a message.
    static std::optional<OutgoingMessage> message(const Profile::MessageTemplate &message,
                                                  const QString &where, QString *problem);

    // The problems of Profile::problems() that stop a connection: everything but the name and
    // the message templates (which are checked when they are sent).
    static QStringList connectionProblems(const Profile &profile);

    static Jitter jitterOf(Profile::Jitter jitter);
    static ProxyType proxyTypeOf(Profile::ProxyType type);
};

} // namespace duplex
