#include "ui/HistoryPane.h"

#include "core/session/SessionRecord.h"
#include "ui/HistoryFilterBar.h"
#include "ui/HistoryTableView.h"
#include "ui/MessageDetailView.h"
#include "ui/MessageLogModel.h"
#include "ui/RecordText.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDataStream>
#include <QDateTime>
#include <QEvent>
#include <QHeaderView>
#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>

namespace duplex {
namespace {

constexpr quint32 StateMagic = 0x44485031; // "DHP1"

bool isText(QByteArrayView bytes)
{
    return QUtf8StringView(bytes).isValidUtf8();
}

} // namespace

HistoryPane::HistoryPane(QWidget *parent)
    : QWidget(parent)
{
    m_model = new MessageLogModel(this);
    m_model->setPalette(palette());

    m_filterBar = new HistoryFilterBar(this);
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_view = new HistoryTableView(m_splitter);
    m_view->setModel(m_model);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_detail = new MessageDetailView(m_splitter);
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setCollapsible(0, false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_filterBar);
    layout->addWidget(m_splitter, 1);
    setFocusProxy(m_view);

    connect(m_filterBar, &HistoryFilterBar::filterChanged, this,
            [this](const HistoryFilterSpec &spec) {
                m_model->setFilter(spec);
                updateCounts();
                if (!spec.isValid())
                    Q_EMIT statusMessage(spec.errorString());
            });
    connect(m_filterBar, &HistoryFilterBar::clearRequested, this, &HistoryPane::clear);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &HistoryPane::updateCounts);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &HistoryPane::updateCounts);
    connect(m_model, &QAbstractItemModel::modelReset, this, &HistoryPane::updateCounts);
    connect(m_model, &MessageLogModel::filterRunningChanged, this, [this](bool running) {
        m_filterBar->setProgress(0, running);
        updateCounts();
    });
    connect(m_model, &MessageLogModel::filterProgress, this,
            [this](int percent) { m_filterBar->setProgress(percent, m_model->isFilterRunning()); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &HistoryPane::onCurrentRowChanged);
    connect(m_view, &QWidget::customContextMenuRequested, this, &HistoryPane::showContextMenu);
    connect(m_detail, &MessageDetailView::statusTextChanged, this, &HistoryPane::statusMessage);

    const auto addAction = [this](QWidget *owner, const QString &text, const QKeySequence &keys,
                                  Qt::ShortcutContext context, auto slot) {
        auto *action = new QAction(text, owner);
        action->setShortcut(keys);
        action->setShortcutContext(context);
        connect(action, &QAction::triggered, this, slot);
        owner->addAction(action);
        return action;
    };
    addAction(m_view, QStringLiteral("Copy Payload as Text"), QKeySequence::Copy,
              Qt::WidgetShortcut, [this] { copyToClipboard(copyText()); });
    addAction(m_view, QStringLiteral("Copy Payload as Hex"),
              QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), Qt::WidgetShortcut,
              [this] { copyToClipboard(copyHex()); });
    addAction(m_view, QStringLiteral("Copy as JSON"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_C),
              Qt::WidgetShortcut, [this] { copyToClipboard(copyJson()); });
    addAction(m_view, QStringLiteral("Re-send"), QKeySequence(Qt::CTRL | Qt::Key_R),
              Qt::WidgetShortcut, [this] { resendCurrent(); });
    addAction(this, QStringLiteral("Clear History"), QKeySequence(Qt::CTRL | Qt::Key_L),
              Qt::WidgetWithChildrenShortcut, [this] { clear(); });
    addAction(this, QStringLiteral("Filter"), QKeySequence::Find, Qt::WidgetWithChildrenShortcut,
              [this] { focusFilter(); });
    updateCounts();
}

HistoryPane::~HistoryPane() = default;

void HistoryPane::setRecord(std::shared_ptr<const SessionRecord> record)
{
    m_detail->clear();
    m_model->setRecord(std::move(record));
}

void HistoryPane::poll()
{
    m_model->poll();
}

void HistoryPane::clear()
{
    m_detail->clear();
    m_model->clear();
    m_view->jumpToLatest();
}

void HistoryPane::jumpToLatest()
{
    m_view->jumpToLatest();
}

void HistoryPane::focusFilter()
{
    m_filterBar->focusSearch();
}

void HistoryPane::updateCounts()
{
    m_filterBar->setCounts(m_model->rowCount(), m_model->unfilteredRowCount(),
                           m_model->filter().isActive());
}

void HistoryPane::onCurrentRowChanged()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return; // keep showing the last message: the record never changes under it
    m_detail->showEntries(m_model->record(), m_model->entriesOf(current.row()));
}

int HistoryPane::targetRow(int row) const
{
    if (row >= 0)
        return row;
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.row() : -1;
}

// --- Copy and re-send -----------------------------------------------------------------------

QList<int> HistoryPane::targetRows(int row) const
{
    if (row >= 0)
        return { row };
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    if (rows.isEmpty() && targetRow(-1) >= 0)
        rows.append(targetRow(-1));
    return rows;
}

QString HistoryPane::copyText(int row) const
{
    QStringList lines;
    for (int target : targetRows(row))
        lines.append(rowText(target));
    return lines.join(QLatin1Char('\n'));
}

QString HistoryPane::copyHex(int row) const
{
    QStringList lines;
    for (int target : targetRows(row))
        lines.append(RecordText::hex(m_model->payload(target)));
    return lines.join(QLatin1Char('\n'));
}

QString HistoryPane::copyJson(int row) const
{
    QStringList lines;
    for (int target : targetRows(row))
        lines.append(rowJson(target));
    return lines.join(QLatin1Char('\n'));
}

