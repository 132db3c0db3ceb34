#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace duplex {

// The grammar of Sec-WebSocket-Extensions (RFC 6455 section 9.1, with the token, quoted-string
// and list rules of RFC 7230 section 3.2.6 and 7):
//
//     extension-list  = 1#extension
//     extension       = token *( ";" extension-param )
//     extension-param = token [ "=" ( token / quoted-string ) ]
//
// Optional whitespace (SP, HTAB) may stand around ",", ";" and "=", and empty list elements
// ("a, , b") are skipped as RFC 7230 asks. A quoted value is stored unescaped, and it must
// still be a token once unescaped (RFC 6455 section 9.1), so x="10" reads as x=10. Names and
// values are kept as written: extension and parameter names are compared case-sensitively by
// the extensions that read them.

// One parameter of an extension element: `name` alone or `name=value`.
struct ExtensionParameter
{
    QByteArray name;
    std::optional<QByteArray> value;

    friend bool operator==(const ExtensionParameter &, const ExtensionParameter &) = default;
};

// One extension with its parameters, as offered by a client or accepted by a server.
struct ExtensionElement
{
    QByteArray name;
    QList<ExtensionParameter> parameters;

    // "name; param; param=value": the canonical form, every value written as a token.
    QByteArray toHeaderValue() const;

    friend bool operator==(const ExtensionElement &, const ExtensionElement &) = default;
};

// The result of parsing: the elements in order, or an error naming the offset and the text
// where the value stopped conforming (RFC 6455 says to fail the connection then).
struct ExtensionList
{
    QList<ExtensionElement> elements;
    QString error;

    bool ok() const { return error.isEmpty(); }
    // The elements joined with ", ".
    QByteArray toHeaderValue() const;
};

// Parses one Sec-WebSocket-Extensions header value. An empty or all-blank value is a valid,
// empty list. On error, `elements` holds the elements read whole before the offending text.
ExtensionList parseExtensionList(QByteArrayView headerValue);

// Parses several Sec-WebSocket-Extensions header lines as one list, in order. An error also
// names the line (counted from 1).
ExtensionList parseExtensionList(const QList<QByteArray> &headerValues);

} // namespace duplex
