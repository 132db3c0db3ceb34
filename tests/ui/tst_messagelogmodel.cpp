// MessageLogModel over a SessionRecord: appends, fragmented messages expanding into their frames,
// filtering (inline and on the worker, stale results dropped, incremental), clearing, and the
// memory the row mapping costs. Every case runs under QAbstractItemModelTester in fatal mode.

#include "HistoryTestSupport.h"
#include "ui/IndexRuns.h"
#include "ui/MessageLogModel.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace duplex;
using namespace duplex::test;

Q_DECLARE_METATYPE(duplex::HistoryFilterSpec)

namespace {

using Kind = MessageLogModel::RowKind;

struct Fixture
{
    std::shared_ptr<SessionRecord> record = std::make_shared<SessionRecord>();
    MessageLogModel model;
    std::unique_ptr<QAbstractItemModelTester> tester;

    // The tester walks every row after a reset on the UI thread: off for the million-row case.
    explicit Fixture(bool test = true)
    {
        if (test)
            tester = std::make_unique<QAbstractItemModelTester>(
                &model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setRecord(record);
    }

    QList<qsizetype> shownIndices() const
    {
        QList<qsizetype> out;
        for (int row = 0; row < model.rowCount(); ++row)
            out.append(model.recordIndex(row));
        return out;
    }
    QString cell(int row, int column) const { return model.index(row, column).data().toString(); }
    void waitForFilter()
    {
        QTRY_VERIFY_WITH_TIMEOUT(!model.isFilterRunning(), 60000);
        QCoreApplication::processEvents();
    }
};

// One of each kind of row, with known payloads; index in the comment.
void fillMixed(SessionRecord &record)
{
    const MaskKey key { 1, 2, 3, 4 };
    recordText(record, Direction::Outgoing, "hello world"); // 0
    recordText(record, Direction::Incoming, R"({"id":1,"type":"greeting"})"); // 1
    recordFrame(
        record, Direction::Outgoing,
        encodeFrame(Opcode::Binary, QByteArray::fromHex("deadbeef"), { true, false, key })); // 2
    recordFrame(record, Direction::Incoming, encodeFrame(Opcode::Ping, "keepalive")); // 3
    recordFrame(record, Direction::Outgoing,
                encodeFrame(Opcode::Pong, "", { true, false, key })); // 4
    recordFrame(record, Direction::Incoming,
                encodeFrame(Opcode::Close, QByteArray::fromHex("03e8") + "bye")); // 5
    recordEvent(record, SessionEventKind::Open, R"({"event":"open","status":101})"); // 6
    recordText(record, Direction::Incoming, "HELLO again"); // 7
    recordFrame(record, Direction::Incoming,
                encodeFrame(Opcode::Text, "frag", { false, false, {} })); // 8
    recordFrame(record, Direction::Incoming,
                encodeFrame(Opcode::Continuation, "mented hello", { true, false, {} })); // 9
    recordEvent(record, SessionEventKind::Error, R"({"event":"error","message":"boom"})"); // 10
}

} // namespace

class tst_MessageLogModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void indexRuns();
    void appendsAreBatchedPerTurn();
    void columns();
    void fragmentedMessageExpandsIntoFrames();
    void growingMessageAddsChildRows();
    void realFramesFromAConnectionPair();
    void filter_data();
    void filter();
    void newerFilterDropsStaleResults();
    void incrementalFilter();
    void filterRunsOffTheUiThread();
    void clearHidesWhatCameBefore();
    void unfilteredRowsCostNoMemoryPerRow();
    void prettyJsonKeepsTheText();
    void closeTexts();
};

