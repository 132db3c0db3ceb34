#include "core/session/StoreWarning.h"

namespace duplex {

QString StoreWarning::text() const
{
    QString sentence = file.isEmpty() ? message : file + QStringLiteral(": ") + message;
    if (!preservedCopy.isEmpty())
        sentence += QStringLiteral(". The file was kept unchanged as %1").arg(preservedCopy);
    if (!sentence.endsWith(QLatin1Char('.')))
        sentence += QLatin1Char('.');
    return sentence;
}

} // namespace duplex
