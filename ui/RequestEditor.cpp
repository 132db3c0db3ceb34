#include "ui/RequestEditor.h"

#include "core/session/ProfileConnection.h"
#include "ui/HeaderTableModel.h"
#include "ui/SecretItemDelegate.h"
#include "ui/SvgIconEngine.h"
#include "ui/Theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QShortcut>
#include <QSpinBox>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace duplex {

namespace {

QSpinBox *millisecondsBox(int max, const QString &offText, const QString &tip)
{
    auto *box = new QSpinBox;
    box->setRange(0, max);
    box->setSingleStep(500);
    box->setSuffix(QStringLiteral(" ms"));
    box->setGroupSeparatorShown(true);
    if (!offText.isEmpty())
        box->setSpecialValueText(offText);
    box->setToolTip(tip);
    box->setAccelerated(true);
    return box;
}

QFormLayout *formLayout(QWidget *parent)
{
    auto *form = new QFormLayout(parent);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    form->setHorizontalSpacing(8);
    form->setVerticalSpacing(5);
    return form;
}

} // namespace

RequestEditor::RequestEditor(QWidget *parent)
    : QWidget(parent)
{
    m_problemLabel = new QLabel(this);
    m_problemLabel->setObjectName(QStringLiteral("requestProblems"));
    m_problemLabel->setWordWrap(true);
    m_problemLabel->hide();

    auto *content = new QWidget;
    auto *column = new QVBoxLayout(content);
    column->setContentsMargins(6, 6, 6, 6);
    column->setSpacing(8);
    column->addWidget(m_problemLabel);
    column->addWidget(createHeadersSection());
    column->addWidget(createProtocolSection());
    column->addWidget(createCompressionSection());
    column->addWidget(createReconnectSection());
    column->addWidget(createTimingSection());
    column->addWidget(createTlsSection());
    column->addWidget(createProxySection());
    column->addStretch(1);

    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Never narrower than the form: a splitter squeezing it would cut fields off on the right.
    scroll->setMinimumWidth(content->minimumSizeHint().width()
                            + scroll->verticalScrollBar()->sizeHint().width()
                            + 2 * scroll->frameWidth());

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);

    setProfile(Profile {});
}

QWidget *RequestEditor::createHeadersSection()
{
    auto *group = new QGroupBox(QStringLiteral("He&aders"));
    m_headerModel = new HeaderTableModel(this);
    m_headerView = new QTableView(group);
    m_headerView->setObjectName(QStringLiteral("headerTable"));
    m_headerView->setModel(m_headerModel);
    m_headerView->setToolTip(QStringLiteral("Extra headers sent with the opening handshake. Type "
                                            "into the last row to add one; Delete removes the "
                                            "selected rows."));
    m_headerView->verticalHeader()->hide();
    m_headerView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_headerView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_headerView->horizontalHeader()->setSectionResizeMode(HeaderTableModel::EnabledColumn,
                                                           QHeaderView::Fixed);
    m_headerView->horizontalHeader()->resizeSection(HeaderTableModel::EnabledColumn, 26);
    m_headerView->horizontalHeader()->setSectionResizeMode(HeaderTableModel::NameColumn,
                                                           QHeaderView::Interactive);
    m_headerView->horizontalHeader()->resizeSection(HeaderTableModel::NameColumn, 140);
    m_headerView->horizontalHeader()->setSectionResizeMode(HeaderTableModel::ValueColumn,
                                                           QHeaderView::Stretch);
    m_headerView->horizontalHeader()->setSectionResizeMode(HeaderTableModel::SecretColumn,
                                                           QHeaderView::ResizeToContents);
    m_headerView->setItemDelegate(new SecretItemDelegate(m_headerView));
    m_headerView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_headerView->setEditTriggers(QAbstractItemView::AllEditTriggers);
    m_headerView->setTabKeyNavigation(false);
    m_headerView->setMinimumHeight(110);
    m_headerView->setWordWrap(false);
    connect(m_headerModel, &HeaderTableModel::headersEdited, this, &RequestEditor::onEdited);

    auto *remove = new QToolButton(group);
    remove->setObjectName(QStringLiteral("removeHeaderButton"));
    remove->setIcon(SvgIconEngine::icon(QStringLiteral("clear")));
    remove->setToolTip(QStringLiteral("Remove the selected headers (Delete)"));
    remove->setAutoRaise(true);
    connect(remove, &QToolButton::clicked, this, &RequestEditor::removeSelectedHeaders);
    auto *deleteKey =
        new QShortcut(QKeySequence::Delete, m_headerView, nullptr, nullptr, Qt::WidgetShortcut);
    connect(deleteKey, &QShortcut::activated, this, &RequestEditor::removeSelectedHeaders);

    auto *layout = new QHBoxLayout(group);
    layout->addWidget(m_headerView, 1);
    layout->addWidget(remove, 0, Qt::AlignTop);
    return group;
}

