// duplex: the desktop WebSocket workbench. Parses the command line and wires the window up.
#include "core/session/SecretStoreInMemory.h"
#include "ui/AppSettings.h"
#include "ui/MainWindow.h"
#include "ui/Theme.h"
#include "ui/WindowDriver.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTemporaryDir>

#include <cstdio>
#include <memory>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Duplex"));
    QApplication::setOrganizationName(QStringLiteral("Duplex"));
    QApplication::setApplicationVersion(QStringLiteral(DUPLEX_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("duplex"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("A native desktop workbench for WebSocket APIs."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption settingsOption(
        QStringLiteral("settings"),
        QStringLiteral("Use FILE for settings and open tabs instead of the per-user file "
                       "(also DUPLEX_SETTINGS)."),
        QStringLiteral("FILE"));
    const QCommandLineOption themeOption(
        QStringLiteral("theme"),
        QStringLiteral("The palette: system, light or dark (default: as last chosen)."),
        QStringLiteral("THEME"));
    const QCommandLineOption freshOption(
        QStringLiteral("fresh"),
        QStringLiteral("Start with one tab on the local echo server; saved tabs are kept on disk "
                       "but not opened."));
    const QCommandLineOption smokeOption(
        QStringLiteral("smoke"),
        QStringLiteral("Start with throw-away settings, show the window, print its title and "
                       "quit (0 when the title is \"Duplex\")."));
    const QCommandLineOption screenshotsOption(
        QStringLiteral("screenshots"),
        QStringLiteral("Start with throw-away settings, do an echo round trip with the embedded "
                       "server and write PNGs of the window into DIR, then quit."),
        QStringLiteral("DIR"));
    parser.addOptions({ settingsOption, themeOption, freshOption, smokeOption, screenshotsOption });
    parser.process(app);

    const bool driven = parser.isSet(smokeOption) || parser.isSet(screenshotsOption);
    QString theme = parser.value(themeOption);
    if (!theme.isEmpty() && theme != QLatin1String("system") && theme != QLatin1String("light")
        && theme != QLatin1String("dark")) {
        std::fprintf(stderr, "duplex: --theme must be system, light or dark, not \"%s\"\n",
                     qPrintable(theme));
        return 1;
    }

    // Driven runs never read or write the user's settings, profiles or keychain.
    std::unique_ptr<QTemporaryDir> scratch;
    duplex::MainWindow::Options options;
    options.settingsPath = parser.value(settingsOption);
    if (driven) {
        scratch = std::make_unique<QTemporaryDir>();
        options.settingsPath = scratch->filePath(QStringLiteral("duplex.ini"));
        options.profileDirectory = scratch->filePath(QStringLiteral("profiles"));
        options.secretStore = std::make_shared<duplex::SecretStoreInMemory>();
    }
    options.restoreTabs = !parser.isSet(freshOption);

    duplex::MainWindow window(options);
    duplex::Theme::apply(theme.isEmpty() ? window.settings().theme()
                                         : duplex::Theme::modeFromName(theme));
    if (parser.isSet(screenshotsOption))
        window.resize(1360, 860);
    window.show();

    if (!driven)
        return app.exec();

    duplex::WindowDriver driver(&window);
    QObject::connect(&driver, &duplex::WindowDriver::finished, &app,
                     [](int code) { QApplication::exit(code); });
    if (parser.isSet(smokeOption)) {
        driver.runSmoke();
    } else {
        driver.runScreenshots(parser.value(screenshotsOption));
        QObject::connect(&driver, &duplex::WindowDriver::finished, &app, [&driver] {
            for (const QString &file : driver.writtenFiles())
                std::printf("%s\n", qPrintable(file));
        });
    }
    return app.exec();
}
