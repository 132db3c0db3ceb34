#include "core/protocol/ExtensionHeader.h"
#include "core/protocol/PerMessageDeflate.h"

#include <QRandomGenerator>
#include <QTest>

#include <limits>
#include <zlib.h>

using namespace duplex;

using InflateResult = PerMessageDeflate::InflateResult;
using Message = QList<QByteArray>; // the payloads of one message's frames, in order

namespace {

constexpr qint64 NoLimit = std::numeric_limits<qint64>::max();

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text));
}

const QByteArray Hello = QByteArrayLiteral("Hello");

// Inflates one message fed as the given chunks, then ends it.
InflateResult inflateMessage(PerMessageDeflate &deflate, const Message &chunks, QByteArray &out,
                             qint64 limit = NoLimit)
{
    for (const QByteArray &chunk : chunks) {
        const InflateResult result = deflate.inflate(chunk, out, limit);
        if (result != InflateResult::Ok)
            return result;
    }
    return deflate.finishMessage(out, limit);
}

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QRandomGenerator generator(seed);
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; i += 4) {
        const quint32 word = generator.generate();
        for (qsizetype j = 0; j < 4 && i + j < size; ++j)
            bytes[i + j] = char(word >> (8 * j));
    }
    return bytes;
}

// JSON-like text such as an API streams: repeated keys, varying values.
QByteArray jsonText(qsizetype size, quint32 seed)
{
    static const char *const names[] = { "alice", "bob",   "carol", "dave",
                                         "erin",  "frank", "grace", "heidi" };
    QRandomGenerator generator(seed);
    QByteArray text;
    text.reserve(size + 256);
    text += '[';
    while (text.size() < size) {
        text += "{\"id\":" + QByteArray::number(generator.bounded(1000000)) + ",\"user\":\""
            + names[generator.bounded(8)]
            + "\",\"active\":" + (generator.bounded(2) ? "true" : "false")
            + ",\"score\":" + QByteArray::number(generator.generateDouble() * 100, 'f', 3)
            + ",\"tags\":[\"alpha\",\"beta\"],\"note\":\""
            + QByteArray::number(generator.generate(), 36) + "\"},";
    }
    text.truncate(size);
    return text;
}

// Splits data into pieces of pseudo-random sizes from 1 to maxPiece, like frames on the wire.
Message splitRandomly(const QByteArray &data, qsizetype maxPiece, quint32 seed)
{
    QRandomGenerator generator(seed);
    Message pieces;
    for (qsizetype at = 0; at < data.size();) {
        const qsizetype piece = std::min<qsizetype>(
            data.size() - at, 1 + qsizetype(generator.bounded(quint32(maxPiece))));
        pieces.append(data.sliced(at, piece));
        at += piece;
    }
    return pieces;
}

DeflateParameters takeover(bool serverNoContextTakeover, bool clientNoContextTakeover)
{
    DeflateParameters parameters;
    parameters.serverNoContextTakeover = serverNoContextTakeover;
    parameters.clientNoContextTakeover = clientNoContextTakeover;
    return parameters;
}

