// The profiles sidebar and the models of the profile UI: the folder tree (search, drag into
// folders and between rows, rename, delete with undo, changes made by another process), the
// environment editor's variable table and the header table's secret column. Every model runs
// under QAbstractItemModelTester.
#include "core/session/ProfileStore.h"
#include "core/session/SecretStoreInMemory.h"
#include "ui/HeaderTableModel.h"
#include "ui/ProfileLibrary.h"
#include "ui/ProfileTreeModel.h"
#include "ui/ProfilesSidebar.h"
#include "ui/SecretItemDelegate.h"
#include "ui/VariableTableModel.h"

#include <QAbstractItemModelTester>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QUndoStack>

using namespace duplex;

class TestProfilesSidebar : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void treeFollowsTheStore();
    void searchFiltersByNameUrlAndFolder();
    void moveIntoFoldersAndReorder();
    void dragAndDropThroughTheModel();
    void renameInPlace();
    void deleteAndUndo();
    void duplicateAndOpen();
    void anotherProcessChangesTheStore();
    void variableTableMasksSecrets();
    void headerTableSecretColumn();

private:
    Profile add(const QString &name, const QString &folder = {},
                const QString &url = QStringLiteral("ws://localhost/"));
    QStringList order() const; // "folder/name" in store order
    QModelIndex viewIndexOf(const QUuid &id) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<SecretStoreInMemory> m_secrets;
    std::unique_ptr<ProfileLibrary> m_library;
    std::unique_ptr<ProfilesSidebar> m_sidebar;
    std::unique_ptr<QAbstractItemModelTester> m_treeTester;
    std::unique_ptr<QAbstractItemModelTester> m_filterTester;
};

void TestProfilesSidebar::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestProfilesSidebar::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_secrets = std::make_shared<SecretStoreInMemory>();
    m_library = std::make_unique<ProfileLibrary>(
        std::make_unique<ProfileStore>(m_dir->path(), m_secrets), QString());
    m_sidebar = std::make_unique<ProfilesSidebar>(m_library.get());
    m_treeTester = std::make_unique<QAbstractItemModelTester>(
        m_sidebar->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_filterTester = std::make_unique<QAbstractItemModelTester>(
        m_sidebar->filterModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_sidebar->resize(300, 500);
    m_sidebar->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_sidebar.get()));
}

void TestProfilesSidebar::cleanup()
{
    m_filterTester.reset();
    m_treeTester.reset();
    m_sidebar.reset();
    m_library.reset();
    m_secrets.reset();
    m_dir.reset();
}

Profile TestProfilesSidebar::add(const QString &name, const QString &folder, const QString &url)
{
    Profile profile = Profile::create(name);
    profile.folder = folder;
    profile.url = url;
    QString error;
    if (!m_library->addProfile(profile, &error))
        qWarning("cannot add %s: %s", qPrintable(name), qPrintable(error));
    return profile;
}

QStringList TestProfilesSidebar::order() const
{
    QStringList paths;
    for (const Profile &profile : m_library->store().profiles())
        paths.append(profile.path());
    return paths;
}

QModelIndex TestProfilesSidebar::viewIndexOf(const QUuid &id) const
{
    return m_sidebar->filterModel()->mapFromSource(m_sidebar->model()->indexOfProfile(id));
}

void TestProfilesSidebar::treeFollowsTheStore()
{
    QVERIFY(m_sidebar->findChild<QWidget *>(QStringLiteral("profilesEmptyLabel"))->isVisible());
    add(QStringLiteral("Prices"), QStringLiteral("Markets/EU"));
    add(QStringLiteral("Echo"));
    add(QStringLiteral("Orders"), QStringLiteral("Markets"));
    ProfileTreeModel *model = m_sidebar->model();
    QTRY_COMPARE(model->rowCount(), 2); // the Markets folder and Echo
    const QModelIndex markets = model->index(0, 0);
    QCOMPARE(markets.data().toString(), QStringLiteral("Markets"));
    QVERIFY(markets.data(ProfileTreeModel::IsFolderRole).toBool());
    QCOMPARE(model->rowCount(markets), 2); // EU, then Orders
    const QModelIndex eu = model->index(0, 0, markets);
    QCOMPARE(eu.data(ProfileTreeModel::FolderPathRole).toString(), QStringLiteral("Markets/EU"));
    QCOMPARE(model->index(0, 0, eu).data().toString(), QStringLiteral("Prices"));
    QCOMPARE(model->index(1, 0, markets).data().toString(), QStringLiteral("Orders"));
    QCOMPARE(model->index(1, 0).data().toString(), QStringLiteral("Echo"));
    QCOMPARE(model->index(1, 0).data(ProfileTreeModel::UrlRole).toString(),
             QStringLiteral("ws://localhost/"));
    // Folders open expanded.
    QVERIFY(m_sidebar->view()->isExpanded(m_sidebar->filterModel()->mapFromSource(eu)));
    QVERIFY(!m_sidebar->findChild<QWidget *>(QStringLiteral("profilesEmptyLabel"))->isVisible());
}

