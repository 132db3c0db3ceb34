#include "ui/ComposerJsonHighlighter.h"

#include <QPalette>

namespace duplex {

ComposerJsonHighlighter::ComposerJsonHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    setPalette(QPalette());
}

void ComposerJsonHighlighter::setPalette(const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    m_key.setForeground(dark ? QColor(0x7d, 0xc4, 0xff) : QColor(0x0b, 0x4f, 0xa8));
    m_string.setForeground(dark ? QColor(0xa5, 0xd6, 0x8a) : QColor(0x1a, 0x7f, 0x37));
    m_number.setForeground(dark ? QColor(0xf0, 0xb0, 0x6a) : QColor(0xb3, 0x4d, 0x00));
    m_keyword.setForeground(dark ? QColor(0xd2, 0x9b, 0xf5) : QColor(0x8b, 0x2b, 0xb9));
    m_keyword.setFontWeight(QFont::DemiBold);
    m_punctuation.setForeground(palette.color(QPalette::PlaceholderText));
    rehighlight();
}

void ComposerJsonHighlighter::highlightBlock(const QString &text)
{
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('"')) {
            const qsizetype start = i++;
            while (i < n && text.at(i) != QLatin1Char('"'))
                i += text.at(i) == QLatin1Char('\\') ? 2 : 1;
            i = qMin(i + 1, n);
            qsizetype next = i;
            while (next < n && text.at(next).isSpace())
                ++next;
            const bool isKey = next < n && text.at(next) == QLatin1Char(':');
            setFormat(int(start), int(i - start), isKey ? m_key : m_string);
        } else if (c.isDigit() || c == QLatin1Char('-')) {
            const qsizetype start = i++;
            while (i < n
                   && (text.at(i).isLetterOrNumber() || text.at(i) == QLatin1Char('.')
                       || text.at(i) == QLatin1Char('+') || text.at(i) == QLatin1Char('-')))
                ++i;
            setFormat(int(start), int(i - start), m_number);
        } else if (c.isLetter()) {
            const qsizetype start = i;
            while (i < n && text.at(i).isLetter())
                ++i;
            const QStringView word = QStringView(text).mid(start, i - start);
            if (word == u"true" || word == u"false" || word == u"null")
                setFormat(int(start), int(i - start), m_keyword);
        } else {
            if (QStringLiteral("{}[],:").contains(c))
                setFormat(int(i), 1, m_punctuation);
            ++i;
        }
    }
}

} // namespace duplex
