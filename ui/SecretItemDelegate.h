#pragma once

#include <QStyledItemDelegate>

namespace duplex {

// Edits the cells of tables that may hold secret values (headers, environment variables): a
// cell whose model says SecretRole is true edits in a password field, so the value is never on
// screen, and the model shows it as maskedText().
class SecretItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    // Models answer true here for cells whose value is secret.
    static constexpr int SecretRole = Qt::UserRole + 100;

    // What a secret value looks like on screen: a fixed row of dots that says nothing of its
    // length; empty stays empty so that a missing value shows.
    static QString maskedText(const QString &value);

    explicit SecretItemDelegate(QObject *parent = nullptr);

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
};

} // namespace duplex
