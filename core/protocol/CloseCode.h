#pragma once

#include <QtGlobal>

namespace duplex {

// Close status codes of RFC 6455 section 7.4 and the IANA registry. Any quint16 can travel in a
// close frame, so code here passes plain quint16 values and names the well-known ones.
namespace CloseCode {
inline constexpr quint16 Normal = 1000;
inline constexpr quint16 GoingAway = 1001;
inline constexpr quint16 ProtocolError = 1002;
inline constexpr quint16 UnsupportedData = 1003;
inline constexpr quint16 NoStatus = 1005; // never on the wire: "the close frame had no code"
inline constexpr quint16 Abnormal = 1006; // never on the wire: "no close frame at all"
inline constexpr quint16 InvalidPayload = 1007;
inline constexpr quint16 PolicyViolation = 1008;
inline constexpr quint16 MessageTooBig = 1009;
inline constexpr quint16 MandatoryExtension = 1010;
inline constexpr quint16 InternalError = 1011;
inline constexpr quint16 ServiceRestart = 1012;
inline constexpr quint16 TryAgainLater = 1013;
inline constexpr quint16 BadGateway = 1014;
inline constexpr quint16 TlsHandshake = 1015; // never on the wire
} // namespace CloseCode

// Whether a code may appear in a close frame. 0-999, 1004-1006, 1015 and 1016-2999 never may;
// 3000-4999 are for libraries and applications; 5000 and above are undefined by the RFC and
// refused unless the caller relaxes `strict`.
constexpr bool isSendableCloseCode(quint16 code, bool strict = true)
{
    if (code < 1000)
        return false;
    if (code <= 1003)
        return true;
    if (code <= 1006)
        return false;
    if (code <= 1014)
        return true;
    if (code < 3000)
        return false;
    if (code < 5000)
        return true;
    return !strict;
}

// "Normal Closure", "Going Away", ... or an empty string for codes without a registered name.
const char *closeCodeName(quint16 code);

} // namespace duplex
