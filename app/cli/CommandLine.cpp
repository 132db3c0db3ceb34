#include "app/cli/CommandLine.h"

#include "core/protocol/CloseCode.h"
#include "core/session/HexBytes.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>

#include <cmath>
#include <memory>

namespace duplex::cli {
namespace {

using namespace Qt::Literals::StringLiterals;

// The options in the order --help lists them.
struct OptionTable
{
    QCommandLineOption header {
        { u"H"_s, u"header"_s },
        u"Extra handshake header, e.g. -H \"Authorization: Bearer abc\" (repeatable)."_s,
        u"Name: value"_s
    };
    QCommandLineOption subprotocol { { u"s"_s, u"subprotocol"_s },
                                     u"Offer a subprotocol (repeatable; in order of preference)."_s,
                                     u"NAME"_s };
    QCommandLineOption origin { u"origin"_s, u"Send this Origin header."_s, u"ORIGIN"_s };
    QCommandLineOption deflate { u"deflate"_s,
                                 u"Offer permessage-deflate compression (RFC 7692)."_s };
    QCommandLineOption deflateClientWindow {
        u"deflate-client-max-window-bits"_s,
        u"Compress what we send with a window of at most 2^N bytes, N from 8 to 15, and say so "
        "in the offer (client_max_window_bits=N; default 15: the server may pick any size). "
        "Implies --deflate."_s,
        u"N"_s
    };
    QCommandLineOption deflateServerWindow {
        u"deflate-server-max-window-bits"_s,
        u"Ask the server to compress with a window of at most 2^N bytes, N from 8 to 15 "
        "(server_max_window_bits=N; default 15: asks nothing). Implies --deflate."_s,
        u"N"_s
    };
    QCommandLineOption deflateServerNoContext {
        u"deflate-server-no-context-takeover"_s,
        u"Ask the server to compress each message on its own (server_no_context_takeover). "
        "Implies --deflate."_s
    };
    QCommandLineOption deflateClientNoContext {
        u"deflate-client-no-context-takeover"_s,
        u"Compress each message we send on its own, and say so (client_no_context_takeover). "
        "Implies --deflate."_s
    };
    QCommandLineOption deflateLevel {
        u"deflate-level"_s,
        u"zlib compression level of what we send, from 0 (stored, still marked compressed) to "
        "9 (smallest); default 6. Not saved in profiles. Implies --deflate."_s,
        u"N"_s
    };
    QCommandLineOption noCompress {
        u"no-compress"_s,
        u"Send every message uncompressed (RSV1 clear) even when permessage-deflate was "
        "agreed; what the server compresses is still inflated. Not saved in profiles. "
        "Implies --deflate."_s
    };
    QCommandLineOption send {
        { u"m"_s, u"send"_s },
        u"Send a text message once open (repeatable; all --send* options go out in the order "
        "given, again after every reconnect)."_s,
        u"TEXT"_s
    };
    QCommandLineOption sendBinary {
        u"send-binary"_s, u"Send a binary message given as hex, e.g. 00ff10 (repeatable)."_s,
        u"HEX"_s
    };
    QCommandLineOption sendFile { u"send-file"_s,
                                  u"Send a file's bytes as one binary message (repeatable)."_s,
                                  u"PATH"_s };
    QCommandLineOption count { { u"n"_s, u"count"_s },
                               u"Close (see --close) after receiving N data messages."_s,
                               u"N"_s };
    QCommandLineOption timeout {
        { u"t"_s, u"timeout"_s },
        u"Give up after SECONDS without receiving anything: close and exit 5."_s,
        u"SECONDS"_s
    };
    QCommandLineOption close {
        u"close"_s,
        u"The close to send when done: a code (1000-1003, 1007-1014, 3000-4999) and an "
        "optional reason of up to 123 bytes (default 1000)."_s,
        u"CODE[:REASON]"_s
    };
    QCommandLineOption echo {
        u"echo"_s,
        u"Send every received data message back unchanged (text as text, binary as binary) "
        "and exit when the peer closes: an echo client for conformance servers."_s
    };
    QCommandLineOption frames {
        u"frames"_s,
        u"Print every frame, both directions, and every event, one JSON object a line "
        "(format below)."_s
    };
    QCommandLineOption pingInterval {
        u"ping-interval"_s,
        u"Send a keepalive ping every SECONDS and report each pong's round-trip time. A ping "
        "still unanswered when the next is due means the connection is dead (exit 4, or a "
        "reconnect with --reconnect)."_s,
        u"SECONDS"_s
    };
    QCommandLineOption reconnect {
        u"reconnect"_s,
        u"Reconnect after an abnormal close (a lost connection, a dead keepalive, or the server "
        "closing with 1001, 1011, 1012 or 1013), with exponential backoff and no jitter. Never "
        "after 1000, 1008, a protocol violation or a close of ours."_s
    };
    QCommandLineOption backoffInitial {
        u"backoff-initial"_s, u"Delay before the first reconnect attempt (default 500)."_s, u"MS"_s
    };
    QCommandLineOption backoffMax { u"backoff-max"_s,
                                    u"Longest delay between reconnect attempts (default 30000)."_s,
                                    u"MS"_s };
    QCommandLineOption backoffMultiplier {
        u"backoff-multiplier"_s,
        u"Each delay is the previous one times X, at least 1 (default 2)."_s, u"X"_s
    };
    QCommandLineOption maxRetries {
        u"max-retries"_s,
        u"Give up (exit 4) after N reconnect attempts in a row (default 0: never)."_s, u"N"_s
    };
    QCommandLineOption ca {
        u"ca"_s, u"Also trust the certificate authorities in this PEM file (repeatable)."_s,
        u"FILE"_s
    };
    QCommandLineOption cert { u"cert"_s, u"Client certificate (PEM); needs --key."_s, u"FILE"_s };
    QCommandLineOption key { u"key"_s, u"The client certificate's private key (PEM)."_s,
                             u"FILE"_s };
    QCommandLineOption insecure {
        { u"k"_s, u"insecure"_s },
        u"Accept an invalid certificate (unknown authority, wrong host name, expired); the "
        "ignored errors are printed."_s
    };
    QCommandLineOption proxy { u"proxy"_s,
                               u"Connect through http://[user:pass@]host:port (HTTP CONNECT) or "
                               "socks5://[user:pass@]host:port."_s,
                               u"URL"_s };
    QCommandLineOption maxMessageSize {
        u"max-message-size"_s,
        u"Fail the connection with 1009 on a larger incoming message (default 67108864)."_s,
        u"BYTES"_s
    };
    QCommandLineOption connectTimeout {
        u"connect-timeout"_s,
        u"Limit for connecting, and again for the TLS and WebSocket handshakes (default 10)."_s,
        u"SECONDS"_s
    };
    QCommandLineOption profile {
        u"profile"_s,
        u"Use a saved profile, \"name\" or \"folder/name\"; options given here override it."_s,
        u"NAME"_s
    };
    QCommandLineOption environment {
        u"env"_s, u"With --profile: fill the profile's {{variables}} from this environment."_s,
        u"NAME"_s
    };
    QCommandLineOption saveProfile {
        u"save-profile"_s,
        u"Save this command line's URL and connection options as a profile (\"name\" or "
        "\"folder/name\"; -n, -t, --close, --echo, --frames, --deflate-level and "
        "--no-compress are not saved), then exit."_s,
        u"NAME"_s
    };
    QCommandLineOption exportHar {
        u"export-har"_s,
        u"Write the run's handshake and messages as HAR, with _webSocketMessages."_s, u"FILE"_s
    };
    QCommandLineOption help { { u"h"_s, u"help"_s }, u"Show this help and exit."_s };
    QCommandLineOption version { u"version"_s, u"Show the version and exit."_s };