// A raw deflate stream compressed by zlib directly, for payloads our compressor would not
// write.
QByteArray zlibDeflate(const QByteArray &data, int windowBits, int flush,
                       const QByteArray &dictionary = {})
{
    z_stream stream {};
    if (deflateInit2(&stream, 6, Z_DEFLATED, -windowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    if (!dictionary.isEmpty()) {
        deflateSetDictionary(&stream, reinterpret_cast<const Bytef *>(dictionary.constData()),
                             uInt(dictionary.size()));
    }
    QByteArray out(qsizetype(deflateBound(&stream, uLong(data.size()))) + 64, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    deflate(&stream, flush);
    out.resize(out.size() - qsizetype(stream.avail_out));
    deflateEnd(&stream);
    return out;
}

} // namespace

class TestPerMessageDeflate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void inflatesRfcExamples_data();
    void inflatesRfcExamples();
    void compressesRfcExamples_data();
    void compressesRfcExamples();
    void finalBlockKeepsTheWindow();

    void validatesOptions_data();
    void validatesOptions();
    void writesOffers_data();
    void writesOffers();
    void negotiatesResponses_data();
    void negotiatesResponses();
    void acceptsOffers_data();
    void acceptsOffers();
    void bothSidesAgree_data();
    void bothSidesAgree();

    void directionsFollowRole();
    void clampsParameters();
    void roundTrips_data();
    void roundTrips();
    void eightBitWindowStaysWithin256Bytes();
    void stopsBombAtTheLimit_data();
    void stopsBombAtTheLimit();
    void acceptsMessageExactlyAtTheLimit();
    void reportsCorruptInput_data();
    void reportsCorruptInput();
    void startsAfreshAfterAnError();
    void moveKeepsTheContext();
};

// ---- RFC 7692 section 7.2.3 -----------------------------------------------------------------

void TestPerMessageDeflate::inflatesRfcExamples_data()
{
    QTest::addColumn<QList<Message>>("messages");
    QTest::addColumn<QList<QByteArray>>("expected");
    QTest::addColumn<bool>("peerNoContextTakeover");

    const QByteArray helloBlock = hex("f248cdc9c90700");
    QTest::newRow("7.2.3.1 one compressed block")
        << QList<Message> { { helloBlock } } << QList { Hello } << false;
    QTest::newRow("7.2.3.1 two fragments")
        << QList<Message> { { hex("f248cd"), hex("c9c90700") } } << QList { Hello } << false;
    QTest::newRow("7.2.3.2 context takeover")
        << QList<Message> { { helloBlock }, { hex("f200110000") } } << QList { Hello, Hello }
        << false;
    QTest::newRow("7.2.3.2 no context takeover")
        << QList<Message> { { helloBlock }, { helloBlock } } << QList { Hello, Hello } << true;
    QTest::newRow("7.2.3.3 uncompressed block")
        << QList<Message> { { hex("000500faff48656c6c6f00") } } << QList { Hello } << false;
    QTest::newRow("7.2.3.4 BFINAL set")
        << QList<Message> { { hex("f348cdc9c9070000") } } << QList { Hello } << false;
    QTest::newRow("7.2.3.5 two blocks") << QList<Message> { { hex("f248050000"
                                                                  "00ffff"
                                                                  "cac9c90700") } }
                                        << QList { Hello } << false;
    QTest::newRow("7.2.3.6 empty message")
        << QList<Message> { { hex("00") } } << QList { QByteArray() } << false;
    QTest::newRow("empty payload (lenient)") << QList<Message> { { QByteArray() }, { helloBlock } }
                                             << QList { QByteArray(), Hello } << false;
    QTest::newRow("BFINAL without the trailing byte (lenient)")
        << QList<Message> { { hex("f348cdc9c90700") }, { helloBlock } } << QList { Hello, Hello }
        << true;
    QTest::newRow("stored, BFINAL and compressed messages in a row") << QList<Message> {
        { hex("000500faff48656c6c6f00") }, { hex("f348cdc9c9070000") }, { hex("f200110000") }
    } << QList { Hello, Hello, Hello } << false;
}

void TestPerMessageDeflate::inflatesRfcExamples()
{
    QFETCH(QList<Message>, messages);
    QFETCH(QList<QByteArray>, expected);
    QFETCH(bool, peerNoContextTakeover);

    // The client inflates with the server_* parameters, the server with the client_* ones.
    for (const Role role : { Role::Client, Role::Server }) {
        const DeflateParameters parameters = role == Role::Client
            ? takeover(peerNoContextTakeover, false)
            : takeover(false, peerNoContextTakeover);

        // As given, frame by frame.
        {
            PerMessageDeflate deflate(role, parameters);
            for (qsizetype i = 0; i < messages.size(); ++i) {
                QByteArray out;
                QCOMPARE(inflateMessage(deflate, messages[i], out), InflateResult::Ok);
                QCOMPARE(out, expected[i]);
            }
        }
        // Each message's payload whole, split in two at every byte position, and byte by byte.
        for (qsizetype target = 0; target < messages.size(); ++target) {
            const QByteArray payload = messages[target].join();
            QList<Message> ways { { payload } };
            for (qsizetype at = 0; at <= payload.size(); ++at)
                ways.append(Message { payload.first(at), payload.sliced(at) });
            Message bytes;
            for (const char c : payload)
                bytes.append(QByteArray(1, c));
            ways.append(bytes);

            for (const Message &way : ways) {
                PerMessageDeflate deflate(role, parameters);
                for (qsizetype i = 0; i < messages.size(); ++i) {
                    QByteArray out;
                    const Message chunks = i == target ? way : messages[i];
                    QCOMPARE(inflateMessage(deflate, chunks, out), InflateResult::Ok);
                    QCOMPARE(out, expected[i]);
                }
            }
        }
    }
}

void TestPerMessageDeflate::compressesRfcExamples_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<bool>("noContextTakeover");
    QTest::addColumn<QList<QByteArray>>("messages");
    QTest::addColumn<QList<QByteArray>>("expected");

    for (const Role role : { Role::Client, Role::Server }) {
        const char *side = role == Role::Client ? "client" : "server";
        QTest::addRow("%s: Hello", side)
            << role << false << QList { Hello } << QList { hex("f248cdc9c90700") };
        QTest::addRow("%s: Hello twice, context takeover", side)
            << role << false << QList { Hello, Hello }
            << QList { hex("f248cdc9c90700"), hex("f200110000") };
        QTest::addRow("%s: Hello twice, no context takeover", side)
            << role << true << QList { Hello, Hello }
            << QList { hex("f248cdc9c90700"), hex("f248cdc9c90700") };
        QTest::addRow("%s: empty message", side)
            << role << false << QList { QByteArray() } << QList { hex("00") };
        QTest::addRow("%s: empty between two Hellos", side)
            << role << false << QList { Hello, QByteArray(), Hello }
            << QList { hex("f248cdc9c90700"), hex("00"), hex("f200110000") };
    }
}

void TestPerMessageDeflate::compressesRfcExamples()
{
    QFETCH(Role, role);
    QFETCH(bool, noContextTakeover);
    QFETCH(QList<QByteArray>, messages);
    QFETCH(QList<QByteArray>, expected);

    // The client compresses with the client_* parameters, the server with the server_* ones.
    const DeflateParameters parameters = role == Role::Client ? takeover(false, noContextTakeover)
                                                              : takeover(noContextTakeover, false);
    PerMessageDeflate deflate(role, parameters);
    PerMessageDeflate peer(role == Role::Client ? Role::Server : Role::Client, parameters);
    for (qsizetype i = 0; i < messages.size(); ++i) {
        QByteArray out = QByteArrayLiteral("head");
        deflate.compressMessage(messages[i], out);
        QCOMPARE(out, QByteArrayLiteral("head") + expected[i]);

        QByteArray inflated;
        QCOMPARE(inflateMessage(peer, { expected[i] }, inflated), InflateResult::Ok);
        QCOMPARE(inflated, messages[i]);
    }
}

void TestPerMessageDeflate::finalBlockKeepsTheWindow()
{
    // A peer that ends each message with a final block and takes its context over starts a
    // new deflate stream primed with what it sent before; the inflater must keep that window.
    const QByteArray first = zlibDeflate(Hello, 15, Z_FINISH);
    QCOMPARE(first, hex("f348cdc9c90700"));
    QByteArray second = zlibDeflate(Hello, 15, Z_SYNC_FLUSH, Hello);
    QVERIFY(second.endsWith(hex("0000ffff")));
    second.chop(4);
    QVERIFY2(second.size() < first.size(), "the second message refers back to the first");

    for (const QByteArray &firstPayload : { first + hex("00"), first }) {
        PerMessageDeflate deflate(Role::Client, DeflateParameters {});
        QByteArray out;
        QCOMPARE(inflateMessage(deflate, { firstPayload }, out), InflateResult::Ok);
        QCOMPARE(out, Hello);
        out.clear();
        QCOMPARE(inflateMessage(deflate, { second }, out), InflateResult::Ok);
        QCOMPARE(out, Hello);
    }
}

// ---- Negotiation ----------------------------------------------------------------------------

