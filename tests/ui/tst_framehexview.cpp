// FrameHexView, FrameDocument and FrameLegend: field colours at given offsets, hovering names a
// byte's field, masked/unmasked and wire/inflated toggles, selection and copy, header decoding,
// and a 16 MiB frame that paints and scrolls without delay.

#include "HistoryTestSupport.h"
#include "ui/FrameHexView.h"
#include "ui/FrameLegend.h"
#include "ui/JsonHighlighter.h"

#include <QClipboard>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>

using namespace duplex;
using namespace duplex::test;

namespace {

const MaskKey Key { 0x37, 0xfa, 0x21, 0x3d };

// A masked text frame with a 16-bit extended length: 0-1 header, 2-3 length, 4-7 key, 8- payload.
QByteArray maskedFrame300()
{
    return encodeFrame(Opcode::Text, QByteArray(300, 'a'), { true, false, Key });
}

} // namespace

class tst_FrameHexView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QLocale::setDefault(QLocale::c()); }
    void documentFields();
    void coloursByField();
    void hoverNamesTheField();
    void maskedToggle();
    void inflatedToggle();
    void selectionAndCopy();
    void keyboardSelection();
    void legendDecodesHeader_data();
    void legendDecodesHeader();
    void rowWidthFollowsTheView();
    void largeFrameScrollsWithoutDelay();
    void jsonHighlighter();
};

void tst_FrameHexView::documentFields()
{
    const FrameDocument document(maskedFrame300());
    QVERIFY(document.hasHeader());
    QVERIFY(document.isMasked());
    QCOMPARE(document.headerSize(), 8);
    const auto field = [&](qsizetype offset) {
        return document.fieldAt(FramePresentation::Wire, offset);
    };
    QCOMPARE(field(0), FrameField::FlagsAndOpcode);
    QCOMPARE(field(1), FrameField::MaskAndLength);
    QCOMPARE(field(2), FrameField::ExtendedLength);
    QCOMPARE(field(3), FrameField::ExtendedLength);
    QCOMPARE(field(4), FrameField::MaskingKey);
    QCOMPARE(field(7), FrameField::MaskingKey);
    QCOMPARE(field(8), FrameField::Payload);
    QCOMPARE(field(307), FrameField::Payload);
    QCOMPARE(field(308), FrameField::None);
    QCOMPARE(document.rangeOf(FramePresentation::Wire, FrameField::Payload),
             (ByteRange { 8, 300 }));
    // Unmasking a slice that starts inside the payload uses the right key bytes.
    QCOMPARE(document.bytes(FramePresentation::Unmasked, 6, 6),
             QByteArray::fromHex("213d") + "aaaa");
    QCOMPARE(document.bytes(FramePresentation::Wire, 8, 1).at(0), char('a' ^ 0x37));
    QVERIFY(!document.hasPresentation(FramePresentation::Inflated));

    // A record entry gives the same document without copying the bytes.
    SessionRecord record;
    const qsizetype index = recordFrame(record, Direction::Outgoing, maskedFrame300());
    auto shared = std::shared_ptr<const SessionRecord>(&record, [](const SessionRecord *) {});
    const FrameDocument fromRecord = FrameDocument::fromRecord(shared, index);
    QCOMPARE(fromRecord.wire().data(), record.data(record.entry(index)).data());
    QCOMPARE(fromRecord.size(FramePresentation::Wire), 308);
}

void tst_FrameHexView::coloursByField()
{
    FrameHexView view;
    view.setFrame(maskedFrame300());
    const FrameFieldColors colors = FrameFieldColors::forPalette(view.palette());
    QCOMPARE(view.byteBackground(0), colors.header);
    QCOMPARE(view.byteBackground(1), colors.header);
    QCOMPARE(view.byteBackground(2), colors.extendedLength);
    QCOMPARE(view.byteBackground(5), colors.maskKey);
    QCOMPARE(view.byteBackground(8), colors.payload);
    const QList<QColor> distinct { colors.header, colors.extendedLength, colors.maskKey,
                                   colors.payload };
    for (int i = 0; i < distinct.size(); ++i)
        for (int j = i + 1; j < distinct.size(); ++j)
            QVERIFY(distinct.at(i) != distinct.at(j));
    // Dark palettes get their own tints, still distinct from the base colour.
    QPalette dark;
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    const FrameFieldColors darkColors = FrameFieldColors::forPalette(dark);
    QVERIFY(darkColors.header.lightness() < 128);
    QVERIFY(darkColors.header != QColor(0x1e, 0x1e, 0x1e));
    // A selected byte shows the selection colour instead.
    view.select(8, 1);
    QCOMPARE(view.byteBackground(8), view.palette().color(QPalette::Highlight));
}

