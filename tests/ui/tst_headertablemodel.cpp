// HeaderTableModel: the request editor's header table, checked by QAbstractItemModelTester.
#include "ui/HeaderTableModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace duplex;

class TestHeaderTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void modelTester();
    void typingIntoTheLastRowAddsAHeader();
    void enableAndRemove();
    void problems();
};

void TestHeaderTableModel::modelTester()
{
    HeaderTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHeaders({ { QStringLiteral("A"), QStringLiteral("1"), true } });
    model.setData(model.index(1, HeaderTableModel::NameColumn), QStringLiteral("B"));
    model.setData(model.index(0, HeaderTableModel::EnabledColumn), Qt::Unchecked,
                  Qt::CheckStateRole);
    model.removeRows(0, 1);
    model.setHeaders({});
}

void TestHeaderTableModel::typingIntoTheLastRowAddsAHeader()
{
    HeaderTableModel model;
    QCOMPARE(model.rowCount(), 1); // the empty row to type into
    QSignalSpy edited(&model, &HeaderTableModel::headersEdited);
    QVERIFY(!model.setData(model.index(0, HeaderTableModel::NameColumn), QString()));
    QVERIFY(
        model.setData(model.index(0, HeaderTableModel::NameColumn), QStringLiteral(" X-Token ")));
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(model.setData(model.index(0, HeaderTableModel::ValueColumn), QStringLiteral("abc")));
    QCOMPARE(edited.count(), 2);
    const auto headers = model.headers();
    QCOMPARE(headers.size(), 1);
    QCOMPARE(headers.at(0).name, QStringLiteral("X-Token"));
    QCOMPARE(headers.at(0).value, QStringLiteral("abc"));
    QVERIFY(headers.at(0).enabled);
    QVERIFY(
        !(model.flags(model.index(1, HeaderTableModel::EnabledColumn)) & Qt::ItemIsUserCheckable));
}

void TestHeaderTableModel::enableAndRemove()
{
    HeaderTableModel model;
    model.setHeaders({ { QStringLiteral("A"), QStringLiteral("1"), true },
                       { QStringLiteral("B"), QStringLiteral("2"), true } });
    QVERIFY(model.setData(model.index(0, HeaderTableModel::EnabledColumn), Qt::Unchecked,
                          Qt::CheckStateRole));
    QVERIFY(!model.headers().at(0).enabled);
    QVERIFY(!model.removeRows(2, 1)); // the placeholder row stays
    QVERIFY(model.removeRows(0, 1));
    QCOMPARE(model.headers().size(), 1);
    QCOMPARE(model.headers().at(0).name, QStringLiteral("B"));
}

void TestHeaderTableModel::problems()
{
    HeaderTableModel model;
    model.setHeaders({ { QStringLiteral("Bad Name"), QStringLiteral("1"), true },
                       { QString(), QStringLiteral("v"), true },
                       { QStringLiteral("Ok"), QStringLiteral("fine"), true },
                       { QStringLiteral("X-{{tenant}}"), QStringLiteral("1"), true } });
    QVERIFY(model.problemAt(0).contains(QStringLiteral("space")));
    QVERIFY(model.problemAt(1).contains(QStringLiteral("no name")));
    QVERIFY(model.problemAt(2).isEmpty());
    QVERIFY(model.problemAt(3).isEmpty()); // a {{variable}} is filled in before sending
    QCOMPARE(model.data(model.index(0, HeaderTableModel::NameColumn), Qt::ToolTipRole).toString(),
             model.problemAt(0));
}

QTEST_MAIN(TestHeaderTableModel)
#include "tst_headertablemodel.moc"