void tst_MessageLogModel::indexRuns()
{
    IndexRuns runs;
    for (quint32 i = 0; i < 1000; ++i)
        runs.append(i);
    QCOMPARE(runs.runCount(), 1);
    QCOMPARE(runs.at(999), 999u);
    runs.append(1005);
    runs.append(1006);
    QCOMPARE(runs.runCount(), 2);
    QCOMPARE(runs.rowOf(1005), 1000);
    QCOMPARE(runs.rowOf(1003), -1);
    QCOMPARE(runs.lowerBound(1003), 1000);
    QCOMPARE(runs.insert(1003), 1000);
    QCOMPARE(runs.at(1000), 1003u);
    QCOMPARE(runs.at(1001), 1005u);
    QCOMPARE(runs.insert(1004), 1001); // joins 1003 and 1005-1006 into one run
    QCOMPARE(runs.runCount(), 2);
    QCOMPARE(runs.insert(1004), -1);
    QCOMPARE(runs.insert(1000), 1000); // joins everything
    QCOMPARE(runs.insert(1001), 1001);
    QCOMPARE(runs.insert(1002), 1002);
    QCOMPARE(runs.runCount(), 1);
    QCOMPARE(runs.size(), 1007);
    for (qsizetype row = 0; row < runs.size(); ++row)
        QCOMPARE(runs.at(row), quint32(row));
}

void tst_MessageLogModel::appendsAreBatchedPerTurn()
{
    Fixture f;
    QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 500; ++i) {
        recordText(*f.record, Direction::Incoming, "x");
        f.model.poll();
    }
    QCOMPARE(f.model.rowCount(), 0); // nothing until the event loop turns
    QTRY_COMPARE(f.model.rowCount(), 500);
    QCOMPARE(inserted.count(), 1); // one beginInsertRows for the whole turn
}

void tst_MessageLogModel::columns()
{
    Fixture f;
    fillMixed(*f.record);
    f.model.flushPending();
    QCOMPARE(f.model.rowCount(), 10); // the continuation is inside its message row
    QCOMPARE(f.cell(0, MessageLogModel::DirectionColumn), QStringLiteral("\u2192 out"));
    QCOMPARE(f.cell(0, MessageLogModel::TypeColumn), QStringLiteral("text"));
    QCOMPARE(f.cell(0, MessageLogModel::PreviewColumn), QStringLiteral("hello world"));
    QCOMPARE(f.cell(0, MessageLogModel::SizeColumn), QStringLiteral("11 B"));
    QCOMPARE(f.cell(2, MessageLogModel::PreviewColumn), QStringLiteral("de ad be ef"));
    QCOMPARE(f.cell(2, MessageLogModel::TypeColumn), QStringLiteral("binary"));
    QCOMPARE(f.cell(3, MessageLogModel::TypeColumn), QStringLiteral("ping"));
    QCOMPARE(f.cell(5, MessageLogModel::PreviewColumn), QStringLiteral("1000 Normal Closure: bye"));
    QCOMPARE(f.cell(6, MessageLogModel::TypeColumn), QStringLiteral("open"));
    QCOMPARE(f.cell(6, MessageLogModel::PreviewColumn), QStringLiteral("Connected: 101"));
    QCOMPARE(f.cell(6, MessageLogModel::SizeColumn), QString()); // an event carries no payload
    QCOMPARE(f.cell(8, MessageLogModel::TypeColumn), QStringLiteral("\u25b8 text \u00d72"));
    QCOMPARE(f.cell(8, MessageLogModel::PreviewColumn), QStringLiteral("fragmented hello"));
    QCOMPARE(f.cell(9, MessageLogModel::PreviewColumn), QStringLiteral("Error: boom"));
    QCOMPARE(f.model.index(0, 0).data(MessageLogModel::DirectionRole).toInt(),
             int(Direction::Outgoing));
    QCOMPARE(f.model.index(0, 0).data(MessageLogModel::PayloadRole).toByteArray(),
             QByteArray("hello world"));
    QCOMPARE(f.model.payload(8), QByteArray("fragmented hello"));
    QCOMPARE(f.model.rowKind(8), Kind::Message);
    QCOMPARE(f.model.rowKind(0), Kind::Single);
    QCOMPARE(f.model.rowOfRecordIndex(9), 8);
    QCOMPARE(f.model.rowOfRecordIndex(10), 9);
}