void TestProfilesSidebar::searchFiltersByNameUrlAndFolder()
{
    add(QStringLiteral("Prices"), QStringLiteral("Markets"),
        QStringLiteral("wss://prices.example/"));
    add(QStringLiteral("Orders"), QStringLiteral("Markets"),
        QStringLiteral("wss://orders.example/"));
    add(QStringLiteral("Chat"), QString(), QStringLiteral("ws://chat.local/"));
    QSortFilterProxyModel *filter = m_sidebar->filterModel();
    QTRY_COMPARE(filter->rowCount(), 2);
    QTest::keyClicks(m_sidebar->searchEdit(), QStringLiteral("orders.ex"));
    QCOMPARE(filter->rowCount(), 1); // the folder that holds the match
    const QModelIndex folder = filter->index(0, 0);
    QCOMPARE(filter->rowCount(folder), 1);
    QCOMPARE(filter->index(0, 0, folder).data().toString(), QStringLiteral("Orders"));
    QVERIFY(m_sidebar->view()->isExpanded(folder));
    // A folder's name matches every profile in it.
    m_sidebar->searchEdit()->setText(QStringLiteral("markets"));
    QCOMPARE(filter->rowCount(filter->index(0, 0)), 2);
    m_sidebar->searchEdit()->setText(QStringLiteral("CHAT"));
    QCOMPARE(filter->rowCount(), 1);
    QCOMPARE(filter->index(0, 0).data().toString(), QStringLiteral("Chat"));
    m_sidebar->searchEdit()->clear();
    QCOMPARE(filter->rowCount(), 2);
}

void TestProfilesSidebar::moveIntoFoldersAndReorder()
{
    const Profile a = add(QStringLiteral("A"));
    const Profile b = add(QStringLiteral("B"), QStringLiteral("Team"));
    const Profile c = add(QStringLiteral("C"), QStringLiteral("Team"));
    ProfileTreeModel *model = m_sidebar->model();
    QTRY_COMPARE(model->rowCount(), 2);

    // A into Team, before C.
    QString error;
    const QModelIndex team = model->indexOfFolder(QStringLiteral("Team"));
    QVERIFY2(model->moveInto({ a.id }, {}, 1, team, &error), qPrintable(error));
    QCOMPARE(order(),
             (QStringList { QStringLiteral("Team/B"), QStringLiteral("Team/A"),
                            QStringLiteral("Team/C") }));
    QTRY_COMPARE(model->rowCount(), 1);
    // C to the top level, at the end; then before everything.
    QVERIFY(model->moveInto({ c.id }, {}, -1, {}, &error));
    QCOMPARE(
        order(),
        (QStringList { QStringLiteral("Team/B"), QStringLiteral("Team/A"), QStringLiteral("C") }));
    QTRY_COMPARE(model->rowCount(), 2);
    QVERIFY(model->moveInto({ c.id }, {}, 0, {}, &error));
    QCOMPARE(order().first(), QStringLiteral("C"));
    // Undo puts it back where it was.
    m_library->undoStack()->undo();
    QCOMPARE(
        order(),
        (QStringList { QStringLiteral("Team/B"), QStringLiteral("Team/A"), QStringLiteral("C") }));
    // A name taken in the target folder: refused, with the reason, nothing moved.
    add(QStringLiteral("B"));
    QTRY_VERIFY(model->indexOfProfile(b.id).isValid());
    QVERIFY(!model->moveInto({ b.id }, {}, -1, {}, &error));
    QVERIFY2(error.contains(QStringLiteral("'B'")), qPrintable(error));
    QVERIFY(order().contains(QStringLiteral("Team/B")));
    // A folder moved into another: its profiles follow; never into itself.
    QVERIFY(model->moveInto({}, { QStringLiteral("Team") }, -1, {}, &error));
    add(QStringLiteral("D"), QStringLiteral("Outer"));
    QTRY_VERIFY(model->indexOfFolder(QStringLiteral("Outer")).isValid());
    QVERIFY(model->moveInto({}, { QStringLiteral("Team") }, -1,
                            model->indexOfFolder(QStringLiteral("Outer")), &error));
    QVERIFY(order().contains(QStringLiteral("Outer/Team/A")));
    QTRY_VERIFY(model->indexOfFolder(QStringLiteral("Outer/Team")).isValid());
    QVERIFY(!model->moveInto({}, { QStringLiteral("Outer") }, -1,
                             model->indexOfFolder(QStringLiteral("Outer/Team")), &error));
}

