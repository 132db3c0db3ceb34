#include "ui/WindowDriver.h"

#include "core/session/ConnectionSession.h"
#include "ui/Composer.h"
#include "ui/ConnectionTab.h"
#include "ui/EnvironmentBox.h"
#include "ui/EnvironmentDialog.h"
#include "ui/HeaderTableModel.h"
#include "ui/HistoryPane.h"
#include "ui/HistoryTableView.h"
#include "ui/MainWindow.h"
#include "ui/MessageDetailView.h"
#include "ui/MessageLogModel.h"
#include "ui/ProfileActions.h"
#include "ui/ProfileLibrary.h"
#include "ui/ProfilesSidebar.h"
#include "ui/RequestBar.h"
#include "ui/RequestEditor.h"
#include "ui/Theme.h"

#include <QApplication>
#include <QLineEdit>
#include <QListWidget>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QTabWidget>
#include <QWindow>

#include <cstdio>

namespace duplex {

WindowDriver::WindowDriver(MainWindow *window, QObject *parent)
    : QObject(parent)
    , m_window(window)
{
    m_poll.setInterval(30);
    connect(&m_poll, &QTimer::timeout, this, &WindowDriver::poll);
}

void WindowDriver::addStep(const QString &name, std::function<void()> action,
                           std::function<bool()> done, int timeoutMs)
{
    m_steps.append({ name, std::move(action), std::move(done), timeoutMs });
}

void WindowDriver::addShot(const QString &fileName, std::function<QWidget *()> widget)
{
    // Two polls of slack so that layouts and repaints triggered by the previous step settle.
    addStep(
        QStringLiteral("settle before %1").arg(fileName), [] {},
        [this] { return m_stepClock.elapsed() > 250; });
    addStep(QStringLiteral("shoot %1").arg(fileName), [this, fileName, widget] {
        const QString path = m_directory.filePath(fileName);
        QWidget *target = widget ? widget() : m_window;
        if (target && target->grab().save(path))
            m_written.append(path);
        else
            fail(QStringLiteral("could not write %1").arg(path));
    });
}

ConnectionTab *WindowDriver::firstTab() const
{
    return m_window->tabCount() > 0 ? m_window->tab(0) : nullptr;
}

qsizetype WindowDriver::recordSize(ConnectionTab *tab) const
{
    return tab ? tab->session()->record()->size() : 0;
}

bool WindowDriver::selectHistoryRow(ConnectionTab *tab, int opcode, bool incoming, int occurrence)
{
    HistoryPane *pane = tab->historyPane();
    MessageLogModel *model = pane->model();
    int seen = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(MessageLogModel::OpcodeRole).toInt() != opcode)
            continue;
        const bool rowIncoming =
            index.data(MessageLogModel::DirectionRole).toInt() == int(Direction::Incoming);
        if (rowIncoming != incoming || seen++ < occurrence)
            continue;
        pane->view()->setCurrentIndex(index);
        pane->view()->selectRow(row);
        pane->view()->scrollTo(index);
        return true;
    }
    return false;
}

void WindowDriver::runSmoke()
{
    addStep(
        QStringLiteral("show the window"), [] {},
        [this] {
            return m_window->isVisible() && m_window->windowHandle()
                && m_window->windowHandle()->isExposed();
        });
    addStep(QStringLiteral("report the title"), [this] {
        std::printf("window title: %s\n", qPrintable(m_window->windowTitle()));
        std::fflush(stdout);
    });
    start();
}

