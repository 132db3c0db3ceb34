// End to end through the real window: a tab on the embedded echo server, messages typed into
// the composer, their echoes in the history, the frame bytes in the hex view and its legend,
// and a close with code 4000.
#include "WindowTestSupport.h"
#include "core/session/ConnectionSession.h"
#include "core/session/LocalEchoServer.h"
#include "ui/Composer.h"
#include "ui/ConnectionTab.h"
#include "ui/FrameHexView.h"
#include "ui/FrameLegend.h"
#include "ui/HandshakeView.h"
#include "ui/HistoryPane.h"
#include "ui/HistoryTableView.h"
#include "ui/MessageDetailView.h"
#include "ui/MessageLogModel.h"
#include "ui/RequestBar.h"
#include "ui/SparklineWidget.h"
#include "ui/StatsView.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFileInfo>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTemporaryFile>
#include <QTest>
#include <QToolButton>

using namespace duplex;

class TestEchoRoundTrip : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void firstStartOpensAConnectedLocalEchoTab();
    void textJsonAndBinaryComeBack();
    void hexViewAndLegendOfATextFrame();
    void closeWithCode4000();
    void sendHistoryRecall();
    void binaryFromAFile();
    void handshakeAndStats();

private:
    ConnectionTab *tab() const { return m_window->tab(0); }
    MessageLogModel *model() const { return tab()->historyPane()->model(); }
    // The top-level row of the n-th message with this opcode and direction, or -1.
    int findRow(int opcode, Direction direction, const QByteArray &payload = {}) const;
    void typeAndSend(PayloadKind kind, const QString &text);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestEchoRoundTrip::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestEchoRoundTrip::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_window = test::makeWindow(*m_dir);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QCOMPARE(m_window->tabCount(), 1);
    // The history model is checked for consistency while rows stream in.
    m_tester = std::make_unique<QAbstractItemModelTester>(
        model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_COMPARE_WITH_TIMEOUT(tab()->state(), ConnectionSession::State::Open, 10000);
}

void TestEchoRoundTrip::cleanup()
{
    m_tester.reset();
    m_window.reset();
    m_dir.reset();
}

int TestEchoRoundTrip::findRow(int opcode, Direction direction, const QByteArray &payload) const
{
    for (int row = 0; row < model()->rowCount(); ++row) {
        const QModelIndex index = model()->index(row, 0);
        if (index.data(MessageLogModel::OpcodeRole).toInt() == opcode
            && index.data(MessageLogModel::DirectionRole).toInt() == int(direction)
            && (payload.isNull() || model()->payload(row) == payload))
            return row;
    }
    return -1;
}

void TestEchoRoundTrip::typeAndSend(PayloadKind kind, const QString &text)
{
    Composer *composer = tab()->composer();
    const char *names[] = { "kindText", "kindJSON", "kindHex", "kindBase64", "kindFile" };
    auto *button = composer->findChild<QToolButton *>(QLatin1String(names[int(kind)]));
    QVERIFY(button);
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(composer->kind(), kind);
    composer->editor()->clear();
    composer->editor()->setFocus();
    QTest::keyClicks(composer->editor(), text);
    QTest::keyClick(composer->editor(), Qt::Key_Return, Qt::ControlModifier);
}

void TestEchoRoundTrip::firstStartOpensAConnectedLocalEchoTab()
{
    QCOMPARE(tab()->title(), QStringLiteral("Local echo"));
    // The URL names the echo server's port as a variable, filled with wherever it listens.
    QCOMPARE(tab()->requestBar()->url(), QStringLiteral("ws://127.0.0.1:{{localEchoPort}}/"));
    QCOMPARE(tab()->requestBar()->resolvedUrl(), m_window->echoServer()->url().toString());
    QCOMPARE(m_window->windowTitle(), QStringLiteral("Duplex"));
    QCOMPARE(tab()->stateIconName(), QStringLiteral("state-open"));
    QVERIFY(tab()->composer()->sendButton()->isEnabled());
    QCOMPARE(tab()->requestBar()->connectButton()->text().remove(QLatin1Char('&')),
             QStringLiteral("Disconnect"));
}

void TestEchoRoundTrip::textJsonAndBinaryComeBack()
{
    typeAndSend(PayloadKind::Text, QStringLiteral("Hello, Duplex!"));
    QTRY_VERIFY(findRow(1, Direction::Incoming, "Hello, Duplex!") >= 0);
    QVERIFY(findRow(1, Direction::Outgoing, "Hello, Duplex!") >= 0);

    typeAndSend(PayloadKind::Json, QStringLiteral("{\"type\": \"subscribe\", \"n\": 1}"));
    QTRY_VERIFY(findRow(1, Direction::Incoming, "{\"type\": \"subscribe\", \"n\": 1}") >= 0);

    typeAndSend(PayloadKind::Hex, QStringLiteral("de ad be ef 00 7f"));
    QTRY_VERIFY(findRow(2, Direction::Incoming, QByteArray::fromHex("deadbeef007f")) >= 0);
    QVERIFY(findRow(2, Direction::Outgoing, QByteArray::fromHex("deadbeef007f")) >= 0);

    typeAndSend(PayloadKind::Base64, QStringLiteral("SGVsbG8="));
    QTRY_VERIFY(findRow(2, Direction::Incoming, "Hello") >= 0);

    // Only messages that went out enter the send history.
    QCOMPARE(tab()->composer()->history().entries().size(), 4);
    QCOMPARE(tab()->session()->stats().messagesIn, quint64(4));
}