void TestPerMessageDeflate::validatesOptions_data()
{
    QTest::addColumn<DeflateOptions>("options");
    QTest::addColumn<QString>("mention"); // empty: valid

    const DeflateOptions defaults;
    const auto with = [&](auto change) {
        DeflateOptions options = defaults;
        change(options);
        return options;
    };
    QTest::newRow("defaults") << defaults << QString();
    QTest::newRow("windows 8") << with([](DeflateOptions &o) {
        o.clientMaxWindowBits = 8;
        o.serverMaxWindowBits = 8;
    }) << QString();
    QTest::newRow("level -1") << with([](DeflateOptions &o) { o.compressionLevel = -1; })
                              << QString();
    QTest::newRow("level 0") << with([](DeflateOptions &o) { o.compressionLevel = 0; })
                             << QString();
    QTest::newRow("level 9") << with([](DeflateOptions &o) { o.compressionLevel = 9; })
                             << QString();
    QTest::newRow("client window 7") << with([](DeflateOptions &o) { o.clientMaxWindowBits = 7; })
                                     << QStringLiteral("clientMaxWindowBits is 7");
    QTest::newRow("client window 16") << with([](DeflateOptions &o) { o.clientMaxWindowBits = 16; })
                                      << QStringLiteral("clientMaxWindowBits is 16");
    QTest::newRow("server window 0") << with([](DeflateOptions &o) { o.serverMaxWindowBits = 0; })
                                     << QStringLiteral("serverMaxWindowBits is 0");
    QTest::newRow("level 10") << with([](DeflateOptions &o) { o.compressionLevel = 10; })
                              << QStringLiteral("compressionLevel is 10");
    QTest::newRow("level -2") << with([](DeflateOptions &o) { o.compressionLevel = -2; })
                              << QStringLiteral("compressionLevel is -2");
}

void TestPerMessageDeflate::validatesOptions()
{
    QFETCH(DeflateOptions, options);
    QFETCH(QString, mention);

    const QString error = options.validate();
    if (mention.isEmpty())
        QVERIFY2(error.isEmpty(), qPrintable(error));
    else
        QVERIFY2(error.contains(mention), qPrintable(error));
}

void TestPerMessageDeflate::writesOffers_data()
{
    QTest::addColumn<DeflateOptions>("options");
    QTest::addColumn<QByteArray>("offer");

    DeflateOptions options;
    QTest::newRow("disabled") << options << QByteArray();
    options.enabled = true;
    QTest::newRow("defaults") << options
                              << QByteArray("permessage-deflate; client_max_window_bits");
    DeflateOptions all = options;
    all.serverNoContextTakeover = true;
    all.clientNoContextTakeover = true;
    all.serverMaxWindowBits = 10;
    all.clientMaxWindowBits = 9;
    QTest::newRow("everything") << all
                                << QByteArray(
                                       "permessage-deflate; server_no_context_takeover; "
                                       "client_no_context_takeover; server_max_window_bits=10; "
                                       "client_max_window_bits=9");
    DeflateOptions bare = options;
    bare.offerClientMaxWindowBits = false;
    QTest::newRow("without client_max_window_bits") << bare << QByteArray("permessage-deflate");
    DeflateOptions invalid = options;
    invalid.serverMaxWindowBits = 16;
    QTest::newRow("invalid") << invalid << QByteArray();
}

void TestPerMessageDeflate::writesOffers()
{
    QFETCH(DeflateOptions, options);
    QFETCH(QByteArray, offer);

    QCOMPARE(deflateOfferHeaderValue(options), offer);
    if (!offer.isEmpty()) {
        const ExtensionList parsed = parseExtensionList(offer);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed.elements.size(), 1);
        QCOMPARE(parsed.elements.first().toHeaderValue(), offer);
    }
}

