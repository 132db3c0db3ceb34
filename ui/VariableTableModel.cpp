#include "ui/VariableTableModel.h"

#include "ui/SecretItemDelegate.h"
#include "ui/Theme.h"

namespace duplex {

VariableTableModel::VariableTableModel(QObject *parent)
    : QAbstractTableModel(parent)
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

int VariableTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_variables.size()) + 1;
}

int VariableTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant VariableTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
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
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return false;
    const int row = index.row();
    const bool checkEdit = role == Qt::CheckStateRole && index.column() == SecretColumn;
    const bool textEdit = role == Qt::EditRole && index.column() != SecretColumn;
    if (!checkEdit && !textEdit)
        return false;
    if (isPlaceholderRow(row)) {
        if (textEdit && value.toString().isEmpty())
            return false;
        if (checkEdit)
            return false;
        // The new variable goes in before the empty row, which moves down.
        beginInsertRows({}, row, row);
        m_variables.append(Environment::Variable {});
        endInsertRows();
    }
    Environment::Variable &variable = m_variables[row];
    if (checkEdit)
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

Qt::ItemFlags VariableTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == SecretColumn) {
        if (!isPlaceholderRow(index.row()))
            flags |= Qt::ItemIsUserCheckable;
    } else {
        flags |= Qt::ItemIsEditable;
    }
    return flags;
}

QVariant VariableTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return QStringLiteral("Variable");
    case ValueColumn:
        return QStringLiteral("Value");
    case SecretColumn:
        return QStringLiteral("Secret");
    default:
        return {};
    }
}

bool VariableTableModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0)
        return false;
    const int last = qMin(row + count, int(m_variables.size())) - 1;
    if (last < row)
        return false;
    beginRemoveRows({}, row, last);
    m_variables.remove(row, last - row + 1);
    endRemoveRows();
    Q_EMIT variablesEdited();
    return true;
}

} // namespace duplex
