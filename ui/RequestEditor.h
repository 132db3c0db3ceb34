#pragma once

#include "core/session/Profile.h"

#include <QWidget>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableView;
QT_END_NAMESPACE

namespace duplex {

class HeaderTableModel;

// Everything about the opening handshake and the connection besides the URL: headers,
// subprotocols, Origin, permessage-deflate, reconnect policy, keepalive, timeouts, TLS and proxy.
// A form over the fields of a Profile; changes take effect at the next Connect.
class RequestEditor : public QWidget
{
    Q_OBJECT

public:
    explicit RequestEditor(QWidget *parent = nullptr);

    // Fills the form from, and writes it into, the profile's fields it shows: everything but
    // id, name, folder, url, messages sent on connect and templates.
    void setProfile(const Profile &profile);
    void applyTo(Profile &profile) const;

    HeaderTableModel *headerModel() const { return m_headerModel; }
    QTableView *headerView() const { return m_headerView; }
    QString problemText() const;

Q_SIGNALS:
    // The user changed any field.
    void edited();

private:
    QWidget *createHeadersSection();
    QWidget *createProtocolSection();
    QWidget *createCompressionSection();
    QWidget *createReconnectSection();
    QWidget *createTimingSection();
    QWidget *createTlsSection();
    QWidget *createProxySection();
    QWidget *fileRow(QLineEdit *edit, const QString &caption, const QString &filter);
    void watch(QObject *field);
    void onEdited();
    void updateEnabled();
    void removeSelectedHeaders();

    bool m_loading = false;
    HeaderTableModel *m_headerModel = nullptr;
    QTableView *m_headerView = nullptr;
    QLabel *m_problemLabel = nullptr;

    QLineEdit *m_subprotocols = nullptr;
    QLineEdit *m_origin = nullptr;
    QSpinBox *m_maxMessageSize = nullptr;
    QCheckBox *m_followRedirects = nullptr;
    QSpinBox *m_maxRedirects = nullptr;

    QGroupBox *m_deflateGroup = nullptr;
    QSpinBox *m_clientWindowBits = nullptr;
    QSpinBox *m_serverWindowBits = nullptr;
    QCheckBox *m_clientNoContextTakeover = nullptr;
    QCheckBox *m_serverNoContextTakeover = nullptr;

    QGroupBox *m_reconnectGroup = nullptr;
    QSpinBox *m_initialDelay = nullptr;
    QSpinBox *m_maxDelay = nullptr;
    QDoubleSpinBox *m_multiplier = nullptr;
    QComboBox *m_jitter = nullptr;
    QSpinBox *m_maxAttempts = nullptr;

    QSpinBox *m_pingInterval = nullptr;
    QSpinBox *m_pongTimeout = nullptr;
    QSpinBox *m_connectTimeout = nullptr;
    QSpinBox *m_handshakeTimeout = nullptr;
    QSpinBox *m_closeTimeout = nullptr;

    QLineEdit *m_caFile = nullptr;
    QLineEdit *m_certificateFile = nullptr;
    QLineEdit *m_keyFile = nullptr;
    QCheckBox *m_allowInvalid = nullptr;

    QComboBox *m_proxyType = nullptr;
    QLineEdit *m_proxyHost = nullptr;
    QSpinBox *m_proxyPort = nullptr;
    QLineEdit *m_proxyUser = nullptr;
    QLineEdit *m_proxyPassword = nullptr;
};

} // namespace duplex