void tst_MessageLogModel::fragmentedMessageExpandsIntoFrames()
{
    Fixture f;
    auto &record = *f.record;
    // Hel.. ping ..lo .. an incoming binary .. world: control frames and the other direction
    // interleave with the fragments.
    recordFrame(record, Direction::Outgoing,
                encodeFrame(Opcode::Text, "Hel", { false, false, {} })); // 0
    recordFrame(record, Direction::Outgoing, encodeFrame(Opcode::Ping, "p")); // 1
    recordFrame(record, Direction::Outgoing,
                encodeFrame(Opcode::Continuation, "lo ", { false, false, {} })); // 2
    recordFrame(record, Direction::Incoming, encodeFrame(Opcode::Binary, "\x01\x02")); // 3
    recordFrame(record, Direction::Outgoing, encodeFrame(Opcode::Continuation, "world")); // 4
    recordText(record, Direction::Incoming, "after"); // 5
    f.model.flushPending();

    QCOMPARE(f.shownIndices(), (QList<qsizetype> { 0, 1, 3, 5 }));
    QVERIFY(f.model.isExpandable(0));
    QVERIFY(!f.model.isExpandable(1));
    QCOMPARE(f.model.entriesOf(0), (QList<qsizetype> { 0, 2, 4 }));
    QCOMPARE(f.model.payload(0), QByteArray("Hello world"));
    QCOMPARE(f.model.index(0, 0).data(MessageLogModel::FrameCountRole).toInt(), 3);
    QCOMPARE(f.cell(0, MessageLogModel::SizeColumn), QStringLiteral("11 B"));

    f.model.setExpanded(0, true);
    QVERIFY(f.model.isExpanded(0));
    QCOMPARE(f.shownIndices(), (QList<qsizetype> { 0, 0, 2, 4, 1, 3, 5 }));
    QCOMPARE(f.model.rowKind(1), Kind::Frame);
    QCOMPARE(f.cell(0, MessageLogModel::TypeColumn), QStringLiteral("\u25be text \u00d73"));
    QCOMPARE(f.cell(1, MessageLogModel::TypeColumn), QStringLiteral("    \u251c text"));
    QCOMPARE(f.cell(2, MessageLogModel::TypeColumn), QStringLiteral("    \u251c continuation"));
    QCOMPARE(f.cell(3, MessageLogModel::TypeColumn), QStringLiteral("    \u2514 continuation"));
    QCOMPARE(f.cell(2, MessageLogModel::PreviewColumn), QStringLiteral("lo "));
    QCOMPARE(f.model.entriesOf(2), (QList<qsizetype> { 2 }));
    QCOMPARE(f.model.rowOfRecordIndex(3), 5);

    // Appends below an expanded message land after its frames.
    recordText(record, Direction::Incoming, "later");
    f.model.flushPending();
    QCOMPARE(f.model.recordIndex(7), 6);

    f.model.toggleExpanded(0);
    QVERIFY(!f.model.isExpanded(0));
    QCOMPARE(f.shownIndices(), (QList<qsizetype> { 0, 1, 3, 5, 6 }));
}

void tst_MessageLogModel::growingMessageAddsChildRows()
{
    Fixture f;
    auto &record = *f.record;
    recordText(record, Direction::Incoming, "before");
    recordFrame(record, Direction::Incoming, encodeFrame(Opcode::Text, "a", { false, false, {} }));
    recordText(record, Direction::Outgoing, "between");
    f.model.flushPending();
    QCOMPARE(f.cell(1, MessageLogModel::TypeColumn), QStringLiteral("\u25b8 text \u00d71\u2026"));
    f.model.setExpanded(1, true);
    QCOMPARE(f.model.rowCount(), 4);

    recordFrame(record, Direction::Incoming,
                encodeFrame(Opcode::Continuation, "b", { false, false, {} }));
    recordFrame(record, Direction::Incoming, encodeFrame(Opcode::Continuation, "c"));
    f.model.flushPending();
    QCOMPARE(f.shownIndices(), (QList<qsizetype> { 0, 1, 1, 3, 4, 2 }));
    QCOMPARE(f.cell(1, MessageLogModel::TypeColumn), QStringLiteral("\u25be text \u00d73"));
    QCOMPARE(f.model.payload(1), QByteArray("abc"));
}

