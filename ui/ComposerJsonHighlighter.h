#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace duplex {

// Stand-in JSON colouring for the composer until the shared JsonHighlighter is built into
// duplex_ui; Composer creates it in one place (createJsonHighlighter) so the switch is one line.
class ComposerJsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    explicit ComposerJsonHighlighter(QTextDocument *document);
    void setPalette(const QPalette &palette);

protected:
    void highlightBlock(const QString &text) override;

private:
    QTextCharFormat m_key;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_keyword;
    QTextCharFormat m_punctuation;
};

} // namespace duplex
