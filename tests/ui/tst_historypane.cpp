// HistoryPane as a connection tab embeds it: auto-scroll that pauses and resumes, the detail
// pane following the selection (text, JSON, frame hex view and legend), expanding with the
// keyboard, copy and re-send, clear, and the state the window persists.

#include "HistoryTestSupport.h"
#include "ui/FrameHexView.h"
#include "ui/FrameLegend.h"
#include "ui/HistoryFilterBar.h"
#include "ui/HistoryPane.h"
#include "ui/HistoryTableView.h"
#include "ui/MessageDetailView.h"
#include "ui/MessageLogModel.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSplitter>
#include <QTabWidget>
#include <QTest>
#include <QToolButton>

using namespace duplex;
using namespace duplex::test;

class tst_HistoryPane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void autoScrollPausesAndResumes();
    void detailFollowsSelection();
    void keyboardExpandsMessages();
    void copyAndResend();
    void filterBarDrivesTheModel();
    void clearKeepsRecording();
    void stateRoundTrip();
    void largeMessageOpensQuickly();
};

namespace {

struct Shown
{
    std::shared_ptr<SessionRecord> record = std::make_shared<SessionRecord>();
    HistoryPane pane;
    QAbstractItemModelTester tester { pane.model(),
                                      QAbstractItemModelTester::FailureReportingMode::Fatal };

    Shown()
    {
        pane.resize(900, 700);
        pane.setRecord(record);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
    }
    void append(int count, QByteArrayView text = "message")
    {
        for (int i = 0; i < count; ++i)
            recordText(*record, i % 2 ? Direction::Outgoing : Direction::Incoming, text);
        pane.poll();
    }
    QScrollBar *bar() const { return pane.view()->verticalScrollBar(); }
};

} // namespace

void tst_HistoryPane::autoScrollPausesAndResumes()
{
    Shown s;
    HistoryTableView *view = s.pane.view();
    s.append(1000);
    QTRY_COMPARE(s.pane.model()->rowCount(), 1000);
    QTRY_VERIFY(s.bar()->maximum() > 0);
    QTRY_COMPARE(s.bar()->value(), s.bar()->maximum());
    QVERIFY(view->isFollowing());
    QVERIFY(!view->jumpButton()->isVisible());

    // More rows while following: still at the end.
    s.append(100);
    QTRY_COMPARE(s.pane.model()->rowCount(), 1100);
    QTRY_COMPARE(s.bar()->value(), s.bar()->maximum());

    // The user scrolls up: following pauses and new rows are counted, not scrolled to.
    QSignalSpy following(view, &HistoryTableView::followingChanged);
    s.bar()->setValue(10);
    QVERIFY(!view->isFollowing());
    QCOMPARE(following.count(), 1);
    s.append(50);
    QTRY_COMPARE(s.pane.model()->rowCount(), 1150);
    QCoreApplication::processEvents();
    QCOMPARE(s.bar()->value(), 10);
    QCOMPARE(view->unseenRows(), 50);
    QVERIFY(view->jumpButton()->isVisible());
    QCOMPARE(view->jumpButton()->text(), QStringLiteral("\u2193 50 new"));

    // "N new" jumps back and follows again.
    QTest::mouseClick(view->jumpButton(), Qt::LeftButton);
    QVERIFY(view->isFollowing());
    QTRY_COMPARE(s.bar()->value(), s.bar()->maximum());
    QVERIFY(!view->jumpButton()->isVisible());
    s.append(10);
    QTRY_COMPARE(s.pane.model()->rowCount(), 1160);
    QTRY_COMPARE(s.bar()->value(), s.bar()->maximum());

    // Scrolling back down to the end by hand resumes as well; so does End.
    s.bar()->setValue(0);
    QVERIFY(!view->isFollowing());
    s.bar()->setValue(s.bar()->maximum());
    QVERIFY(view->isFollowing());
    s.bar()->setValue(0);
    view->setFocus();
    QTest::keyClick(view, Qt::Key_End);
    QVERIFY(view->isFollowing());
    QTRY_COMPARE(s.bar()->value(), s.bar()->maximum());
}

