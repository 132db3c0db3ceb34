#include "ui/ProfileTreeModel.h"

#include "ui/ProfileLibrary.h"
#include "ui/SvgIconEngine.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>
#include <QTimer>
#include <QUndoStack>

#include <functional>

namespace duplex {

struct ProfileTreeModel::Node
{
    Node *parent = nullptr;
    int row = 0;
    bool folder = true;
    QString name;
    QString path; // folders: the full path; profiles: their folder
    QUuid id;
    QString url;
    int storeIndex = -1; // profiles: the position in the store's list
    std::vector<std::unique_ptr<Node>> children;

    Node *append(std::unique_ptr<Node> child)
    {
        child->parent = this;
        child->row = int(children.size());
        children.push_back(std::move(child));
        return children.back().get();
    }
};

namespace {

struct DragContents
{
    QList<QUuid> profiles;
    QStringList folders;
};

DragContents decode(const QMimeData *data)
{
    DragContents contents;
    if (!data || !data->hasFormat(ProfileTreeModel::mimeType()))
        return contents;
    const QJsonObject object =
        QJsonDocument::fromJson(data->data(ProfileTreeModel::mimeType())).object();
    for (const QJsonValue &id : object.value(QStringLiteral("profiles")).toArray()) {
        if (const QUuid uuid = QUuid::fromString(id.toString()); !uuid.isNull())
            contents.profiles.append(uuid);
    }
    for (const QJsonValue &folder : object.value(QStringLiteral("folders")).toArray())
        contents.folders.append(folder.toString());
    return contents;
}

bool isWithin(const QString &path, const QString &folder)
{
    return path == folder || path.startsWith(folder + QLatin1Char('/'));
}

} // namespace

ProfileTreeModel::ProfileTreeModel(ProfileLibrary *library, QObject *parent)
    : QAbstractItemModel(parent)
    , m_library(library)
    , m_root(std::make_unique<Node>())
{
    rebuild();
    // Queued: a rename or a drop changes the store while a view is still inside the edit or
    // the drop; the tree is rebuilt once that has returned.
    connect(m_library, &ProfileLibrary::changed, this, &ProfileTreeModel::rebuild,
            Qt::QueuedConnection);
}

ProfileTreeModel::~ProfileTreeModel() = default;

void ProfileTreeModel::rebuild()
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    const QList<Profile> &profiles = m_library->store().profiles();
    for (qsizetype i = 0; i < profiles.size(); ++i) {
        const Profile &profile = profiles.at(i);
        Node *folder = m_root.get();
        const QString path = Profile::normalizedFolder(profile.folder);
        QString walked;
        for (const QString &segment : path.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
            walked = walked.isEmpty() ? segment : walked + QLatin1Char('/') + segment;
            Node *found = nullptr;
            for (const auto &child : folder->children) {
                if (child->folder && child->name.compare(segment, Qt::CaseInsensitive) == 0) {
                    found = child.get();
                    break;
                }
            }
            if (!found) {
                auto node = std::make_unique<Node>();
                node->name = segment;
                node->path = walked;
                found = folder->append(std::move(node));
            }
            folder = found;
        }
        auto node = std::make_unique<Node>();
        node->folder = false;
        node->name = profile.name;
        node->path = folder->path;
        node->id = profile.id;
        node->url = profile.url;
        node->storeIndex = int(i);
        folder->append(std::move(node));
    }
    endResetModel();
}

ProfileTreeModel::Node *ProfileTreeModel::nodeOf(const QModelIndex &index) const
{
    if (!index.isValid())
        return m_root.get();
    return static_cast<Node *>(index.internalPointer());
}

QModelIndex ProfileTreeModel::indexOfNode(const Node *node) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(node->row, 0, const_cast<Node *>(node));
}

QModelIndex ProfileTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    const Node *node = nodeOf(parent);
    return createIndex(row, column, node->children.at(std::size_t(row)).get());
}

QModelIndex ProfileTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOfNode(nodeOf(child)->parent);
}

int ProfileTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int ProfileTreeModel::columnCount(const QModelIndex &) const
{
    return 1;
}

QVariant ProfileTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node *node = nodeOf(index);
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return node->name;
    case Qt::DecorationRole:
        return SvgIconEngine::icon(node->folder ? QStringLiteral("folder")
                                                : QStringLiteral("profile"));
    case Qt::ToolTipRole:
        if (node->folder)
            return QStringLiteral("Folder %1: drop profiles here to move them into it")
                .arg(node->path);
        return node->url.isEmpty()
            ? node->name
            : QStringLiteral("%1\n%2\nDouble-click or Enter opens it in a new tab")
                  .arg(node->name, node->url);
    case IdRole:
        return node->id;
    case FolderPathRole:
        return node->path;
    case IsFolderRole:
        return node->folder;
    case UrlRole:
        return node->url;
    case SearchTextRole:
        return QStringList { node->name, node->url, node->path }.join(QLatin1Char('\n'));
    default:
        return {};
    }
}

bool ProfileTreeModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::EditRole)
        return false;
    const Node *node = nodeOf(index);
    const QString name = value.toString().trimmed();
    if (name == node->name)
        return false;
    QString error;
    bool ok = false;
    if (node->folder) {
        if (name.isEmpty() || name.contains(QLatin1Char('/'))) {
            error = QStringLiteral("A folder name cannot be empty or contain '/'.");
        } else {
            const QString parentPath = node->parent ? node->parent->path : QString();
            ok = m_library->renameFolder(
                node->path, parentPath.isEmpty() ? name : parentPath + QLatin1Char('/') + name,
                &error);
        }
    } else {
        ok = m_library->renameProfile(node->id, name, &error);
    }
    if (!ok)
        Q_EMIT problemOccurred(error);
    return ok;
}

Qt::ItemFlags ProfileTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::ItemIsDropEnabled;
    Qt::ItemFlags flags =
        Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable | Qt::ItemIsDragEnabled;
    if (nodeOf(index)->folder)
        flags |= Qt::ItemIsDropEnabled;
    else
        flags |= Qt::ItemNeverHasChildren;
    return flags;
}

Qt::DropActions ProfileTreeModel::supportedDragActions() const
{
    return Qt::MoveAction;
}

Qt::DropActions ProfileTreeModel::supportedDropActions() const
{
    return Qt::MoveAction;
}

QStringList ProfileTreeModel::mimeTypes() const
{
    return { mimeType() };
}

QMimeData *ProfileTreeModel::mimeData(const QModelIndexList &indexes) const
{
    QJsonArray profiles;
    QJsonArray folders;
    for (const QModelIndex &index : indexes) {
        const Node *node = nodeOf(index);
        if (!index.isValid())
            continue;
        if (node->folder)
            folders.append(node->path);
        else
            profiles.append(node->id.toString(QUuid::WithoutBraces));
    }
    auto *data = new QMimeData;
    data->setData(mimeType(),
                  QJsonDocument(QJsonObject { { QStringLiteral("profiles"), profiles },
                                              { QStringLiteral("folders"), folders } })
                      .toJson(QJsonDocument::Compact));
    return data;
}

bool ProfileTreeModel::canDropMimeData(const QMimeData *data, Qt::DropAction action, int, int,
                                       const QModelIndex &parent) const
{
    if (action != Qt::MoveAction || !data || !data->hasFormat(mimeType()))
        return false;
    const Node *target = nodeOf(parent);
    if (!target->folder)
        return false;
    const DragContents contents = decode(data);
    for (const QString &folder : contents.folders) {
        if (isWithin(target->path, folder))
            return false; // a folder cannot go inside itself
    }
    return !contents.profiles.isEmpty() || !contents.folders.isEmpty();
}

