#include "ui/ProfilesSidebar.h"

#include "ui/ProfileLibrary.h"
#include "ui/ProfileTreeModel.h"
#include "ui/SvgIconEngine.h"
#include "ui/Theme.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QToolButton>
#include <QTreeView>
#include <QUndoStack>
#include <QVBoxLayout>

#include <functional>

namespace duplex {

namespace {

QToolButton *toolButton(QWidget *parent, const QString &name, const QString &icon,
                        const QString &tip)
{
    auto *button = new QToolButton(parent);
    button->setObjectName(name);
    button->setIcon(SvgIconEngine::icon(icon));
    button->setToolTip(tip);
    button->setAutoRaise(true);
    return button;
}

} // namespace

ProfilesSidebar::ProfilesSidebar(ProfileLibrary *library, QWidget *parent)
    : QWidget(parent)
    , m_library(library)
{
    setObjectName(QStringLiteral("profilesSidebar"));
    m_model = new ProfileTreeModel(library, this);
    m_filter = new QSortFilterProxyModel(this);
    m_filter->setSourceModel(m_model);
    m_filter->setRecursiveFilteringEnabled(true);
    m_filter->setAutoAcceptChildRows(true);
    m_filter->setFilterRole(ProfileTreeModel::SearchTextRole);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("profileSearch"));
    m_search->setPlaceholderText(QStringLiteral("Search profiles"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(QStringLiteral("Shows the profiles whose name, URL or folder contains "
                                        "the text"));
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setFilterFixedString(text.trimmed());
        restoreExpanded();
    });

