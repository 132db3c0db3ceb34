#pragma once

#include "core/session/Environment.h"

#include <QDialog>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QLabel;
class QListWidget;
class QTableView;
QT_END_NAMESPACE

namespace duplex {

class ProfileLibrary;
class VariableTableModel;

// Edits the store's environments: the list on the left (add, duplicate, rename in place,
// remove), the selected one's variables on the right with a secret flag each; secret values
// show masked unless "Show secret values" is on. Nothing is written until Save, which checks
// every environment first and says what is wrong; Cancel leaves the store as it was.
class EnvironmentDialog : public QDialog
{
    Q_OBJECT

public:
    explicit EnvironmentDialog(ProfileLibrary *library, QWidget *parent = nullptr);

    const QList<Environment> &environments() const { return m_environments; }
    void selectEnvironment(int index);
    // Adds an environment (a free name based on `name`) and selects it.
    void addEnvironment(const QString &name = {});

    QListWidget *environmentList() const { return m_list; }
    QTableView *variableView() const { return m_table; }
    VariableTableModel *variableModel() const { return m_model; }
    QCheckBox *revealBox() const { return m_reveal; }
    QString problemText() const;

    // Checks and writes every environment; false and the reason (also shown) otherwise.
    bool save(QString *error = nullptr);

public Q_SLOTS:
    void accept() override;

private:
    void storeCurrent();
    void showCurrent();
    void refreshList();
    void removeCurrent();
    void duplicateCurrent();
    void showProblem(const QString &text);

    ProfileLibrary *m_library;
    QList<Environment> m_environments;
    QList<QUuid> m_initialIds; // those the store had when the editor opened
    int m_current = -1;
    bool m_updating = false;
    QListWidget *m_list = nullptr;
    QTableView *m_table = nullptr;
    VariableTableModel *m_model = nullptr;
    QCheckBox *m_reveal = nullptr;
    QLabel *m_problem = nullptr;
    QLabel *m_hint = nullptr;
};

} // namespace duplex