void TestEchoRoundTrip::hexViewAndLegendOfATextFrame()
{
    typeAndSend(PayloadKind::Text, QStringLiteral("abc"));
    int row = -1;
    QTRY_VERIFY((row = findRow(1, Direction::Incoming, "abc")) >= 0);

    HistoryPane *pane = tab()->historyPane();
    pane->view()->setCurrentIndex(model()->index(row, 0));
    pane->view()->selectRow(row);
    MessageDetailView *detail = pane->detailView();
    detail->setCurrentTab(MessageDetailView::FrameTab);
    QTRY_VERIFY(!detail->hexView()->document().isEmpty());
    const QByteArrayView wire = detail->hexView()->document().wire();
    // A final text frame from the server: FIN + opcode 1, unmasked, 3 bytes of payload.
    QCOMPARE(quint8(wire.at(0)), quint8(0x81));
    QCOMPARE(quint8(wire.at(1)), quint8(0x03));
    QCOMPARE(wire.sliced(2).toByteArray(), QByteArray("abc"));
    QVERIFY(detail->hexView()->describeByte(0).contains(QStringLiteral("FIN=1")));
    FrameLegend *legend = detail->legend();
    QVERIFY2(legend->valueText(FrameLegend::Field::FirstBytes).contains(QStringLiteral("0x81")),
             qPrintable(legend->valueText(FrameLegend::Field::FirstBytes)));
    QVERIFY(legend->valueText(FrameLegend::Field::Fin).startsWith(QLatin1Char('1')));
    QVERIFY(legend->valueText(FrameLegend::Field::Opcode).contains(QStringLiteral("text")));
    QVERIFY(legend->valueText(FrameLegend::Field::Mask).startsWith(QLatin1Char('0')));
    QVERIFY(legend->valueText(FrameLegend::Field::PayloadLength).startsWith(QLatin1Char('3')));

    // Our own frame went out masked: the legend shows the key.
    const int outgoing = findRow(1, Direction::Outgoing, "abc");
    QVERIFY(outgoing >= 0);
    pane->view()->setCurrentIndex(model()->index(outgoing, 0));
    pane->view()->selectRow(outgoing);
    detail->setCurrentTab(MessageDetailView::FrameTab);
    QTRY_COMPARE(quint8(detail->hexView()->document().wire().at(1)), quint8(0x83));
    QCOMPARE(quint8(detail->hexView()->document().wire().at(0)), quint8(0x81));
    QVERIFY(legend->valueText(FrameLegend::Field::Mask).startsWith(QLatin1Char('1')));
    QCOMPARE(legend->valueText(FrameLegend::Field::MaskingKey).size(), 11); // "37 fa 21 3d"
}