void WindowDriver::runScreenshots(const QString &directory)
{
    m_directory = QDir(directory);
    if (!m_directory.mkpath(QStringLiteral("."))) {
        QTimer::singleShot(0, this, [this, directory] {
            fail(QStringLiteral("cannot create %1").arg(directory));
        });
        return;
    }
    const auto tabOpen = [this] {
        ConnectionTab *tab = firstTab();
        return tab && tab->state() == ConnectionSession::State::Open;
    };
    // Each send waits for its echo: two more frames in the record, ours and the server's.
    const auto send = [this](const QString &title, PayloadKind kind, const QString &text) {
        addStep(
            title,
            [this, kind, text] {
                ConnectionTab *tab = firstTab();
                m_mark = recordSize(tab);
                tab->composer()->setKind(kind);
                tab->composer()->setText(text);
                tab->composer()->send();
            },
            [this] { return recordSize(firstTab()) >= m_mark + 2; });
    };

    addStep(
        QStringLiteral("window shown"), [] {}, [this] { return m_window->isVisible(); });
    addStep(
        QStringLiteral("local echo connected"),
        [this] {
            ConnectionTab *tab = firstTab();
            if (tab && tab->state() != ConnectionSession::State::Open)
                tab->connectToServer();
        },
        tabOpen);
    send(QStringLiteral("send text"), PayloadKind::Text, QStringLiteral("Hello, Duplex!"));
    send(QStringLiteral("send JSON"), PayloadKind::Json,
         QStringLiteral(
             "{\"type\": \"subscribe\", \"channel\": \"prices\", \"symbols\": [\"BTC-USD\", "
             "\"ETH-USD\"], \"depth\": 10, \"snapshot\": true}"));
    send(QStringLiteral("send binary"), PayloadKind::Hex,
         QStringLiteral("de ad be ef 00 01 02 03 48 65 6c 6c 6f 2c 20 62 79 74 65 73"));
    addStep(
        QStringLiteral("ping"),
        [this] {
            ConnectionTab *tab = firstTab();
            m_mark = tab->session()->stats().pongsReceived;
            tab->composer()->pingPayloadEdit()->setText(QStringLiteral("are you there?"));
            tab->composer()->sendPing();
        },
        [this] { return qsizetype(firstTab()->session()->stats().pongsReceived) > m_mark; });
    addStep(QStringLiteral("draft"), [this] {
        Composer *composer = firstTab()->composer();
        composer->setKind(PayloadKind::Json);
        composer->setText(QStringLiteral("{\"type\": \"order\", \"side\": \"buy\", \"price\": "
                                         "42.5, \"tags\": [\"demo\"], \"test\": null}"));
        composer->prettyPrint();
    });

    addStep(QStringLiteral("select the text echo"), [this] {
        if (!selectHistoryRow(firstTab(), 1, true, 0))
            fail(QStringLiteral("no incoming text message in the history"));
        firstTab()->showSidePage(ConnectionTab::SidePage::Handshake);
    });
    addShot(QStringLiteral("01-echo-roundtrip.png"));

    addStep(QStringLiteral("select the binary echo"), [this] {
        if (!selectHistoryRow(firstTab(), 2, true, 0))
            fail(QStringLiteral("no incoming binary message in the history"));
        firstTab()->historyPane()->detailView()->setCurrentTab(MessageDetailView::FrameTab);
        firstTab()->showSidePage(ConnectionTab::SidePage::Stats);
    });
    addShot(QStringLiteral("02-binary-frame-and-stats.png"));

    addStep(QStringLiteral("request editor"), [this] {
        ConnectionTab *tab = firstTab();
        HeaderTableModel *headers = tab->requestEditor()->headerModel();
        headers->setHeaders(
            { { QStringLiteral("Authorization"), QStringLiteral("Bearer {{token}}"), true },
              { QStringLiteral("X-Client"), QStringLiteral("duplex"), true } });
        tab->showSidePage(ConnectionTab::SidePage::Request);
    });
    addShot(QStringLiteral("03-request-editor.png"));
    addStep(QStringLiteral("request editor, TLS and proxy"), [this] {
        if (auto *scroll = firstTab()->requestEditor()->findChild<QScrollArea *>())
            scroll->verticalScrollBar()->setValue(scroll->verticalScrollBar()->maximum());
    });
    addShot(QStringLiteral("03b-request-tls-proxy.png"));

    addStep(QStringLiteral("a new tab with mistakes"), [this] {
        m_window->newTab();
        ConnectionTab *tab = m_window->currentTab();
        tab->requestBar()->urlEdit()->setText(QStringLiteral("http://api.example.com/socket"));
        tab->composer()->setKind(PayloadKind::Json);
        tab->composer()->setText(
            QStringLiteral("{\n  \"type\": \"subscribe\",\n  \"channel\": \n}"));
    });
    addShot(QStringLiteral("04-validation.png"));
    addProfileSteps();

    addStep(QStringLiteral("dark"), [this] {
        m_window->tabWidget()->setCurrentIndex(0);
        m_window->setThemeMode(int(Theme::Mode::Dark));
        selectHistoryRow(firstTab(), 1, true, 1);
        firstTab()->showSidePage(ConnectionTab::SidePage::Handshake);
    });
    addShot(QStringLiteral("05-dark.png"));
    addStep(QStringLiteral("light again"),
            [this] { m_window->setThemeMode(int(Theme::Mode::Light)); });
    start();
}

