#pragma once

// Helpers shared by the widget tests that drive the real window.

#include "ui/MainWindow.h"

#include <QStandardPaths>
#include <QTemporaryDir>

#include <memory>

namespace duplex::test {

// A window on its own settings file inside `dir`, never the user's.
inline std::unique_ptr<MainWindow> makeWindow(const QTemporaryDir &dir,
                                              bool connectLocalEcho = true)
{
    MainWindow::Options options;
    options.settingsPath = dir.filePath(QStringLiteral("duplex.ini"));
    options.connectLocalEcho = connectLocalEcho;
    return std::make_unique<MainWindow>(options);
}

} // namespace duplex::test