    m_view = new QTreeView(this);
    m_view->setObjectName(QStringLiteral("profileTree"));
    m_view->setModel(m_filter);
    m_view->setHeaderHidden(true);
    m_view->setUniformRowHeights(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
    m_view->setDragDropMode(QAbstractItemView::InternalMove);
    m_view->setDefaultDropAction(Qt::MoveAction);
    m_view->setDropIndicatorShown(true);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setIconSize(QSize(14, 14));
    m_view->installEventFilter(this);
    m_view->setAccessibleName(QStringLiteral("Profiles"));
    connect(m_view, &QTreeView::activated, this, &ProfilesSidebar::openCurrent);
    connect(m_view, &QTreeView::customContextMenuRequested, this,
            &ProfilesSidebar::showContextMenu);
    connect(m_view, &QTreeView::collapsed, this, [this](const QModelIndex &index) {
        if (m_search->text().trimmed().isEmpty())
            m_collapsed.insert(index.data(ProfileTreeModel::FolderPathRole).toString());
    });
    connect(m_view, &QTreeView::expanded, this, [this](const QModelIndex &index) {
        m_collapsed.remove(index.data(ProfileTreeModel::FolderPathRole).toString());
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        m_current = currentProfile();
        updateButtons();
    });
    connect(m_filter, &QAbstractItemModel::modelReset, this, [this] {
        restoreExpanded();
        if (!m_current.isNull())
            selectProfile(m_current);
        updateButtons();
    });
    connect(m_model, &ProfileTreeModel::problemOccurred, this, &ProfilesSidebar::statusMessage);

    m_emptyLabel = new QLabel(
        QStringLiteral("No saved profiles yet.\nSave a tab with Ctrl+S to find it here."), this);
    m_emptyLabel->setObjectName(QStringLiteral("profilesEmptyLabel"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    QPalette muted = m_emptyLabel->palette();
    muted.setColor(QPalette::WindowText, Theme::mutedTextColor());
    m_emptyLabel->setPalette(muted);

    m_openButton = toolButton(this, QStringLiteral("openProfileButton"), QStringLiteral("new-tab"),
                              QStringLiteral("Open the profile in a new tab (Enter)"));
    m_duplicateButton =
        toolButton(this, QStringLiteral("duplicateProfileButton"), QStringLiteral("duplicate"),
                   QStringLiteral("Duplicate the profile"));
    m_deleteButton =
        toolButton(this, QStringLiteral("deleteProfileButton"), QStringLiteral("clear"),
                   QStringLiteral("Delete the selected profiles (Delete; undoable)"));
    connect(m_openButton, &QToolButton::clicked, this, &ProfilesSidebar::openCurrent);
    connect(m_duplicateButton, &QToolButton::clicked, this, &ProfilesSidebar::duplicateCurrent);
    connect(m_deleteButton, &QToolButton::clicked, this, &ProfilesSidebar::deleteCurrent);

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->setSpacing(2);
    top->addWidget(m_search, 1);
    top->addWidget(m_openButton);
    top->addWidget(m_duplicateButton);
    top->addWidget(m_deleteButton);

    m_undoBar = new QWidget(this);
    m_undoBar->setObjectName(QStringLiteral("profileUndoBar"));
    m_undoLabel = new QLabel(m_undoBar);
    m_undoLabel->setWordWrap(true);
    auto *undo = new QPushButton(QStringLiteral("&Undo"), m_undoBar);
    undo->setObjectName(QStringLiteral("undoDeleteButton"));
    undo->setToolTip(QStringLiteral("Bring the deleted profiles back (Ctrl+Z)"));
    auto *dismiss = toolButton(m_undoBar, QStringLiteral("dismissUndoButton"),
                               QStringLiteral("close-tab"), QStringLiteral("Dismiss"));
    connect(undo, &QPushButton::clicked, this, [this] {
        m_library->undoStack()->undo();
        m_undoBar->hide();
    });
    connect(dismiss, &QToolButton::clicked, m_undoBar, &QWidget::hide);
    auto *undoRow = new QHBoxLayout(m_undoBar);
    undoRow->setContentsMargins(4, 2, 2, 2);
    undoRow->addWidget(m_undoLabel, 1);
    undoRow->addWidget(undo);
    undoRow->addWidget(dismiss);
    m_undoBar->hide();
    // Anything else done or undone makes the offer stale.
    connect(m_library->undoStack(), &QUndoStack::indexChanged, this, [this] {
        if (m_library->undoStack()->undoText() != m_undoBar->property("command").toString())
            m_undoBar->hide();
    });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 2, 6);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_emptyLabel, 1);
    layout->addWidget(m_undoBar);

    restoreExpanded();
    updateButtons();
}

QUuid ProfilesSidebar::currentProfile() const
{
    return m_view->currentIndex().data(ProfileTreeModel::IdRole).toUuid();
}

void ProfilesSidebar::selectProfile(const QUuid &id)
{
    const QModelIndex index = m_filter->mapFromSource(m_model->indexOfProfile(id));
    if (!index.isValid())
        return;
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
}

void ProfilesSidebar::restoreExpanded()
{
    const bool searching = !m_search->text().trimmed().isEmpty();
    std::function<void(const QModelIndex &)> walk = [&](const QModelIndex &parent) {
        for (int row = 0; row < m_filter->rowCount(parent); ++row) {
            const QModelIndex index = m_filter->index(row, 0, parent);
            if (!index.data(ProfileTreeModel::IsFolderRole).toBool())
                continue;
            const QString path = index.data(ProfileTreeModel::FolderPathRole).toString();
            m_view->setExpanded(index, searching || !m_collapsed.contains(path));
            walk(index);
        }
    };
    const QSet<QString> collapsed = m_collapsed; // setExpanded reports back through signals
    walk({});
    m_collapsed = collapsed;
}

void ProfilesSidebar::updateButtons()
{
    const bool empty = m_model->rowCount() == 0;
    m_view->setVisible(!empty);
    m_emptyLabel->setVisible(empty);
    const bool profile = !currentProfile().isNull();
    m_openButton->setEnabled(profile);
    m_duplicateButton->setEnabled(profile);
    m_deleteButton->setEnabled(profile);
}

void ProfilesSidebar::openCurrent()
{
    const QUuid id = currentProfile();
    if (!id.isNull())
        Q_EMIT openRequested(id);
}

void ProfilesSidebar::duplicateCurrent()
{
    const QUuid id = currentProfile();
    if (id.isNull())
        return;
    QString error;
    if (const auto copy = m_library->duplicateProfile(id, &error)) {
        m_current = *copy;
        Q_EMIT statusMessage(QStringLiteral("Duplicated \"%1\" as \"%2\".")
                                 .arg(m_library->profile(id).value_or(Profile()).name,
                                      m_library->profile(*copy).value_or(Profile()).name));
    } else {
        Q_EMIT statusMessage(error);
    }
}

void ProfilesSidebar::renameCurrent()
{
    const QModelIndex index = m_view->currentIndex();
    if (index.isValid())
        m_view->edit(index);
}

void ProfilesSidebar::deleteCurrent()
{
    QList<QUuid> ids;
    QStringList names;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows()) {
        const QUuid id = index.data(ProfileTreeModel::IdRole).toUuid();
        if (!id.isNull()) {
            ids.append(id);
            names.append(index.data().toString());
        }
    }
    if (ids.isEmpty() && !currentProfile().isNull()) {
        ids.append(currentProfile());
        names.append(m_view->currentIndex().data().toString());
    }
    if (ids.isEmpty()) {
        Q_EMIT statusMessage(QStringLiteral("Select the profiles to delete; a folder goes away "
                                            "with its last profile."));
        return;
    }
    QUndoStack *undo = m_library->undoStack();
    const QString text = ids.size() == 1 ? QStringLiteral("Delete \"%1\"").arg(names.first())
                                         : QStringLiteral("Delete %1 profiles").arg(ids.size());
    undo->beginMacro(text);
    QStringList errors;
    for (const QUuid &id : std::as_const(ids)) {
        QString error;
        if (!m_library->removeProfile(id, &error))
            errors.append(error);
    }
    undo->endMacro();
    if (!errors.isEmpty()) {
        Q_EMIT statusMessage(errors.join(QLatin1Char(' ')));
        return;
    }
    m_current = {};
    showUndoBar(ids.size() == 1 ? QStringLiteral("Deleted \"%1\".").arg(names.first())
                                : QStringLiteral("Deleted %1 profiles.").arg(ids.size()));
    m_undoBar->setProperty("command", undo->undoText());
    Q_EMIT statusMessage(m_undoLabel->text() + QStringLiteral(" Edit > Undo brings it back."));
}

