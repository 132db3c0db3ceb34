#include "ui/PayloadCodec.h"

#include "core/session/HexBytes.h"
#include "ui/RecordText.h"

#include <QFile>
#include <QFileInfo>

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

QString describeChar(QChar c)
{
    if (c.isPrint())
        return QStringLiteral("'%1'").arg(c);
    return QStringLiteral("U+%1").arg(c.unicode(), 4, 16, QLatin1Char('0')).toUpper();
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
    HexBytes hex = HexBytes::parse(text);
    if (!hex.ok())
        return failAt(text, hex.errorAt, hex.error);
    PayloadParse result;
    result.bytes = std::move(hex.bytes);
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

namespace {

// A strict RFC 8259 checker that reports the exact character where the text stops being JSON,
// and what was expected there (QJsonDocument reports an offset past the problem, in bytes).
class JsonChecker
{
public:
    explicit JsonChecker(const QString &text)
        : m_text(text)
    { }

    // Empty when the text is one valid JSON value; otherwise the reason, with position().
    QString check()
    {
        skipSpace();
        if (atEnd())
            return fail(QStringLiteral("empty; a JSON message needs a value, e.g. {}."));
        if (!value(0))
            return m_error;
        skipSpace();
        if (!atEnd())
            return fail(
                QStringLiteral("unexpected %1 after the end of the JSON value; wrap several "
                               "values in an array.")
                    .arg(describeChar(peek())));
        return {};
    }

    qsizetype position() const { return m_pos; }

private:
    static constexpr int MaxDepth = 512;

    bool atEnd() const { return m_pos >= m_text.size(); }
    QChar peek() const { return atEnd() ? QChar() : m_text.at(m_pos); }

    void skipSpace()
    {
        while (!atEnd()) {
            const char16_t c = m_text.at(m_pos).unicode();
            if (c != u' ' && c != u'\t' && c != u'\n' && c != u'\r')
                break;
            ++m_pos;
        }
    }

    QString fail(const QString &message)
    {
        m_error = message;
        return m_error;
    }

    bool failed(const QString &message)
    {
        fail(message);
        return false;
    }

    bool expected(const QString &what)
    {
        if (atEnd())
            return failed(QStringLiteral("unexpected end of input; expected %1.").arg(what));
        return failed(QStringLiteral("expected %1, found %2.").arg(what, describeChar(peek())));
    }

    bool value(int depth)
    {
        if (depth > MaxDepth)
            return failed(QStringLiteral("nested more than %1 levels deep.").arg(MaxDepth));
        skipSpace();
        const QChar c = peek();
        if (c == QLatin1Char('{'))
            return object(depth);
        if (c == QLatin1Char('['))
            return array(depth);
        if (c == QLatin1Char('"'))
            return string();
        if (c == QLatin1Char('-') || (c >= QLatin1Char('0') && c <= QLatin1Char('9')))
            return number();
        if (c.isLetter())
            return literal();
        return expected(QStringLiteral("a value"));
    }

    bool object(int depth)
    {
        ++m_pos; // {
        skipSpace();
        if (peek() == QLatin1Char('}')) {
            ++m_pos;
            return true;
        }
        for (;;) {
            skipSpace();
            if (peek() != QLatin1Char('"')) {
                if (peek() == QLatin1Char('}'))
                    return failed(
                        QStringLiteral("a trailing comma before '}' is not allowed in JSON."));
                return expected(QStringLiteral("a key in double quotes"));
            }
            if (!string())
                return false;
            skipSpace();
            if (peek() != QLatin1Char(':'))
                return expected(QStringLiteral("':' after the key"));
            ++m_pos;
            if (!value(depth + 1))
                return false;
            skipSpace();
            if (peek() == QLatin1Char(',')) {
                ++m_pos;
                continue;
            }
            if (peek() == QLatin1Char('}')) {
                ++m_pos;
                return true;
            }
            return expected(QStringLiteral("',' or '}'"));
        }
    }

    bool array(int depth)
    {
        ++m_pos; // [
        skipSpace();
        if (peek() == QLatin1Char(']')) {
            ++m_pos;
            return true;
        }
        for (;;) {
            skipSpace();
            if (peek() == QLatin1Char(']'))
                return failed(
                    QStringLiteral("a trailing comma before ']' is not allowed in JSON."));
            if (!value(depth + 1))
                return false;
            skipSpace();
            if (peek() == QLatin1Char(',')) {
                ++m_pos;
                continue;
            }
            if (peek() == QLatin1Char(']')) {
                ++m_pos;
                return true;
            }
            return expected(QStringLiteral("',' or ']'"));
        }
    }

    bool string()
    {
        const qsizetype start = m_pos++;
        while (!atEnd()) {
            const QChar c = m_text.at(m_pos);
            if (c == QLatin1Char('"')) {
                ++m_pos;
                return true;
            }
            if (c.unicode() < 0x20) {
                return failed(QStringLiteral("%1 cannot appear inside a string; write it as an "
                                             "escape such as \\n.")
                                  .arg(describeChar(c)));
            }
            if (c == QLatin1Char('\\')) {
                ++m_pos;
                const QChar e = peek();
                if (e == QLatin1Char('u')) {
                    for (int i = 1; i <= 4; ++i) {
                        if (m_pos + i >= m_text.size()
                            || HexBytes::digitValue(m_text.at(m_pos + i)) < 0) {
                            m_pos += i;
                            return failed(
                                QStringLiteral("\\u must be followed by four hex digits."));
                        }
                    }
                    m_pos += 5;
                    continue;
                }
                if (!QStringLiteral("\"\\/bfnrt").contains(e) || e.isNull()) {
                    --m_pos;
                    return failed(e.isNull()
                                      ? QStringLiteral("unterminated escape at the end of input.")
                                      : QStringLiteral("\\%1 is not a JSON escape (use \\\" \\\\ "
                                                       "\\/ \\b \\f \\n \\r \\t or \\uXXXX).")
                                            .arg(e));
                }
            }
            ++m_pos;
        }
        m_pos = start;
        return failed(QStringLiteral("the string starting here is never closed with '\"'."));
    }

    bool digits()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && m_text.at(m_pos) >= QLatin1Char('0')
               && m_text.at(m_pos) <= QLatin1Char('9'))
            ++m_pos;
        return m_pos > start;
    }

    bool number()
    {
        if (peek() == QLatin1Char('-'))
            ++m_pos;
        if (peek() == QLatin1Char('0')) {
            ++m_pos;
            if (peek() >= QLatin1Char('0') && peek() <= QLatin1Char('9'))
                return failed(QStringLiteral("numbers cannot have leading zeros."));
        } else if (!digits()) {
            return expected(QStringLiteral("a digit"));
        }
        if (peek() == QLatin1Char('.')) {
            ++m_pos;
            if (!digits())
                return expected(QStringLiteral("a digit after the decimal point"));
        }
        if (peek() == QLatin1Char('e') || peek() == QLatin1Char('E')) {
            ++m_pos;
            if (peek() == QLatin1Char('+') || peek() == QLatin1Char('-'))
                ++m_pos;
            if (!digits())
                return expected(QStringLiteral("a digit in the exponent"));
        }
        return true;
    }

    bool literal()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && m_text.at(m_pos).isLetterOrNumber())
            ++m_pos;
        const QStringView word = QStringView(m_text).mid(start, m_pos - start);
        if (word == u"true" || word == u"false" || word == u"null")
            return true;
        m_pos = start;
        QString hint;
        for (const auto known : { u"true", u"false", u"null" }) {
            if (QStringView(known).startsWith(word.left(2)) && word.size() > 1)
                hint = QStringLiteral("; did you mean %1?").arg(QStringView(known));
        }
        if (word.compare(u"True", Qt::CaseInsensitive) == 0
            || word.compare(u"False", Qt::CaseInsensitive) == 0
            || word.compare(u"Null", Qt::CaseInsensitive) == 0 || word.compare(u"None") == 0) {
            hint = QStringLiteral("; JSON writes true, false and null in lower case");
        }
        return failed(QStringLiteral("\"%1\" is not a JSON value%2%3")
                          .arg(word.left(24), hint,
                               hint.isEmpty() ? QStringLiteral(" (strings need double quotes).")
                                              : QStringLiteral(".")));
    }

    const QString &m_text;
    qsizetype m_pos = 0;
    QString m_error;
};

} // namespace

