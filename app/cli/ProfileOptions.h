#pragma once

#include "app/cli/CommandLine.h"
#include "core/session/Profile.h"
#include "core/session/SessionOptions.h"

namespace duplex::cli {

// Between saved profiles and duplex-cli's options: --profile runs a profile with the flags given
// on the command line on top, --save-profile stores a command line as a profile. Turning a
// profile into session options is ProfileConnection's, shared with the window.
class ProfileOptions
{
public:
    // Writes what the command line gave explicitly into `profile`: the URL as typed, headers,
    // messages, reconnect, TLS files, proxy... Everything else keeps the profile's value.
    static void applyGivenFlags(const CliOptions &cli, Profile &profile);

    // Applies to the session options of a profile what the command line asks of this run only
    // and a profile cannot hold: --deflate-level and --no-compress.
    static void applyRunFlags(const CliOptions &cli, SessionOptions &session);
};

} // namespace duplex::cli
