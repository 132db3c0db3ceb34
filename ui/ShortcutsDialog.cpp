#include "ui/ShortcutsDialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace duplex {

ShortcutsDialog::ShortcutsDialog(const QList<QAction *> &actions, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(QStringLiteral("Keyboard Shortcuts"));
    QString html = QStringLiteral("<table cellpadding='3'>");
    const auto row = [&html](const QString &keys, const QString &what) {
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(keys.toHtmlEscaped(), what.toHtmlEscaped());
    };
    for (const QAction *action : actions) {
        if (!action->shortcut().isEmpty())
            row(action->shortcut().toString(QKeySequence::NativeText),
                QString(action->text()).remove(QLatin1Char('&')).remove(QChar(0x2026)));
    }
    row(QStringLiteral("Ctrl+Enter"), QStringLiteral("Send the message (in the composer)"));
    row(QStringLiteral("Up / Down"),
        QStringLiteral("Recall sent messages (first / last line of the composer)"));
    row(QStringLiteral("Ctrl+1 … Ctrl+5"),
        QStringLiteral("Composer: Text, JSON, Hex, Base64, File"));
    row(QStringLiteral("Ctrl+Shift+F"), QStringLiteral("Pretty-print the JSON in the composer"));
    row(QStringLiteral("Enter"), QStringLiteral("Connect (in the URL field)"));
    row(QStringLiteral("Double-click a tab"), QStringLiteral("Rename it"));
    html += QStringLiteral("</table>");

    auto *text = new QTextBrowser(this);
    text->setHtml(html);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(buttons);
    resize(520, 520);
}

} // namespace duplex
