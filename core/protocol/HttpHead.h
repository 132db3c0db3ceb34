#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace duplex {

struct HttpHeader
{
    QByteArray name;
    QByteArray value;
    friend bool operator==(const HttpHeader &, const HttpHeader &) = default;
};

// The head of an HTTP/1.1 request or response: start line and header fields, with the exact
// bytes they came in. Header names compare case-insensitively.
struct HttpHead
{
    // Request line
    QByteArray method;
    QByteArray target;
    // Status line
    int statusCode = 0;
    QByteArray reasonPhrase;
    // Both
    QByteArray version; // "HTTP/1.1"
    QList<HttpHeader> headers;
    QByteArray raw; // exactly as it crossed the wire, the blank line included

    bool has(QByteArrayView name) const;
    // The field's value; several fields of one name joined with ", " as RFC 9110 allows for lists.
    QByteArray value(QByteArrayView name) const;
    // The trimmed, comma-separated elements of every field with this name.
    QList<QByteArray> listValues(QByteArrayView name) const;
    // Whether listValues(name) holds `token`, compared case-insensitively.
    bool hasToken(QByteArrayView name, QByteArrayView token) const;
    int count(QByteArrayView name) const;
};

// Finds and parses an HTTP head at the start of a growing buffer. Feed it the whole buffer each
// time more bytes arrive; it remembers how far it has looked, so trickled input costs linear
// time. Bytes after the head (a body, or WebSocket frames) are left alone.
class HttpHeadParser
{
public:
    enum class Kind : quint8 { Request, Response };
    enum class Status : quint8 { NeedMore, Complete, Malformed, TooLarge };

    HttpHeadParser(Kind kind, qsizetype maxHeadSize);

    Status parse(QByteArrayView buffer);

    Status status() const { return m_status; }
    qsizetype headSize() const { return m_headSize; } // Complete: bytes the head took
    const HttpHead &head() const { return m_head; }
    HttpHead takeHead() { return std::move(m_head); }
    const QString &error() const { return m_error; } // Malformed / TooLarge: what was wrong

private:
    Status fail(Status status, QString message);
    Status parseHead(QByteArrayView head);

    Kind m_kind;
    qsizetype m_maxHeadSize;
    qsizetype m_scanned = 0;
    qsizetype m_headSize = 0;
    Status m_status = Status::NeedMore;
    HttpHead m_head;
    QString m_error;
};

// RFC 9110 token characters (header names, methods, extension names, subprotocols).
bool isHttpTokenChar(char c);
bool isHttpToken(QByteArrayView text);

} // namespace duplex
