#include "ui/EnvironmentDialog.h"

#include "core/session/StoredItemTraits.h"
#include "ui/ProfileLibrary.h"
#include "ui/SecretItemDelegate.h"
#include "ui/SvgIconEngine.h"
#include "ui/Theme.h"
#include "ui/VariableTableModel.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

namespace duplex {

namespace {

QToolButton *smallButton(QWidget *parent, const QString &name, const QString &icon,
                         const QString &text, const QString &tip)
{
    auto *button = new QToolButton(parent);
    button->setObjectName(name);
    button->setIcon(SvgIconEngine::icon(icon));
    button->setText(text);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setToolTip(tip);
    button->setAutoRaise(true);
    return button;
}

QStringList namesOf(const QList<Environment> &environments)
{
    QStringList names;
    for (const Environment &environment : environments)
        names.append(environment.name);
    return names;
}

} // namespace

EnvironmentDialog::EnvironmentDialog(ProfileLibrary *library, QWidget *parent)
    : QDialog(parent)
    , m_library(library)
    , m_environments(library->store().environments())
{
    for (const Environment &environment : std::as_const(m_environments))
        m_initialIds.append(environment.id);
    setObjectName(QStringLiteral("environmentDialog"));
    setWindowTitle(QStringLiteral("Environments"));
    resize(820, 460);

    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("environmentList"));
    m_list->setToolTip(QStringLiteral("Double-click or F2 renames"));
    m_list->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    connect(m_list, &QListWidget::currentRowChanged, this, &EnvironmentDialog::selectEnvironment);
    connect(m_list, &QListWidget::itemChanged, this, [this](QListWidgetItem *item) {
        const int row = m_list->row(item);
        if (m_updating || row < 0 || row >= m_environments.size())
            return;
        m_environments[row].name = item->text().trimmed();
        showProblem(QString());
    });

    auto *add = smallButton(this, QStringLiteral("addEnvironment"), QStringLiteral("new-tab"),
                            QStringLiteral("Add"), QStringLiteral("A new, empty environment"));
    auto *duplicate =
        smallButton(this, QStringLiteral("duplicateEnvironment"), QStringLiteral("duplicate"),
                    QStringLiteral("Duplicate"),
                    QStringLiteral("A copy of this environment, e.g. staging from dev"));
    auto *remove = smallButton(this, QStringLiteral("removeEnvironment"), QStringLiteral("clear"),
                               QStringLiteral("Remove"), QStringLiteral("Remove this environment"));
    connect(add, &QToolButton::clicked, this, [this] { addEnvironment(); });
    connect(duplicate, &QToolButton::clicked, this, &EnvironmentDialog::duplicateCurrent);
    connect(remove, &QToolButton::clicked, this, &EnvironmentDialog::removeCurrent);
    auto *listButtons = new QHBoxLayout;
    listButtons->setSpacing(0);
    listButtons->addWidget(add);
    listButtons->addWidget(duplicate);
    listButtons->addWidget(remove);
    listButtons->addStretch(1);
    auto *left = new QWidget(this);
    auto *leftColumn = new QVBoxLayout(left);
    leftColumn->setContentsMargins(0, 0, 0, 0);
    leftColumn->addWidget(new QLabel(QStringLiteral("Environments"), left));
    leftColumn->addWidget(m_list, 1);
    leftColumn->addLayout(listButtons);

    m_model = new VariableTableModel(this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("variableTable"));
    m_table->setModel(m_model);
    m_table->setItemDelegate(new SecretItemDelegate(m_table));
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionResizeMode(VariableTableModel::NameColumn,
                                                      QHeaderView::Interactive);
    m_table->horizontalHeader()->resizeSection(VariableTableModel::NameColumn, 170);
    m_table->horizontalHeader()->setSectionResizeMode(VariableTableModel::ValueColumn,
                                                      QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(VariableTableModel::SecretColumn,
                                                      QHeaderView::ResizeToContents);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::AllEditTriggers);
    m_table->setTabKeyNavigation(false);
    m_table->setWordWrap(false);
    connect(m_model, &VariableTableModel::variablesEdited, this, [this] {
        storeCurrent();
        showProblem(QString());
    });
    auto *removeVariable = smallButton(this, QStringLiteral("removeVariable"),
                                       QStringLiteral("clear"), QStringLiteral("Remove variable"),
                                       QStringLiteral("Remove the selected variables (Delete)"));
    const auto removeSelected = [this] {
        QList<int> rows;
        for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
            rows.append(index.row());
        if (rows.isEmpty() && m_table->currentIndex().isValid())
            rows.append(m_table->currentIndex().row());
        std::sort(rows.begin(), rows.end(), std::greater<>());
        for (const int row : rows)
            m_model->removeRows(row, 1);
    };
    connect(removeVariable, &QToolButton::clicked, this, removeSelected);
    auto *deleteKey =
        new QShortcut(QKeySequence::Delete, m_table, nullptr, nullptr, Qt::WidgetShortcut);
    connect(deleteKey, &QShortcut::activated, this, removeSelected);
    m_reveal = new QCheckBox(QStringLiteral("Show secret &values"), this);
    m_reveal->setObjectName(QStringLiteral("revealSecrets"));
    m_reveal->setToolTip(QStringLiteral("Secret values are masked unless this is on"));
    connect(m_reveal, &QCheckBox::toggled, m_model, &VariableTableModel::setRevealed);

    m_hint = new QLabel(
        QStringLiteral("Write {{name}} in a URL, header, Origin, subprotocol or message to use a "
                       "variable; it is filled in when the tab connects or sends. Secret values "
                       "stay in the system keychain."),
        this);
    m_hint->setWordWrap(true);
    QPalette muted = m_hint->palette();
    muted.setColor(QPalette::WindowText, Theme::mutedTextColor());
    m_hint->setPalette(muted);

