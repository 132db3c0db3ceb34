#include "ui/JsonHighlighter.h"

#include <QGuiApplication>
#include <QPalette>

namespace duplex {

JsonHighlighter::JsonHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    setPalette(QGuiApplication::palette());
}

void JsonHighlighter::setPalette(const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    const auto set = [this](Token token, const QColor &color, bool bold = false) {
        QTextCharFormat format;
        format.setForeground(color);
        if (bold)
            format.setFontWeight(QFont::DemiBold);
        m_formats[int(token)] = format;
    };
    set(Token::Key, dark ? QColor(0xd2, 0xa8, 0xff) : QColor(0x82, 0x50, 0xdf), true);
    set(Token::String, dark ? QColor(0xa5, 0xd6, 0xff) : QColor(0x0a, 0x30, 0x69));
    set(Token::Number, dark ? QColor(0x79, 0xc0, 0xff) : QColor(0x05, 0x50, 0xae));
    set(Token::Keyword, dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xcf, 0x22, 0x2e));
    set(Token::Punctuation, palette.color(QPalette::PlaceholderText));
    QTextCharFormat invalid;
    invalid.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    invalid.setUnderlineColor(dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xcf, 0x22, 0x2e));
    m_formats[int(Token::Invalid)] = invalid;
    rehighlight();
}

QTextCharFormat JsonHighlighter::format(Token token) const
{
    return m_formats[int(token)];
}

void JsonHighlighter::highlightBlock(const QString &text)
{
    const qsizetype size = text.size();
    qsizetype i = 0;
    while (i < size) {
        const QChar c = text.at(i);
        if (c.isSpace()) {
            ++i;
            continue;
        }
        const qsizetype start = i;
        if (c == u'"') {
            ++i;
            while (i < size && text.at(i) != u'"')
                i += text.at(i) == u'\\' ? 2 : 1;
            i = qMin(i + 1, size);
            qsizetype next = i;
            while (next < size && text.at(next).isSpace())
                ++next;
            const bool key = next < size && text.at(next) == u':';
            setFormat(int(start), int(i - start), m_formats[int(key ? Token::Key : Token::String)]);
        } else if (c == u'-' || c.isDigit()) {
            while (i < size
                   && (text.at(i).isDigit() || text.at(i) == u'.' || text.at(i) == u'e'
                       || text.at(i) == u'E' || text.at(i) == u'+' || text.at(i) == u'-'))
                ++i;
            setFormat(int(start), int(i - start), m_formats[int(Token::Number)]);
        } else if (c.isLetter()) {
            while (i < size && text.at(i).isLetterOrNumber())
                ++i;
            const QStringView word = QStringView(text).mid(start, i - start);
            const bool keyword = word == u"true" || word == u"false" || word == u"null";
            setFormat(int(start), int(i - start),
                      m_formats[int(keyword ? Token::Keyword : Token::Invalid)]);
        } else if (c == u'{' || c == u'}' || c == u'[' || c == u']' || c == u',' || c == u':') {
            setFormat(int(start), 1, m_formats[int(Token::Punctuation)]);
            ++i;
        } else {
            ++i;
        }
    }
}

} // namespace duplex