void TestProfilesSidebar::dragAndDropThroughTheModel()
{
    const Profile a = add(QStringLiteral("A"));
    add(QStringLiteral("B"), QStringLiteral("Team"));
    ProfileTreeModel *model = m_sidebar->model();
    QTRY_COMPARE(model->rowCount(), 2);
    std::unique_ptr<QMimeData> data(model->mimeData({ model->indexOfProfile(a.id) }));
    QVERIFY(data->hasFormat(ProfileTreeModel::mimeType()));
    const QModelIndex team = model->indexOfFolder(QStringLiteral("Team"));
    QVERIFY(model->canDropMimeData(data.get(), Qt::MoveAction, -1, 0, team));
    QVERIFY(!model->canDropMimeData(data.get(), Qt::CopyAction, -1, 0, team));
    // Profiles take no drops on themselves.
    QVERIFY(!(model->flags(model->indexOfProfile(a.id)) & Qt::ItemIsDropEnabled));
    QVERIFY(model->dropMimeData(data.get(), Qt::MoveAction, -1, 0, team));
    QTRY_COMPARE(order(), (QStringList { QStringLiteral("Team/B"), QStringLiteral("Team/A") }));
    QTRY_COMPARE(model->rowCount(), 1);
    // The view's own removal after a move drop removes nothing.
    QVERIFY(!model->removeRows(0, 1));
    QCOMPARE(m_library->store().profiles().size(), 2);
}

void TestProfilesSidebar::renameInPlace()
{
    const Profile a = add(QStringLiteral("A"), QStringLiteral("Team"));
    add(QStringLiteral("Taken"), QStringLiteral("Team"));
    ProfileTreeModel *model = m_sidebar->model();
    QTRY_VERIFY(model->indexOfProfile(a.id).isValid());
    QVERIFY(model->setData(model->indexOfProfile(a.id), QStringLiteral(" Alpha ")));
    QCOMPARE(m_library->profile(a.id)->name, QStringLiteral("Alpha"));
    QSignalSpy problems(model, &ProfileTreeModel::problemOccurred);
    QTRY_VERIFY(model->indexOfProfile(a.id).isValid());
    QVERIFY(!model->setData(model->indexOfProfile(a.id), QStringLiteral("taken")));
    QCOMPARE(problems.count(), 1);
    QVERIFY(problems.first().first().toString().contains(QStringLiteral("exists already")));
    QVERIFY(model->setData(model->indexOfFolder(QStringLiteral("Team")), QStringLiteral("Crew")));
    QCOMPARE(m_library->profile(a.id)->folder, QStringLiteral("Crew"));
    QTRY_VERIFY(model->indexOfFolder(QStringLiteral("Crew")).isValid());
}

void TestProfilesSidebar::deleteAndUndo()
{
    add(QStringLiteral("First"));
    Profile doomed = Profile::create(QStringLiteral("Doomed"));
    doomed.url = QStringLiteral("wss://doomed.example/");
    doomed.folder = QStringLiteral("Team");
    doomed.headers = { { QStringLiteral("X-Token"), QStringLiteral("s3cret"), true, true } };
    QVERIFY(m_library->addProfile(doomed));
    add(QStringLiteral("Last"));
    const QStringList before = order();
    const Profile stored = *m_library->profile(doomed.id);
    QTRY_VERIFY(viewIndexOf(doomed.id).isValid());

    m_sidebar->view()->setFocus();
    m_sidebar->view()->setCurrentIndex(viewIndexOf(doomed.id));
    QCOMPARE(m_sidebar->currentProfile(), doomed.id);
    QTest::keyClick(m_sidebar->view(), Qt::Key_Delete);
    QVERIFY(!m_library->profile(doomed.id));
    QVERIFY(m_sidebar->undoBar()->isVisible());
    QTRY_VERIFY(!viewIndexOf(doomed.id).isValid());

    // The bar's Undo brings it back as it was: same id, secret included, same place.
    auto *undo = m_sidebar->undoBar()->findChild<QPushButton *>(QStringLiteral("undoDeleteButton"));
    QVERIFY(undo);
    QTest::mouseClick(undo, Qt::LeftButton);
    QVERIFY(!m_sidebar->undoBar()->isVisible());
    QCOMPARE(*m_library->profile(doomed.id), stored);
    QCOMPARE(m_library->profile(doomed.id)->headers.first().value, QStringLiteral("s3cret"));
    QCOMPARE(order(), before);
    QTRY_VERIFY(viewIndexOf(doomed.id).isValid());

    // Redo deletes it again; undo once more through the stack.
    m_library->undoStack()->redo();
    QVERIFY(!m_library->profile(doomed.id));
    m_library->undoStack()->undo();
    QCOMPARE(order(), before);
}