void TestPerMessageDeflate::negotiatesResponses_data()
{
    QTest::addColumn<DeflateOptions>("offered");
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<DeflateParameters>("agreed");
    QTest::addColumn<QString>("mention");

    DeflateOptions offer;
    offer.enabled = true;
    const auto offerWith = [&](auto change) {
        DeflateOptions options = offer;
        change(options);
        return options;
    };
    const auto agreedWith = [](auto change) {
        DeflateParameters parameters;
        change(parameters);
        return parameters;
    };
    const auto accept = [](const char *name, const DeflateOptions &offered, const char *response,
                           const DeflateParameters &agreed) {
        QTest::newRow(name) << offered << QByteArray(response) << true << agreed << QString();
    };
    const auto refuse = [](const char *name, const DeflateOptions &offered, const char *response,
                           const QString &mention) {
        QTest::newRow(name) << offered << QByteArray(response) << false << DeflateParameters {}
                            << mention;
    };

    accept("plain", offer, "permessage-deflate", DeflateParameters {});
    accept("server adds server_no_context_takeover", offer,
           "permessage-deflate; server_no_context_takeover",
           agreedWith([](DeflateParameters &p) { p.serverNoContextTakeover = true; }));
    accept("server asks for client_no_context_takeover", offer,
           "permessage-deflate; client_no_context_takeover",
           agreedWith([](DeflateParameters &p) { p.clientNoContextTakeover = true; }));
    accept("server picks a smaller window of its own", offer,
           "permessage-deflate; server_max_window_bits=10", agreedWith([](DeflateParameters &p) {
               p.serverMaxWindowBits = 10;
               p.announceServerMaxWindowBits = true;
           }));
    accept("server limits our window", offer, "permessage-deflate; client_max_window_bits=9",
           agreedWith([](DeflateParameters &p) { p.clientMaxWindowBits = 9; }));
    accept("server limits our window to 8", offer, "permessage-deflate; client_max_window_bits=8",
           agreedWith([](DeflateParameters &p) { p.clientMaxWindowBits = 8; }));
    accept("quoted value", offer, "permessage-deflate; server_max_window_bits=\"12\"",
           agreedWith([](DeflateParameters &p) {
               p.serverMaxWindowBits = 12;
               p.announceServerMaxWindowBits = true;
           }));
    accept("everything", offer,
           "permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
           "server_max_window_bits=9; client_max_window_bits=11",
           DeflateParameters { true, true, 9, 11, true });

    const DeflateOptions server10 =
        offerWith([](DeflateOptions &o) { o.serverMaxWindowBits = 10; });
    accept("server window as asked", server10, "permessage-deflate; server_max_window_bits=10",
           agreedWith([](DeflateParameters &p) {
               p.serverMaxWindowBits = 10;
               p.announceServerMaxWindowBits = true;
           }));
    accept("server window smaller than asked", server10,
           "permessage-deflate; server_max_window_bits=8", agreedWith([](DeflateParameters &p) {
               p.serverMaxWindowBits = 8;
               p.announceServerMaxWindowBits = true;
           }));
    refuse("server window larger than asked", server10,
           "permessage-deflate; server_max_window_bits=11",
           QStringLiteral("server_max_window_bits=11 is larger than the 10 we allowed"));
    refuse("server window missing", server10, "permessage-deflate",
           QStringLiteral("server_max_window_bits is missing"));

    const DeflateOptions serverReset =
        offerWith([](DeflateOptions &o) { o.serverNoContextTakeover = true; });
    accept("server_no_context_takeover as asked", serverReset,
           "permessage-deflate; server_no_context_takeover",
           agreedWith([](DeflateParameters &p) { p.serverNoContextTakeover = true; }));
    refuse("server_no_context_takeover missing", serverReset, "permessage-deflate",
           QStringLiteral("server_no_context_takeover is missing"));

    accept("our client_no_context_takeover binds us",
           offerWith([](DeflateOptions &o) { o.clientNoContextTakeover = true; }),
           "permessage-deflate",
           agreedWith([](DeflateParameters &p) { p.clientNoContextTakeover = true; }));

    const DeflateOptions client12 =
        offerWith([](DeflateOptions &o) { o.clientMaxWindowBits = 12; });
    accept("our client window binds us", client12, "permessage-deflate",
           agreedWith([](DeflateParameters &p) { p.clientMaxWindowBits = 12; }));
    accept("server lowers our client window", client12,
           "permessage-deflate; client_max_window_bits=10",
           agreedWith([](DeflateParameters &p) { p.clientMaxWindowBits = 10; }));
    refuse("server raises our client window", client12,
           "permessage-deflate; client_max_window_bits=13",
           QStringLiteral("client_max_window_bits=13 is larger than the 12 we offered"));

    const DeflateOptions bare =
        offerWith([](DeflateOptions &o) { o.offerClientMaxWindowBits = false; });
    accept("no client_max_window_bits offered, none answered", bare, "permessage-deflate",
           DeflateParameters {});
    refuse("client_max_window_bits we did not offer", bare,
           "permessage-deflate; client_max_window_bits=10",
           QStringLiteral("our offer did not include it"));

    refuse("unknown parameter", offer, "permessage-deflate; x_max_window_bits=10",
           QStringLiteral("unknown parameter \"x_max_window_bits\""));
    refuse("parameter twice", offer,
           "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
           QStringLiteral("server_no_context_takeover appears more than once"));
    refuse("window parameter twice", offer,
           "permessage-deflate; server_max_window_bits=10; server_max_window_bits=10",
           QStringLiteral("server_max_window_bits appears more than once"));
    refuse("flag with a value", offer, "permessage-deflate; client_no_context_takeover=1",
           QStringLiteral("client_no_context_takeover takes no value"));
    refuse("server window without value", offer, "permessage-deflate; server_max_window_bits",
           QStringLiteral("server_max_window_bits needs a value"));
    refuse("client window without value", offer, "permessage-deflate; client_max_window_bits",
           QStringLiteral("client_max_window_bits needs a value"));
    refuse("window 7", offer, "permessage-deflate; server_max_window_bits=7",
           QStringLiteral("server_max_window_bits=7 is not a number from 8 to 15"));
    refuse("window 16", offer, "permessage-deflate; client_max_window_bits=16",
           QStringLiteral("client_max_window_bits=16 is not a number from 8 to 15"));
    refuse("window with a leading zero", offer, "permessage-deflate; server_max_window_bits=09",
           QStringLiteral("server_max_window_bits=09"));
    refuse("window not a number", offer, "permessage-deflate; server_max_window_bits=ten",
           QStringLiteral("server_max_window_bits=ten"));
    refuse("window negative", offer, "permessage-deflate; server_max_window_bits=-9",
           QStringLiteral("server_max_window_bits=-9"));
    refuse("another extension", offer, "x-webkit-deflate-frame",
           QStringLiteral("named \"x-webkit-deflate-frame\""));
    refuse("name in other case", offer, "PerMessage-Deflate",
           QStringLiteral("named \"PerMessage-Deflate\""));
    refuse("not offered", DeflateOptions {}, "permessage-deflate",
           QStringLiteral("we did not offer permessage-deflate"));
    refuse("our offer invalid", offerWith([](DeflateOptions &o) { o.clientMaxWindowBits = 16; }),
           "permessage-deflate", QStringLiteral("our own offer is invalid"));
}

void TestPerMessageDeflate::negotiatesResponses()
{
    QFETCH(DeflateOptions, offered);
    QFETCH(QByteArray, response);
    QFETCH(bool, accepted);
    QFETCH(DeflateParameters, agreed);
    QFETCH(QString, mention);

    const ExtensionList parsed = parseExtensionList(response);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QCOMPARE(parsed.elements.size(), 1);

    const DeflateNegotiation result = negotiateDeflateResponse(parsed.elements.first(), offered);
    if (accepted) {
        QVERIFY2(result.parameters.has_value(), qPrintable(result.error));
        QVERIFY(result.error.isEmpty());
        QCOMPARE(result.parameters->serverNoContextTakeover, agreed.serverNoContextTakeover);
        QCOMPARE(result.parameters->clientNoContextTakeover, agreed.clientNoContextTakeover);
        QCOMPARE(result.parameters->serverMaxWindowBits, agreed.serverMaxWindowBits);
        QCOMPARE(result.parameters->clientMaxWindowBits, agreed.clientMaxWindowBits);
        QCOMPARE(result.parameters->announceServerMaxWindowBits,
                 agreed.announceServerMaxWindowBits);
    } else {
        QVERIFY(!result.parameters.has_value());
        QVERIFY2(result.error.contains(mention), qPrintable(result.error));
    }
}