    QList<QCommandLineOption *> all()
    {
        return { &header,
                 &subprotocol,
                 &origin,
                 &deflate,
                 &deflateClientWindow,
                 &deflateServerWindow,
                 &deflateServerNoContext,
                 &deflateClientNoContext,
                 &deflateLevel,
                 &noCompress,
                 &send,
                 &sendBinary,
                 &sendFile,
                 &count,
                 &timeout,
                 &close,
                 &echo,
                 &frames,
                 &pingInterval,
                 &reconnect,
                 &backoffInitial,
                 &backoffMax,
                 &backoffMultiplier,
                 &maxRetries,
                 &ca,
                 &cert,
                 &key,
                 &insecure,
                 &proxy,
                 &maxMessageSize,
                 &connectTimeout,
                 &profile,
                 &environment,
                 &saveProfile,
                 &exportHar,
                 &help,
                 &version };
    }
};

void setUp(QCommandLineParser &parser, OptionTable &table)
{
    parser.setApplicationDescription(
        u"\nConnects to a WebSocket server (ws:// or wss://), sends what it is told to, and\n"
        "prints what comes back: each text message as one line, each binary message as one\n"
        "line of hex. Diagnostics go to stderr."_s);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsCompactedShortOptions);
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    for (QCommandLineOption *option : table.all())
        parser.addOption(*option);
    parser.addPositionalArgument(
        u"URL"_s,
        u"ws://host[:port]/path?query or wss://... (the path and query are sent as written)."_s);
}

QString quoted(const QString &text)
{
    return u"\""_s + text + u"\""_s;
}

// The name --help shows for an option: "-n/--count" or "--echo".
QString flagName(const QCommandLineOption &option)
{
    QStringList names;
    for (const QString &name : option.names())
        names.append((name.size() == 1 ? u"-"_s : u"--"_s) + name);
    return names.join(u'/');
}

// Reads every option's value, stopping at the first problem.
class Reader
{
public:
    explicit Reader(const QCommandLineParser &parser)
        : m_parser(parser)
    { }