QWidget *RequestEditor::createProtocolSection()
{
    auto *group = new QGroupBox(QStringLiteral("Ha&ndshake"));
    auto *form = formLayout(group);

    m_subprotocols = new QLineEdit(group);
    m_subprotocols->setObjectName(QStringLiteral("subprotocolsEdit"));
    m_subprotocols->setPlaceholderText(QStringLiteral("e.g. graphql-transport-ws, chat"));
    m_subprotocols->setToolTip(
        QStringLiteral("Subprotocols offered in Sec-WebSocket-Protocol, most "
                       "preferred first, separated by commas"));
    form->addRow(QStringLiteral("Subprotocols:"), m_subprotocols);

    m_origin = new QLineEdit(group);
    m_origin->setObjectName(QStringLiteral("originEdit"));
    m_origin->setPlaceholderText(QStringLiteral("none"));
    m_origin->setToolTip(QStringLiteral("The Origin header, as a browser would send it, e.g. "
                                        "https://app.example.com; empty sends none"));
    form->addRow(QStringLiteral("Origin:"), m_origin);

    m_maxMessageSize = new QSpinBox(group);
    m_maxMessageSize->setRange(0, 2047);
    m_maxMessageSize->setSuffix(QStringLiteral(" MiB"));
    m_maxMessageSize->setSpecialValueText(QStringLiteral("no limit"));
    m_maxMessageSize->setToolTip(QStringLiteral("A larger incoming message fails the connection "
                                                "with close code 1009"));
    form->addRow(QStringLiteral("Max message:"), m_maxMessageSize);

    m_followRedirects = new QCheckBox(QStringLiteral("Follow, at most"), group);
    m_followRedirects->setToolTip(QStringLiteral("Follow 3xx answers to the opening handshake; "
                                                 "off shows the redirect as an error instead"));
    m_maxRedirects = new QSpinBox(group);
    m_maxRedirects->setRange(1, 20);
    m_maxRedirects->setSuffix(QStringLiteral(" hops"));
    auto *redirectRow = new QHBoxLayout;
    redirectRow->addWidget(m_followRedirects);
    redirectRow->addWidget(m_maxRedirects);
    redirectRow->addStretch(1);
    form->addRow(QStringLiteral("Redirects:"), redirectRow);

    for (QObject *field :
         { static_cast<QObject *>(m_subprotocols), static_cast<QObject *>(m_origin),
           static_cast<QObject *>(m_maxMessageSize), static_cast<QObject *>(m_followRedirects),
           static_cast<QObject *>(m_maxRedirects) })
        watch(field);
    return group;
}

QWidget *RequestEditor::createCompressionSection()
{
    m_deflateGroup = new QGroupBox(QStringLiteral("permessage-&deflate"));
    m_deflateGroup->setObjectName(QStringLiteral("deflateGroup"));
    m_deflateGroup->setCheckable(true);
    m_deflateGroup->setToolTip(
        QStringLiteral("Offer message compression (RFC 7692). The server "
                       "decides; the Handshake tab shows what it agreed to."));
    auto *form = formLayout(m_deflateGroup);
    m_clientWindowBits = new QSpinBox(m_deflateGroup);
    m_clientWindowBits->setRange(8, 15);
    m_clientWindowBits->setToolTip(QStringLiteral("client_max_window_bits: the largest LZ77 window "
                                                  "we compress with (2^bits bytes)"));
    m_serverWindowBits = new QSpinBox(m_deflateGroup);
    m_serverWindowBits->setRange(8, 15);
    m_serverWindowBits->setToolTip(QStringLiteral("server_max_window_bits: the largest window the "
                                                  "server may compress with; 15 asks nothing"));
    m_clientNoContextTakeover =
        new QCheckBox(QStringLiteral("Client resets after each message"), m_deflateGroup);
    m_clientNoContextTakeover->setToolTip(QStringLiteral("client_no_context_takeover: we compress "
                                                         "each message on its own"));
    m_serverNoContextTakeover =
        new QCheckBox(QStringLiteral("Server resets after each message"), m_deflateGroup);
    m_serverNoContextTakeover->setToolTip(
        QStringLiteral("server_no_context_takeover: ask the server "
                       "to compress each message on its own"));
    form->addRow(QStringLiteral("Client window bits:"), m_clientWindowBits);
    form->addRow(QStringLiteral("Server window bits:"), m_serverWindowBits);
    form->addRow(QString(), m_clientNoContextTakeover);
    form->addRow(QString(), m_serverNoContextTakeover);
    for (QObject *field :
         { static_cast<QObject *>(m_deflateGroup), static_cast<QObject *>(m_clientWindowBits),
           static_cast<QObject *>(m_serverWindowBits),
           static_cast<QObject *>(m_clientNoContextTakeover),
           static_cast<QObject *>(m_serverNoContextTakeover) })
        watch(field);
    return m_deflateGroup;
}