void TestPerMessageDeflate::acceptsOffers_data()
{
    QTest::addColumn<QByteArray>("offers");
    QTest::addColumn<DeflateOptions>("policy");
    QTest::addColumn<QByteArray>("response"); // empty: every offer declined
    QTest::addColumn<QStringList>("mentions"); // in the error when declined

    DeflateOptions policy;
    policy.enabled = true;
    const auto policyWith = [&](auto change) {
        DeflateOptions options = policy;
        change(options);
        return options;
    };
    const auto accept = [](const char *name, const char *offers, const DeflateOptions &serverPolicy,
                           const char *response) {
        QTest::newRow(name) << QByteArray(offers) << serverPolicy << QByteArray(response)
                            << QStringList();
    };
    const auto decline = [](const char *name, const char *offers,
                            const DeflateOptions &serverPolicy, QStringList mentions) {
        QTest::newRow(name) << QByteArray(offers) << serverPolicy << QByteArray() << mentions;
    };

    decline("policy disabled", "permessage-deflate", DeflateOptions {}, {});
    decline("nothing offered", "x-webkit-deflate-frame", policy, {});
    decline("policy invalid", "permessage-deflate",
            policyWith([](DeflateOptions &o) { o.serverMaxWindowBits = 20; }),
            { QStringLiteral("policy is invalid"), QStringLiteral("serverMaxWindowBits is 20") });

    accept("plain", "permessage-deflate", policy, "permessage-deflate");
    accept("client_max_window_bits without value", "permessage-deflate; client_max_window_bits",
           policy, "permessage-deflate");
    accept("server_no_context_takeover", "permessage-deflate; server_no_context_takeover", policy,
           "permessage-deflate; server_no_context_takeover");
    accept("client_no_context_takeover", "permessage-deflate; client_no_context_takeover", policy,
           "permessage-deflate; client_no_context_takeover");
    accept("server window asked", "permessage-deflate; server_max_window_bits=10", policy,
           "permessage-deflate; server_max_window_bits=10");
    accept("server window 15 asked is named back", "permessage-deflate; server_max_window_bits=15",
           policy, "permessage-deflate; server_max_window_bits=15");
    accept("server window 8 asked", "permessage-deflate; server_max_window_bits=8", policy,
           "permessage-deflate; server_max_window_bits=8");
    accept("client window declared", "permessage-deflate; client_max_window_bits=10", policy,
           "permessage-deflate; client_max_window_bits=10");
    accept("quoted values", "permessage-deflate; server_max_window_bits=\"11\"", policy,
           "permessage-deflate; server_max_window_bits=11");

    const DeflateOptions server11 =
        policyWith([](DeflateOptions &o) { o.serverMaxWindowBits = 11; });
    accept("our server window announced", "permessage-deflate", server11,
           "permessage-deflate; server_max_window_bits=11");
    accept("our server window below the asked one", "permessage-deflate; server_max_window_bits=13",
           server11, "permessage-deflate; server_max_window_bits=11");
    accept("asked server window below ours", "permessage-deflate; server_max_window_bits=9",
           server11, "permessage-deflate; server_max_window_bits=9");

    const DeflateOptions client10 =
        policyWith([](DeflateOptions &o) { o.clientMaxWindowBits = 10; });
    accept("client window limited", "permessage-deflate; client_max_window_bits", client10,
           "permessage-deflate; client_max_window_bits=10");
    accept("client window lowered", "permessage-deflate; client_max_window_bits=12", client10,
           "permessage-deflate; client_max_window_bits=10");
    accept("client window already lower", "permessage-deflate; client_max_window_bits=9", client10,
           "permessage-deflate; client_max_window_bits=9");
    decline("client window cannot be limited", "permessage-deflate", client10,
            { QStringLiteral("offer 1 declined"), QStringLiteral("lacks client_max_window_bits") });

    accept("we reset our context", "permessage-deflate",
           policyWith([](DeflateOptions &o) { o.serverNoContextTakeover = true; }),
           "permessage-deflate; server_no_context_takeover");
    accept("we require the client to reset", "permessage-deflate",
           policyWith([](DeflateOptions &o) { o.clientNoContextTakeover = true; }),
           "permessage-deflate; client_no_context_takeover");

    accept("first acceptable of several",
           "permessage-deflate; x=1, permessage-deflate; server_max_window_bits=10, "
           "permessage-deflate",
           policy, "permessage-deflate; server_max_window_bits=10");
    accept("RFC 7692 section 7.1.3 fallback offer, first taken",
           "permessage-deflate; client_max_window_bits; server_max_window_bits=10, "
           "permessage-deflate; client_max_window_bits",
           policy, "permessage-deflate; server_max_window_bits=10");
    accept("after other extensions", "x-webkit-deflate-frame, permessage-deflate, mux", policy,
           "permessage-deflate");
    accept("everything",
           "permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
           "server_max_window_bits=12; client_max_window_bits=13",
           client10,
           "permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
           "server_max_window_bits=12; client_max_window_bits=10");

    decline("unknown parameter", "permessage-deflate; foo", policy,
            { QStringLiteral("offer 1 declined"), QStringLiteral("unknown parameter \"foo\"") });
    decline("parameter twice", "permessage-deflate; client_max_window_bits; client_max_window_bits",
            policy, { QStringLiteral("client_max_window_bits appears more than once") });
    decline("flag with value", "permessage-deflate; server_no_context_takeover=true", policy,
            { QStringLiteral("server_no_context_takeover takes no value") });
    decline("server window without value", "permessage-deflate; server_max_window_bits", policy,
            { QStringLiteral("server_max_window_bits needs a value") });
    decline("bad client window", "permessage-deflate; client_max_window_bits=1", policy,
            { QStringLiteral("client_max_window_bits=1 is not a number") });
    decline("every offer bad",
            "permessage-deflate; server_max_window_bits=16, x-other, permessage-deflate; x=1",
            policy,
            { QStringLiteral("offer 1 declined: server_max_window_bits=16"),
              QStringLiteral("offer 2 declined: unknown parameter \"x\"") });
}

void TestPerMessageDeflate::acceptsOffers()
{
    QFETCH(QByteArray, offers);
    QFETCH(DeflateOptions, policy);
    QFETCH(QByteArray, response);
    QFETCH(QStringList, mentions);

    const ExtensionList parsed = parseExtensionList(offers);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    const DeflateNegotiation result = acceptDeflateOffers(parsed.elements, policy);
    if (!response.isEmpty()) {
        QVERIFY2(result.parameters.has_value(), qPrintable(result.error));
        QVERIFY(result.error.isEmpty());
        QCOMPARE(result.parameters->toHeaderValue(), response);
    } else {
        QVERIFY(!result.parameters.has_value());
        if (mentions.isEmpty())
            QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        for (const QString &mention : mentions)
            QVERIFY2(result.error.contains(mention), qPrintable(result.error));
    }
}