void tst_HistoryPane::detailFollowsSelection()
{
    Shown s;
    recordText(*s.record, Direction::Incoming, R"({"greeting":"hi","n":[1,2]})");
    recordText(*s.record, Direction::Outgoing, "plain");
    s.pane.poll();
    QTRY_COMPARE(s.pane.model()->rowCount(), 2);
    MessageDetailView *detail = s.pane.detailView();

    s.pane.view()->setCurrentIndex(s.pane.model()->index(0, 0));
    QCOMPARE(detail->entries(), (QList<qsizetype> { 0 }));
    detail->setCurrentTab(MessageDetailView::TextTab);
    QCOMPARE(detail->textView()->toPlainText(), QStringLiteral(R"({"greeting":"hi","n":[1,2]})"));
    detail->setCurrentTab(MessageDetailView::JsonTab);
    QVERIFY(
        detail->jsonView()->toPlainText().contains(QStringLiteral("\n    \"greeting\": \"hi\"")));
    detail->setCurrentTab(MessageDetailView::FrameTab);
    QCOMPARE(detail->legend()->valueText(FrameLegend::Field::FirstBytes),
             QStringLiteral("0x81 0x1b")); // FIN + text, 27 bytes
    QCOMPARE(detail->legend()->valueText(FrameLegend::Field::Opcode), QStringLiteral("0x1 text"));
    QCOMPARE(detail->hexView()->document().wire().at(0), char(0x81));

    // The sent frame is masked: the frame tab offers the unmasked payload.
    s.pane.view()->setCurrentIndex(s.pane.model()->index(1, 0));
    QVERIFY(detail->hexView()->document().isMasked());
    detail->hexView()->setPresentation(FramePresentation::Unmasked);
    detail->hexView()->select(6, 5);
    QCOMPARE(detail->hexView()->selectedBytes(), QByteArray("plain"));
    detail->setCurrentTab(MessageDetailView::JsonTab);
    QVERIFY(detail->jsonView()->toPlainText().contains(QStringLiteral("plain")));
}

void tst_HistoryPane::keyboardExpandsMessages()
{
    Shown s;
    recordFrame(*s.record, Direction::Incoming,
                encodeFrame(Opcode::Text, "one ", { false, false, {} }));
    recordFrame(*s.record, Direction::Incoming, encodeFrame(Opcode::Continuation, "two"));
    recordText(*s.record, Direction::Incoming, "next");
    s.pane.poll();
    QTRY_COMPARE(s.pane.model()->rowCount(), 2);
    HistoryTableView *view = s.pane.view();
    view->setFocus();
    view->setCurrentIndex(s.pane.model()->index(0, 0));
    QCOMPARE(s.pane.detailView()->payload(), QByteArray("one two"));
    QTest::keyClick(view, Qt::Key_Right);
    QCOMPARE(s.pane.model()->rowCount(), 4);
    QTest::keyClick(view, Qt::Key_Down);
    QTest::keyClick(view, Qt::Key_Down);
    QCOMPARE(view->currentIndex().row(), 2);
    QCOMPARE(s.pane.detailView()->payload(), QByteArray("two"));
    QTest::keyClick(view, Qt::Key_Left); // from a frame back to its message
    QCOMPARE(view->currentIndex().row(), 0);
    QTest::keyClick(view, Qt::Key_Left);
    QCOMPARE(s.pane.model()->rowCount(), 2);
    // A click on the arrow expands too.
    const QRect cell = view->visualRect(s.pane.model()->index(0, MessageLogModel::TypeColumn));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.topLeft() + QPoint(4, 4));
    QCOMPARE(s.pane.model()->rowCount(), 4);
}