    bool ok() const { return m_error.isEmpty(); }
    const QString &error() const { return m_error; }

    void fail(const QCommandLineOption &option, const QString &message)
    {
        if (m_error.isEmpty())
            m_error = flagName(option) + u": "_s + message;
    }

    bool isSet(const QCommandLineOption &option) const { return m_parser.isSet(option); }
    QString value(const QCommandLineOption &option) const { return m_parser.value(option); }
    QStringList values(const QCommandLineOption &option) const { return m_parser.values(option); }

    // A whole number within [minimum, maximum].
    std::optional<qint64> integer(const QCommandLineOption &option, qint64 minimum, qint64 maximum,
                                  const QString &what)
    {
        const QString text = value(option);
        bool ok = false;
        const qint64 number = text.trimmed().toLongLong(&ok);
        if (!ok || number < minimum || number > maximum) {
            fail(option, quoted(text) + u" is not "_s + what);
            return std::nullopt;
        }
        return number;
    }

    // Seconds, fractions allowed, more than 0: returned in milliseconds (at least 1).
    std::optional<int> seconds(const QCommandLineOption &option)
    {
        const QString text = value(option);
        bool ok = false;
        const double number = text.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(number) || number <= 0 || number > 2'000'000) {
            fail(option, quoted(text) + u" is not a number of seconds greater than 0 (e.g. 1.5)"_s);
            return std::nullopt;
        }
        return int(qMax<qint64>(1, qRound64(number * 1000)));
    }

    std::optional<QByteArray> readFile(const QCommandLineOption &option, const QString &path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            fail(option, u"cannot read "_s + quoted(path) + u": "_s + file.errorString());
            return std::nullopt;
        }
        return file.readAll();
    }

    bool readable(const QCommandLineOption &option, const QString &path)
    {
        const QFileInfo info(path);
        if (!info.exists()) {
            fail(option, u"cannot read "_s + quoted(path) + u": no such file"_s);
            return false;
        }
        if (!info.isFile() || !info.isReadable()) {
            fail(option, u"cannot read "_s + quoted(path) + u": not a readable file"_s);
            return false;
        }
        return true;
    }

