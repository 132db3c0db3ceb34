#include "ui/VariableTableModel.h"

#include "ui/SecretItemDelegate.h"
#include "ui/Theme.h"

namespace duplex {

VariableTableModel::VariableTableModel(QObject *parent)
    : TrailingRowTableModel(
        { { QStringLiteral("Variable"), QStringLiteral("Used as {{name}}"), false },
          { QStringLiteral("Value"), QString(), false },
          { QStringLiteral("Secret"),
            QStringLiteral("Secret values stay in the system keychain and are shown masked"),
            true } },
        parent)
{ }

void VariableTableModel::setVariables(const QList<Environment::Variable> &variables)
{
    beginResetModel();
    m_variables = variables;
    endResetModel();
}

QList<Environment::Variable> VariableTableModel::variables() const
{
    QList<Environment::Variable> list;
    for (const Environment::Variable &variable : m_variables) {
        if (!variable.name.isEmpty() || !variable.value.isEmpty())
            list.append(variable);
    }
    return list;
}

void VariableTableModel::setRevealed(bool revealed)
{
    if (m_revealed == revealed)
        return;
    m_revealed = revealed;
    if (!m_variables.isEmpty())
        Q_EMIT dataChanged(index(0, ValueColumn), index(int(m_variables.size()) - 1, ValueColumn));
}

QString VariableTableModel::problemAt(int row) const
{
    if (row < 0 || row >= m_variables.size())
        return {};
    const Environment::Variable &variable = m_variables.at(row);
    if (variable.name.isEmpty())
        return variable.value.isEmpty() ? QString()
                                        : QStringLiteral("The variable has a value but no name.");
    if (!Environment::isValidVariableName(variable.name))
        return QStringLiteral("\"%1\" cannot be used in {{…}}: use letters, digits, '_', '-' and "
                              "'.'.")
            .arg(variable.name);
    for (int i = 0; i < row; ++i) {
        if (m_variables.at(i).name == variable.name)
            return QStringLiteral("\"%1\" is already defined above.").arg(variable.name);
    }
    return {};
}

QVariant VariableTableModel::data(const QModelIndex &index, int role) const
{
    if (!isCell(index))
        return {};
    const int row = index.row();
    if (isPlaceholderRow(row)) {
        if (role == Qt::DisplayRole && index.column() == NameColumn)
            return QStringLiteral("Add a variable");
        if (role == Qt::ForegroundRole)
            return Theme::mutedTextColor();
        return {};
    }
    const Environment::Variable &variable = m_variables.at(row);
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == ValueColumn && variable.secret && !m_revealed)
            return SecretItemDelegate::maskedText(variable.value);
        [[fallthrough]];
    case Qt::EditRole:
        if (index.column() == NameColumn)
            return variable.name;
        if (index.column() == ValueColumn)
            return variable.value;
        return {};
    case Qt::CheckStateRole:
        if (index.column() == SecretColumn)
            return variable.secret ? Qt::Checked : Qt::Unchecked;
        return {};
    case SecretItemDelegate::SecretRole:
        return variable.secret && !m_revealed;
    case Qt::ForegroundRole:
        if (index.column() == NameColumn && !problemAt(row).isEmpty())
            return Theme::errorColor();
        return {};
    case Qt::ToolTipRole:
        if (const QString problem = problemAt(row); !problem.isEmpty())
            return problem;
        if (index.column() == NameColumn)
            return QStringLiteral("Used as {{%1}}").arg(variable.name);
        if (index.column() == SecretColumn)
            return QStringLiteral("A secret value is kept in the system keychain, never in "
                                  "environments.json or an export");
        return {};
    default:
        return {};
    }
}

bool VariableTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!acceptEdit(index, value, role))
        return false;
    Environment::Variable &variable = m_variables[index.row()];
    if (index.column() == SecretColumn)
        variable.secret = value.toInt() == Qt::Checked;
    else if (index.column() == NameColumn)
        variable.name = value.toString().trimmed();
    else
        variable.value = value.toString();
    // A name change can make another row's duplicate go or come: repaint the names too.
    Q_EMIT dataChanged(this->index(0, 0),
                       this->index(int(m_variables.size()) - 1, ColumnCount - 1));
    Q_EMIT variablesEdited();
    return true;
}

} // namespace duplex