void tst_HistoryPane::copyAndResend()
{
    Shown s;
    recordText(*s.record, Direction::Incoming, "Hello");
    recordFrame(*s.record, Direction::Incoming,
                encodeFrame(Opcode::Binary, QByteArray::fromHex("00ff")));
    recordFrame(*s.record, Direction::Incoming,
                encodeFrame(Opcode::Close, QByteArray::fromHex("0fa0") + "done"));
    s.pane.poll();
    QTRY_COMPARE(s.pane.model()->rowCount(), 3);
    QCOMPARE(s.pane.copyText(0), QStringLiteral("Hello"));
    QCOMPARE(s.pane.copyHex(0), QStringLiteral("48 65 6c 6c 6f"));
    QCOMPARE(s.pane.copyText(1), QStringLiteral("00 ff"));
    QCOMPARE(s.pane.copyText(2), QStringLiteral("4000: done"));
    const QString json = s.pane.copyJson(0);
    QVERIFY(json.contains(QStringLiteral(R"("dir":"in")")));
    QVERIFY(json.contains(QStringLiteral(R"("opcode":1)")));
    QVERIFY(json.contains(QStringLiteral(R"("payload":"Hello")")));
    QVERIFY(s.pane.copyJson(1).contains(QStringLiteral(R"("payloadHex":"00ff")")));

    // Several selected rows: one line each.
    QItemSelectionModel *selection = s.pane.view()->selectionModel();
    selection->select(s.pane.model()->index(0, 0),
                      QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    selection->select(s.pane.model()->index(1, 0),
                      QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QCOMPARE(s.pane.copyText(), QStringLiteral("Hello\n00 ff"));
    QCOMPARE(s.pane.copyJson().count(QLatin1Char('\n')), 1);
    selection->clearSelection();

    QSignalSpy resend(&s.pane, &HistoryPane::resendRequested);
    s.pane.view()->setCurrentIndex(s.pane.model()->index(1, 0));
    s.pane.resendCurrent();
    QCOMPARE(resend.count(), 1);
    QCOMPARE(resend.at(0).at(0).value<Opcode>(), Opcode::Binary);
    QCOMPARE(resend.at(0).at(1).toByteArray(), QByteArray::fromHex("00ff"));
    s.pane.view()->setCurrentIndex(s.pane.model()->index(2, 0));
    s.pane.resendCurrent(); // a close frame is not re-sent
    QCOMPARE(resend.count(), 1);
    s.pane.view()->setCurrentIndex(s.pane.model()->index(0, 0));
    s.pane.view()->setFocus();
    QTest::keyClick(s.pane.view(), Qt::Key_R, Qt::ControlModifier);
    QCOMPARE(resend.count(), 2);
    QCOMPARE(resend.at(1).at(1).toByteArray(), QByteArray("Hello"));
}

void tst_HistoryPane::filterBarDrivesTheModel()
{
    Shown s;
    recordText(*s.record, Direction::Incoming, "apple");
    recordText(*s.record, Direction::Outgoing, "banana");
    recordText(*s.record, Direction::Incoming, "cherry");
    s.pane.poll();
    QTRY_COMPARE(s.pane.model()->rowCount(), 3);
    s.pane.filterBar()->searchField()->setText(QStringLiteral("an"));
    QTRY_COMPARE(s.pane.model()->rowCount(), 1); // after the typing pause
    HistoryFilterSpec spec = s.pane.filterBar()->spec();
    spec.text = QStringLiteral("^(apple|cherry)$");
    spec.regularExpression = true;
    s.pane.filterBar()->setSpec(spec);
    QTRY_COMPARE(s.pane.model()->rowCount(), 2);
    QSignalSpy status(&s.pane, &HistoryPane::statusMessage);
    spec.text = QStringLiteral("(");
    s.pane.filterBar()->setSpec(spec);
    QCOMPARE(s.pane.model()->rowCount(), 0);
    QVERIFY(!status.isEmpty());
    s.pane.filterBar()->setSpec({});
    QCOMPARE(s.pane.model()->rowCount(), 3);
}

void tst_HistoryPane::clearKeepsRecording()
{
    Shown s;
    s.append(20);
    QTRY_COMPARE(s.pane.model()->rowCount(), 20);
    s.pane.view()->setCurrentIndex(s.pane.model()->index(3, 0));
    s.pane.clear();
    QCOMPARE(s.pane.model()->rowCount(), 0);
    QVERIFY(s.pane.detailView()->entries().isEmpty());
    s.append(5);
    QTRY_COMPARE(s.pane.model()->rowCount(), 5);
    QCOMPARE(s.pane.model()->recordIndex(0), 20);
}

void tst_HistoryPane::stateRoundTrip()
{
    QByteArray state;
    QList<int> sizes;
    {
        Shown s;
        auto *splitter = s.pane.findChild<QSplitter *>();
        QVERIFY(splitter);
        splitter->setSizes({ 500, 150 });
        sizes = splitter->sizes();
        s.pane.view()->setColumnWidth(MessageLogModel::TypeColumn, 222);
        s.pane.detailView()->setCurrentTab(MessageDetailView::FrameTab);
        state = s.pane.saveState();
    }
    Shown restored;
    QVERIFY(restored.pane.restoreState(state));
    QCOMPARE(restored.pane.findChild<QSplitter *>()->sizes(), sizes);
    QCOMPARE(restored.pane.view()->columnWidth(MessageLogModel::TypeColumn), 222);
    QCOMPARE(restored.pane.detailView()->currentTab(), MessageDetailView::FrameTab);
    QVERIFY(!restored.pane.restoreState(QByteArray("garbage")));
}

void tst_HistoryPane::largeMessageOpensQuickly()
{
    Shown s;
    const QByteArray text(16 * 1024 * 1024, 'q');
    recordFrame(*s.record, Direction::Outgoing,
                encodeFrame(Opcode::Text, text, { true, false, MaskKey { 1, 2, 3, 4 } }));
    s.pane.poll();
    QTRY_COMPARE(s.pane.model()->rowCount(), 1);
    MessageDetailView *detail = s.pane.detailView();
    detail->setCurrentTab(MessageDetailView::TextTab);
    QElapsedTimer timer;
    timer.start();
    s.pane.view()->setCurrentIndex(s.pane.model()->index(0, 0));
    QCoreApplication::processEvents();
    const qint64 textMs = timer.elapsed();
    QVERIFY(detail->textView()->toPlainText().size() < MessageDetailView::TextLimit + 200);
    QVERIFY(detail->textView()->toPlainText().contains(QStringLiteral("16.0 MiB")));
    timer.restart();
    detail->setCurrentTab(MessageDetailView::FrameTab);
    detail->hexView()->setPresentation(FramePresentation::Unmasked);
    detail->hexView()->verticalScrollBar()->setValue(500000);
    detail->hexView()->viewport()->repaint();
    const qint64 frameMs = timer.elapsed();
    qInfo("16 MiB message: text tab %lld ms, frame tab and a jump to its middle %lld ms", textMs,
          frameMs);
    QCOMPARE(detail->hexView()->document().size(FramePresentation::Unmasked), text.size() + 14);
}

QTEST_MAIN(tst_HistoryPane)
#include "tst_historypane.moc"
