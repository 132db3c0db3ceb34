#pragma once

#include "core/session/Profile.h"

#include <QAbstractTableModel>

namespace duplex {

// The handshake headers of the request editor: a checkbox to enable each, its name and value,
// and whether the value is a secret (kept in the keychain, out of profiles.json and exports,
// shown masked). The last row is always an empty one; typing into it adds a header, as in most
// HTTP tools.
class HeaderTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { EnabledColumn, NameColumn, ValueColumn, SecretColumn, ColumnCount };

    explicit HeaderTableModel(QObject *parent = nullptr);

    void setHeaders(const QList<Profile::Header> &headers);
    // The headers, without the trailing empty row and without rows left entirely blank.
    QList<Profile::Header> headers() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

    // A sentence about what is wrong with the header in `row`, or empty.
    QString problemAt(int row) const;

Q_SIGNALS:
    // Any header was added, edited, enabled, disabled or removed.
    void headersEdited();

private:
    bool isPlaceholderRow(int row) const { return row == m_headers.size(); }

    QList<Profile::Header> m_headers;
};

} // namespace duplex
