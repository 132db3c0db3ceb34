#include "core/protocol/HttpHead.h"

namespace duplex {
namespace {

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

QByteArrayView trimmed(QByteArrayView text)
{
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t'))
        text = text.sliced(1);
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t'))
        text.chop(1);
    return text;
}

QString printable(QByteArrayView text)
{
    QString out;
    for (const char c : text.first(qMin<qsizetype>(text.size(), 80))) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7F)
            out += QLatin1Char(c);
        else
            out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
    }
    if (text.size() > 80)
        out += QStringLiteral("...");
    return out;
}

} // namespace

bool isHttpTokenChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F)
        return false;
    switch (c) {
    case '(':
    case ')':
    case ',':
    case '/':
    case ':':
    case ';':
    case '<':
    case '=':
    case '>':
    case '?':
    case '@':
    case '[':
    case '\\':
    case ']':
    case '{':
    case '}':
    case '"':
        return false;
    default:
        return true;
    }
}

bool isHttpToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (!isHttpTokenChar(c))
            return false;
    }
    return true;
}

bool HttpHead::has(QByteArrayView name) const
{
    return count(name) > 0;
}

int HttpHead::count(QByteArrayView name) const
{
    int n = 0;
    for (const auto &header : headers)
        n += equalsIgnoringCase(header.name, name) ? 1 : 0;
    return n;
}

QByteArray HttpHead::value(QByteArrayView name) const
{
    QByteArray joined;
    bool first = true;
    for (const auto &header : headers) {
        if (!equalsIgnoringCase(header.name, name))
            continue;
        if (!first)
            joined += ", ";
        joined += header.value;
        first = false;
    }
    return joined;
}

QList<QByteArray> HttpHead::listValues(QByteArrayView name) const
{
    QList<QByteArray> values;
    for (const auto &header : headers) {
        if (!equalsIgnoringCase(header.name, name))
            continue;
        for (const auto &part : header.value.split(',')) {
            const QByteArrayView element = trimmed(part);
            if (!element.isEmpty())
                values.append(element.toByteArray());
        }
    }
    return values;
}

bool HttpHead::hasToken(QByteArrayView name, QByteArrayView token) const
{
    for (const auto &value : listValues(name)) {
        if (equalsIgnoringCase(value, token))
            return true;
    }
    return false;
}

HttpHeadParser::HttpHeadParser(Kind kind, qsizetype maxHeadSize)
    : m_kind(kind)
    , m_maxHeadSize(maxHeadSize)
{ }

HttpHeadParser::Status HttpHeadParser::fail(Status status, QString message)
{
    m_status = status;
    m_error = std::move(message);
    return m_status;
}

HttpHeadParser::Status HttpHeadParser::parse(QByteArrayView buffer)
{
    if (m_status != Status::NeedMore)
        return m_status;
    // The head ends at an empty line: LF followed by LF, or by CR LF (RFC 9112 section 2.2
    // lets a recipient accept a bare LF as a line end).
    const qsizetype limit = qMin(buffer.size(), m_maxHeadSize);
    qsizetype end = -1;
    for (qsizetype i = qMax<qsizetype>(m_scanned, 1); i < limit; ++i) {
        if (buffer[i] != '\n')
            continue;
        if (buffer[i - 1] == '\n') {
            end = i + 1;
            break;
        }
        if (buffer[i - 1] == '\r' && i >= 2 && buffer[i - 2] == '\n') {
            end = i + 1;
            break;
        }
    }
    if (end < 0) {
        m_scanned = limit;
        if (buffer.size() >= m_maxHeadSize) {
            return fail(Status::TooLarge,
                        QStringLiteral("the HTTP head is longer than the limit of %1 bytes")
                            .arg(m_maxHeadSize));
        }
        return m_status;
    }
    m_headSize = end;
    return parseHead(buffer.first(end));
}

HttpHeadParser::Status HttpHeadParser::parseHead(QByteArrayView head)
{
    m_head.raw = head.toByteArray();
    QList<QByteArrayView> lines;
    qsizetype start = 0;
    for (qsizetype i = 0; i < head.size(); ++i) {
        if (head[i] != '\n')
            continue;
        QByteArrayView line = head.sliced(start, i - start);
        if (line.endsWith('\r'))
            line.chop(1);
        lines.append(line);
        start = i + 1;
    }
    // The last entry is the empty line that ends the head.
    if (lines.size() < 2)
        return fail(Status::Malformed, QStringLiteral("the HTTP head is empty"));
    lines.removeLast();

    const QByteArrayView startLine = lines.front();
    const qsizetype firstSpace = startLine.indexOf(' ');
    const qsizetype secondSpace = firstSpace < 0 ? -1 : startLine.indexOf(' ', firstSpace + 1);
    if (m_kind == Kind::Response) {
        if (!startLine.startsWith("HTTP/") || firstSpace < 0) {
            return fail(
                Status::Malformed,
                QStringLiteral("not an HTTP status line: \"%1\"").arg(printable(startLine)));
        }
        m_head.version = startLine.first(firstSpace).toByteArray();
        const QByteArrayView code = secondSpace < 0
            ? startLine.sliced(firstSpace + 1)
            : startLine.sliced(firstSpace + 1, secondSpace - firstSpace - 1);
        bool ok = code.size() == 3;
        for (const char c : code)
            ok = ok && c >= '0' && c <= '9';
        if (!ok) {
            return fail(Status::Malformed,
                        QStringLiteral("the status code in \"%1\" is not three digits")
                            .arg(printable(startLine)));
        }
        m_head.statusCode = code.toInt();
        m_head.reasonPhrase =
            secondSpace < 0 ? QByteArray() : startLine.sliced(secondSpace + 1).toByteArray();
    } else {
        if (firstSpace < 0 || secondSpace < 0) {
            return fail(
                Status::Malformed,
                QStringLiteral("not an HTTP request line: \"%1\"").arg(printable(startLine)));
        }
        m_head.method = startLine.first(firstSpace).toByteArray();
        m_head.target =
            startLine.sliced(firstSpace + 1, secondSpace - firstSpace - 1).toByteArray();
        m_head.version = startLine.sliced(secondSpace + 1).toByteArray();
        if (!isHttpToken(m_head.method) || m_head.target.isEmpty()
            || !m_head.version.startsWith("HTTP/")) {
            return fail(
                Status::Malformed,
                QStringLiteral("not an HTTP request line: \"%1\"").arg(printable(startLine)));
        }
    }

    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArrayView line = lines[i];
        if (line.startsWith(' ') || line.startsWith('\t')) {
            return fail(
                Status::Malformed,
                QStringLiteral("header line %1 is folded onto the previous one (obsolete line "
                               "folding is not allowed)")
                    .arg(i + 1));
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isHttpToken(line.first(colon))) {
            return fail(Status::Malformed,
                        QStringLiteral("header line %1 is not \"Name: value\": \"%2\"")
                            .arg(i + 1)
                            .arg(printable(line)));
        }
        m_head.headers.append(
            { line.first(colon).toByteArray(), trimmed(line.sliced(colon + 1)).toByteArray() });
    }
    m_status = Status::Complete;
    return m_status;
}

} // namespace duplex