private:
    const QCommandLineParser &m_parser;
    QString m_error;
};

std::optional<HttpHeader> parseHeader(Reader &reader, const QCommandLineOption &option,
                                      const QString &text)
{
    const qsizetype colon = text.indexOf(u':');
    if (colon < 0) {
        reader.fail(option, quoted(text) + u" is not \"Name: value\""_s);
        return std::nullopt;
    }
    const QString name = text.left(colon).trimmed();
    if (name.isEmpty()) {
        reader.fail(option, quoted(text) + u" has no header name before the colon"_s);
        return std::nullopt;
    }
    return HttpHeader { name.toUtf8(), text.mid(colon + 1).trimmed().toUtf8() };
}

std::optional<QByteArray> parseHex(Reader &reader, const QCommandLineOption &option,
                                   const QString &text)
{
    HexBytes hex = HexBytes::parse(text);
    if (!hex.ok()) {
        reader.fail(option,
                    quoted(text)
                        + u" is not hex: character %1: %2"_s.arg(hex.errorAt + 1).arg(hex.error));
        return std::nullopt;
    }
    return std::move(hex.bytes);
}

void readClose(Reader &reader, const OptionTable &table, CliOptions &options)
{
    const QString text = reader.value(table.close);
    const qsizetype colon = text.indexOf(u':');
    const QString codeText = colon < 0 ? text : text.left(colon);
    bool ok = false;
    const uint code = codeText.trimmed().toUInt(&ok);
    if (!ok || code > 0xFFFF || !isSendableCloseCode(quint16(code))) {
        reader.fail(table.close,
                    quoted(codeText)
                        + u" is not a close code that may be sent (1000-1003, 1007-1014, "
                          "3000-4999)"_s);
        return;
    }
    options.closeCode = quint16(code);
    if (colon >= 0) {
        options.closeReason = text.mid(colon + 1).toUtf8();
        if (options.closeReason.size() > 123) {
            reader.fail(table.close,
                        u"the reason is %1 bytes; a close reason is at most 123 bytes"_s.arg(
                            options.closeReason.size()));
        }
    }
}

void readProxy(Reader &reader, const OptionTable &table, CliOptions &options)
{
    const QString text = reader.value(table.proxy);
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid()) {
        reader.fail(table.proxy,
                    quoted(text) + u" is not a valid URL: "_s
                        + url.errorString().section(u';', 0, 0));
        return;
    }
    QString problem;
    const std::optional<ProxyOptions> proxy = ProxyOptions::fromUrl(url, &problem);
    if (!proxy) {
        reader.fail(table.proxy, problem);
        return;
    }
    options.session.proxy = *proxy;
}

void readBackoff(Reader &reader, const OptionTable &table, CliOptions &options)
{
    BackoffPolicy &policy = options.session.reconnect.backoff;
    policy.jitter = Jitter::None; // delays a script can predict and a test can check
    if (reader.isSet(table.backoffInitial)) {
        if (auto ms =
                reader.integer(table.backoffInitial, 1, 86'400'000, u"a delay of at least 1 ms"_s))
            policy.initialDelayMs = *ms;
    }
    if (reader.isSet(table.backoffMax)) {
        if (auto ms =
                reader.integer(table.backoffMax, 1, 86'400'000, u"a delay of at least 1 ms"_s))
            policy.maxDelayMs = *ms;
    }
    if (reader.isSet(table.backoffMultiplier)) {
        const QString text = reader.value(table.backoffMultiplier);
        bool ok = false;
        const double multiplier = text.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(multiplier) || multiplier < 1.0 || multiplier > 1000.0)
            reader.fail(table.backoffMultiplier,
                        quoted(text) + u" is not a factor of at least 1"_s);
        else
            policy.multiplier = multiplier;
    }
    if (reader.isSet(table.maxRetries)) {
        if (auto n = reader.integer(table.maxRetries, 0, 1'000'000,
                                    u"a number of attempts (0 for no limit)"_s))
            policy.maxAttempts = int(*n);
    }
    if (!reader.ok())
        return;
    if (policy.maxDelayMs < policy.initialDelayMs) {
        reader.fail(table.backoffMax,
                    u"%1 ms is shorter than the initial delay of %2 ms"_s.arg(policy.maxDelayMs)
                        .arg(policy.initialDelayMs));
        return;
    }
    // With --profile, the profile may reconnect: ProfileCommand::load() asks once it is merged.
    if (!options.session.reconnect.enabled && !reader.isSet(table.profile)) {
        for (const QCommandLineOption *option : { &table.backoffInitial, &table.backoffMax,
                                                  &table.backoffMultiplier, &table.maxRetries }) {
            if (reader.isSet(*option)) {
                reader.fail(*option, u"only applies with --reconnect"_s);
                return;
            }
        }
    }
}