void tst_MessageLogModel::realFramesFromAConnectionPair()
{
    RecordingPair pair;
    pair.open(true);
    SendOptions options;
    options.fragmentSize = 8;
    const QByteArray text = "a message long enough to need several frames";
    QVERIFY(pair.client.sendText(text, options));
    QVERIFY(pair.client.sendPing("rtt"));
    QVERIFY(pair.client.sendBinary(QByteArray(300, '\x7f')));
    pair.pump();
    QCOMPARE(pair.serverMessages.size(), 2);

    MessageLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setRecord(pair.record);
    model.flushPending();
    // The fragmented text, the ping, its pong, the binary.
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.rowKind(0), Kind::Message);
    QCOMPARE(model.payload(0), text);
    QCOMPARE(model.index(0, 0).data(MessageLogModel::DirectionRole).toInt(),
             int(Direction::Outgoing));
    const int frames = model.index(0, 0).data(MessageLogModel::FrameCountRole).toInt();
    QVERIFY(frames > 1);
    model.setExpanded(0, true);
    QCOMPARE(model.rowCount(), 4 + frames);
    // The binary was sent before the pong came back.
    QCOMPARE(model.index(frames + 2, MessageLogModel::TypeColumn).data().toString(),
             QStringLiteral("binary"));
    QCOMPARE(model.payload(frames + 2), QByteArray(300, '\x7f'));
    QCOMPARE(model.index(frames + 3, MessageLogModel::TypeColumn).data().toString(),
             QStringLiteral("pong"));
    QCOMPARE(model.payload(frames + 3), QByteArray("rtt"));
}

void tst_MessageLogModel::filter_data()
{
    QTest::addColumn<HistoryFilterSpec>("spec");
    QTest::addColumn<QList<qsizetype>>("expected");
    using D = HistoryFilterSpec::Directions;
    const auto spec = [](QString text, bool regex = false, bool caseSensitive = false,
                         D direction = D::Both, MessageKinds kinds = AllMessageKinds) {
        HistoryFilterSpec s;
        s.text = std::move(text);
        s.regularExpression = regex;
        s.caseSensitive = caseSensitive;
        s.direction = direction;
        s.kinds = kinds;
        return s;
    };
    QTest::newRow("everything") << spec({}) << QList<qsizetype> { 0, 1, 2, 3, 4, 5, 6, 7, 8, 10 };
    QTest::newRow("text, any case")
        << spec(QStringLiteral("hello")) << QList<qsizetype> { 0, 7, 8 };
    QTest::newRow("text, case") << spec(QStringLiteral("hello"), false, true)
                                << QList<qsizetype> { 0, 8 };
    QTest::newRow("regex, JSON object")
        << spec(QStringLiteral(R"(^\{.*"id":\s*1)"), true) << QList<qsizetype> { 1 };
    QTest::newRow("regex across fragments")
        << spec(QStringLiteral("frag.*hello"), true) << QList<qsizetype> { 8 };
    QTest::newRow("hex, compact") << spec(QStringLiteral("ADBE")) << QList<qsizetype> { 2 };
    QTest::newRow("hex, spaced") << spec(QStringLiteral("de ad")) << QList<qsizetype> { 2 };
    QTest::newRow("regex over hex")
        << spec(QStringLiteral("^de ad"), true) << QList<qsizetype> { 2 };
    QTest::newRow("close code") << spec(QStringLiteral("1000")) << QList<qsizetype> { 5 };
    QTest::newRow("event text") << spec(QStringLiteral("boom")) << QList<qsizetype> { 10 };
    QTest::newRow("sent") << spec({}, false, false, D::Outgoing)
                          << QList<qsizetype> { 0, 2, 4, 6, 10 };
    QTest::newRow("received text")
        << spec({}, false, false, D::Incoming, kindBit(MessageKind::Text))
        << QList<qsizetype> { 1, 7, 8 };
    QTest::newRow("ping and pong")
        << spec({}, false, false, D::Both, kindBit(MessageKind::Ping) | kindBit(MessageKind::Pong))
        << QList<qsizetype> { 3, 4 };
    QTest::newRow("events") << spec({}, false, false, D::Both, kindBit(MessageKind::SessionEvent))
                            << QList<qsizetype> { 6, 10 };
    QTest::newRow("invalid regex") << spec(QStringLiteral("("), true) << QList<qsizetype> {};
}

