// duplex-cli: the headless WebSocket client for scripts, CI jobs and conformance runs.
// This file only reads the command line and wires the pieces; see CommandLine and CliRunner.

#include "app/cli/CliRunner.h"
#include "app/cli/CommandLine.h"
#include "app/cli/ExitCode.h"
#include "app/cli/ProfileCommand.h"
#include "app/cli/SignalWatcher.h"

#include <QCoreApplication>
#include <QTimer>

#include <cstdio>

using namespace duplex::cli;

namespace {

void print(std::FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.data(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    // The desktop application's names: the profile store lives where they say.
    QCoreApplication::setApplicationName(QStringLiteral("Duplex"));
    QCoreApplication::setOrganizationName(QStringLiteral("Duplex"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DUPLEX_VERSION));

    ParsedCommandLine parsed = parseCommandLine(QCoreApplication::arguments());
    switch (parsed.action) {
    case ParsedCommandLine::Action::Print:
        print(stdout, parsed.text);
        return int(ExitCode::Closed);
    case ParsedCommandLine::Action::Fail:
        print(stderr, QStringLiteral("duplex-cli: %1\n").arg(parsed.error));
        return int(ExitCode::Usage);
    case ParsedCommandLine::Action::Run:
        break;
    }

    CliOptions &options = parsed.options;
    if (!options.profile.isEmpty() || !options.saveProfile.isEmpty()) {
        ProfileCommand profiles;
        QString error;
        QString saved;
        // --save-profile keeps what was typed: load() fills the profile's {{variables}} (and
        // an environment's secrets) into `options`, which must not be written to the store.
        const CliOptions typed = options;
        const bool ok = (options.profile.isEmpty() || profiles.load(options, &error))
            && (options.saveProfile.isEmpty() || profiles.save(typed, &saved, &error));
        for (const QString &note : profiles.notes())
            print(stderr, QStringLiteral("duplex-cli: note: %1\n").arg(note));
        if (!ok) {
            print(stderr, QStringLiteral("duplex-cli: %1\n").arg(error));
            return int(ExitCode::Usage);
        }
        if (!options.saveProfile.isEmpty()) {
            print(stderr, QStringLiteral("duplex-cli: %1\n").arg(saved));
            return int(ExitCode::Closed);
        }
    }

    CliRunner runner(options);
    SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &SignalWatcher::interrupted, &runner, &CliRunner::interrupt);
    QObject::connect(&runner, &CliRunner::finished, &app, &QCoreApplication::exit);
    QTimer::singleShot(0, &runner, &CliRunner::start);
    return QCoreApplication::exec();
}
