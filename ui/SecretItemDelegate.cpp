#include "ui/SecretItemDelegate.h"

#include <QLineEdit>

namespace duplex {

QString SecretItemDelegate::maskedText(const QString &value)
{
    return value.isEmpty() ? QString() : QString(8, QChar(0x2022));
}

SecretItemDelegate::SecretItemDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{ }

QWidget *SecretItemDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                                          const QModelIndex &index) const
{
    QWidget *editor = QStyledItemDelegate::createEditor(parent, option, index);
    if (auto *line = qobject_cast<QLineEdit *>(editor)) {
        if (index.data(SecretRole).toBool())
            line->setEchoMode(QLineEdit::Password);
    }
    return editor;
}

} // namespace duplex