void tst_MessageLogModel::filter()
{
    QFETCH(HistoryFilterSpec, spec);
    QFETCH(QList<qsizetype>, expected);
    for (const qsizetype threshold : { qsizetype(1000000), qsizetype(0) }) {
        Fixture f;
        f.model.setAsyncFilterThreshold(threshold); // inline, then on the worker
        fillMixed(*f.record);
        f.model.flushPending();
        f.model.setFilter(spec);
        f.waitForFilter();
        QCOMPARE(f.shownIndices(), expected);
        // And back to everything.
        f.model.setFilter({});
        QCOMPARE(f.model.rowCount(), 10);
    }
}

void tst_MessageLogModel::newerFilterDropsStaleResults()
{
    Fixture f;
    f.model.setAsyncFilterThreshold(0);
    for (int i = 0; i < 20000; ++i)
        recordText(*f.record, Direction::Incoming, i % 2 ? "odd" : "even");
    f.model.flushPending();
    HistoryFilterSpec odd;
    odd.text = QStringLiteral("odd");
    HistoryFilterSpec even;
    even.text = QStringLiteral("even");
    f.model.setFilter(odd);
    f.model.setFilter(even);
    f.waitForFilter();
    QCOMPARE(f.model.rowCount(), 10000);
    for (int row = 0; row < f.model.rowCount(); row += 997)
        QCOMPARE(f.model.payload(row), QByteArray("even"));
}

void tst_MessageLogModel::incrementalFilter()
{
    for (const qsizetype threshold : { qsizetype(1000000), qsizetype(0) }) {
        Fixture f;
        f.model.setAsyncFilterThreshold(threshold);
        fillMixed(*f.record);
        f.model.flushPending();
        HistoryFilterSpec spec;
        spec.text = QStringLiteral("hello");
        f.model.setFilter(spec);
        f.waitForFilter();
        QCOMPARE(f.shownIndices(), (QList<qsizetype> { 0, 7, 8 }));

        // A fragmented message starts, other rows follow, then it completes with a match:
        // it appears at its own position, above rows shown meanwhile.
        auto &record = *f.record;
        recordFrame(record, Direction::Incoming,
                    encodeFrame(Opcode::Text, "he", { false, false, {} })); // 11
        recordText(record, Direction::Outgoing, "hello again"); // 12
        recordText(record, Direction::Outgoing, "nothing"); // 13
        f.model.poll();
        f.waitForFilter();
        QTRY_COMPARE(f.shownIndices(), (QList<qsizetype> { 0, 7, 8, 12 }));
        recordFrame(record, Direction::Incoming, encodeFrame(Opcode::Continuation, "llo")); // 14
        recordText(record, Direction::Incoming, "Hello!"); // 15
        f.model.poll();
        f.waitForFilter();
        QTRY_COMPARE(f.shownIndices(), (QList<qsizetype> { 0, 7, 8, 11, 12, 15 }));
        QCOMPARE(f.model.unfilteredRowCount(), 14);
    }
}

void tst_MessageLogModel::filterRunsOffTheUiThread()
{
    Fixture f(false);
    const qsizetype rows = 1000000;
    for (qsizetype i = 0; i < rows; ++i) {
        const QByteArray text = i % 10 == 0
            ? QByteArray(R"({"type":"trade","id":)") + QByteArray::number(i) + '}'
            : QByteArray(R"({"type":"quote","id":)") + QByteArray::number(i) + '}';
        recordText(*f.record, i % 2 ? Direction::Incoming : Direction::Outgoing, text);
    }
    f.model.flushPending();
    QCOMPARE(f.model.rowCount(), rows);

    // While the worker scans, the UI thread keeps turning: count timer ticks and the longest
    // gap between them.
    int ticks = 0;
    qint64 longestGapMs = 0;
    QElapsedTimer sinceTick;
    QTimer ticker;
    ticker.setInterval(1);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        if (ticks++ > 0)
            longestGapMs = qMax(longestGapMs, sinceTick.elapsed());
        sinceTick.restart();
    });
    HistoryFilterSpec spec;
    spec.text = QStringLiteral(R"("type":"trade","id":\d+)");
    spec.regularExpression = true;
    QElapsedTimer elapsed;
    elapsed.start();
    ticker.start();
    f.model.setFilter(spec);
    QVERIFY(f.model.isFilterRunning());
    f.waitForFilter();
    ticker.stop();
    qInfo("filtered %lld rows in %lld ms; %d UI ticks meanwhile, longest gap %lld ms", rows,
          elapsed.elapsed(), ticks, longestGapMs);
    QCOMPARE(f.model.rowCount(), rows / 10);
    // The filter ran on a worker (it was still running when setFilter() returned) while the UI
    // thread kept turning. How long a turn may take is duplex-bench's figure, not a test's.
    QVERIFY(ticks > 0);
}

