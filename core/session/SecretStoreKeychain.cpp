#include "core/session/SecretStoreKeychain.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#ifdef DUPLEX_HAVE_QTKEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace duplex {

namespace {

const QString probeKey = QStringLiteral("duplex-keychain-probe");

#ifdef DUPLEX_HAVE_QTKEYCHAIN

SecretStore::Result resultOf(const QKeychain::Job &job)
{
    using Status = SecretStore::Status;
    switch (job.error()) {
    case QKeychain::NoError:
        return { Status::Ok, QString(), QString() };
    case QKeychain::EntryNotFound:
        return { Status::NotFound, QString(), job.errorString() };
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return { Status::Unavailable, QString(),
                 QStringLiteral("no keychain service is available (%1)").arg(job.errorString()) };
    case QKeychain::AccessDeniedByUser:
        return { Status::Failed, QString(),
                 QStringLiteral("access to the keychain was denied (%1)").arg(job.errorString()) };
    case QKeychain::AccessDenied:
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        break;
    }
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    // QtKeychain says little more than "Unknown error" when no keychain service answers on the
    // session bus; say what usually causes it.
    return { Status::Failed, QString(),
             QStringLiteral("keychain error: %1 (is a Secret Service such as GNOME Keyring, or "
                            "KWallet, running on the session bus?)")
                 .arg(job.errorString()) };
#else
    return { Status::Failed, QString(),
             QStringLiteral("keychain error: %1").arg(job.errorString()) };
#endif
}

// Starts the job and waits for it. Returns false on timeout, in which case the job has been
// told to delete itself once it finishes and must not be touched again.
bool runToCompletion(QKeychain::Job *job, int timeoutMs)
{
    bool finished = false;
    QEventLoop loop;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&finished, &loop] {
        finished = true;
        loop.quit();
    });
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    job->setAutoDelete(false);
    job->start();
    if (!finished) {
        timer.start(timeoutMs);
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    }
    if (!finished) {
        QObject::disconnect(job, nullptr, &loop, nullptr);
        job->setAutoDelete(true);
        return false;
    }
    return true;
}

SecretStore::Result timedOut(int timeoutMs)
{
    return { SecretStore::Status::Unavailable, QString(),
             QStringLiteral("the keychain did not answer within %1 ms").arg(timeoutMs) };
}

SecretStore::Result noApplication()
{
    return { SecretStore::Status::Unavailable, QString(),
             QStringLiteral("the keychain needs a running application object") };
}

#endif

} // namespace

SecretStoreKeychain::SecretStoreKeychain(QString service, int timeoutMs)
    : m_service(std::move(service))
    , m_timeoutMs(timeoutMs)
{ }

bool SecretStoreKeychain::isCompiledIn()
{
#ifdef DUPLEX_HAVE_QTKEYCHAIN
    return true;
#else
    return false;
#endif
}

QString SecretStoreKeychain::backendName() const
{
#if defined(Q_OS_MACOS)
    return QStringLiteral("the macOS Keychain");
#elif defined(Q_OS_WIN)
    return QStringLiteral("the Windows Credential Manager");
#else
    return QStringLiteral("the system keychain (Secret Service or KWallet)");
#endif
}

#ifdef DUPLEX_HAVE_QTKEYCHAIN

SecretStore::Result SecretStoreKeychain::read(const QString &key)
{
    if (!QCoreApplication::instance())
        return noApplication();
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(key);
    if (!runToCompletion(job, m_timeoutMs))
        return timedOut(m_timeoutMs);
    Result result = resultOf(*job);
    if (result.status == Status::Ok)
        result.value = job->textData();
    delete job;
    return result;
}

SecretStore::Result SecretStoreKeychain::write(const QString &key, const QString &value)
{
    if (!QCoreApplication::instance())
        return noApplication();
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(key);
    job->setTextData(value);
    if (!runToCompletion(job, m_timeoutMs))
        return timedOut(m_timeoutMs);
    const Result result = resultOf(*job);
    delete job;
    return result;
}

SecretStore::Result SecretStoreKeychain::remove(const QString &key)
{
    if (!QCoreApplication::instance())
        return noApplication();
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(key);
    if (!runToCompletion(job, m_timeoutMs))
        return timedOut(m_timeoutMs);
    Result result = resultOf(*job);
    delete job;
    if (result.status == Status::NotFound)
        result = { Status::Ok, QString(), QString() };
    return result;
}

#else

namespace {

SecretStore::Result notBuilt()
{
    return { SecretStore::Status::Unavailable, QString(),
             QStringLiteral("this build of Duplex has no keychain support (QtKeychain was not "
                            "found when it was built)") };
}

} // namespace

SecretStore::Result SecretStoreKeychain::read(const QString &)
{
    return notBuilt();
}

SecretStore::Result SecretStoreKeychain::write(const QString &, const QString &)
{
    return notBuilt();
}

SecretStore::Result SecretStoreKeychain::remove(const QString &)
{
    return notBuilt();
}

#endif

SecretStore::Result SecretStoreKeychain::probe()
{
    Result result = read(probeKey);
    if (result.status == Status::NotFound || result.status == Status::Ok)
        return { Status::Ok, QString(), QString() };
    return result;
}

} // namespace duplex
