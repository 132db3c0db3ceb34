#pragma once

#include "ui/FrameDocument.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QSplitter;
class QTabWidget;
class QToolButton;

namespace duplex {

class FrameHexView;
class FrameLegend;
class JsonHighlighter;
class SessionRecord;

// The detail pane for the selected history row, in tabs: the payload as text, as pretty JSON
// with highlighting, and the frame (hex view and legend). For a fragmented message the text
// and JSON tabs show the assembled payload and the frame tab lets one pick each frame; for a
// session event the text tab shows its JSON. Tabs are filled when shown, and text is capped
// (TextLimit) so a 16 MiB payload never blocks the window; the hex view shows all bytes.
class MessageDetailView : public QWidget
{
    Q_OBJECT
public:
    enum Tab { TextTab, JsonTab, FrameTab };
    static constexpr qsizetype TextLimit = 256 * 1024;

    explicit MessageDetailView(QWidget *parent = nullptr);
    ~MessageDetailView() override;

    // Shows entries of a record: the frames of one message (one for an unfragmented one) or a
    // single session event. An empty list clears the pane.
    void showEntries(std::shared_ptr<const SessionRecord> record, const QList<qsizetype> &entries);
    void clear();

    QList<qsizetype> entries() const { return m_entries; }
    // The payload shown (assembled for a message), as text tab and JSON tab would show it.
    QByteArray payload() const { return m_payload; }

    Tab currentTab() const;
    void setCurrentTab(Tab tab);
    // Frame tab: which frame of the message is in the hex view.
    int currentFrame() const;
    void setCurrentFrame(int frame);

    FrameHexView *hexView() const { return m_hexView; }
    FrameLegend *legend() const { return m_legend; }
    QPlainTextEdit *textView() const { return m_text; }
    QPlainTextEdit *jsonView() const { return m_json; }
    QTabWidget *tabs() const { return m_tabs; }

    QByteArray saveState() const;
    bool restoreState(const QByteArray &state);

Q_SIGNALS:
    // Text for a status bar: the field of the hovered byte, or empty.
    void statusTextChanged(const QString &text);

protected:
    void changeEvent(QEvent *event) override;

private:
    void fillCurrentTab();
    void fillText();
    void fillJson();
    void fillFrame();
    void updatePresentationButtons();
    void showFrame(int frame);

    std::shared_ptr<const SessionRecord> m_record;
    QList<qsizetype> m_entries;
    QByteArray m_payload;
    bool m_isEvent = false;
    bool m_textFilled = false;
    bool m_jsonFilled = false;
    bool m_frameFilled = false;

    QTabWidget *m_tabs = nullptr;
    QLabel *m_summary = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QPlainTextEdit *m_json = nullptr;
    JsonHighlighter *m_highlighter = nullptr;
    QComboBox *m_framePicker = nullptr;
    QToolButton *m_wireButton = nullptr;
    QToolButton *m_unmaskedButton = nullptr;
    QToolButton *m_inflatedButton = nullptr;
    FrameHexView *m_hexView = nullptr;
    FrameLegend *m_legend = nullptr;
    QSplitter *m_frameSplitter = nullptr;
    QLabel *m_jsonStatus = nullptr;
    FramePresentation m_preferred = FramePresentation::Wire;
};

} // namespace duplex
