#include "ui/PayloadCodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>

namespace duplex::PayloadCodec {

namespace {

PayloadParse failAt(const QString &text, qsizetype offset, const QString &reason)
{
    PayloadParse result;
    result.ok = false;
    result.offset = offset;
    lineAndColumn(text, offset, &result.line, &result.column);
    result.error =
        QStringLiteral("Line %1, column %2: %3").arg(result.line).arg(result.column).arg(reason);
    return result;
}

int hexValue(QChar c)
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

bool isHexSeparator(QChar c)
{
    return c.isSpace() || c == QLatin1Char(',') || c == QLatin1Char(':') || c == QLatin1Char('-');
}

QString describeChar(QChar c)
{
    if (c.isPrint())
        return QStringLiteral("'%1'").arg(c);
    return QStringLiteral("U+%1").arg(c.unicode(), 4, 16, QLatin1Char('0')).toUpper();
}

// QJsonParseError::offset counts UTF-8 bytes; the editor counts characters.
qsizetype characterOffsetOfUtf8Offset(const QString &text, qsizetype utf8Offset)
{
    qsizetype bytes = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (bytes >= utf8Offset)
            return i;
        const char16_t u = text.at(i).unicode();
        if (QChar::isHighSurrogate(u) && i + 1 < text.size()) {
            bytes += 4;
            ++i;
        } else {
            bytes += u < 0x80 ? 1 : u < 0x800 ? 2 : 3;
        }
    }
    return text.size();
}

} // namespace

void lineAndColumn(const QString &text, qsizetype offset, int *line, int *column)
{
    int l = 1;
    int c = 1;
    const qsizetype end = qMin(offset, text.size());
    for (qsizetype i = 0; i < end; ++i) {
        if (text.at(i) == QLatin1Char('\n')) {
            ++l;
            c = 1;
        } else {
            ++c;
        }
    }
    *line = l;
    *column = c;
}

PayloadParse parseHex(const QString &text)
{
    PayloadParse result;
    result.bytes.reserve(text.size() / 2);
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        const QChar c = text.at(i);
        if (isHexSeparator(c)) {
            ++i;
            continue;
        }
        if (c == QLatin1Char('0') && i + 1 < n
            && (text.at(i + 1) == QLatin1Char('x') || text.at(i + 1) == QLatin1Char('X'))) {
            i += 2;
            if (i >= n || hexValue(text.at(i)) < 0)
                return failAt(text, i, QStringLiteral("expected hex digits after 0x."));
            continue;
        }
        const int high = hexValue(c);
        if (high < 0) {
            return failAt(text, i,
                          QStringLiteral("%1 is not a hex digit (0-9, a-f).").arg(describeChar(c)));
        }
        if (i + 1 >= n || isHexSeparator(text.at(i + 1))) {
            return failAt(
                text, i,
                QStringLiteral("odd number of hex digits; write one byte as two digits, e.g. 0%1.")
                    .arg(c));
        }
        const int low = hexValue(text.at(i + 1));
        if (low < 0) {
            return failAt(text, i + 1,
                          QStringLiteral("%1 is not a hex digit (0-9, a-f).")
                              .arg(describeChar(text.at(i + 1))));
        }
        result.bytes.append(char((high << 4) | low));
        i += 2;
    }
    return result;
}

PayloadParse parseBase64(const QString &text)
{
    QByteArray compact;
    compact.reserve(text.size());
    bool urlAlphabet = false;
    bool standardAlphabet = false;
    qsizetype padding = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isSpace())
            continue;
        const char16_t u = c.unicode();
        const bool alnum =
            (u >= u'A' && u <= u'Z') || (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9');
        if (u == u'=') {
            ++padding;
            if (padding > 2)
                return failAt(text, i, QStringLiteral("too much '=' padding."));
            compact.append('=');
            continue;
        }
        if (padding > 0)
            return failAt(text, i, QStringLiteral("nothing may follow the '=' padding."));
        if (u == u'-' || u == u'_')
            urlAlphabet = true;
        else if (u == u'+' || u == u'/')
            standardAlphabet = true;
        else if (!alnum)
            return failAt(text, i,
                          QStringLiteral("%1 is not a Base64 character.").arg(describeChar(c)));
        if (urlAlphabet && standardAlphabet) {
            return failAt(text, i,
                          QStringLiteral("mixes the standard (+/) and URL-safe (-_) alphabets."));
        }
        compact.append(char(u));
    }
    const qsizetype dataLength = compact.size() - padding;
    if (dataLength % 4 == 1) {
        return failAt(
            text, text.size(),
            QStringLiteral("the input ends one character into a group of four; a character is "
                           "missing or extra."));
    }
    if (padding > 0 && compact.size() % 4 != 0)
        return failAt(text, text.size(),
                      QStringLiteral("the '=' padding does not complete a group of four."));

    const auto options = (urlAlphabet ? QByteArray::Base64UrlEncoding : QByteArray::Base64Encoding)
        | QByteArray::AbortOnBase64DecodingErrors;
    auto decoded = QByteArray::fromBase64Encoding(compact, options);
    if (!decoded)
        return failAt(text, text.size(), QStringLiteral("not valid Base64."));
    PayloadParse result;
    result.bytes = std::move(*decoded);
    return result;
}