QWidget *RequestEditor::createReconnectSection()
{
    m_reconnectGroup = new QGroupBox(QStringLiteral("&Reconnect"));
    m_reconnectGroup->setObjectName(QStringLiteral("reconnectGroup"));
    m_reconnectGroup->setCheckable(true);
    m_reconnectGroup->setToolTip(QStringLiteral("Reconnect with exponential backoff after the "
                                                "connection is lost or closed with 1001, 1006 or "
                                                "1011-1013"));
    auto *form = formLayout(m_reconnectGroup);
    m_initialDelay =
        millisecondsBox(3'600'000, QString(), QStringLiteral("The delay before the first attempt"));
    m_maxDelay =
        millisecondsBox(3'600'000, QString(), QStringLiteral("The delay never grows beyond this"));
    m_multiplier = new QDoubleSpinBox(m_reconnectGroup);
    m_multiplier->setRange(1.0, 10.0);
    m_multiplier->setSingleStep(0.5);
    m_multiplier->setDecimals(1);
    m_multiplier->setPrefix(QStringLiteral("× "));
    m_multiplier->setToolTip(
        QStringLiteral("Each attempt waits this many times longer than the last"));
    m_jitter = new QComboBox(m_reconnectGroup);
    m_jitter->addItem(QStringLiteral("None (exact delays)"));
    m_jitter->addItem(QStringLiteral("Full (0 to the delay)"));
    m_jitter->addItem(QStringLiteral("Equal (half to the whole delay)"));
    m_jitter->setToolTip(QStringLiteral("Randomise delays so that many clients do not reconnect at "
                                        "the same moment"));
    m_maxAttempts = new QSpinBox(m_reconnectGroup);
    m_maxAttempts->setRange(0, 1'000'000);
    m_maxAttempts->setSpecialValueText(QStringLiteral("unlimited"));
    m_maxAttempts->setToolTip(QStringLiteral("Give up after this many attempts in a row"));
    form->addRow(QStringLiteral("First delay:"), m_initialDelay);
    form->addRow(QStringLiteral("Longest delay:"), m_maxDelay);
    form->addRow(QStringLiteral("Multiplier:"), m_multiplier);
    form->addRow(QStringLiteral("Jitter:"), m_jitter);
    form->addRow(QStringLiteral("Attempts:"), m_maxAttempts);
    for (QObject *field :
         { static_cast<QObject *>(m_reconnectGroup), static_cast<QObject *>(m_initialDelay),
           static_cast<QObject *>(m_maxDelay), static_cast<QObject *>(m_multiplier),
           static_cast<QObject *>(m_jitter), static_cast<QObject *>(m_maxAttempts) })
        watch(field);
    return m_reconnectGroup;
}

QWidget *RequestEditor::createTimingSection()
{
    auto *group = new QGroupBox(QStringLiteral("&Keepalive and timeouts"));
    auto *form = formLayout(group);
    m_pingInterval = millisecondsBox(
        3'600'000, QStringLiteral("off"),
        QStringLiteral("Send a ping this often while open; its round-trip time shows in Stats"));
    m_pingInterval->setObjectName(QStringLiteral("pingIntervalBox"));
    m_pongTimeout = millisecondsBox(
        3'600'000, QStringLiteral("off"),
        QStringLiteral("Consider the connection dead when a keepalive ping has no pong this long"));
    m_connectTimeout =
        millisecondsBox(3'600'000, QStringLiteral("off"),
                        QStringLiteral("Host lookup and TCP connect, through the proxy if any"));
    m_handshakeTimeout =
        millisecondsBox(3'600'000, QStringLiteral("off"),
                        QStringLiteral("TLS and the opening handshake, until the 101 response"));
    m_closeTimeout = millisecondsBox(
        3'600'000, QStringLiteral("off"),
        QStringLiteral("After our close frame, how long to wait for the peer's before dropping "
                       "the connection"));
    form->addRow(QStringLiteral("Ping every:"), m_pingInterval);
    form->addRow(QStringLiteral("Pong timeout:"), m_pongTimeout);
    form->addRow(QStringLiteral("Connect:"), m_connectTimeout);
    form->addRow(QStringLiteral("Handshake:"), m_handshakeTimeout);
    form->addRow(QStringLiteral("Close:"), m_closeTimeout);
    for (QObject *field :
         { static_cast<QObject *>(m_pingInterval), static_cast<QObject *>(m_pongTimeout),
           static_cast<QObject *>(m_connectTimeout), static_cast<QObject *>(m_handshakeTimeout),
           static_cast<QObject *>(m_closeTimeout) })
        watch(field);
    return group;
}

