#pragma once

#include "ui/FrameDocument.h"

#include <QAbstractScrollArea>

namespace duplex {

// One frame's bytes as offset | hex | ASCII, after Wireshark's byte view: it paints only the
// rows on screen, reading (and unmasking) only their bytes, so a 16 MiB frame scrolls as
// freely as a 16-byte one. Header, extended length, mask key and payload have their own
// background colours (FrameFieldColors, from the palette); hovering a byte names its field
// (tooltip and hoveredByteChanged for a status bar). Bytes are selected with the mouse
// (drag, shift+click) or the keyboard (arrows, Page Up/Down, Home/End, with Shift to extend,
// Ctrl+A), and copied as hex (Ctrl+C) or text (Ctrl+Shift+C). For masked frames the view shows
// either the masked wire bytes or the frame with its payload unmasked; for compressed frames
// also the inflated payload (setPresentation). Rows hold 16 bytes when they fit the width and
// 8 when they do not, so the ASCII column stays in view in a narrow pane.
class FrameHexView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    static constexpr int WideRow = 16;
    static constexpr int NarrowRow = 8;

    explicit FrameHexView(QWidget *parent = nullptr);
    ~FrameHexView() override;

    void setDocument(FrameDocument document);
    const FrameDocument &document() const { return m_document; }
    // Convenience: a document from wire bytes (and what the payload inflated to).
    void setFrame(QByteArray wire, QByteArray inflated = {});
    void clear();

    // Falls back to Wire when the document has no such presentation.
    void setPresentation(FramePresentation presentation);
    FramePresentation presentation() const { return m_presentation; }

    // Selection, in byte offsets of the current presentation.
    void select(qsizetype offset, qsizetype length);
    void selectAll();
    ByteRange selection() const;
    bool hasSelection() const { return selection().length > 0; }
    QByteArray selectedBytes() const;
    // "81 85 37 fa" (lower case, single spaces) and the bytes as Latin-1 text with
    // non-printable bytes as '.' (the ASCII column) — or, for text payloads, as UTF-8.
    QString selectedHex() const;
    QString selectedText() const;
    qsizetype cursorPosition() const { return m_cursor; }

    // Geometry and looks, public for tests and tooltips.
    qsizetype byteAt(const QPoint &viewportPosition) const; // -1 outside any byte
    QRect byteRect(qsizetype offset, bool asciiColumn = false) const; // viewport coordinates
    FrameField fieldAt(qsizetype offset) const;
    QColor byteBackground(qsizetype offset) const;
    QString describeByte(qsizetype offset) const;
    qsizetype hoveredByte() const { return m_hovered; }
    void scrollToByte(qsizetype offset);
    int firstVisibleRow() const;
    int bytesPerRow() const { return m_bytesPerRow; }
    QSize sizeHint() const override;

public Q_SLOTS:
    void copyAsHex();
    void copyAsText();

Q_SIGNALS:
    // The byte under the mouse changed; -1 and an empty text when the mouse left the bytes.
    void hoveredByteChanged(qsizetype offset, const QString &description);
    void selectionChanged();
    void presentationChanged(duplex::FramePresentation presentation);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    qsizetype rowCount() const;
    qsizetype dataSize() const;
    void updateMetrics();
    void updateScrollBars();
    // Picks 16 or 8 bytes per row for the viewport's width; true when that changed.
    bool fitRowToWidth();
    qreal rowWidth(int bytes) const;
    void setHovered(qsizetype offset);
    void moveCursor(qsizetype offset, bool extend);
    void ensureCursorVisible();

    FrameDocument m_document;
    FramePresentation m_presentation = FramePresentation::Wire;
    FrameFieldColors m_colors;
    qsizetype m_anchor = -1;
    qsizetype m_cursor = 0;
    qsizetype m_hovered = -1;
    bool m_selecting = false;
    bool m_dragInAscii = false;
    // Metrics (pixels)
    qreal m_charWidth = 8;
    int m_lineHeight = 16;
    int m_ascent = 12;
    int m_margin = 6;
    qreal m_hexStart = 0;
    qreal m_asciiStart = 0;
    qreal m_totalWidth = 0;
    int m_bytesPerRow = WideRow;
};

} // namespace duplex