    auto *tableButtons = new QHBoxLayout;
    tableButtons->addWidget(removeVariable);
    tableButtons->addStretch(1);
    tableButtons->addWidget(m_reveal);
    auto *right = new QWidget(this);
    auto *rightColumn = new QVBoxLayout(right);
    rightColumn->setContentsMargins(0, 0, 0, 0);
    rightColumn->addWidget(new QLabel(QStringLiteral("Variables"), right));
    rightColumn->addWidget(m_table, 1);
    rightColumn->addLayout(tableButtons);
    rightColumn->addWidget(m_hint);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 220, 600 });
    splitter->setChildrenCollapsible(false);

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("environmentProblem"));
    m_problem->setWordWrap(true);
    QPalette error = m_problem->palette();
    error.setColor(QPalette::WindowText, Theme::errorColor());
    m_problem->setPalette(error);
    m_problem->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &EnvironmentDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);

    refreshList();
    selectEnvironment(m_environments.isEmpty() ? -1 : 0);
}

void EnvironmentDialog::refreshList()
{
    m_updating = true;
    m_list->clear();
    for (const Environment &environment : std::as_const(m_environments)) {
        auto *item = new QListWidgetItem(SvgIconEngine::icon(QStringLiteral("environment")),
                                         environment.name, m_list);
        item->setFlags(item->flags() | Qt::ItemIsEditable);
    }
    m_updating = false;
}

void EnvironmentDialog::storeCurrent()
{
    if (m_current >= 0 && m_current < m_environments.size())
        m_environments[m_current].variables = m_model->variables();
}

void EnvironmentDialog::showCurrent()
{
    const bool valid = m_current >= 0 && m_current < m_environments.size();
    m_model->setVariables(valid ? m_environments.at(m_current).variables
                                : QList<Environment::Variable> {});
    m_table->setEnabled(valid);
}

void EnvironmentDialog::selectEnvironment(int index)
{
    if (m_updating)
        return;
    storeCurrent();
    m_current = index;
    if (m_list->currentRow() != index) {
        m_updating = true;
        m_list->setCurrentRow(index);
        m_updating = false;
    }
    showCurrent();
}

void EnvironmentDialog::addEnvironment(const QString &name)
{
    storeCurrent();
    const QString base = name.trimmed().isEmpty()
        ? (m_environments.isEmpty() ? QStringLiteral("dev") : QStringLiteral("Environment"))
        : name.trimmed();
    Environment environment =
        Environment::create(ProfileStore::uniqueName(base, namesOf(m_environments)));
    m_environments.append(environment);
    refreshList();
    selectEnvironment(int(m_environments.size()) - 1);
}

void EnvironmentDialog::duplicateCurrent()
{
    if (m_current < 0 || m_current >= m_environments.size())
        return;
    storeCurrent();
    Environment copy = m_environments.at(m_current);
    copy.id = QUuid::createUuid();
    copy.name = ProfileStore::uniqueName(copy.name, namesOf(m_environments));
    m_environments.insert(m_current + 1, copy);
    refreshList();
    selectEnvironment(m_current + 1);
}

void EnvironmentDialog::removeCurrent()
{
    if (m_current < 0 || m_current >= m_environments.size())
        return;
    m_environments.removeAt(m_current);
    const int next = qMin(m_current, int(m_environments.size()) - 1);
    m_current = -1;
    refreshList();
    selectEnvironment(next);
}

void EnvironmentDialog::showProblem(const QString &text)
{
    m_problem->setText(text);
    m_problem->setVisible(!text.isEmpty());
}

QString EnvironmentDialog::problemText() const
{
    return m_problem->isHidden() ? QString() : m_problem->text();
}

bool EnvironmentDialog::save(QString *error)
{
    storeCurrent();
    QStringList problems;
    for (qsizetype i = 0; i < m_environments.size(); ++i) {
        const Environment &environment = m_environments.at(i);
        const bool unnamed = environment.name.trimmed().isEmpty();
        const auto earlier = m_environments.cbegin() + i;
        if (unnamed)
            problems.append(QStringLiteral("Environment %1 has no name.").arg(i + 1));
        else if (std::any_of(m_environments.cbegin(), earlier, [&](const Environment &other) {
                     return StoredItemNames::same(other.name, environment.name);
                 }))
            problems.append(
                QStringLiteral("Two environments are named \"%1\".").arg(environment.name));
        const QString label =
            unnamed ? QStringLiteral("Environment %1").arg(i + 1) : environment.name;
        for (const QString &problem : environment.problems()) {
            // The missing name is reported above, in words.
            if (unnamed && problem == QLatin1String("name: empty"))
                continue;
            problems.append(QStringLiteral("%1: %2").arg(label, problem));
        }
    }
    QString failure;
    // Only what was removed here goes: one another window added meanwhile stays.
    QList<QUuid> removed;
    for (const QUuid &id : std::as_const(m_initialIds)) {
        if (std::none_of(m_environments.cbegin(), m_environments.cend(),
                         [&id](const Environment &e) { return e.id == id; }))
            removed.append(id);
    }
    if (problems.isEmpty() && m_library->saveEnvironments(m_environments, removed, &failure))
        return true;
    if (!failure.isEmpty())
        problems.append(failure);
    showProblem(problems.join(QLatin1Char('\n')));
    if (error)
        *error = problems.join(QLatin1Char(' '));
    return false;
}

void EnvironmentDialog::accept()
{
    if (save())
        QDialog::accept();
}

} // namespace duplex