QWidget *RequestEditor::fileRow(QLineEdit *edit, const QString &caption, const QString &filter)
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    edit->setClearButtonEnabled(true);
    layout->addWidget(edit, 1);
    auto *browse = new QToolButton(row);
    browse->setIcon(SvgIconEngine::icon(QStringLiteral("open-file")));
    browse->setToolTip(QStringLiteral("Choose the file"));
    browse->setAutoRaise(true);
    layout->addWidget(browse);
    connect(browse, &QToolButton::clicked, this, [this, edit, caption, filter] {
        const QString path = QFileDialog::getOpenFileName(this, caption, edit->text(), filter);
        if (!path.isEmpty()) {
            edit->setText(path);
            onEdited();
        }
    });
    watch(edit);
    return row;
}

QWidget *RequestEditor::createTlsSection()
{
    auto *group = new QGroupBox(QStringLiteral("&TLS (wss://)"));
    auto *form = formLayout(group);
    const QString pem = QStringLiteral("PEM files (*.pem *.crt *.cer *.key);;All files (*)");
    m_caFile = new QLineEdit(group);
    m_caFile->setPlaceholderText(QStringLiteral("system trust store only"));
    m_caFile->setToolTip(QStringLiteral("Extra certificate authorities (PEM) trusted besides the "
                                        "system's, e.g. your own development CA"));
    m_certificateFile = new QLineEdit(group);
    m_certificateFile->setPlaceholderText(QStringLiteral("none"));
    m_certificateFile->setToolTip(
        QStringLiteral("Client certificate (PEM) for servers that ask for one"));
    m_keyFile = new QLineEdit(group);
    m_keyFile->setPlaceholderText(QStringLiteral("none"));
    m_keyFile->setToolTip(
        QStringLiteral("The client certificate's private key (PEM, unencrypted)"));
    m_allowInvalid = new QCheckBox(QStringLiteral("Allow an invalid certificate"), group);
    m_allowInvalid->setObjectName(QStringLiteral("allowInvalidCertificate"));
    m_allowInvalid->setToolTip(
        QStringLiteral("Connect even when the server's certificate fails "
                       "verification (self-signed, expired, wrong name). The "
                       "ignored errors are still shown."));
    form->addRow(QStringLiteral("CA file:"),
                 fileRow(m_caFile, QStringLiteral("Certificate authorities"), pem));
    form->addRow(QStringLiteral("Certificate:"),
                 fileRow(m_certificateFile, QStringLiteral("Client certificate"), pem));
    form->addRow(QStringLiteral("Key:"), fileRow(m_keyFile, QStringLiteral("Client key"), pem));
    form->addRow(QString(), m_allowInvalid);
    watch(m_allowInvalid);
    return group;
}