PayloadParse parseJson(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    if (text.trimmed().isEmpty())
        return failAt(text, 0, QStringLiteral("empty; a JSON message needs a value, e.g. {}."));
    QJsonParseError error;
    // Wrapped in an array so that scalars ("42", "\"x\"") are accepted as Qt 6.4 expects a
    // document to be an object or array; offsets are shifted back by the one added byte.
    const QByteArray wrapped = '[' + utf8 + ']';
    const QJsonDocument document = QJsonDocument::fromJson(wrapped, &error);
    if (error.error != QJsonParseError::NoError || document.array().size() != 1) {
        if (error.error == QJsonParseError::NoError) {
            return failAt(text, text.size(),
                          QStringLiteral("more than one JSON value; wrap them in an array."));
        }
        const qsizetype utf8Offset = std::clamp<qsizetype>(error.offset - 1, 0, utf8.size());
        QString reason = error.errorString();
        if (!reason.isEmpty())
            reason[0] = reason[0].toLower();
        if (utf8Offset >= utf8.size())
            reason = QStringLiteral("unexpected end of input (%1).").arg(reason);
        else
            reason += QLatin1Char('.');
        return failAt(text, characterOffsetOfUtf8Offset(text, utf8Offset), reason);
    }
    PayloadParse result;
    result.bytes = utf8;
    return result;
}

PayloadParse parseText(const QString &text)
{
    PayloadParse result;
    result.bytes = text.toUtf8();
    return result;
}

namespace {

// Re-lays out valid JSON without parsing it into QJsonValues, so that key order and the exact
// spelling of numbers and strings stay as the user typed them. indent < 0: one line.
QString relayout(const QString &text, int indent)
{
    QString out;
    out.reserve(text.size() + text.size() / 2);
    int depth = 0;
    const auto newline = [&] {
        if (indent < 0)
            return;
        out.append(QLatin1Char('\n'));
        out.append(QString(depth * indent, QLatin1Char(' ')));
    };
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('"')) {
            const qsizetype start = i++;
            while (i < n && text.at(i) != QLatin1Char('"'))
                i += text.at(i) == QLatin1Char('\\') ? 2 : 1;
            out.append(QStringView(text).mid(start, i - start + 1));
            continue;
        }
        if (c.isSpace())
            continue;
        if (c == QLatin1Char('{') || c == QLatin1Char('[')) {
            // Keep empty containers as {} and [].
            qsizetype next = i + 1;
            while (next < n && text.at(next).isSpace())
                ++next;
            const QChar close = c == QLatin1Char('{') ? QLatin1Char('}') : QLatin1Char(']');
            if (next < n && text.at(next) == close) {
                out.append(c);
                out.append(close);
                i = next;
                continue;
            }
            out.append(c);
            ++depth;
            newline();
        } else if (c == QLatin1Char('}') || c == QLatin1Char(']')) {
            --depth;
            newline();
            out.append(c);
        } else if (c == QLatin1Char(',')) {
            out.append(c);
            newline();
        } else if (c == QLatin1Char(':')) {
            out.append(c);
            if (indent >= 0)
                out.append(QLatin1Char(' '));
        } else {
            out.append(c);
        }
    }
    return out;
}

} // namespace

QString prettyJson(const QString &text)
{
    if (!parseJson(text).ok)
        return {};
    return relayout(text, 2);
}

QString compactJson(const QString &text)
{
    if (!parseJson(text).ok)
        return {};
    return relayout(text, -1);
}

QString toHex(const QByteArray &bytes, int bytesPerLine)
{
    QString out;
    out.reserve(bytes.size() * 3);
    static const char digits[] = "0123456789abcdef";
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        if (i > 0)
            out.append(bytesPerLine > 0 && i % bytesPerLine == 0 ? QLatin1Char('\n')
                                                                 : QLatin1Char(' '));
        const auto b = quint8(bytes.at(i));
        out.append(QLatin1Char(digits[b >> 4]));
        out.append(QLatin1Char(digits[b & 0xF]));
    }
    return out;
}

} // namespace duplex::PayloadCodec
