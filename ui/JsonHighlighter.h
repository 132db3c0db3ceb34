#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

class QPalette;

namespace duplex {

// JSON syntax colouring for any QTextDocument: keys, strings, numbers, true/false/null and
// punctuation, in colours taken from a palette (light or dark). Stateless per line, so it
// also copes with the half-typed, invalid JSON of an editor. Shared by the history's detail
// pane and the composer:
//
//     auto *highlighter = new JsonHighlighter(editor->document());
//     highlighter->setPalette(editor->palette()); // again on QEvent::PaletteChange
class JsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    enum class Token : quint8 { Key, String, Number, Keyword, Punctuation, Invalid };

    explicit JsonHighlighter(QTextDocument *document);

    void setPalette(const QPalette &palette);
    QTextCharFormat format(Token token) const;

protected:
    void highlightBlock(const QString &text) override;

private:
    QTextCharFormat m_formats[6];
};

} // namespace duplex