bool ProfileTreeModel::dropMimeData(const QMimeData *data, Qt::DropAction action, int row,
                                    int column, const QModelIndex &parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    const DragContents contents = decode(data);
    const QString targetPath = nodeOf(parent)->path;
    // After the view is done with the drop (it may still look at the rows).
    QTimer::singleShot(0, this, [this, contents, row, targetPath] {
        QString error;
        if (!moveInto(contents.profiles, contents.folders, row, indexOfFolder(targetPath), &error))
            Q_EMIT problemOccurred(error);
    });
    return true;
}

int ProfileTreeModel::firstStoreIndexIn(const Node *node) const
{
    if (!node->folder)
        return node->storeIndex;
    int first = -1;
    for (const auto &child : node->children) {
        const int index = firstStoreIndexIn(child.get());
        if (index >= 0 && (first < 0 || index < first))
            first = index;
    }
    return first;
}

bool ProfileTreeModel::moveInto(const QList<QUuid> &profiles, const QStringList &folders, int row,
                                const QModelIndex &parent, QString *error)
{
    const Node *target = nodeOf(parent);
    if (!target->folder)
        return false;
    const QString targetPath = target->path;
    int storeIndex = -1;
    if (row >= 0 && row < int(target->children.size()))
        storeIndex = firstStoreIndexIn(target->children.at(std::size_t(row)).get());

    // Every folder checked before anything moves.
    QList<std::pair<QString, QString>> renames; // from, to
    for (const QString &folder : folders) {
        if (isWithin(targetPath, folder)) {
            if (error)
                *error = QStringLiteral("A folder cannot be moved into itself.");
            return false;
        }
        const QString leaf = folder.section(QLatin1Char('/'), -1);
        const QString moved = targetPath.isEmpty() ? leaf : targetPath + QLatin1Char('/') + leaf;
        if (moved != folder)
            renames.append({ folder, moved });
    }

    // One drop, one undo step, however many folders and profiles it moves.
    QUndoStack *undo = m_library->undoStack();
    const bool macro = renames.size() + (profiles.isEmpty() ? 0 : 1) > 1;
    if (macro) {
        const auto count = [](qsizetype n, const char *one, const char *many) {
            return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
        };
        undo->beginMacro(
            profiles.isEmpty()
                ? QStringLiteral("Move %1").arg(count(renames.size(), "folder", "folders"))
                : QStringLiteral("Move %1 and %2")
                      .arg(count(renames.size(), "folder", "folders"),
                           count(profiles.size(), "profile", "profiles")));
    }
    bool ok = true;
    for (const auto &[from, to] : std::as_const(renames)) {
        ok = m_library->renameFolder(from, to, error);
        if (!ok)
            break;
    }
    if (ok && !profiles.isEmpty())
        ok = m_library->moveProfiles(profiles, targetPath, storeIndex, error);
    if (macro) {
        undo->endMacro();
        // Refused at its first step, the drop left an empty step behind: take it off again
        // (an obsolete command is dropped from the stack as it is undone).
        auto *step = const_cast<QUndoCommand *>(undo->command(undo->index() - 1));
        if (!ok && step && step->childCount() == 0) {
            step->setObsolete(true);
            undo->undo();
        }
    }
    return ok;
}

QModelIndex ProfileTreeModel::indexOfProfile(const QUuid &id) const
{
    std::function<const Node *(const Node *)> find = [&](const Node *node) -> const Node * {
        for (const auto &child : node->children) {
            if (!child->folder && child->id == id)
                return child.get();
            if (const Node *found = find(child.get()))
                return found;
        }
        return nullptr;
    };
    return indexOfNode(find(m_root.get()));
}

QModelIndex ProfileTreeModel::indexOfFolder(const QString &path) const
{
    const Node *node = m_root.get();
    for (const QString &segment : path.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        const Node *next = nullptr;
        for (const auto &child : node->children) {
            if (child->folder && child->name.compare(segment, Qt::CaseInsensitive) == 0)
                next = child.get();
        }
        if (!next)
            return {};
        node = next;
    }
    return indexOfNode(node);
}

} // namespace duplex