PayloadParse parseJson(const QString &text)
{
    JsonChecker checker(text);
    if (const QString error = checker.check(); !error.isEmpty())
        return failAt(text, checker.position(), error);
    PayloadParse result;
    result.bytes = text.toUtf8();
    return result;
}

PayloadParse parseText(const QString &text)
{
    PayloadParse result;
    result.bytes = text.toUtf8();
    return result;
}

QString prettyJson(const QString &text)
{
    if (!parseJson(text).ok)
        return {};
    return QString::fromUtf8(RecordText::layoutJson(text.toUtf8(), 2));
}

QString compactJson(const QString &text)
{
    if (!parseJson(text).ok)
        return {};
    return QString::fromUtf8(RecordText::layoutJson(text.toUtf8(), -1));
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

PayloadParse parseFile(const QString &path, qint64 maxSize)
{
    PayloadParse result;
    result.ok = false;
    if (path.trimmed().isEmpty()) {
        result.error = QStringLiteral("Choose a file to send.");
        return result;
    }
    const QFileInfo info(path);
    if (!info.exists()) {
        result.error = QStringLiteral("No file at %1.").arg(path);
        return result;
    }
    if (!info.isFile()) {
        result.error = QStringLiteral("%1 is not a file.").arg(path);
        return result;
    }
    if (info.size() > maxSize) {
        result.error = QStringLiteral("%1 is %2; files of up to %3 can be sent.")
                           .arg(info.fileName(), describeSize(info.size()), describeSize(maxSize));
        return result;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.error = QStringLiteral("Cannot read %1: %2.").arg(path, file.errorString());
        return result;
    }
    result.bytes = file.readAll();
    result.ok = true;
    return result;
}

QString describeSize(qint64 bytes)
{
    if (bytes == 1)
        return QStringLiteral("1 byte");
    if (bytes < 10 * 1024)
        return QStringLiteral("%L1 bytes").arg(bytes);
    if (bytes < 10 * 1024 * 1024)
        return QStringLiteral("%1 KiB").arg(double(bytes) / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 MiB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
}

} // namespace duplex::PayloadCodec
