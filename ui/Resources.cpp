#include "ui/Resources.h"

#include <QFile>

// Q_INIT_RESOURCE must be used outside any namespace.
static void registerDuplexResources()
{
    Q_INIT_RESOURCE(duplex);
}

namespace duplex {

void Resources::ensureLoaded()
{
    static const bool loaded = [] {
        registerDuplexResources();
        return true;
    }();
    Q_UNUSED(loaded);
}

QByteArray Resources::read(const QString &path)
{
    ensureLoaded();
    QFile file(QStringLiteral(":/") + path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

} // namespace duplex
