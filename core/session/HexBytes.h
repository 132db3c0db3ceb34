#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

namespace duplex {

// Bytes written as hex the ways people write them: pairs of digits, "de ad be ef",
// "de:ad:be:ef", "de-ad", "0xde, 0xad", any case, on several lines. One parser for the
// composer, message templates in profiles and duplex-cli --send-binary, so that what one of
// them accepts the others do too.
struct HexBytes
{
    QByteArray bytes;
    QString error; // what is wrong at errorAt, a sentence ending with '.'
    qsizetype errorAt = -1; // the offending character's index in the text; -1 when valid

    bool ok() const { return errorAt < 0; }

    static HexBytes parse(QStringView text);
    // 0-15 for a hex digit, -1 for anything else.
    static int digitValue(QChar c);
};

} // namespace duplex
