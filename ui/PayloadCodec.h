#pragma once

#include <QByteArray>
#include <QString>

namespace duplex {

// Turns what a user typed in the composer into the bytes of a message, or says precisely why
// it cannot: the position (offset, line and column, all counted in characters from 1 for line
// and column) and the reason.
struct PayloadParse
{
    bool ok = true;
    QByteArray bytes; // ok: the message payload
    QString error; // !ok: the reason, in a sentence that names the position
    qsizetype offset = -1; // !ok: character offset of the problem in the input, if known
    int line = 0;
    int column = 0;
};

namespace PayloadCodec {

// Hex digits in pairs; white space, commas, colons and 0x prefixes between bytes are allowed.
PayloadParse parseHex(const QString &text);
// Standard or URL-safe Base64; white space is ignored; padding is optional.
PayloadParse parseBase64(const QString &text);
// A JSON document (object, array or scalar). The bytes are the text as typed, in UTF-8.
PayloadParse parseJson(const QString &text);
// Plain UTF-8 text.
PayloadParse parseText(const QString &text);
// A file's bytes, read now; refused (and why) when it is missing or larger than `maxSize`.
PayloadParse parseFile(const QString &path, qint64 maxSize);

// "1 byte", "1,234 bytes", "12.5 KiB", "3.2 MiB".
QString describeSize(qint64 bytes);

// The JSON text re-indented with 2 spaces, keys in their order and numbers spelt as typed;
// empty when the text is not valid JSON.
QString prettyJson(const QString &text);
// One line, no insignificant white space; empty when the text is not valid JSON.
QString compactJson(const QString &text);

// "1a 2b 3c" with a space between bytes; wraps after `bytesPerLine` bytes when non-zero.
QString toHex(const QByteArray &bytes, int bytesPerLine = 0);

// 1-based line and column of a character offset in text.
void lineAndColumn(const QString &text, qsizetype offset, int *line, int *column);

} // namespace PayloadCodec

} // namespace duplex
