#pragma once

// Helpers shared by the widget tests that drive the real window.

#include "core/session/SecretStoreInMemory.h"
#include "ui/MainWindow.h"

#include <QStandardPaths>
#include <QTemporaryDir>

#include <memory>

namespace duplex::test {

// A window on its own settings file and profile store inside `dir`, never the user's, with
// secrets in memory (`secrets`, shared between windows that stand for two runs, or a fresh
// store).
inline std::unique_ptr<MainWindow> makeWindow(const QTemporaryDir &dir,
                                              bool connectLocalEcho = true,
                                              std::shared_ptr<SecretStore> secrets = {})
{
    MainWindow::Options options;
    options.settingsPath = dir.filePath(QStringLiteral("duplex.ini"));
    options.profileDirectory = dir.filePath(QStringLiteral("profiles"));
    options.secretStore = secrets ? secrets : std::make_shared<SecretStoreInMemory>();
    options.connectLocalEcho = connectLocalEcho;
    return std::make_unique<MainWindow>(options);
}

} // namespace duplex::test