// --deflate and its parameters; each parameter implies --deflate.
void readDeflate(Reader &reader, const OptionTable &table, CliOptions &options)
{
    DeflateOptions &deflate = options.session.deflate;
    const QString bits = u"a window size in bits from 8 to 15"_s;
    if (reader.isSet(table.deflateClientWindow)) {
        if (auto n = reader.integer(table.deflateClientWindow, 8, 15, bits))
            deflate.clientMaxWindowBits = int(*n);
    }
    if (reader.isSet(table.deflateServerWindow)) {
        if (auto n = reader.integer(table.deflateServerWindow, 8, 15, bits))
            deflate.serverMaxWindowBits = int(*n);
    }
    deflate.serverNoContextTakeover = reader.isSet(table.deflateServerNoContext);
    deflate.clientNoContextTakeover = reader.isSet(table.deflateClientNoContext);
    if (reader.isSet(table.deflateLevel)) {
        if (auto n = reader.integer(table.deflateLevel, 0, 9,
                                    u"a compression level from 0 (stored) to 9 (smallest)"_s))
            deflate.compressionLevel = int(*n);
    }
    options.compress = !reader.isSet(table.noCompress);
    deflate.enabled = false;
    for (const QCommandLineOption *option :
         { &table.deflate, &table.deflateClientWindow, &table.deflateServerWindow,
           &table.deflateServerNoContext, &table.deflateClientNoContext, &table.deflateLevel,
           &table.noCompress }) {
        deflate.enabled = deflate.enabled || reader.isSet(*option);
    }
}

// -m, --send-binary and --send-file in the order they were given.
void readMessages(Reader &reader, const QCommandLineParser &parser, const OptionTable &table,
                  CliOptions &options)
{
    QHash<QString, const QCommandLineOption *> byName;
    for (const QCommandLineOption *option : { &table.send, &table.sendBinary, &table.sendFile }) {
        for (const QString &name : option->names())
            byName.insert(name, option);
    }
    const QStringList texts = parser.values(table.send);
    const QStringList hexes = parser.values(table.sendBinary);
    const QStringList files = parser.values(table.sendFile);
    qsizetype text = 0, hex = 0, file = 0;
    for (const QString &name : parser.optionNames()) {
        const QCommandLineOption *option = byName.value(name);
        if (option == &table.send && text < texts.size()) {
            options.session.sendAfterOpen.append({ false, texts[text].toUtf8(), options.compress });
            options.messageTemplates.append({ {}, Profile::TemplateKind::Text, texts[text] });
            ++text;
        } else if (option == &table.sendBinary && hex < hexes.size()) {
            if (auto data = parseHex(reader, table.sendBinary, hexes[hex])) {
                options.session.sendAfterOpen.append({ true, *data, options.compress });
                options.messageTemplates.append({ {}, Profile::TemplateKind::Hex, hexes[hex] });
            }
            ++hex;
        } else if (option == &table.sendFile && file < files.size()) {
            if (auto data = reader.readFile(table.sendFile, files[file])) {
                options.session.sendAfterOpen.append({ true, *data, options.compress });
                options.messageTemplates.append(
                    { {}, Profile::TemplateKind::File, QFileInfo(files[file]).absoluteFilePath() });
            }
            ++file;
        }
        if (!reader.ok())
            return;
    }
}