QWidget *RequestEditor::createProxySection()
{
    auto *group = new QGroupBox(QStringLiteral("Pro&xy"));
    auto *form = formLayout(group);
    m_proxyType = new QComboBox(group);
    m_proxyType->setObjectName(QStringLiteral("proxyType"));
    m_proxyType->addItem(QStringLiteral("System settings"));
    m_proxyType->addItem(QStringLiteral("None (direct)"));
    m_proxyType->addItem(QStringLiteral("HTTP (CONNECT)"));
    m_proxyType->addItem(QStringLiteral("SOCKS5"));
    m_proxyType->setToolTip(QStringLiteral("How to reach the server"));
    m_proxyHost = new QLineEdit(group);
    m_proxyHost->setPlaceholderText(QStringLiteral("proxy.example.com"));
    m_proxyPort = new QSpinBox(group);
    m_proxyPort->setRange(0, 65535);
    m_proxyPort->setSpecialValueText(QStringLiteral("port"));
    m_proxyUser = new QLineEdit(group);
    m_proxyUser->setPlaceholderText(QStringLiteral("optional"));
    m_proxyPassword = new QLineEdit(group);
    m_proxyPassword->setEchoMode(QLineEdit::Password);
    m_proxyPassword->setPlaceholderText(QStringLiteral("optional"));
    m_proxyPassword->setToolTip(QStringLiteral("Kept in the system keychain when the tab is saved "
                                               "as a profile; never written to a file"));
    auto *hostRow = new QHBoxLayout;
    hostRow->addWidget(m_proxyHost, 1);
    hostRow->addWidget(m_proxyPort);
    form->addRow(QStringLiteral("Type:"), m_proxyType);
    form->addRow(QStringLiteral("Host, port:"), hostRow);
    form->addRow(QStringLiteral("User:"), m_proxyUser);
    form->addRow(QStringLiteral("Password:"), m_proxyPassword);
    for (QObject *field :
         { static_cast<QObject *>(m_proxyType), static_cast<QObject *>(m_proxyHost),
           static_cast<QObject *>(m_proxyPort), static_cast<QObject *>(m_proxyUser),
           static_cast<QObject *>(m_proxyPassword) })
        watch(field);
    return group;
}

void RequestEditor::watch(QObject *field)
{
    if (auto *edit = qobject_cast<QLineEdit *>(field))
        connect(edit, &QLineEdit::textEdited, this, &RequestEditor::onEdited);
    else if (auto *spin = qobject_cast<QSpinBox *>(field))
        connect(spin, &QSpinBox::valueChanged, this, &RequestEditor::onEdited);
    else if (auto *dspin = qobject_cast<QDoubleSpinBox *>(field))
        connect(dspin, &QDoubleSpinBox::valueChanged, this, &RequestEditor::onEdited);
    else if (auto *check = qobject_cast<QCheckBox *>(field))
        connect(check, &QCheckBox::toggled, this, &RequestEditor::onEdited);
    else if (auto *group = qobject_cast<QGroupBox *>(field))
        connect(group, &QGroupBox::toggled, this, &RequestEditor::onEdited);
    else if (auto *combo = qobject_cast<QComboBox *>(field))
        connect(combo, &QComboBox::currentIndexChanged, this, &RequestEditor::onEdited);
}

void RequestEditor::onEdited()
{
    updateEnabled();
    if (m_loading)
        return;
    Profile profile;
    profile.url = QStringLiteral("ws://placeholder/"); // the request bar checks the URL
    applyTo(profile);
    const QStringList problems = ProfileConnection::connectionProblems(profile);
    m_problemLabel->setText(problems.join(QLatin1Char('\n')));
    QPalette palette = m_problemLabel->palette();
    palette.setColor(QPalette::WindowText, Theme::errorColor());
    m_problemLabel->setPalette(palette);
    m_problemLabel->setVisible(!problems.isEmpty());
    Q_EMIT edited();
}

QString RequestEditor::problemText() const
{
    return m_problemLabel->isVisible() ? m_problemLabel->text() : QString();
}

void RequestEditor::updateEnabled()
{
    m_maxRedirects->setEnabled(m_followRedirects->isChecked());
    m_pongTimeout->setEnabled(m_pingInterval->value() > 0);
    const bool proxyFields = m_proxyType->currentIndex() >= int(Profile::ProxyType::Http);
    for (QWidget *w :
         { static_cast<QWidget *>(m_proxyHost), static_cast<QWidget *>(m_proxyPort),
           static_cast<QWidget *>(m_proxyUser), static_cast<QWidget *>(m_proxyPassword) })
        w->setEnabled(proxyFields);
}

void RequestEditor::removeSelectedHeaders()
{
    QList<int> rows;
    for (const QModelIndex &index : m_headerView->selectionModel()->selectedRows())
        rows.append(index.row());
    if (rows.isEmpty() && m_headerView->currentIndex().isValid())
        rows.append(m_headerView->currentIndex().row());
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (const int row : rows)
        m_headerModel->removeRows(row, 1);
}

