#pragma once

#include "core/session/Profile.h"
#include "core/session/SessionOptions.h"

#include <QString>
#include <QStringList>

namespace duplex::cli {

// Everything a duplex-cli command line asks for.
struct CliOptions
{
    // The connection; its sendAfterOpen holds -m / --send-binary / --send-file in the order
    // given, sent after every open (reconnects included).
    SessionOptions session;
    // The same messages as a profile stores them (text, hex as typed, a file's path), for
    // --save-profile.
    QList<Profile::MessageTemplate> messageTemplates;
    // The URL as typed (empty with --profile when the profile supplies it).
    QString url;

    int count = 0; // close after this many received data messages; 0: no limit
    int idleTimeoutMs = 0; // give up after this long without receiving anything; 0: never
    quint16 closeCode = 1000; // the close to send when done
    QByteArray closeReason;
    bool echo = false;
    bool frames = false;
    // Compress what we send when permessage-deflate was agreed (--no-compress clears it).
    bool compress = true;

    // Profiles (issue 5).
    QString profile;
    QString environment;
    QString saveProfile;
    QString exportHar;

    // Which options were given explicitly, so a profile's values apply to the others.
    QStringList given;
    bool wasGiven(const QString &name) const { return given.contains(name); }
};

// The outcome of reading the command line.
struct ParsedCommandLine
{
    enum class Action : quint8 {
        Run, // connect with `options`
        Print, // print `text` to stdout and exit 0 (--help, --version)
        Fail, // print `error` to stderr and exit 1
    };
    Action action = Action::Fail;
    CliOptions options;
    QString text;
    QString error; // one sentence naming the flag or argument and what is wrong with it
};

// Reads duplex-cli's arguments (arguments[0] is the program). Values are checked here, files
// are read here: a command line that parses can be sent.
ParsedCommandLine parseCommandLine(const QStringList &arguments);

// The --help text.
QString helpText();

} // namespace duplex::cli