void ProfilesSidebar::showUndoBar(const QString &text)
{
    m_undoLabel->setText(text);
    m_undoBar->show();
}

void ProfilesSidebar::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void ProfilesSidebar::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_view->indexAt(position);
    const bool profile = !index.data(ProfileTreeModel::IdRole).toUuid().isNull();
    QMenu menu(this);
    if (profile) {
        connect(menu.addAction(SvgIconEngine::icon(QStringLiteral("new-tab")),
                               QStringLiteral("&Open in New Tab")),
                &QAction::triggered, this, &ProfilesSidebar::openCurrent);
        connect(menu.addAction(SvgIconEngine::icon(QStringLiteral("duplicate")),
                               QStringLiteral("D&uplicate")),
                &QAction::triggered, this, &ProfilesSidebar::duplicateCurrent);
    }
    if (index.isValid()) {
        connect(menu.addAction(SvgIconEngine::icon(QStringLiteral("rename")),
                               QStringLiteral("&Rename")),
                &QAction::triggered, this, &ProfilesSidebar::renameCurrent);
    }
    if (profile) {
        menu.addSeparator();
        connect(
            menu.addAction(SvgIconEngine::icon(QStringLiteral("clear")), QStringLiteral("&Delete")),
            &QAction::triggered, this, &ProfilesSidebar::deleteCurrent);
    }
    if (menu.isEmpty())
        return;
    menu.exec(m_view->viewport()->mapToGlobal(position));
}

bool ProfilesSidebar::eventFilter(QObject *watched, QEvent *event)
{
    // F2 and Delete belong to the tree while it has the focus, not to the window's actions (an
    // open editor has the focus itself, so its keys never come here).
    if (watched == m_view
        && (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress)) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->modifiers() == Qt::NoModifier
            && (key->key() == Qt::Key_F2 || key->key() == Qt::Key_Delete)) {
            if (event->type() == QEvent::KeyPress) {
                if (key->key() == Qt::Key_F2)
                    renameCurrent();
                else
                    deleteCurrent();
            }
            event->accept();
            return event->type() == QEvent::KeyPress;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace duplex