void TestPerMessageDeflate::bothSidesAgree_data()
{
    QTest::addColumn<DeflateOptions>("client");
    QTest::addColumn<DeflateOptions>("server");

    QList<DeflateOptions> clients;
    QList<DeflateOptions> servers;
    for (int variant = 0; variant < 6; ++variant) {
        DeflateOptions client;
        client.enabled = true;
        DeflateOptions server = client;
        switch (variant) {
        case 1:
            client.serverNoContextTakeover = client.clientNoContextTakeover = true;
            server.serverMaxWindowBits = 10;
            break;
        case 2:
            client.serverMaxWindowBits = 9;
            client.clientMaxWindowBits = 12;
            server.clientMaxWindowBits = 11;
            break;
        case 3:
            client.serverMaxWindowBits = 8;
            client.clientMaxWindowBits = 8;
            server.serverNoContextTakeover = server.clientNoContextTakeover = true;
            break;
        case 4:
            client.offerClientMaxWindowBits = false;
            server.serverMaxWindowBits = 12;
            break;
        case 5:
            client.serverMaxWindowBits = 15;
            server.clientMaxWindowBits = 8;
            server.serverMaxWindowBits = 8;
            break;
        default:
            break;
        }
        clients.append(client);
        servers.append(server);
    }
    for (qsizetype c = 0; c < clients.size(); ++c) {
        for (qsizetype s = 0; s < servers.size(); ++s)
            QTest::addRow("client %lld, server %lld", qlonglong(c), qlonglong(s))
                << clients[c] << servers[s];
    }
}

void TestPerMessageDeflate::bothSidesAgree()
{
    QFETCH(DeflateOptions, client);
    QFETCH(DeflateOptions, server);

    const ExtensionList offers = parseExtensionList(deflateOfferHeaderValue(client));
    QVERIFY(offers.ok());
    const DeflateNegotiation accepted = acceptDeflateOffers(offers.elements, server);
    if (!accepted.parameters) {
        // Only a server that must limit the client's window declines, and only an offer that
        // cannot be limited.
        QVERIFY(server.clientMaxWindowBits < 15 && !client.offerClientMaxWindowBits);
        return;
    }
    const ExtensionList response = parseExtensionList(accepted.parameters->toHeaderValue());
    QVERIFY(response.ok());
    QCOMPARE(response.elements.size(), 1);
    const DeflateNegotiation agreed = negotiateDeflateResponse(response.elements.first(), client);
    QVERIFY2(agreed.parameters.has_value(), qPrintable(agreed.error));

    const DeflateParameters &s = *accepted.parameters;
    const DeflateParameters &c = *agreed.parameters;
    QCOMPARE(c.serverNoContextTakeover, s.serverNoContextTakeover);
    QCOMPARE(c.serverMaxWindowBits, s.serverMaxWindowBits);
    // The client may promise more than the server asked for, never less.
    QVERIFY(c.clientNoContextTakeover || !s.clientNoContextTakeover);
    QVERIFY(c.clientMaxWindowBits <= s.clientMaxWindowBits);
    QVERIFY(c.clientMaxWindowBits <= client.clientMaxWindowBits);

    PerMessageDeflate clientSide(Role::Client, c, client.compressionLevel);
    PerMessageDeflate serverSide(Role::Server, s, server.compressionLevel);
    const QByteArray message = jsonText(20000, 7);
    for (int i = 0; i < 3; ++i) {
        QByteArray wire;
        clientSide.compressMessage(message, wire);
        QByteArray inflated;
        QCOMPARE(inflateMessage(serverSide, { wire }, inflated), InflateResult::Ok);
        QCOMPARE(inflated, message);
        wire.clear();
        serverSide.compressMessage(message, wire);
        inflated.clear();
        QCOMPARE(inflateMessage(clientSide, { wire }, inflated), InflateResult::Ok);
        QCOMPARE(inflated, message);
    }
}

// ---- Compression ----------------------------------------------------------------------------

void TestPerMessageDeflate::directionsFollowRole()
{
    const DeflateParameters parameters { false, false, 12, 9, false };
    const PerMessageDeflate client(Role::Client, parameters);
    QCOMPARE(client.role(), Role::Client);
    QCOMPARE(client.compressWindowBits(), 9);
    QCOMPARE(client.inflateWindowBits(), 12);
    const PerMessageDeflate server(Role::Server, parameters);
    QCOMPARE(server.role(), Role::Server);
    QCOMPARE(server.compressWindowBits(), 12);
    QCOMPARE(server.inflateWindowBits(), 9);
    QVERIFY(server.parameters() == parameters);
}

void TestPerMessageDeflate::clampsParameters()
{
    PerMessageDeflate deflate(Role::Client, DeflateParameters { false, false, 20, 3, false }, 42);
    QCOMPARE(deflate.compressWindowBits(), 8);
    QCOMPARE(deflate.inflateWindowBits(), 15);
    QByteArray wire;
    deflate.compressMessage(Hello, wire);
    QCOMPARE(wire.isEmpty(), false);
}

void TestPerMessageDeflate::roundTrips_data()
{
    QTest::addColumn<qsizetype>("size");
    QTest::addColumn<bool>("json");
    QTest::addColumn<bool>("serverNoContextTakeover");
    QTest::addColumn<bool>("clientNoContextTakeover");
    QTest::addColumn<int>("serverBits");
    QTest::addColumn<int>("clientBits");
    QTest::addColumn<int>("level");

    const qsizetype sizes[] = { 0, 1, 300, 70000, 256 * 1024 };
    for (const qsizetype size : sizes) {
        for (const bool json : { true, false }) {
            for (int takeovers = 0; takeovers < 4; ++takeovers) {
                const bool serverReset = takeovers & 1;
                const bool clientReset = takeovers & 2;
                for (int bits = 8; bits <= 15; ++bits) {
                    QTest::addRow("%lld B %s, resets s%d c%d, window %d", qlonglong(size),
                                  json ? "json" : "random", int(serverReset), int(clientReset),
                                  bits)
                        << size << json << serverReset << clientReset << bits << bits << 6;
                }
            }
        }
    }
    // Windows differing by direction, and other levels.
    QTest::newRow("windows 9 and 15")
        << qsizetype(100000) << true << false << false << 9 << 15 << 6;
    QTest::newRow("windows 15 and 8") << qsizetype(100000) << true << false << true << 15 << 8 << 6;
    QTest::newRow("level 0") << qsizetype(100000) << true << false << false << 15 << 15 << 0;
    QTest::newRow("level 1") << qsizetype(100000) << true << true << false << 12 << 11 << 1;
    QTest::newRow("level 9") << qsizetype(100000) << false << false << true << 10 << 15 << 9;
    QTest::newRow("level -1") << qsizetype(100000) << true << false << false << 15 << 15 << -1;
    // Large messages, every takeover combination.
    for (int takeovers = 0; takeovers < 4; ++takeovers) {
        const bool serverReset = takeovers & 1;
        const bool clientReset = takeovers & 2;
        QTest::addRow("8 MiB json, resets s%d c%d", int(serverReset), int(clientReset))
            << qsizetype(8 * 1024 * 1024) << true << serverReset << clientReset << 15 << 15 << 6;
    }
    QTest::newRow("8 MiB random") << qsizetype(8 * 1024 * 1024) << false << false << false << 15
                                  << 15 << 6;
    QTest::newRow("8 MiB json, window 9")
        << qsizetype(8 * 1024 * 1024) << true << false << false << 9 << 9 << 6;
    QTest::newRow("8 MiB json, window 8")
        << qsizetype(8 * 1024 * 1024) << true << true << true << 8 << 8 << 1;
}

