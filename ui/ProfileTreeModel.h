#pragma once

#include <QAbstractItemModel>
#include <QUuid>

#include <memory>
#include <vector>

namespace duplex {

class ProfileLibrary;

// The profiles of a ProfileLibrary as a tree: folders ("Payments/Staging" is Staging inside
// Payments) holding profiles, both in the store's order. Profiles and folders can be renamed in
// place and dragged: onto a folder to move them into it, between rows to reorder them. The
// model is rebuilt (a reset) whenever the library changes; views keep their expanded folders
// by FolderPathRole.
class ProfileTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Role {
        IdRole = Qt::UserRole + 1, // a profile's id (QUuid); null for folders
        FolderPathRole, // a folder's full path, or a profile's folder
        IsFolderRole,
        UrlRole,
        SearchTextRole, // what the sidebar's search matches: name, URL and folder
    };

    static QString mimeType() { return QStringLiteral("application/x-duplex-profiles"); }

    explicit ProfileTreeModel(ProfileLibrary *library, QObject *parent = nullptr);
    ~ProfileTreeModel() override;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    Qt::DropActions supportedDragActions() const override;
    Qt::DropActions supportedDropActions() const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                         const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                      const QModelIndex &parent) override;

    QModelIndex indexOfProfile(const QUuid &id) const;
    QModelIndex indexOfFolder(const QString &path) const;

    // What a drop at (row, parent) does, without the drag: moves the profiles (and the
    // profiles of the folders, given by path) into the folder `parent` stands for, before
    // its row `row` (-1: at its end). False and a sentence when the library refuses.
    bool moveInto(const QList<QUuid> &profiles, const QStringList &folders, int row,
                  const QModelIndex &parent, QString *error = nullptr);

Q_SIGNALS:
    // A rename or a move was refused; the sentence says why.
    void problemOccurred(const QString &message);

private:
    struct Node;
    void rebuild();
    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOfNode(const Node *node) const;
    int firstStoreIndexIn(const Node *node) const;

    ProfileLibrary *m_library;
    std::unique_ptr<Node> m_root;
};

} // namespace duplex
