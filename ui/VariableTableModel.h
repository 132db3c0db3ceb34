#pragma once

#include "core/session/Environment.h"
#include "ui/TrailingRowTableModel.h"

namespace duplex {

// The variables of one environment in the environment editor: name, value and whether the
// value is secret (kept in the keychain, shown masked). The last row is always an empty one;
// typing into it adds a variable.
class VariableTableModel : public TrailingRowTableModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, ValueColumn, SecretColumn, ColumnCount };

    explicit VariableTableModel(QObject *parent = nullptr);

    void setVariables(const QList<Environment::Variable> &variables);
    // Without the empty last row and rows left entirely blank.
    QList<Environment::Variable> variables() const;

    // Show secret values in clear instead of masked.
    void setRevealed(bool revealed);
    bool isRevealed() const { return m_revealed; }

    // What is wrong with the variable in `row` (an empty or invalid name, a duplicate), or "".
    QString problemAt(int row) const;

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

Q_SIGNALS:
    void variablesEdited();

private:
    int itemCount() const override { return int(m_variables.size()); }
    void appendItem() override { m_variables.append(Environment::Variable {}); }
    void removeItems(int row, int count) override { m_variables.remove(row, count); }
    void notifyEdited() override { Q_EMIT variablesEdited(); }

    QList<Environment::Variable> m_variables;
    bool m_revealed = false;
};

} // namespace duplex