void TestPerMessageDeflate::roundTrips()
{
    QFETCH(qsizetype, size);
    QFETCH(bool, json);
    QFETCH(bool, serverNoContextTakeover);
    QFETCH(bool, clientNoContextTakeover);
    QFETCH(int, serverBits);
    QFETCH(int, clientBits);
    QFETCH(int, level);

    const DeflateParameters parameters { serverNoContextTakeover, clientNoContextTakeover,
                                         serverBits, clientBits, false };
    PerMessageDeflate client(Role::Client, parameters, level);
    PerMessageDeflate server(Role::Server, parameters, level);

    // Two different messages, then the first again (which context takeover makes cheap), each
    // way; the inflating side gets the payload in frames of random sizes.
    const bool large = size > 1024 * 1024;
    const QByteArray first = json ? jsonText(size, 1) : randomBytes(size, 1);
    const QByteArray second = json ? jsonText(size, 2) : randomBytes(size, 2);
    const QList<QByteArray> messages = large ? QList { first } : QList { first, second, first };
    quint32 seed = 100;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QByteArray &message = messages[i];
        for (const bool fromClient : { true, false }) {
            PerMessageDeflate &sender = fromClient ? client : server;
            PerMessageDeflate &receiver = fromClient ? server : client;
            QByteArray wire;
            sender.compressMessage(message, wire);
            if (message.isEmpty())
                QCOMPARE(wire, hex("00"));
            const Message frames =
                splitRandomly(wire, std::max<qsizetype>(wire.size() / 5, 1), seed++);
            // The limit is exactly the message size: reaching it is fine.
            QByteArray inflated;
            const InflateResult result = inflateMessage(receiver, frames, inflated, message.size());
            QVERIFY2(result == InflateResult::Ok, qPrintable(receiver.lastError()));
            QCOMPARE(inflated.size(), message.size());
            QVERIFY(inflated == message);
        }
    }
}

void TestPerMessageDeflate::eightBitWindowStaysWithin256Bytes()
{
    // A block of 300 random bytes repeated: every match is 300 bytes back, beyond a 256-byte
    // window but inside zlib's smallest (512-byte) one.
    const QByteArray block = randomBytes(300, 3);
    const QByteArray message = block.repeated(200);

    // Our compressor agreed to 8 bits, so it must not use those matches...
    PerMessageDeflate sender(Role::Client, DeflateParameters { false, false, 15, 8, false });
    PerMessageDeflate receiver(Role::Server, DeflateParameters { false, false, 15, 8, false });
    QCOMPARE(receiver.inflateWindowBits(), 8);
    QByteArray wire;
    sender.compressMessage(message, wire);
    QByteArray inflated;
    QCOMPARE(inflateMessage(receiver, { wire }, inflated), InflateResult::Ok);
    QCOMPARE(inflated, message);

    // ...while a peer that uses them anyway is caught by an 8-bit inflater.
    QByteArray tooFar = zlibDeflate(message, 10, Z_SYNC_FLUSH);
    tooFar.chop(4);
    PerMessageDeflate strict(Role::Server, DeflateParameters { false, false, 15, 8, false });
    inflated.clear();
    QCOMPARE(inflateMessage(strict, { tooFar }, inflated), InflateResult::Corrupt);
    QVERIFY2(strict.lastError().contains(QStringLiteral("too far back")),
             qPrintable(strict.lastError()));
    // The same stream is fine for a 9-bit window (zlib keeps 262 bytes short of its window).
    PerMessageDeflate wider(Role::Server, DeflateParameters { false, false, 15, 10, false });
    inflated.clear();
    QCOMPARE(inflateMessage(wider, { tooFar }, inflated), InflateResult::Ok);
    QCOMPARE(inflated, message);
}

void TestPerMessageDeflate::stopsBombAtTheLimit_data()
{
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<qsizetype>("frameSize"); // 0: one frame

    const qint64 limits[] = { 0, 1, 4095, 4096, 4097, 100000, 1024 * 1024, 16 * 1024 * 1024 - 1 };
    for (const qint64 limit : limits) {
        QTest::addRow("limit %lld", limit) << limit << QByteArray() << qsizetype(0);
        QTest::addRow("limit %lld, 1 KiB frames", limit)
            << limit << QByteArray() << qsizetype(1024);
        if (limit >= 10) {
            QTest::addRow("limit %lld after 10 bytes", limit)
                << limit << QByteArray(10, 'x') << qsizetype(0);
        }
    }
    QTest::newRow("already past the limit") << qint64(5) << QByteArray(10, 'x') << qsizetype(0);
}

void TestPerMessageDeflate::stopsBombAtTheLimit()
{
    QFETCH(qint64, limit);
    QFETCH(QByteArray, prefix);
    QFETCH(qsizetype, frameSize);

    // 16 MiB of zeros compress to about 16 KiB.
    static const QByteArray bomb = [] {
        PerMessageDeflate sender(Role::Client, DeflateParameters {});
        QByteArray wire;
        sender.compressMessage(QByteArray(16 * 1024 * 1024, '\0'), wire);
        return wire;
    }();
    QVERIFY(bomb.size() < 20 * 1024);

    Message frames;
    if (frameSize == 0) {
        frames = { bomb };
    } else {
        for (qsizetype at = 0; at < bomb.size(); at += frameSize)
            frames.append(bomb.sliced(at, std::min(frameSize, bomb.size() - at)));
    }

    PerMessageDeflate receiver(Role::Server, DeflateParameters {});
    QByteArray out = prefix;
    QCOMPARE(inflateMessage(receiver, frames, out, limit), InflateResult::LimitExceeded);
    QVERIFY(out.startsWith(prefix));
    QVERIFY(out.size() <= std::max<qint64>(limit, prefix.size()));
    QVERIFY(out.size() == prefix.size() || out.size() == limit);
    // Never allocated past the limit either.
    QVERIFY(out.capacity() <= std::max<qint64>(limit, prefix.capacity()));
    QVERIFY(out.sliced(prefix.size()).count('\0') == out.size() - prefix.size());
}