QString HistoryPane::rowText(int row) const
{
    if (row < 0 || !m_model->record())
        return {};
    const QModelIndex index = m_model->index(row, 0);
    const QByteArray payload = m_model->payload(row);
    const auto kind =
        static_cast<MessageKind>(index.data(MessageLogModel::MessageKindRole).toInt());
    if (kind == MessageKind::Close)
        return RecordText::closeDescription(payload);
    if (kind == MessageKind::Binary || !isText(payload))
        return RecordText::hex(payload);
    return QString::fromUtf8(payload);
}

QString HistoryPane::rowJson(int row) const
{
    const auto &record = m_model->record();
    if (row < 0 || !record)
        return {};
    const QList<qsizetype> entries = m_model->entriesOf(row);
    const RecordEntry &entry = record->entry(entries.first());
    const QString time =
        QDateTime::fromMSecsSinceEpoch(entry.timeUs / 1000, Qt::UTC).toString(Qt::ISODateWithMs);
    QJsonObject object;
    if (entry.type != RecordType::Frame) {
        object = QJsonDocument::fromJson(record->data(entry).toByteArray()).object();
        object.insert(QStringLiteral("time"), time);
        return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
    }
    const RecordText::LenientHeader parsed = RecordText::readHeader(record->data(entry));
    const FrameHeader &header = parsed.header;
    const QByteArray payload = m_model->payload(row);
    object.insert(QStringLiteral("time"), time);
    object.insert(QStringLiteral("dir"),
                  entry.direction == Direction::Incoming ? QStringLiteral("in")
                                                         : QStringLiteral("out"));
    object.insert(QStringLiteral("fin"), header.fin);
    object.insert(QStringLiteral("rsv1"), header.rsv1);
    object.insert(QStringLiteral("rsv2"), header.rsv2);
    object.insert(QStringLiteral("rsv3"), header.rsv3);
    object.insert(QStringLiteral("opcode"), int(header.opcode));
    object.insert(QStringLiteral("masked"), header.masked);
    if (header.masked)
        object.insert(
            QStringLiteral("mask"),
            QString::fromLatin1(
                QByteArray(reinterpret_cast<const char *>(header.maskKey.data()), 4).toHex()));
    object.insert(QStringLiteral("length"), double(header.payloadLength));
    if (entries.size() > 1)
        object.insert(QStringLiteral("frames"), int(entries.size()));
    if (entry.flags & RecordCompressed)
        object.insert(QStringLiteral("inflatedLength"), double(payload.size()));
    const auto kind = RecordText::kindOf(entry);
    if ((kind == MessageKind::Text || kind == MessageKind::Close || kind == MessageKind::Ping
         || kind == MessageKind::Pong)
        && isText(payload))
        object.insert(QStringLiteral("payload"), QString::fromUtf8(payload));
    else
        object.insert(QStringLiteral("payloadHex"), QString::fromLatin1(payload.toHex()));
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

void HistoryPane::copyToClipboard(const QString &text) const
{
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

void HistoryPane::resendCurrent()
{
    int row = targetRow(-1);
    if (row < 0 || !m_model->record())
        return;
    if (m_model->rowKind(row) == MessageLogModel::RowKind::Frame)
        row = m_model->rowOfRecordIndex(m_model->recordIndex(row)); // the whole message
    const auto &record = m_model->record();
    const RecordEntry &entry = record->entry(m_model->recordIndex(row));
    if (entry.type != RecordType::Frame)
        return;
    const Opcode opcode = RecordText::opcodeOf(entry);
    if (opcode == Opcode::Continuation || opcode == Opcode::Close)
        return;
    Q_EMIT resendRequested(opcode, m_model->payload(row));
}

void HistoryPane::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_view->indexAt(position);
    QMenu menu(this);
    const int row = index.isValid() ? index.row() : -1;
    const bool hasRow = row >= 0;
    for (QAction *action : m_view->actions()) {
        action->setEnabled(hasRow);
        menu.addAction(action);
    }
    if (hasRow && m_model->isExpandable(row)) {
        menu.addSeparator();
        menu.addAction(m_model->isExpanded(row) ? QStringLiteral("Collapse Frames")
                                                : QStringLiteral("Expand Frames"),
                       this,
                       [this, row] { m_view->setRowExpanded(row, !m_model->isExpanded(row)); });
    }
    menu.addSeparator();
    menu.addAction(QStringLiteral("Jump to Latest"), this, &HistoryPane::jumpToLatest);
    for (QAction *action : actions())
        menu.addAction(action);
    menu.exec(m_view->viewport()->mapToGlobal(position));
    for (QAction *action : m_view->actions())
        action->setEnabled(true);
}

// --- State ----------------------------------------------------------------------------------

QByteArray HistoryPane::saveState() const
{
    QByteArray state;
    QDataStream stream(&state, QIODevice::WriteOnly);
    stream << StateMagic << m_splitter->saveState() << m_view->horizontalHeader()->saveState()
           << m_detail->saveState();
    return state;
}

bool HistoryPane::restoreState(const QByteArray &state)
{
    QDataStream stream(state);
    quint32 magic = 0;
    QByteArray splitter;
    QByteArray header;
    QByteArray detail;
    stream >> magic >> splitter >> header >> detail;
    if (stream.status() != QDataStream::Ok || magic != StateMagic)
        return false;
    bool ok = m_splitter->restoreState(splitter);
    ok = m_view->horizontalHeader()->restoreState(header) && ok;
    ok = m_detail->restoreState(detail) && ok;
    return ok;
}

void HistoryPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_model->setPalette(palette());
    QWidget::changeEvent(event);
}

} // namespace duplex