void tst_FrameHexView::hoverNamesTheField()
{
    FrameHexView view;
    view.resize(700, 300);
    view.setFrame(maskedFrame300());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy hovered(&view, &FrameHexView::hoveredByteChanged);

    const QPoint keyByte = view.byteRect(5).center();
    QCOMPARE(view.byteAt(keyByte), 5);
    QTest::mouseMove(view.viewport(), keyByte);
    QTRY_COMPARE(view.hoveredByte(), 5);
    QVERIFY(!hovered.isEmpty());
    QVERIFY(hovered.last().at(1).toString().contains(QStringLiteral("Masking key")));
    QCOMPARE(view.describeByte(5), hovered.last().at(1).toString());

    // The ASCII column names the same byte.
    QTest::mouseMove(view.viewport(), view.byteRect(0, true).center());
    QTRY_COMPARE(view.hoveredByte(), 0);
    const QString first = hovered.last().at(1).toString();
    QVERIFY(first.contains(QStringLiteral("FIN=1")));
    QVERIFY(first.contains(QStringLiteral("opcode 0x1 (text)")));
    QVERIFY(view.describeByte(2).contains(QStringLiteral("16-bit")));
    QVERIFY(view.describeByte(20).contains(QStringLiteral("Payload")));
    QVERIFY(view.describeByte(20).contains(QStringLiteral("masked")));
}

void tst_FrameHexView::maskedToggle()
{
    FrameHexView view;
    view.setFrame(maskedFrame300());
    QSignalSpy changed(&view, &FrameHexView::presentationChanged);
    view.select(8, 4);
    QCOMPARE(view.selectedBytes(), QByteArray::fromHex("56 9b 40 5c"));
    view.setPresentation(FramePresentation::Unmasked);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(view.presentation(), FramePresentation::Unmasked);
    QCOMPARE(view.selectedBytes(), QByteArray("aaaa")); // the selection stays on the same bytes
    view.select(0, 2);
    QCOMPARE(view.selectedHex(), QStringLiteral("81 fe")); // the header is never unmasked

    // An unmasked frame has nothing to toggle.
    view.setFrame(encodeFrame(Opcode::Text, "Hi"));
    QCOMPARE(view.presentation(), FramePresentation::Wire);
    view.setPresentation(FramePresentation::Unmasked);
    QCOMPARE(view.presentation(), FramePresentation::Wire);
}

void tst_FrameHexView::inflatedToggle()
{
    RecordingPair pair;
    pair.echo = true;
    pair.open(true);
    const QByteArray text(2000, 'z');
    QVERIFY(pair.client.sendText(text));
    pair.pump();
    const std::shared_ptr<const SessionRecord> record = pair.record;
    QCOMPARE(record->size(), 2); // sent, and the echo
    for (qsizetype index = 0; index < 2; ++index) {
        QVERIFY(record->entry(index).flags & RecordCompressed);
        FrameHexView view;
        view.setDocument(FrameDocument::fromRecord(record, index));
        QVERIFY(view.document().isCompressed());
        QVERIFY(view.document().size(FramePresentation::Wire) < 100);
        QCOMPARE(view.fieldAt(0), FrameField::FlagsAndOpcode);
        view.setPresentation(FramePresentation::Inflated);
        QCOMPARE(view.presentation(), FramePresentation::Inflated);
        QCOMPARE(view.fieldAt(0), FrameField::InflatedPayload);
        view.selectAll();
        QCOMPARE(view.selectedBytes(), text);
        FrameLegend legend;
        legend.setDocument(view.document());
        QCOMPARE(legend.valueText(FrameLegend::Field::Rsv1),
                 QStringLiteral("1 \u2014 compressed (permessage-deflate)"));
    }
}

void tst_FrameHexView::selectionAndCopy()
{
    FrameHexView view;
    view.setFrame(encodeFrame(Opcode::Text, "Hello, world"));
    view.select(0, 4);
    QCOMPARE(view.selection(), (ByteRange { 0, 4 }));
    QCOMPARE(view.selectedHex(), QStringLiteral("81 0c 48 65"));
    view.copyAsHex();
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("81 0c 48 65"));
    view.select(2, 5);
    view.copyAsText();
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("Hello"));
    view.select(0, 3);
    QCOMPARE(view.selectedText(), QStringLiteral("..H")); // non-text bytes as in the ASCII column
    view.selectAll();
    QCOMPARE(view.selection().length, 14);
}