void TestProfilesSidebar::duplicateAndOpen()
{
    const Profile a = add(QStringLiteral("Feed"), QStringLiteral("Team"));
    QTRY_VERIFY(viewIndexOf(a.id).isValid());
    m_sidebar->view()->setCurrentIndex(viewIndexOf(a.id));
    m_sidebar->duplicateCurrent();
    QCOMPARE(order(),
             (QStringList { QStringLiteral("Team/Feed"), QStringLiteral("Team/Feed (2)") }));

    QSignalSpy opened(m_sidebar.get(), &ProfilesSidebar::openRequested);
    QTRY_VERIFY(viewIndexOf(a.id).isValid());
    m_sidebar->view()->setFocus();
    m_sidebar->view()->setCurrentIndex(viewIndexOf(a.id));
    QTest::keyClick(m_sidebar->view(), Qt::Key_Return);
    QCOMPARE(opened.count(), 1);
    QCOMPARE(opened.first().first().toUuid(), a.id);
    // A folder opens nothing.
    m_sidebar->view()->setCurrentIndex(m_sidebar->filterModel()->mapFromSource(
        m_sidebar->model()->indexOfFolder(QStringLiteral("Team"))));
    m_sidebar->openCurrent();
    QCOMPARE(opened.count(), 1);
}

void TestProfilesSidebar::anotherProcessChangesTheStore()
{
    add(QStringLiteral("Mine"));
    QTRY_COMPARE(m_sidebar->model()->rowCount(), 1);
    // Another window or duplex-cli: its own store on the same directory.
    ProfileStore other(m_dir->path(), m_secrets);
    Profile theirs = Profile::create(QStringLiteral("Theirs"));
    theirs.url = QStringLiteral("ws://elsewhere/");
    QVERIFY(other.addProfile(theirs));
    QTRY_COMPARE_WITH_TIMEOUT(m_sidebar->model()->rowCount(), 2, 5000);
    QVERIFY(m_sidebar->model()->indexOfProfile(theirs.id).isValid());
}

void TestProfilesSidebar::variableTableMasksSecrets()
{
    VariableTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setVariables({ { QStringLiteral("host"), QStringLiteral("dev.example"), false },
                         { QStringLiteral("token"), QStringLiteral("s3cret"), true } });
    QCOMPARE(model.rowCount(), 3);
    const QModelIndex secret = model.index(1, VariableTableModel::ValueColumn);
    QCOMPARE(secret.data().toString(), SecretItemDelegate::maskedText(QStringLiteral("s3cret")));
    QVERIFY(!secret.data().toString().contains(QStringLiteral("s3cret")));
    QCOMPARE(secret.data(Qt::EditRole).toString(), QStringLiteral("s3cret"));
    QVERIFY(secret.data(SecretItemDelegate::SecretRole).toBool());
    model.setRevealed(true);
    QCOMPARE(secret.data().toString(), QStringLiteral("s3cret"));
    model.setRevealed(false);

    // Typing into the last row adds a variable; problems are named.
    QVERIFY(
        model.setData(model.index(2, VariableTableModel::NameColumn), QStringLiteral("bad name")));
    QCOMPARE(model.rowCount(), 4);
    QVERIFY(model.problemAt(2).contains(QStringLiteral("bad name")));
    QVERIFY(model.setData(model.index(2, VariableTableModel::NameColumn), QStringLiteral("host")));
    QVERIFY(model.problemAt(2).contains(QStringLiteral("already defined")));
    QVERIFY(model.setData(model.index(0, VariableTableModel::SecretColumn), Qt::Checked,
                          Qt::CheckStateRole));
    QVERIFY(model.variables().at(0).secret);
    QVERIFY(model.removeRows(0, 2));
    QCOMPARE(model.variables().size(), 1);
    QVERIFY(!model.removeRows(1, 1)); // the empty last row stays
}

void TestProfilesSidebar::headerTableSecretColumn()
{
    HeaderTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHeaders(
        { { QStringLiteral("Authorization"), QStringLiteral("Bearer abc"), true, false } });
    const QModelIndex value = model.index(0, HeaderTableModel::ValueColumn);
    QCOMPARE(value.data().toString(), QStringLiteral("Bearer abc"));
    QVERIFY(model.setData(model.index(0, HeaderTableModel::SecretColumn), Qt::Checked,
                          Qt::CheckStateRole));
    QVERIFY(model.headers().first().secret);
    QCOMPARE(value.data().toString(), SecretItemDelegate::maskedText(QStringLiteral("x")));
    QCOMPARE(value.data(Qt::EditRole).toString(), QStringLiteral("Bearer abc"));
    QVERIFY(value.data(SecretItemDelegate::SecretRole).toBool());
}

QTEST_MAIN(TestProfilesSidebar)
#include "tst_profilessidebar.moc"