void readOptions(Reader &reader, const QCommandLineParser &parser, OptionTable &table,
                 CliOptions &options)
{
    SessionOptions &session = options.session;
    for (const QString &text : reader.values(table.header)) {
        if (auto header = parseHeader(reader, table.header, text))
            session.headers.append(*header);
    }
    for (const QString &name : reader.values(table.subprotocol))
        session.subprotocols.append(name.toUtf8());
    if (reader.isSet(table.origin))
        session.origin = reader.value(table.origin).toUtf8();
    readDeflate(reader, table, options);
    readMessages(reader, parser, table, options);

    if (reader.isSet(table.count)) {
        if (auto n = reader.integer(table.count, 1, std::numeric_limits<int>::max(),
                                    u"a whole number of at least 1"_s))
            options.count = int(*n);
    }
    if (reader.isSet(table.timeout)) {
        if (auto ms = reader.seconds(table.timeout))
            options.idleTimeoutMs = *ms;
    }
    if (reader.isSet(table.close))
        readClose(reader, table, options);
    options.echo = reader.isSet(table.echo);
    options.frames = reader.isSet(table.frames);

    if (reader.isSet(table.pingInterval)) {
        if (auto ms = reader.seconds(table.pingInterval)) {
            session.keepalive.pingIntervalMs = *ms;
            // A ping still unanswered when the next one is due: the connection is dead.
            session.keepalive.pongTimeoutMs = *ms;
        }
    }
    session.reconnect.enabled = reader.isSet(table.reconnect);
    readBackoff(reader, table, options);

    for (const QString &file : reader.values(table.ca)) {
        if (reader.readable(table.ca, file))
            session.tls.caFiles.append(file);
    }
    if (reader.isSet(table.cert) && reader.readable(table.cert, reader.value(table.cert)))
        session.tls.clientCertificateFile = reader.value(table.cert);
    if (reader.isSet(table.key) && reader.readable(table.key, reader.value(table.key)))
        session.tls.clientKeyFile = reader.value(table.key);
    if (reader.ok() && reader.isSet(table.key) && !reader.isSet(table.cert))
        reader.fail(table.key, u"a client key needs its certificate: add --cert FILE"_s);
    if (reader.ok() && reader.isSet(table.cert) && !reader.isSet(table.key))
        reader.fail(table.cert, u"a client certificate needs its private key: add --key FILE"_s);
    session.tls.allowInvalidCertificates = reader.isSet(table.insecure);

    if (reader.isSet(table.proxy))
        readProxy(reader, table, options);
    if (reader.isSet(table.maxMessageSize)) {
        if (auto bytes = reader.integer(table.maxMessageSize, 1, std::numeric_limits<qint64>::max(),
                                        u"a number of bytes of at least 1"_s))
            session.limits.maxMessageSize = quint64(*bytes);
    }
    if (reader.isSet(table.connectTimeout)) {
        if (auto ms = reader.seconds(table.connectTimeout)) {
            session.timeouts.connectMs = *ms;
            session.timeouts.handshakeMs = *ms;
        }
    }

    options.profile = reader.value(table.profile);
    options.environment = reader.value(table.environment);
    options.saveProfile = reader.value(table.saveProfile);
    options.exportHar = reader.value(table.exportHar);
    if (reader.ok() && reader.isSet(table.exportHar)) {
        const QFileInfo target(options.exportHar);
        if (options.exportHar.trimmed().isEmpty())
            reader.fail(table.exportHar, u"the file name is empty"_s);
        else if (target.isDir())
            reader.fail(table.exportHar, quoted(options.exportHar) + u" is a directory"_s);
        else if (!target.absoluteDir().exists())
            reader.fail(table.exportHar,
                        u"the directory of "_s + quoted(options.exportHar) + u" does not exist"_s);
    }
    if (reader.ok() && reader.isSet(table.environment) && !reader.isSet(table.profile))
        reader.fail(table.environment,
                    u"an environment applies to a profile: add --profile NAME"_s);
    if (reader.ok() && reader.isSet(table.profile) && options.profile.trimmed().isEmpty())
        reader.fail(table.profile, u"the profile name is empty"_s);
    if (reader.ok() && reader.isSet(table.saveProfile) && options.saveProfile.trimmed().isEmpty())
        reader.fail(table.saveProfile, u"the profile name is empty"_s);

    for (QCommandLineOption *option : table.all()) {
        if (reader.isSet(*option))
            options.given.append(option->names().constLast());
    }
}

