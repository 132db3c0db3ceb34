#pragma once

#include "core/session/Profile.h"
#include "ui/TrailingRowTableModel.h"

namespace duplex {

// The handshake headers of the request editor: a checkbox to enable each, its name and value,
// and whether the value is a secret (kept in the keychain, out of profiles.json and exports,
// shown masked). The last row is always an empty one; typing into it adds a header, as in most
// HTTP tools.
class HeaderTableModel : public TrailingRowTableModel
{
    Q_OBJECT

public:
    enum Column { EnabledColumn, NameColumn, ValueColumn, SecretColumn, ColumnCount };

    explicit HeaderTableModel(QObject *parent = nullptr);

    void setHeaders(const QList<Profile::Header> &headers);
    // The headers, without the trailing empty row and without rows left entirely blank.
    QList<Profile::Header> headers() const;

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    // A sentence about what is wrong with the header in `row`, or empty.
    QString problemAt(int row) const;

Q_SIGNALS:
    // Any header was added, edited, enabled, disabled or removed.
    void headersEdited();

private:
    int itemCount() const override { return int(m_headers.size()); }
    void appendItem() override { m_headers.append(Profile::Header {}); }
    void removeItems(int row, int count) override { m_headers.remove(row, count); }
    void notifyEdited() override { Q_EMIT headersEdited(); }

    QList<Profile::Header> m_headers;
};

} // namespace duplex