void TestPerMessageDeflate::acceptsMessageExactlyAtTheLimit()
{
    const QByteArray message = jsonText(300000, 5);
    PerMessageDeflate sender(Role::Client, DeflateParameters {});
    PerMessageDeflate receiver(Role::Server, DeflateParameters {});
    QByteArray wire;
    sender.compressMessage(message, wire);

    QByteArray out = QByteArrayLiteral("prefix");
    QCOMPARE(inflateMessage(receiver, { wire }, out, 6 + message.size()), InflateResult::Ok);
    QCOMPARE(out, QByteArrayLiteral("prefix") + message);

    // One byte less does not fit.
    PerMessageDeflate strict(Role::Server, DeflateParameters {});
    out.clear();
    QCOMPARE(inflateMessage(strict, { wire }, out, message.size() - 1),
             InflateResult::LimitExceeded);
    QCOMPARE(out.size(), message.size() - 1);
}

void TestPerMessageDeflate::reportsCorruptInput_data()
{
    QTest::addColumn<QList<Message>>("messages");
    QTest::addColumn<QString>("mention");

    const QByteArray helloBlock = hex("f248cdc9c90700");
    QTest::newRow("reserved block type")
        << QList<Message> { { hex("ff") } } << QStringLiteral("invalid block type");
    QTest::newRow("stored block lengths disagree")
        << QList<Message> { { hex("000500000048656c6c6f00") } }
        << QStringLiteral("invalid stored block lengths");
    QTest::newRow("reference before any data")
        << QList<Message> { { hex("f200110000") } } << QStringLiteral("too far back");
    QTest::newRow("truncated message") << QList<Message> { { hex("f248cdc9") } } << QString();
    QTest::newRow("truncated stored block")
        << QList<Message> { { hex("000a00f5ff4865") } }
        << QStringLiteral("the message ends inside a deflate block");
    QTest::newRow("garbage after a final block")
        << QList<Message> { { hex("f348cdc9c90700ff") } } << QStringLiteral("invalid block type");
    QTest::newRow("no back-reference after a reset")
        << QList<Message> { { helloBlock }, { hex("f200110000") } }
        << QStringLiteral("too far back");
}

void TestPerMessageDeflate::reportsCorruptInput()
{
    QFETCH(QList<Message>, messages);
    QFETCH(QString, mention);

    // Every message but the last is valid; the peer resets its context after each.
    PerMessageDeflate receiver(Role::Client, takeover(true, false));
    for (qsizetype i = 0; i + 1 < messages.size(); ++i) {
        QByteArray out;
        QCOMPARE(inflateMessage(receiver, messages[i], out), InflateResult::Ok);
    }
    // Whole, and split at every position: the error shows wherever it is found.
    const QByteArray payload = messages.last().join();
    for (qsizetype at = 0; at <= payload.size(); ++at) {
        PerMessageDeflate fresh(Role::Client, takeover(true, false));
        PerMessageDeflate &deflate = at == 0 ? receiver : fresh;
        if (at != 0) {
            for (qsizetype i = 0; i + 1 < messages.size(); ++i) {
                QByteArray out;
                QCOMPARE(inflateMessage(deflate, messages[i], out), InflateResult::Ok);
            }
        }
        QByteArray out;
        const Message chunks =
            at == 0 ? Message { payload } : Message { payload.first(at), payload.sliced(at) };
        QCOMPARE(inflateMessage(deflate, chunks, out), InflateResult::Corrupt);
        QVERIFY(!deflate.lastError().isEmpty());
        if (!mention.isEmpty())
            QVERIFY2(deflate.lastError().contains(mention), qPrintable(deflate.lastError()));
    }
}

void TestPerMessageDeflate::startsAfreshAfterAnError()
{
    PerMessageDeflate receiver(Role::Client, takeover(true, false));
    QByteArray out;
    QCOMPARE(inflateMessage(receiver, { hex("ff") }, out), InflateResult::Corrupt);
    out.clear();
    QCOMPARE(inflateMessage(receiver, { hex("f248cdc9c90700") }, out), InflateResult::Ok);
    QCOMPARE(out, Hello);

    out.clear();
    QCOMPARE(receiver.inflate(hex("f248cdc9c90700"), out, 2), InflateResult::LimitExceeded);
    QCOMPARE(out, QByteArrayLiteral("He"));
    // A caller may still end the failed message; it is already over.
    QCOMPARE(receiver.finishMessage(out, 2), InflateResult::Ok);
    out.clear();
    QCOMPARE(inflateMessage(receiver, { hex("f248cdc9c90700") }, out), InflateResult::Ok);
    QCOMPARE(out, Hello);
}

void TestPerMessageDeflate::moveKeepsTheContext()
{
    PerMessageDeflate first(Role::Client, DeflateParameters {});
    QByteArray wire;
    first.compressMessage(Hello, wire);
    QCOMPARE(wire, hex("f248cdc9c90700"));

    PerMessageDeflate second(std::move(first));
    wire.clear();
    second.compressMessage(Hello, wire);
    QCOMPARE(wire, hex("f200110000"));

    // A third Hello after two, as an unmoved compressor writes it.
    PerMessageDeflate reference(Role::Client, DeflateParameters {});
    QByteArray expected;
    for (int i = 0; i < 3; ++i) {
        expected.clear();
        reference.compressMessage(Hello, expected);
    }
    PerMessageDeflate third(Role::Server, DeflateParameters {});
    third = std::move(second);
    QCOMPARE(third.role(), Role::Client);
    wire.clear();
    third.compressMessage(Hello, wire);
    QCOMPARE(wire, expected);

    // The inflate side too.
    PerMessageDeflate receiver(Role::Server, DeflateParameters {});
    QByteArray out;
    QCOMPARE(inflateMessage(receiver, { hex("f248cdc9c90700") }, out), InflateResult::Ok);
    PerMessageDeflate moved(std::move(receiver));
    out.clear();
    QCOMPARE(inflateMessage(moved, { hex("f200110000") }, out), InflateResult::Ok);
    QCOMPARE(out, Hello);
}

QTEST_APPLESS_MAIN(TestPerMessageDeflate)
#include "tst_permessagedeflate.moc"
