#include "ui/HeaderTableModel.h"

#include "ui/SecretItemDelegate.h"
#include "ui/Theme.h"

namespace duplex {

namespace {

bool isTokenChar(QChar c)
{
    static const QString separators = QStringLiteral("()<>@,;:\\\"/[]?={}");
    return c.unicode() > 0x20 && c.unicode() < 0x7f && !separators.contains(c);
}

} // namespace

HeaderTableModel::HeaderTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void HeaderTableModel::setHeaders(const QList<Profile::Header> &headers)
{
    beginResetModel();
    m_headers = headers;
    endResetModel();
}

QList<Profile::Header> HeaderTableModel::headers() const
{
    QList<Profile::Header> list;
    for (const auto &header : m_headers) {
        if (!header.name.isEmpty() || !header.value.isEmpty())
            list.append(header);
    }
    return list;
}

int HeaderTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_headers.size()) + 1;
}

int HeaderTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString HeaderTableModel::problemAt(int row) const
{
    if (row < 0 || row >= m_headers.size())
        return {};
    const auto &header = m_headers.at(row);
    if (header.name.isEmpty())
        return header.value.isEmpty() ? QString()
                                      : QStringLiteral("The header has a value but no name.");
    for (const QChar c : header.name) {
        if (!isTokenChar(c)) {
            return QStringLiteral("\"%1\" is not allowed in a header name.")
                .arg(c == QLatin1Char(' ') ? QStringLiteral("space") : QString(c));
        }
    }
    if (header.value.contains(QLatin1Char('\n')) || header.value.contains(QLatin1Char('\r')))
        return QStringLiteral("A header value cannot contain a line break.");
    return {};
}

QVariant HeaderTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const int row = index.row();
    if (isPlaceholderRow(row)) {
        if (role == Qt::DisplayRole && index.column() == NameColumn)
            return QStringLiteral("Add a header");
        if (role == Qt::ForegroundRole)
            return Theme::mutedTextColor();
        return {};
    }
    const auto &header = m_headers.at(row);
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == ValueColumn && header.secret)
            return SecretItemDelegate::maskedText(header.value);
        [[fallthrough]];
    case Qt::EditRole:
        if (index.column() == NameColumn)
            return header.name;
        if (index.column() == ValueColumn)
            return header.value;
        return {};
    case Qt::CheckStateRole:
        if (index.column() == EnabledColumn)
            return header.enabled ? Qt::Checked : Qt::Unchecked;
        if (index.column() == SecretColumn)
            return header.secret ? Qt::Checked : Qt::Unchecked;
        return {};
    case SecretItemDelegate::SecretRole:
        return header.secret;
    case Qt::ForegroundRole:
        if (index.column() == NameColumn && !problemAt(row).isEmpty())
            return Theme::errorColor();
        if (!header.enabled)
            return Theme::mutedTextColor();
        return {};
    case Qt::ToolTipRole:
        if (const QString problem = problemAt(row); !problem.isEmpty())
            return problem;
        if (index.column() == EnabledColumn)
            return QStringLiteral("Send this header");
        if (index.column() == SecretColumn || (index.column() == ValueColumn && header.secret))
            return QStringLiteral("A secret value is kept in the system keychain, never in "
                                  "profiles.json or an export, and shown masked");
        return {};
    default:
        return {};
    }
}

bool HeaderTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return false;
    const int row = index.row();
    const bool checkColumn = index.column() == EnabledColumn || index.column() == SecretColumn;
    const bool checkEdit = role == Qt::CheckStateRole && checkColumn;
    const bool textEdit = role == Qt::EditRole && !checkColumn;
    if (!checkEdit && !textEdit)
        return false;

    if (isPlaceholderRow(row)) {
        if (textEdit && value.toString().isEmpty())
            return false;
        // Typing into the empty last row turns it into a header and adds a new empty row.
        beginInsertRows({}, row + 1, row + 1);
        m_headers.append(Profile::Header {});
        endInsertRows();
        Q_EMIT dataChanged(this->index(row, 0), this->index(row, ColumnCount - 1));
    }
    auto &header = m_headers[row];
    if (checkEdit) {
        (index.column() == EnabledColumn ? header.enabled : header.secret) =
            value.toInt() == Qt::Checked;
        Q_EMIT dataChanged(this->index(row, 0), this->index(row, ColumnCount - 1));
    } else if (index.column() == NameColumn) {
        header.name = value.toString().trimmed();
        Q_EMIT dataChanged(index, index);
    } else {
        header.value = value.toString();
        Q_EMIT dataChanged(index, index);
    }
    Q_EMIT headersEdited();
    return true;
}

Qt::ItemFlags HeaderTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == EnabledColumn || index.column() == SecretColumn) {
        if (!isPlaceholderRow(index.row()))
            flags |= Qt::ItemIsUserCheckable;
    } else {
        flags |= Qt::ItemIsEditable;
    }
    return flags;
}

QVariant HeaderTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case EnabledColumn:
            return QString();
        case NameColumn:
            return QStringLiteral("Name");
        case ValueColumn:
            return QStringLiteral("Value");
        case SecretColumn:
            return QStringLiteral("Secret");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole && section == EnabledColumn)
        return QStringLiteral("Whether the header is sent");
    if (role == Qt::ToolTipRole && section == SecretColumn)
        return QStringLiteral("Secret values stay in the system keychain and are shown masked");
    return {};
}

bool HeaderTableModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0)
        return false;
    // The placeholder row cannot be removed.
    const int last = qMin(row + count, int(m_headers.size())) - 1;
    if (last < row)
        return false;
    beginRemoveRows({}, row, last);
    m_headers.remove(row, last - row + 1);
    endRemoveRows();
    Q_EMIT headersEdited();
    return true;
}

} // namespace duplex