void RequestEditor::setProfile(const Profile &s)
{
    m_loading = true;
    m_headerModel->setHeaders(s.headers);
    m_subprotocols->setText(s.subprotocols.join(QStringLiteral(", ")));
    m_origin->setText(s.origin);
    m_maxMessageSize->setValue(int(qMin<qint64>(s.maxMessageSize / (1024 * 1024), 2047)));
    m_followRedirects->setChecked(s.redirects.follow);
    m_maxRedirects->setValue(s.redirects.maxHops);
    m_deflateGroup->setChecked(s.deflate.enabled);
    m_clientWindowBits->setValue(s.deflate.clientMaxWindowBits);
    m_serverWindowBits->setValue(s.deflate.serverMaxWindowBits);
    m_clientNoContextTakeover->setChecked(s.deflate.clientNoContextTakeover);
    m_serverNoContextTakeover->setChecked(s.deflate.serverNoContextTakeover);
    m_reconnectGroup->setChecked(s.reconnect.enabled);
    m_initialDelay->setValue(s.reconnect.initialDelayMs);
    m_maxDelay->setValue(s.reconnect.maxDelayMs);
    m_multiplier->setValue(s.reconnect.multiplier);
    m_jitter->setCurrentIndex(int(s.reconnect.jitter));
    m_maxAttempts->setValue(s.reconnect.maxAttempts);
    m_pingInterval->setValue(s.keepalive.pingIntervalMs);
    m_pongTimeout->setValue(s.keepalive.pongTimeoutMs);
    m_connectTimeout->setValue(s.timeouts.connectMs);
    m_handshakeTimeout->setValue(s.timeouts.handshakeMs);
    m_closeTimeout->setValue(s.timeouts.closeMs);
    m_caFile->setText(s.tls.caFile);
    m_certificateFile->setText(s.tls.certificateFile);
    m_keyFile->setText(s.tls.keyFile);
    m_allowInvalid->setChecked(s.tls.allowInvalidCertificates);
    m_proxyType->setCurrentIndex(int(s.proxy.type));
    m_proxyHost->setText(s.proxy.host);
    m_proxyPort->setValue(s.proxy.port);
    m_proxyUser->setText(s.proxy.user);
    m_proxyPassword->setText(s.proxy.password);
    m_loading = false;
    updateEnabled();
    m_problemLabel->hide();
}

void RequestEditor::applyTo(Profile &s) const
{
    s.headers = m_headerModel->headers();
    s.subprotocols.clear();
    for (const QString &part : m_subprotocols->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (const QString name = part.trimmed(); !name.isEmpty())
            s.subprotocols.append(name);
    }
    s.origin = m_origin->text().trimmed();
    // A limit typed in MiB keeps the exact byte value it was loaded with when unchanged.
    if (m_maxMessageSize->value() != int(qMin<qint64>(s.maxMessageSize / (1024 * 1024), 2047)))
        s.maxMessageSize = qint64(m_maxMessageSize->value()) * 1024 * 1024;
    s.redirects.follow = m_followRedirects->isChecked();
    s.redirects.maxHops = m_maxRedirects->value();
    s.deflate.enabled = m_deflateGroup->isChecked();
    s.deflate.clientMaxWindowBits = m_clientWindowBits->value();
    s.deflate.serverMaxWindowBits = m_serverWindowBits->value();
    s.deflate.clientNoContextTakeover = m_clientNoContextTakeover->isChecked();
    s.deflate.serverNoContextTakeover = m_serverNoContextTakeover->isChecked();
    s.reconnect.enabled = m_reconnectGroup->isChecked();
    s.reconnect.initialDelayMs = m_initialDelay->value();
    s.reconnect.maxDelayMs = m_maxDelay->value();
    s.reconnect.multiplier = m_multiplier->value();
    s.reconnect.jitter = Profile::Jitter(m_jitter->currentIndex());
    s.reconnect.maxAttempts = m_maxAttempts->value();
    s.keepalive.pingIntervalMs = m_pingInterval->value();
    s.keepalive.pongTimeoutMs = m_pongTimeout->value();
    s.timeouts.connectMs = m_connectTimeout->value();
    s.timeouts.handshakeMs = m_handshakeTimeout->value();
    s.timeouts.closeMs = m_closeTimeout->value();
    s.tls.caFile = m_caFile->text().trimmed();
    s.tls.certificateFile = m_certificateFile->text().trimmed();
    s.tls.keyFile = m_keyFile->text().trimmed();
    s.tls.allowInvalidCertificates = m_allowInvalid->isChecked();
    s.proxy.type = Profile::ProxyType(m_proxyType->currentIndex());
    s.proxy.host = m_proxyHost->text().trimmed();
    s.proxy.port = m_proxyPort->value();
    s.proxy.user = m_proxyUser->text();
    s.proxy.password = m_proxyPassword->text();
}

} // namespace duplex
