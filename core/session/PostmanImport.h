#pragma once

#include "core/session/Environment.h"
#include "core/session/Profile.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

#include <optional>

namespace duplex {

class ProfileStore;

// Reads what maps from Postman files into profiles and environments.
//
// A Postman Collection (format v2.1 or v2.0) has no request type for WebSocket: Postman keeps
// its WebSocket requests out of exported collections altogether. What can be taken is a request
// whose URL is ws:// or wss:// (or whose URL protocol says so), or a GET that carries an
// "Upgrade: websocket" header (its http(s):// URL becomes ws(s)://). From each:
//   URL (collection variables such as {{host}} stay placeholders), headers (Authorization,
//   Cookie and Proxy-Authorization become secret; Sec-WebSocket-Protocol becomes the
//   subprotocols, Origin the origin, a permessage-deflate offer turns deflate on; handshake
//   headers Duplex writes itself are dropped), bearer, API-key-in-header and plain basic
//   authentication (also inherited from folders and the collection), the raw body and the raw
//   bodies of saved examples as message templates. Folders become the profile's folder, under
//   the collection's name. Collection variables become an environment named after the
//   collection. Everything else (other requests, scripts, form bodies, other authentication) is
//   listed in `skipped` with the reason.
//
// A Postman environment or globals export becomes an environment (variables of type "secret"
// become secret; disabled variables are left out and listed).
class PostmanImport
{
public:
    struct Result
    {
        QList<Profile> profiles;
        QList<Environment> environments;
        QStringList imported; // one line per request or environment taken
        QStringList skipped; // one line per thing left out, saying why
    };

    // Nothing, and why, when the data is not a Postman collection (v2.x) or environment.
    static std::optional<Result> parse(const QByteArray &json, QString *errorMessage = nullptr);

    // parse() then ProfileStore::merge(); `report` lists what was imported, renamed and skipped.
    // Fails when nothing at all could be imported.
    static bool importInto(ProfileStore &store, const QByteArray &json,
                           QStringList *report = nullptr, QString *errorMessage = nullptr);
};

} // namespace duplex
