#include "core/session/JsonListFile.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>

namespace duplex {

namespace {

// 1-based line and column of a byte offset, for parse errors a person can find.
QString positionOf(const QByteArray &bytes, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, bytes.size());
    const qsizetype line = bytes.left(offset).count('\n') + 1;
    const qsizetype lineStart = bytes.lastIndexOf('\n', offset - 1) + 1;
    return QStringLiteral("line %1, column %2").arg(line).arg(offset - lineStart + 1);
}

void setError(QString *errorMessage, const QString &message)
{
    if (errorMessage)
        *errorMessage = message;
}

} // namespace

JsonListFile::JsonListFile(const QString &path, const QString &format, const QString &listKey)
    : m_path(path)
    , m_format(format)
    , m_listKey(listKey)
{ }

JsonListFile::State JsonListFile::stateOf(const QByteArray &bytes)
{
    return { true, bytes.size(), QCryptographicHash::hash(bytes, QCryptographicHash::Sha256) };
}

JsonListFile::State JsonListFile::stateOf(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return {};
    if (!file.open(QIODevice::ReadOnly))
        return { true, 0, {} };
    return stateOf(file.readAll());
}

bool JsonListFile::changedOnDisk() const
{
    return stateOf(m_path) != m_state;
}

QJsonArray JsonListFile::load(QList<StoreWarning> &warnings)
{
    m_state = {};
    m_blockedReason.clear();
    m_unreadable = QJsonArray();
    QFile file(m_path);
    if (!file.exists())
        return {};
    m_state.exists = true;
    if (!file.open(QIODevice::ReadOnly)) {
        m_blockedReason = QStringLiteral("%1 cannot be read (%2); nothing will be written "
                                         "over it until it can")
                              .arg(m_path, file.errorString());
        warnings.append(
            { m_path,
              QStringLiteral("cannot be read (%1); it is left as it is").arg(file.errorString()),
              QString() });
        return {};
    }
    const QByteArray bytes = file.readAll();
    file.close();
    m_state = stateOf(bytes);
    if (bytes.trimmed().isEmpty())
        return {};

    QJsonArray entries;
    const QString problem = problemWith(bytes, entries, warnings);
    if (!problem.isEmpty())
        moveAside(problem, warnings);
    return entries;
}

// Parses the file's bytes into `entries`; what makes the file unusable, if anything.
QString JsonListFile::problemWith(const QByteArray &bytes, QJsonArray &entries,
                                  QList<StoreWarning> &warnings) const
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return QStringLiteral("not valid JSON (%1 at %2)")
            .arg(parseError.errorString(), positionOf(bytes, parseError.offset));
    }
    if (document.isArray()) {
        entries = document.array(); // a bare list, as someone might write by hand
        return {};
    }
    const QJsonObject root = document.object();
    const QJsonValue fileFormat = root.value(QStringLiteral("format"));
    const QJsonValue list = root.value(m_listKey);
    if (!fileFormat.isUndefined() && fileFormat.toString() != m_format) {
        return QStringLiteral("not a Duplex %1 file (its \"format\" is %2, expected \"%3\")")
            .arg(m_listKey,
                 fileFormat.isString() ? QStringLiteral("\"%1\"").arg(fileFormat.toString())
                                       : QStringLiteral("not a string"),
                 m_format);
    }
    if (list.isArray()) {
        entries = list.toArray();
        const int version = root.value(QStringLiteral("schemaVersion")).toInt(1);
        if (version > SchemaVersion)
            warnings.append({ m_path,
                              QStringLiteral("written by a newer version of Duplex (schema %1, "
                                             "this one knows %2); settings this version does "
                                             "not know are kept as they are")
                                  .arg(version)
                                  .arg(SchemaVersion),
                              QString() });
        return {};
    }
    if (!list.isUndefined() || !root.isEmpty())
        return QStringLiteral("has no \"%1\" list").arg(m_listKey);
    return {};
}

// Keeps an unreadable file: moves it aside under a name nothing else uses, or, when that fails,
// blocks every write over it.
void JsonListFile::moveAside(const QString &problem, QList<StoreWarning> &warnings)
{
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString copy = m_path + QStringLiteral(".corrupt-") + stamp;
    for (int n = 2; QFile::exists(copy); ++n)
        copy = m_path + QStringLiteral(".corrupt-%1-%2").arg(stamp).arg(n);
    if (QFile::rename(m_path, copy)) {
        m_state = {};
        warnings.append({ m_path,
                          problem
                              + QStringLiteral("; starting without it, and a new file will be "
                                               "written on the next change"),
                          copy });
    } else if (!QFile::exists(m_path)) {
        m_state = {}; // another process moved it aside first
        warnings.append(
            { m_path, problem + QStringLiteral("; another process moved it aside"), QString() });
    } else {
        m_blockedReason = QStringLiteral("%1 is %2 and could not be moved aside; fix or move it, "
                                         "then reload")
                              .arg(m_path, problem);
        warnings.append({ m_path,
                          problem
                              + QStringLiteral("; it could not be moved aside, so it is left in "
                                               "place and nothing will be written over it"),
                          QString() });
    }
}

bool JsonListFile::save(const QJsonArray &entries, const BeforeCommitHook &beforeCommit,
                        QString *errorMessage)
{
    QJsonArray all = entries;
    for (const QJsonValue &raw : std::as_const(m_unreadable))
        all.append(raw);
    const QJsonObject root {
        { QStringLiteral("format"), m_format },
        { QStringLiteral("schemaVersion"), SchemaVersion },
        { m_listKey, all },
    };
    const QByteArray bytes = QJsonDocument(root).toJson(QJsonDocument::Indented);

    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        setError(errorMessage,
                 QStringLiteral("cannot write %1 (%2); the previous file is unchanged")
                     .arg(m_path, file.errorString()));
        return false;
    }
    if (file.write(bytes) != bytes.size()) {
        const QString reason = file.errorString();
        file.cancelWriting();
        setError(errorMessage,
                 QStringLiteral("cannot write %1 (%2); the previous file is unchanged")
                     .arg(m_path, reason));
        return false;
    }
    if (beforeCommit && !beforeCommit(m_path)) {
        file.cancelWriting();
        file.commit(); // discards the temporary file
        setError(errorMessage,
                 QStringLiteral("writing %1 was interrupted before it completed; the previous "
                                "file is unchanged")
                     .arg(m_path));
        return false;
    }
    if (!file.commit()) {
        setError(errorMessage,
                 QStringLiteral("cannot replace %1 (%2); the previous file is unchanged")
                     .arg(m_path, file.errorString()));
        return false;
    }
    m_state = stateOf(bytes);
    return true;
}

} // namespace duplex