void TestEchoRoundTrip::closeWithCode4000()
{
    Composer *composer = tab()->composer();
    composer->closeCodeBox()->setCurrentText(QStringLiteral("4000"));
    composer->closeReasonEdit()->setText(QStringLiteral("done here"));
    QTest::mouseClick(composer->closeButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(tab()->state(), ConnectionSession::State::Closed, 10000);
    QCOMPARE(tab()->session()->closeInfo().code, quint16(4000));
    QVERIFY(tab()->session()->closeInfo().clean);

    QByteArray closePayload = QByteArray::fromHex("0fa0") + "done here";
    QTRY_VERIFY(findRow(8, Direction::Outgoing, closePayload) >= 0);
    QTRY_VERIFY(findRow(8, Direction::Incoming) >= 0); // the server's answer
    QCOMPARE(tab()->stateIconName(), QStringLiteral("state-closed"));
    QVERIFY(!composer->sendButton()->isEnabled());
    QCOMPARE(tab()->requestBar()->connectButton()->text().remove(QLatin1Char('&')),
             QStringLiteral("Connect"));

    // A close code that may not be sent is refused with a reason, and nothing is sent.
    tab()->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(tab()->state(), ConnectionSession::State::Open, 10000);
    composer->closeCodeBox()->setCurrentText(QStringLiteral("1005"));
    QTest::mouseClick(composer->closeButton(), Qt::LeftButton);
    QVERIFY2(composer->statusText().contains(QStringLiteral("1005 may not be sent")),
             qPrintable(composer->statusText()));
    QCOMPARE(tab()->state(), ConnectionSession::State::Open);
}

void TestEchoRoundTrip::sendHistoryRecall()
{
    typeAndSend(PayloadKind::Text, QStringLiteral("first"));
    typeAndSend(PayloadKind::Text, QStringLiteral("second"));
    QTRY_VERIFY(findRow(1, Direction::Incoming, "second") >= 0);
    Composer *composer = tab()->composer();
    composer->editor()->setPlainText(QStringLiteral("draft"));
    composer->editor()->setFocus();
    QTest::keyClick(composer->editor(), Qt::Key_Up);
    QCOMPARE(composer->text(), QStringLiteral("second"));
    QTest::keyClick(composer->editor(), Qt::Key_Up);
    QCOMPARE(composer->text(), QStringLiteral("first"));
    QTest::keyClick(composer->editor(), Qt::Key_Down);
    QTest::keyClick(composer->editor(), Qt::Key_Down);
    QCOMPARE(composer->text(), QStringLiteral("draft")); // nothing typed is lost
}

void TestEchoRoundTrip::binaryFromAFile()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    const QByteArray bytes = QByteArray::fromHex("00ff10") + QByteArray(1000, 'x');
    file.write(bytes);
    file.flush();
    Composer *composer = tab()->composer();
    composer->setKind(PayloadKind::File);
    QVERIFY(composer->filePathEdit()->isVisible());
    composer->filePathEdit()->setText(file.fileName());
    QVERIFY2(composer->statusText().contains(QStringLiteral("1,003 bytes")),
             qPrintable(composer->statusText()));
    QTest::mouseClick(composer->sendButton(), Qt::LeftButton);
    QTRY_VERIFY(findRow(2, Direction::Incoming, bytes) >= 0);

    // A missing file is named, and nothing is sent.
    composer->filePathEdit()->setText(file.fileName() + QStringLiteral(".missing"));
    const qsizetype before = tab()->session()->record()->size();
    composer->send();
    QVERIFY2(composer->statusText().startsWith(QStringLiteral("No file at")),
             qPrintable(composer->statusText()));
    QCOMPARE(tab()->session()->record()->size(), before);

    // A {{variable}} in the path is filled before the file is looked for, as Send does.
    Composer filled;
    filled.setKind(PayloadKind::File);
    VariableSubstitution variables;
    variables.setBuiltIn(QStringLiteral("dir"), QFileInfo(file.fileName()).absolutePath());
    filled.setVariables(variables);
    filled.filePathEdit()->setText(QStringLiteral("{{dir}}/")
                                   + QFileInfo(file.fileName()).fileName());
    QVERIFY2(filled.statusText().contains(QStringLiteral("1,003 bytes")),
             qPrintable(filled.statusText()));
}

void TestEchoRoundTrip::handshakeAndStats()
{
    HandshakeView *handshake = tab()->handshakeView();
    QVERIFY(handshake->requestText().startsWith(QStringLiteral("GET / HTTP/1.1\n")));
    QVERIFY(handshake->requestText().contains(QStringLiteral("Sec-WebSocket-Key: ")));
    QVERIFY(handshake->responseText().startsWith(QStringLiteral("HTTP/1.1 101 ")));
    QVERIFY(handshake->responseText().contains(QStringLiteral("Sec-WebSocket-Accept: ")));
    const QString summary = handshake->summaryText();
    QVERIFY2(summary.contains(QStringLiteral("Timings")) && summary.contains(QStringLiteral("TCP")),
             qPrintable(summary));

    tab()->composer()->pingPayloadEdit()->setText(QStringLiteral("rtt?"));
    QTest::mouseClick(tab()->composer()->pingButton(), Qt::LeftButton);
    typeAndSend(PayloadKind::Text, QStringLiteral("count me"));
    QTRY_VERIFY(findRow(1, Direction::Incoming, "count me") >= 0);
    QTRY_COMPARE(tab()->statsView()->sparkline()->values().size(), std::size_t(1));
    tab()->showSidePage(ConnectionTab::SidePage::Stats);
    tab()->statsView()->refresh();
    QCOMPARE(tab()->statsView()->valueText(QStringLiteral("messagesIn")), QStringLiteral("1"));
    QCOMPARE(tab()->statsView()->valueText(QStringLiteral("messagesOut")), QStringLiteral("1"));
    QCOMPARE(tab()->statsView()->valueText(QStringLiteral("pingsOut")), QStringLiteral("1 ping"));
    QVERIFY(tab()
                ->statsView()
                ->valueText(QStringLiteral("sinceLabel"))
                .startsWith(QStringLiteral("Connected since")));
}

QTEST_MAIN(TestEchoRoundTrip)
#include "tst_echoroundtrip.moc"