// "-H/--header: " when a problem of the assembled options is about a header, and so on.
QString flagFor(const QString &problem, const OptionTable &table)
{
    const struct
    {
        const char *word;
        const QCommandLineOption *option;
    } clues[] = {
        { "header", &table.header },
        { "subprotocol", &table.subprotocol },
        { "Origin", &table.origin },
        { "proxy", &table.proxy },
    };
    for (const auto &clue : clues) {
        if (problem.contains(QLatin1StringView(clue.word), Qt::CaseInsensitive))
            return flagName(*clue.option) + u": "_s;
    }
    return {};
}

} // namespace

QString helpText()
{
    QCommandLineParser parser;
    OptionTable table;
    setUp(parser, table);
    QString text = parser.helpText();
    // Qt's usage line knows one form; duplex-cli has two.
    const qsizetype firstLineEnd = text.indexOf(u'\n');
    text.replace(
        0, firstLineEnd,
        u"Usage: duplex-cli [options] URL\n       duplex-cli --profile NAME [options] [URL]"_s);
    text += uR"(
Output:
  Without --frames, each received text message is one line on stdout (a message holding
  line breaks spans several lines) and each binary message one line of lower-case hex.
  With --frames, stdout has one JSON object per line instead: every frame in both
  directions, e.g.
    {"dir":"in","fin":true,"rsv1":false,"rsv2":false,"rsv3":false,"opcode":1,"masked":false,"length":5,"payload":"Hello"}
    {"dir":"out","fin":true,"rsv1":false,"rsv2":false,"rsv3":false,"opcode":2,"masked":true,"mask":"37fa213d","length":3,"payloadHex":"00ff10"}
  "payload" holds a text frame's UTF-8, "payloadHex" the bytes of any other frame (and of a
  text fragment that cuts a character in two). Payloads are shown unmasked, and inflated for
  compressed frames; "length" is the payload length on the wire, and a compressed frame adds
  "inflatedLength". Events are lines with an "event" field:
    {"event":"connecting","url":"wss://example.com/feed","attempt":0}
    {"event":"open","status":101,"subprotocol":"chat","extensions":"permessage-deflate",...}
    {"event":"pong","rttUs":213,"rttMs":0.213}
    {"event":"close","code":1000,"reason":"","clean":true,"origin":"local"}
    {"event":"reconnect","attempt":2,"delayMs":800}
    {"event":"error","error":"tls","message":"..."}, "redirect", "tls", "warning", "note"

Exit status:
  0  closed normally: the closing handshake completed (whatever its code)
  1  usage error: a bad option, value, file or URL; nothing was sent
  2  could not connect: host lookup, TCP, proxy or TLS failed, or the handshake was refused
     or not answered within --connect-timeout
  3  the peer violated the protocol; the connection was failed with 1002, 1007 or 1009
  4  connection lost or closed abnormally: no closing handshake, no pong in time, or
     --reconnect gave up after --max-retries attempts
  5  timeout: nothing received for --timeout seconds

