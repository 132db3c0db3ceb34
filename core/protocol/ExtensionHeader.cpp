#include "core/protocol/ExtensionHeader.h"

#include "core/protocol/HttpHead.h"

namespace duplex {
namespace {

// qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
bool isQdText(uchar c)
{
    return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5B)
        || (c >= 0x5D && c <= 0x7E) || c >= 0x80;
}

// quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
bool isQuotedPairChar(uchar c)
{
    return c == '\t' || c == ' ' || (c >= 0x21 && c <= 0x7E) || c >= 0x80;
}

// A short, printable excerpt of the text starting at an offending offset, for error messages.
QString describeAt(QByteArrayView text, qsizetype at)
{
    if (at >= text.size())
        return QStringLiteral("the end of the value");
    constexpr qsizetype excerptLength = 24;
    const QByteArrayView rest = text.sliced(at);
    QString shown;
    for (const char c : rest.first(std::min(rest.size(), excerptLength))) {
        const auto u = static_cast<uchar>(c);
        if (u >= 0x20 && u < 0x7F && c != '\\')
            shown += QLatin1Char(c);
        else
            shown += QStringLiteral("\\x%1").arg(uint(u), 2, 16, QLatin1Char('0'));
    }
    if (rest.size() > excerptLength)
        shown += QStringLiteral("...");
    return QStringLiteral("\"%1\"").arg(shown);
}

class Parser
{
public:
    explicit Parser(QByteArrayView text)
        : m_text(text)
    { }

    ExtensionList parse()
    {
        ExtensionList list;
        // 1#element, where empty elements are accepted and skipped (RFC 7230 section 7).
        for (;;) {
            skipWhitespace();
            if (atEnd())
                break;
            if (peek() == ',') {
                ++m_pos;
                continue;
            }
            ExtensionElement element;
            if (!readElement(element)) {
                list.error = m_error;
                return list;
            }
            list.elements.append(std::move(element));
            if (atEnd())
                break;
            if (peek() != ',') {
                list.error = expected(QStringLiteral("\",\" or \";\""));
                return list;
            }
            ++m_pos;
        }
        return list;
    }

private:
    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return m_text[m_pos]; }

    void skipWhitespace()
    {
        while (!atEnd() && (peek() == ' ' || peek() == '\t'))
            ++m_pos;
    }

    QString expected(const QString &what) const
    {
        return QStringLiteral("offset %1: expected %2, found %3")
            .arg(m_pos)
            .arg(what, describeAt(m_text, m_pos));
    }

    bool fail(const QString &message)
    {
        m_error = message;
        return false;
    }

    bool readToken(QByteArray &out)
    {
        const qsizetype start = m_pos;
        while (!atEnd() && isHttpTokenChar(peek()))
            ++m_pos;
        if (m_pos == start)
            return false;
        out = m_text.sliced(start, m_pos - start).toByteArray();
        return true;
    }

    // At the opening DQUOTE; reads up to and including the closing one.
    bool readQuotedString(QByteArray &out)
    {
        const qsizetype start = m_pos;
        ++m_pos;
        out.clear();
        while (!atEnd()) {
            const auto c = static_cast<uchar>(peek());
            if (c == '"') {
                ++m_pos;
                return true;
            }
            if (c == '\\') {
                ++m_pos;
                if (atEnd())
                    break;
                const auto escaped = static_cast<uchar>(peek());
                if (!isQuotedPairChar(escaped))
                    return fail(expected(QStringLiteral("a character that may be escaped")));
                out += static_cast<char>(escaped);
                ++m_pos;
                continue;
            }
            if (!isQdText(c))
                return fail(expected(QStringLiteral("a character allowed in a quoted-string")));
            out += static_cast<char>(c);
            ++m_pos;
        }
        return fail(QStringLiteral("offset %1: the quoted-string %2 has no closing quote")
                        .arg(start)
                        .arg(describeAt(m_text, start)));
    }

    bool readElement(ExtensionElement &element)
    {
        if (!readToken(element.name))
            return fail(expected(QStringLiteral("an extension name")));
        skipWhitespace();
        while (!atEnd() && peek() == ';') {
            ++m_pos;
            skipWhitespace();
            ExtensionParameter parameter;
            if (!readToken(parameter.name))
                return fail(expected(QStringLiteral("a parameter name")));
            skipWhitespace();
            if (!atEnd() && peek() == '=') {
                ++m_pos;
                skipWhitespace();
                QByteArray value;
                if (!atEnd() && peek() == '"') {
                    const qsizetype start = m_pos;
                    if (!readQuotedString(value))
                        return false;
                    // RFC 6455 section 9.1: once unescaped, a quoted value must be a token.
                    if (!isHttpToken(value)) {
                        return fail(QStringLiteral("offset %1: the quoted value %2 of parameter "
                                                   "\"%3\" is not a token once unescaped")
                                        .arg(start)
                                        .arg(describeAt(m_text.first(m_pos), start),
                                             QString::fromLatin1(parameter.name)));
                    }
                } else if (!readToken(value)) {
                    return fail(expected(
                        QStringLiteral("a value (a token or a quoted-string) for parameter \"%1\"")
                            .arg(QString::fromLatin1(parameter.name))));
                }
                parameter.value = std::move(value);
                skipWhitespace();
            }
            element.parameters.append(std::move(parameter));
        }
        return true;
    }

    QByteArrayView m_text;
    qsizetype m_pos = 0;
    QString m_error;
};

} // namespace

QByteArray ExtensionElement::toHeaderValue() const
{
    QByteArray text = name;
    for (const ExtensionParameter &parameter : parameters) {
        text += "; ";
        text += parameter.name;
        if (parameter.value) {
            text += '=';
            text += *parameter.value;
        }
    }
    return text;
}

QByteArray ExtensionList::toHeaderValue() const
{
    QByteArray text;
    for (const ExtensionElement &element : elements) {
        if (!text.isEmpty())
            text += ", ";
        text += element.toHeaderValue();
    }
    return text;
}

ExtensionList parseExtensionList(QByteArrayView headerValue)
{
    return Parser(headerValue).parse();
}

ExtensionList parseExtensionList(const QList<QByteArray> &headerValues)
{
    ExtensionList combined;
    for (qsizetype line = 0; line < headerValues.size(); ++line) {
        ExtensionList list = parseExtensionList(headerValues[line]);
        combined.elements.append(std::move(list.elements));
        if (!list.ok()) {
            combined.error = QStringLiteral("header line %1, %2").arg(line + 1).arg(list.error);
            return combined;
        }
    }
    return combined;
}

} // namespace duplex
