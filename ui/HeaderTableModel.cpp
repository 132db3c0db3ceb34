#include "ui/HeaderTableModel.h"

#include "core/protocol/HttpHead.h"
#include "ui/SecretItemDelegate.h"
#include "ui/Theme.h"

namespace duplex {

HeaderTableModel::HeaderTableModel(QObject *parent)
    : TrailingRowTableModel(
        { { QString(), QStringLiteral("Whether the header is sent"), true },
          { QStringLiteral("Name"), QString(), false },
          { QStringLiteral("Value"), QString(), false },
          { QStringLiteral("Secret"),
            QStringLiteral("Secret values stay in the system keychain and are shown masked"),
            true } },
        parent)
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

QString HeaderTableModel::problemAt(int row) const
{
    if (row < 0 || row >= m_headers.size())
        return {};
    const auto &header = m_headers.at(row);
    if (header.name.isEmpty())
        return header.value.isEmpty() ? QString()
                                      : QStringLiteral("The header has a value but no name.");
    // A {{variable}} is filled in before sending, so only a name without one is checked here,
    // as Profile::problems() does.
    if (!header.name.contains(QLatin1String("{{")) && !isHttpToken(header.name.toUtf8())) {
        for (const QChar c : header.name) {
            if (c.unicode() >= 0x80 || !isHttpTokenChar(static_cast<char>(c.unicode()))) {
                return QStringLiteral("\"%1\" is not allowed in a header name.")
                    .arg(c == QLatin1Char(' ') ? QStringLiteral("space") : QString(c));
            }
        }
    }
    if (header.value.contains(QLatin1Char('\n')) || header.value.contains(QLatin1Char('\r')))
        return QStringLiteral("A header value cannot contain a line break.");
    return {};
}

QVariant HeaderTableModel::data(const QModelIndex &index, int role) const
{
    if (!isCell(index))
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
    if (!acceptEdit(index, value, role))
        return false;
    Profile::Header &header = m_headers[index.row()];
    switch (index.column()) {
    case EnabledColumn:
        header.enabled = value.toInt() == Qt::Checked;
        break;
    case SecretColumn:
        header.secret = value.toInt() == Qt::Checked;
        break;
    case NameColumn:
        header.name = value.toString().trimmed();
        break;
    default:
        header.value = value.toString();
        break;
    }
    Q_EMIT dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
    Q_EMIT headersEdited();
    return true;
}

} // namespace duplex
