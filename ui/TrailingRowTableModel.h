#pragma once

#include <QAbstractTableModel>
#include <QList>

namespace duplex {

// A table of rows the user types in, whose last row is always an empty one: typing into it
// adds a row, as in most HTTP tools (HeaderTableModel, VariableTableModel). It keeps the rows'
// count, flags, titles and removal; a subclass keeps the items and their cells.
class TrailingRowTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    struct Column
    {
        QString title;
        QString toolTip;
        bool checkable = false; // a checkbox (Qt::CheckStateRole) rather than text
    };

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    // The empty last row is never removed.
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

protected:
    TrailingRowTableModel(QList<Column> columns, QObject *parent);

    virtual int itemCount() const = 0;
    virtual void appendItem() = 0;
    virtual void removeItems(int row, int count) = 0;
    // Any row was added, edited or removed: the subclass says so with its own signal.
    virtual void notifyEdited() = 0;

    bool isPlaceholderRow(int row) const { return row == itemCount(); }
    bool isCheckable(int column) const;
    // A valid index of this model (logged by checkIndex otherwise, except the invalid one).
    bool isCell(const QModelIndex &index) const;
    // Whether setData() may take `value` in `role` for `index`; an edit of the empty last row
    // turns it into an item first (text must not be empty, a checkbox cannot be set there).
    bool acceptEdit(const QModelIndex &index, const QVariant &value, int role);

private:
    QList<Column> m_columns;
};

} // namespace duplex
