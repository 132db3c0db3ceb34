#pragma once

#include <QSet>
#include <QUuid>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QToolButton;
class QTreeView;
QT_END_NAMESPACE

namespace duplex {

class ProfileLibrary;
class ProfileTreeModel;

// The saved profiles beside the tabs: a search field over a tree of folders and profiles.
// Double-click or Enter opens a profile in a new tab; F2 renames; Delete deletes, and the bar
// that appears then (or Edit > Undo) brings it back; drag to reorder or to move into a folder.
// Another window or duplex-cli changing the store shows here at once (ProfileLibrary reloads).
class ProfilesSidebar : public QWidget
{
    Q_OBJECT

public:
    explicit ProfilesSidebar(ProfileLibrary *library, QWidget *parent = nullptr);

    ProfileTreeModel *model() const { return m_model; }
    QSortFilterProxyModel *filterModel() const { return m_filter; }
    QTreeView *view() const { return m_view; }
    QLineEdit *searchEdit() const { return m_search; }

    // The profile of the current row (null for a folder or nothing).
    QUuid currentProfile() const;
    void selectProfile(const QUuid &id);
    // The bar offering to undo the last deletion, and its text.
    QWidget *undoBar() const { return m_undoBar; }

public Q_SLOTS:
    void openCurrent();
    void duplicateCurrent();
    void renameCurrent();
    void deleteCurrent();
    void focusSearch();

Q_SIGNALS:
    void openRequested(const QUuid &id);
    void statusMessage(const QString &message);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showContextMenu(const QPoint &position);
    void restoreExpanded();
    void updateButtons();
    void showUndoBar(const QString &text);

    ProfileLibrary *m_library;
    ProfileTreeModel *m_model = nullptr;
    QSortFilterProxyModel *m_filter = nullptr;
    QTreeView *m_view = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QToolButton *m_openButton = nullptr;
    QToolButton *m_duplicateButton = nullptr;
    QToolButton *m_deleteButton = nullptr;
    QWidget *m_undoBar = nullptr;
    QLabel *m_undoLabel = nullptr;
    QSet<QString> m_collapsed; // folder paths the user collapsed; others open expanded
    QUuid m_current; // kept across the model's resets
};

} // namespace duplex