Examples:
  Send a message and print the reply:
    duplex-cli -m 'hello' -n 1 wss://echo.example.com/
  Log every frame and event of a session as JSON lines while it runs:
    duplex-cli --frames --ping-interval 15 wss://stream.example.com/ticker > session.jsonl
  Subscribe, and again after every reconnect; stop after 100 updates:
    duplex-cli --reconnect --backoff-initial 250 --max-retries 10 \
      -m '{"op":"subscribe","channel":"trades"}' -n 100 wss://stream.example.com/ws
  Send a binary file and a hex message through a SOCKS5 proxy:
    duplex-cli --proxy socks5://user:secret@127.0.0.1:1080 --send-file frame.bin \
      --send-binary 00ff10 -n 2 ws://10.0.0.7:9000/ingest
  Trust a private CA and present a client certificate:
    duplex-cli --ca ca.pem --cert me.pem --key me.key -m ping -n 1 wss://internal.test/
  Offer compression with a 1 KiB server window, each message compressed on its own both
  ways; --frames shows each frame's size on the wire and, inflated, "inflatedLength":
    duplex-cli --frames --deflate-server-max-window-bits 10 \
      --deflate-server-no-context-takeover --deflate-client-no-context-takeover \
      -m '{"op":"snapshot"}' -n 1 wss://stream.example.com/ws
  Echo client for a conformance server:
    duplex-cli --echo ws://127.0.0.1:9001/runCase?case=1.1.1
)"_s;
    return text;
}

ParsedCommandLine parseCommandLine(const QStringList &arguments)
{
    ParsedCommandLine result;
    QCommandLineParser parser;
    OptionTable table;
    setUp(parser, table);

    if (!parser.parse(arguments)) {
        QString error = parser.errorText();
        if (error.endsWith(u'.'))
            error.chop(1);
        if (!error.isEmpty())
            error[0] = error[0].toLower();
        result.error = error + u" (see duplex-cli --help)"_s;
        return result;
    }
    if (parser.isSet(table.help)) {
        result.action = ParsedCommandLine::Action::Print;
        result.text = helpText();
        return result;
    }
    if (parser.isSet(table.version)) {
        result.action = ParsedCommandLine::Action::Print;
        result.text = u"duplex-cli %1\n"_s.arg(QCoreApplication::applicationVersion());
        return result;
    }

    CliOptions &options = result.options;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        result.error =
            u"expected one URL, got %1: %2"_s.arg(positional.size()).arg(positional.join(u' '));
        return result;
    }
    if (positional.isEmpty() && !parser.isSet(table.profile)) {
        result.error =
            u"a URL is required, e.g. wss://example.com/socket (see duplex-cli --help)"_s;
        return result;
    }
    // With a profile the URL may hold {{variables}}: it is checked once they are filled.
    const bool profileUrl = parser.isSet(table.profile) || parser.isSet(table.saveProfile);
    if (!positional.isEmpty() && profileUrl) {
        options.url = positional.constFirst();
    } else if (!positional.isEmpty()) {
        options.url = positional.constFirst();
        const QUrl url(options.url, QUrl::StrictMode);
        if (!url.isValid() && !url.scheme().isEmpty()) {
            // QUrl's own message goes on about its parse state after the first sentence.
            result.error = u"%1 is not a valid URL: %2"_s.arg(
                quoted(options.url), url.errorString().section(u';', 0, 0));
            return result;
        }
        const QString problem = options.session.setUrl(options.url);
        if (!problem.isEmpty()) {
            result.error = problem;
            return result;
        }
    }

    Reader reader(parser);
    readOptions(reader, parser, table, options);
    if (!reader.ok()) {
        result.error = reader.error();
        return result;
    }
    if (!profileUrl) {
        const QString problem = options.session.validate();
        if (!problem.isEmpty()) {
            result.error = flagFor(problem, table) + problem;
            return result;
        }
    }
    result.action = ParsedCommandLine::Action::Run;
    return result;
}

} // namespace duplex::cli