// Profiles in folders, an environment with a secret, the first tab on it; the environment
// editor; the history exported as HAR and opened again, read-only.
void WindowDriver::addProfileSteps()
{
    addStep(QStringLiteral("profiles and an environment"), [this] {
        ProfileLibrary *library = m_window->profiles();
        Environment staging = Environment::create(QStringLiteral("staging"));
        staging.variables = {
            { QStringLiteral("host"), QStringLiteral("staging.example.com"), false },
            { QStringLiteral("token"), QStringLiteral("st-9f2c61a0"), true },
            { QStringLiteral("channel"), QStringLiteral("prices"), false },
        };
        Environment production = Environment::create(QStringLiteral("production"));
        production.variables = { { QStringLiteral("host"), QStringLiteral("api.example.com"),
                                   false } };
        library->saveEnvironments({ staging, production });
        const struct
        {
            const char *name;
            const char *folder;
            const char *url;
        } samples[] = {
            { "Prices feed", "Markets/EU", "wss://{{host}}/v2/prices" },
            { "Order book", "Markets/EU", "wss://{{host}}/v2/book" },
            { "Trades", "Markets/US", "wss://{{host}}/v2/trades" },
            { "Support chat", "Chat", "wss://chat.example.com/socket" },
            { "GraphQL subscriptions", "", "wss://{{host}}/graphql" },
        };
        for (const auto &sample : samples) {
            Profile profile = Profile::create(QString::fromUtf8(sample.name));
            profile.folder = QString::fromUtf8(sample.folder);
            profile.url = QString::fromUtf8(sample.url);
            profile.headers = { { QStringLiteral("Authorization"),
                                  QStringLiteral("Bearer {{token}}"), true, true } };
            library->addProfile(profile);
        }
        m_window->tabWidget()->setCurrentIndex(0);
        ConnectionTab *tab = firstTab();
        tab->setEnvironmentId(staging.id);
        tab->showSidePage(ConnectionTab::SidePage::Request);
    });
    addStep(QStringLiteral("select a profile"), [this] {
        ProfilesSidebar *sidebar = m_window->profilesSidebar();
        for (const Profile &profile : m_window->profiles()->store().profiles()) {
            if (profile.name == QLatin1String("Prices feed"))
                sidebar->selectProfile(profile.id);
        }
    });
    addShot(QStringLiteral("06-profiles-and-environment.png"));

    addStep(QStringLiteral("environment editor"), [this] {
        m_environmentDialog = new EnvironmentDialog(m_window->profiles(), m_window);
        m_environmentDialog->setAttribute(Qt::WA_DeleteOnClose);
        m_environmentDialog->selectEnvironment(0);
        m_environmentDialog->show();
    });
    addShot(QStringLiteral("07-environment-editor.png"),
            [this] { return m_environmentDialog.data(); });
    addStep(QStringLiteral("close the environment editor"), [this] {
        if (m_environmentDialog)
            m_environmentDialog->close();
    });

    addStep(QStringLiteral("export and open a HAR"), [this] {
        const QString path = m_directory.filePath(QStringLiteral("session.har"));
        QString error;
        if (!m_window->profileActions()->exportHistory(firstTab(), path,
                                                       ProfileActions::HistoryFormat::Har, &error)
            || !m_window->profileActions()->openHar(path, &error))
            fail(error);
    });
    addStep(QStringLiteral("select an archived frame"), [this] {
        if (ConnectionTab *archive = m_window->currentTab()) {
            selectHistoryRow(archive, 2, true, 0);
            archive->historyPane()->detailView()->setCurrentTab(MessageDetailView::FrameTab);
        }
    });
    addShot(QStringLiteral("08-har-read-only.png"));
    addStep(QStringLiteral("back to the first tab"),
            [this] { m_window->tabWidget()->setCurrentIndex(0); });
}

void WindowDriver::start()
{
    m_index = -1;
    m_started = false;
    m_poll.start();
}

void WindowDriver::poll()
{
    if (m_index >= 0 && m_index < m_steps.size()) {
        const Step &step = m_steps.at(m_index);
        if (m_started && step.done && !step.done()) {
            if (m_stepClock.elapsed() > step.timeoutMs)
                fail(QStringLiteral("timed out: %1").arg(step.name));
            return;
        }
    }
    ++m_index;
    if (m_index >= m_steps.size()) {
        m_poll.stop();
        const bool titleOk = m_window->windowTitle() == QLatin1String("Duplex");
        Q_EMIT finished(titleOk ? 0 : 1);
        return;
    }
    m_stepClock.start();
    m_started = true;
    if (m_steps.at(m_index).action)
        m_steps.at(m_index).action();
}

void WindowDriver::fail(const QString &message)
{
    m_poll.stop();
    std::fprintf(stderr, "duplex: %s\n", qPrintable(message));
    m_index = m_steps.size();
    Q_EMIT finished(2);
}

} // namespace duplex