void tst_FrameHexView::keyboardSelection()
{
    FrameHexView view;
    view.resize(700, 300);
    view.setFrame(encodeFrame(Opcode::Binary, QByteArray(64, '\x11')));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setFocus();
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.byteRect(2).center());
    QCOMPARE(view.selection(), (ByteRange { 2, 1 }));
    QTest::keyClick(&view, Qt::Key_Right, Qt::ShiftModifier);
    QTest::keyClick(&view, Qt::Key_Right, Qt::ShiftModifier);
    QCOMPARE(view.selection(), (ByteRange { 2, 3 }));
    QTest::keyClick(&view, Qt::Key_Down, Qt::ShiftModifier);
    QCOMPARE(view.selection(), (ByteRange { 2, 19 }));
    QTest::keyClick(&view, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QGuiApplication::clipboard()->text().size(), 19 * 3 - 1);
    QTest::keyClick(&view, Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(view.cursorPosition(), 65);
    // Shift+click extends from the anchor.
    QTest::keyClick(&view, Qt::Key_Home, Qt::ControlModifier);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, Qt::ShiftModifier,
                      view.byteRect(17).center());
    QCOMPARE(view.selection(), (ByteRange { 0, 18 }));
}

void tst_FrameHexView::legendDecodesHeader_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<FrameLegend::Field>("field");
    QTest::addColumn<QString>("expected");
    using F = FrameLegend::Field;
    const QByteArray hi = encodeFrame(Opcode::Text, "Hi");
    QTest::newRow("first bytes") << hi << F::FirstBytes << QStringLiteral("0x81 0x02");
    QTest::newRow("fin") << hi << F::Fin << QStringLiteral("1 \u2014 final frame");
    QTest::newRow("rsv1") << hi << F::Rsv1 << QStringLiteral("0 \u2014 clear");
    QTest::newRow("opcode") << hi << F::Opcode << QStringLiteral("0x1 text");
    QTest::newRow("mask") << hi << F::Mask << QStringLiteral("0 \u2014 not masked");
    QTest::newRow("length 7-bit") << hi << F::PayloadLength << QStringLiteral("2 (7-bit)");
    QTest::newRow("no key") << hi << F::MaskingKey << QStringLiteral("none");

    const QByteArray masked = maskedFrame300();
    QTest::newRow("masked first bytes") << masked << F::FirstBytes << QStringLiteral("0x81 0xfe");
    QTest::newRow("masked") << masked << F::Mask
                            << QStringLiteral("1 \u2014 masked (client to server)");
    QTest::newRow("length 16-bit")
        << masked << F::PayloadLength << QStringLiteral("300 (16-bit extended length)");
    QTest::newRow("key") << masked << F::MaskingKey << QStringLiteral("37 fa 21 3d");

    const QByteArray big = encodeFrame(Opcode::Binary, QByteArray(70000, 0), { false, false, {} });
    QTest::newRow("length 64-bit")
        << big << F::PayloadLength << QStringLiteral("70000 (64-bit extended length)");
    QTest::newRow("not final") << big << F::Fin << QStringLiteral("0 \u2014 more frames follow");
    QTest::newRow("binary") << big << F::Opcode << QStringLiteral("0x2 binary");

    const QByteArray reserved = encodeFrame(Opcode::ReservedControlB, "");
    QTest::newRow("reserved") << reserved << F::Opcode
                              << QStringLiteral("0xb reserved-0xb (control)");
    const QByteArray compressed = encodeFrame(Opcode::Text, "x", { true, true, {} });
    QTest::newRow("compressed") << compressed << F::Rsv1
                                << QStringLiteral("1 \u2014 compressed (permessage-deflate)");
}

void tst_FrameHexView::legendDecodesHeader()
{
    QFETCH(QByteArray, wire);
    QFETCH(FrameLegend::Field, field);
    QFETCH(QString, expected);
    FrameLegend legend;
    legend.setDocument(FrameDocument(wire));
    QCOMPARE(legend.valueText(field), expected);
    legend.clear();
    QCOMPARE(legend.valueText(field), QString());
}

