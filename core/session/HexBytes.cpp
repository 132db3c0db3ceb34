#include "core/session/HexBytes.h"

namespace duplex {
namespace {

int hexValueOf(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= u'0' && u <= u'9')
        return u - u'0';
    if (u >= u'a' && u <= u'f')
        return u - u'a' + 10;
    if (u >= u'A' && u <= u'F')
        return u - u'A' + 10;
    return -1;
}

bool isSeparator(QChar c)
{
    return c.isSpace() || c == QLatin1Char(',') || c == QLatin1Char(':') || c == QLatin1Char('-');
}

QString describeChar(QChar c)
{
    if (c.isPrint())
        return QStringLiteral("'%1'").arg(c);
    return QStringLiteral("U+%1").arg(c.unicode(), 4, 16, QLatin1Char('0')).toUpper();
}

HexBytes failAt(qsizetype index, const QString &error)
{
    HexBytes result;
    result.error = error;
    result.errorAt = index;
    return result;
}

} // namespace

int HexBytes::digitValue(QChar c)
{
    return hexValueOf(c);
}

HexBytes HexBytes::parse(QStringView text)
{
    HexBytes result;
    result.bytes.reserve(text.size() / 2);
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        const QChar c = text.at(i);
        if (isSeparator(c)) {
            ++i;
            continue;
        }
        if (c == QLatin1Char('0') && i + 1 < n
            && (text.at(i + 1) == QLatin1Char('x') || text.at(i + 1) == QLatin1Char('X'))) {
            i += 2;
            if (i >= n || hexValueOf(text.at(i)) < 0)
                return failAt(i, QStringLiteral("expected hex digits after 0x."));
            continue;
        }
        const int high = hexValueOf(c);
        if (high < 0)
            return failAt(i,
                          QStringLiteral("%1 is not a hex digit (0-9, a-f).").arg(describeChar(c)));
        if (i + 1 >= n || isSeparator(text.at(i + 1))) {
            return failAt(
                i,
                QStringLiteral("odd number of hex digits; write one byte as two digits, e.g. 0%1.")
                    .arg(c));
        }
        const int low = hexValueOf(text.at(i + 1));
        if (low < 0) {
            return failAt(i + 1,
                          QStringLiteral("%1 is not a hex digit (0-9, a-f).")
                              .arg(describeChar(text.at(i + 1))));
        }
        result.bytes.append(char((high << 4) | low));
        i += 2;
    }
    return result;
}

} // namespace duplex
