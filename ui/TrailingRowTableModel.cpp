#include "ui/TrailingRowTableModel.h"

namespace duplex {

TrailingRowTableModel::TrailingRowTableModel(QList<Column> columns, QObject *parent)
    : QAbstractTableModel(parent)
    , m_columns(std::move(columns))
{ }

int TrailingRowTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : itemCount() + 1;
}

int TrailingRowTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

bool TrailingRowTableModel::isCheckable(int column) const
{
    return column >= 0 && column < m_columns.size() && m_columns.at(column).checkable;
}

bool TrailingRowTableModel::isCell(const QModelIndex &index) const
{
    return index.isValid() && checkIndex(index, CheckIndexOption::IndexIsValid);
}

Qt::ItemFlags TrailingRowTableModel::flags(const QModelIndex &index) const
{
    if (!isCell(index))
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (!isCheckable(index.column()))
        flags |= Qt::ItemIsEditable;
    else if (!isPlaceholderRow(index.row()))
        flags |= Qt::ItemIsUserCheckable;
    return flags;
}

QVariant TrailingRowTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= m_columns.size())
        return {};
    if (role == Qt::DisplayRole)
        return m_columns.at(section).title;
    if (role == Qt::ToolTipRole && !m_columns.at(section).toolTip.isEmpty())
        return m_columns.at(section).toolTip;
    return {};
}

bool TrailingRowTableModel::acceptEdit(const QModelIndex &index, const QVariant &value, int role)
{
    if (!isCell(index))
        return false;
    const bool checkable = isCheckable(index.column());
    if (role != (checkable ? Qt::CheckStateRole : Qt::EditRole))
        return false;
    if (!isPlaceholderRow(index.row()))
        return true;
    if (checkable || value.toString().isEmpty())
        return false;
    // The new item goes in before the empty row, which moves down.
    beginInsertRows({}, index.row(), index.row());
    appendItem();
    endInsertRows();
    return true;
}

bool TrailingRowTableModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0)
        return false;
    const int last = qMin(row + count, itemCount()) - 1;
    if (last < row)
        return false;
    beginRemoveRows({}, row, last);
    removeItems(row, last - row + 1);
    endRemoveRows();
    notifyEdited();
    return true;
}

} // namespace duplex
