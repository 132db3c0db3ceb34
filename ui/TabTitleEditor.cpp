#include "ui/TabTitleEditor.h"

#include <QKeyEvent>
#include <QTabBar>

namespace duplex {

TabTitleEditor::TabTitleEditor(QTabBar *bar, int index, const QString &title)
    : QLineEdit(bar)
{
    setObjectName(QStringLiteral("tabRenameEdit"));
    setText(title);
    selectAll();
    setToolTip(QStringLiteral("Enter keeps the name, Escape cancels; an empty name names the tab "
                              "after its URL"));
    setGeometry(bar->tabRect(index).adjusted(18, 3, -18, -3));
    connect(this, &QLineEdit::editingFinished, this, [this] { finish(true); });
}

void TabTitleEditor::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        finish(false);
        return;
    }
    QLineEdit::keyPressEvent(event);
}

void TabTitleEditor::finish(bool keep)
{
    if (m_done)
        return;
    m_done = true;
    // Out of sight and out of findChild() at once; deleted when the event loop comes back.
    hide();
    setObjectName(QString());
    if (keep)
        Q_EMIT committed(text());
    else
        Q_EMIT cancelled();
    deleteLater();
}

} // namespace duplex
