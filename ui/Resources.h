#pragma once

#include <QString>

namespace duplex {

// The icons and default profiles compiled into duplex_ui (resources/duplex.qrc). A static
// library's resources are only registered when something asks for them: every user of a
// ":/..." path calls ensureLoaded() first.
class Resources
{
public:
    static void ensureLoaded();
    // The bytes of a resource file, e.g. "profiles/local-echo.json"; empty when missing.
    static QByteArray read(const QString &path);
};

} // namespace duplex
