#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

namespace duplex {

// Typed access to the fields of one JSON object, with the field's full path in every error
// ("timeouts.connectMs: expected an integer, got \"soon\""). The first error is kept in a sink
// shared by nested readers; after it, readers leave their targets alone (or answer their
// fallback), so a caller can read on and check failed() where it matters. An absent field and
// a null one are both "not given".
//
// Two styles, for two kinds of callers: readX(key, out) leaves `out` at its default when the
// field is not given (Profile, whose every field has a default); string(key, fallback,
// required) and its kin answer a value (HarDocument, where some fields must be there).
class JsonFields
{
public:
    // How an array is named in errors: "an array" in profiles, "a list" in HAR files.
    enum class ArrayNoun { Array, List };

    JsonFields(QJsonObject object, QString path, QString *error,
               ArrayNoun arrayNoun = ArrayNoun::Array);

    // A reader of `object`, found at `key` of this one, sharing this one's error sink.
    JsonFields nested(const QJsonObject &object, const QString &key) const;

    bool failed() const { return !m_error->isEmpty(); }
    QString pathOf(const QString &key) const;
    // Keeps "path.key: message" unless an error is kept already.
    void fail(const QString &key, const QString &message) const;
    // Fails with "expected <what>, got <what `got` is>".
    void failExpected(const QString &key, const QString &what, const QJsonValue &got) const;

    bool has(const QString &key) const { return m_object.contains(key); }
    bool present(const QString &key) const; // there and not null
    QJsonValue value(const QString &key) const { return m_object.value(key); }

    void readString(const QString &key, QString &out) const { out = string(key, out); }
    void readBool(const QString &key, bool &out) const;
    void readInt64(const QString &key, qint64 &out) const;
    void readInt(const QString &key, int &out) const;
    void readDouble(const QString &key, double &out) const;
    std::optional<QJsonObject> readObject(const QString &key) const;
    std::optional<QJsonArray> readArray(const QString &key) const;
    template<typename Enum>
    void readEnum(const QString &key, Enum &out, std::optional<Enum> (*fromName)(const QString &),
                  const QString &allowed) const
    {
        QString name;
        readString(key, name);
        if (failed() || !present(key))
            return;
        const std::optional<Enum> parsed = fromName(name);
        if (!parsed)
            return fail(key,
                        QStringLiteral("unknown value \"%1\" (expected %2)").arg(name, allowed));
        out = *parsed;
    }

    // A required field that is not given fails with "missing".
    QString string(const QString &key, const QString &fallback = {}, bool required = false) const;
    double number(const QString &key, double fallback, bool required = false) const; // finite
    QJsonObject object(const QString &key, bool required = false) const;
    QJsonArray array(const QString &key, bool required = false) const;

    // What a JSON value is, for error messages: `"soon"`, `42`, `true`, `an object`, `null`.
    static QString describe(const QJsonValue &value, ArrayNoun arrayNoun = ArrayNoun::Array);
    // The fields of `object` not in `known`: what a newer version wrote, to be kept as it was.
    static QJsonObject unknownFields(const QJsonObject &object, const QStringList &known);
    // Parses `json`; nothing and "not valid JSON (<why> at byte <n>)" when it is not.
    static std::optional<QJsonDocument> parse(const QByteArray &json, QString *errorMessage);

private:
    bool given(const QString &key, bool required) const;
    bool expect(const QString &key, bool ok, const QString &what) const;

    QJsonObject m_object;
    QString m_path;
    QString *m_error;
    ArrayNoun m_arrayNoun;
};

} // namespace duplex