void tst_MessageLogModel::clearHidesWhatCameBefore()
{
    Fixture f;
    auto &record = *f.record;
    recordText(record, Direction::Incoming, "one");
    recordFrame(record, Direction::Incoming,
                encodeFrame(Opcode::Text, "start", { false, false, {} }));
    f.model.flushPending();
    QCOMPARE(f.model.rowCount(), 2);
    f.model.clear();
    QCOMPARE(f.model.rowCount(), 0);
    QCOMPARE(f.model.firstShownRecordIndex(), 2);
    // The rest of a message that began before the clear shows as a frame of its own.
    recordFrame(record, Direction::Incoming, encodeFrame(Opcode::Continuation, "end"));
    recordText(record, Direction::Outgoing, "two");
    f.model.flushPending();
    QCOMPARE(f.shownIndices(), (QList<qsizetype> { 2, 3 }));
    QCOMPARE(f.model.index(0, MessageLogModel::TypeColumn).data().toString(),
             QStringLiteral("continuation"));
    QCOMPARE(f.model.unfilteredRowCount(), 2);

    HistoryFilterSpec spec;
    spec.text = QStringLiteral("o");
    f.model.setFilter(spec);
    f.waitForFilter();
    QCOMPARE(f.shownIndices(), (QList<qsizetype> { 3 }));
}

void tst_MessageLogModel::unfilteredRowsCostNoMemoryPerRow()
{
    Fixture f;
    for (int i = 0; i < 200000; ++i)
        recordText(*f.record, Direction::Incoming, "tick");
    f.model.flushPending();
    QCOMPARE(f.model.rowCount(), 200000);
    QVERIFY2(f.model.memoryBytes() < 1024, qPrintable(QString::number(f.model.memoryBytes())));
    HistoryFilterSpec spec;
    spec.direction = HistoryFilterSpec::Directions::Outgoing;
    f.model.setFilter(spec);
    f.waitForFilter();
    QCOMPARE(f.model.rowCount(), 0);
    f.model.setFilter({});
    QVERIFY(f.model.memoryBytes() < 1024);
}

void tst_MessageLogModel::prettyJsonKeepsTheText()
{
    const QByteArray json = R"({"z":1e3, "a":[ ],"s":"x\"{,:}","n":{"k":[1,-2.50,true,null]}})";
    QCOMPARE(RecordText::prettyJson(json), QByteArray(R"({
    "z": 1e3,
    "a": [],
    "s": "x\"{,:}",
    "n": {
        "k": [
            1,
            -2.50,
            true,
            null
        ]
    }
})"));
}

void tst_MessageLogModel::closeTexts()
{
    QCOMPARE(RecordText::closeCodeText(1000), QStringLiteral("1000 Normal Closure"));
    QCOMPARE(RecordText::closeCodeText(4000), QStringLiteral("4000"));
    QCOMPARE(RecordText::closeDescription(QByteArrayView("\x03\xe8"
                                                         "bye")),
             QStringLiteral("1000 Normal Closure: bye"));
    QCOMPARE(RecordText::closeDescription(QByteArrayView()), QStringLiteral("no status code"));
}

QTEST_MAIN(tst_MessageLogModel)
#include "tst_messagelogmodel.moc"