void tst_FrameHexView::rowWidthFollowsTheView()
{
    FrameHexView view;
    view.setFrame(maskedFrame300());
    view.resize(view.sizeHint());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    // At its preferred size a row holds 16 bytes and nothing needs a horizontal scroll.
    QCOMPARE(view.bytesPerRow(), FrameHexView::WideRow);
    QCOMPARE(view.horizontalScrollBar()->maximum(), 0);
    QCOMPARE(view.byteRect(16).top(), view.byteRect(0).top() + view.byteRect(0).height());

    // In a pane too narrow for that, rows hold 8 bytes and the ASCII column stays in view.
    view.scrollToByte(200);
    const int topByte = view.firstVisibleRow() * FrameHexView::WideRow;
    view.resize(view.sizeHint().width() * 2 / 3, view.height());
    QTRY_COMPARE(view.bytesPerRow(), FrameHexView::NarrowRow);
    QCOMPARE(view.firstVisibleRow(), topByte / FrameHexView::NarrowRow);
    QCOMPARE(view.byteRect(8).top(), view.byteRect(0).top() + view.byteRect(0).height());
    QVERIFY(view.byteRect(topByte + 7, true).right() <= view.viewport()->width());
    QCOMPARE(view.byteAt(view.byteRect(topByte + 9, true).center()), topByte + 9);
    QCOMPARE(view.byteAt(view.byteRect(topByte + 9).center()), topByte + 9);

    view.resize(view.sizeHint());
    QTRY_COMPARE(view.bytesPerRow(), FrameHexView::WideRow);
}

void tst_FrameHexView::largeFrameScrollsWithoutDelay()
{
    const qsizetype size = 16 * 1024 * 1024;
    QByteArray payload(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        payload[i] = char(i * 31);
    const QByteArray wire = encodeFrame(Opcode::Binary, payload, { true, false, Key });

    FrameHexView view;
    view.resize(760, 480);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QElapsedTimer timer;
    timer.start();
    view.setFrame(wire);
    view.setPresentation(FramePresentation::Unmasked);
    view.viewport()->repaint();
    const qint64 openMs = timer.elapsed();

    // Page through the middle and jump to the end: each step repaints only what is visible.
    qint64 slowestMs = 0;
    QScrollBar *bar = view.verticalScrollBar();
    QCOMPARE(bar->maximum() + bar->pageStep() >= size / view.bytesPerRow(), true);
    for (int step = 0; step < 40; ++step) {
        timer.restart();
        bar->setValue(bar->maximum() / 40 * step + step * 997);
        view.viewport()->repaint();
        slowestMs = qMax(slowestMs, timer.elapsed());
    }
    timer.restart();
    bar->setValue(bar->maximum());
    view.viewport()->repaint();
    slowestMs = qMax(slowestMs, timer.elapsed());
    // Timings are reported, not asserted: how fast is a figure, not a pass/fail on a busy machine.
    qInfo("16 MiB frame: opened in %lld ms, slowest scroll step %lld ms", openMs, slowestMs);
    // Scrolled to the middle, the bytes shown are the unmasked payload's at that offset.
    const qsizetype middle = wire.size() / 2;
    view.select(middle, 8);
    QCOMPARE(view.selectedBytes(), payload.mid(middle - (wire.size() - payload.size()), 8));

    // The last bytes, unmasked, are the payload's.
    view.select(wire.size() - 4, 4);
    QCOMPARE(view.selectedBytes(), payload.right(4));
}

void tst_FrameHexView::jsonHighlighter()
{
    QPlainTextEdit editor;
    auto *highlighter = new JsonHighlighter(editor.document());
    editor.setPlainText(QStringLiteral(R"({"key": "value", "n": -1.5e3, "ok": true, "x": null})"));
    highlighter->rehighlight();
    const QList<QTextLayout::FormatRange> formats =
        editor.document()->firstBlock().layout()->formats();
    const auto formatAt = [&](int position) {
        for (const auto &range : formats)
            if (position >= range.start && position < range.start + range.length)
                return range.format;
        return QTextCharFormat();
    };
    using T = JsonHighlighter::Token;
    QCOMPARE(formatAt(2).foreground(), highlighter->format(T::Key).foreground());
    QCOMPARE(formatAt(10).foreground(), highlighter->format(T::String).foreground());
    QCOMPARE(formatAt(24).foreground(), highlighter->format(T::Number).foreground());
    QCOMPARE(formatAt(38).foreground(), highlighter->format(T::Keyword).foreground());
    QCOMPARE(formatAt(0).foreground(), highlighter->format(T::Punctuation).foreground());
    QVERIFY(highlighter->format(T::Key).foreground()
            != highlighter->format(T::String).foreground());
}

QTEST_MAIN(tst_FrameHexView)
#include "tst_framehexview.moc"
