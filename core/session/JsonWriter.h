#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>

namespace duplex {

// A JSON object written field by field in the order given (QJsonObject sorts its keys, and the
// record's objects read best with "event" first). What ConnectionSession records as events.
class JsonWriter
{
public:
    JsonWriter()
    {
        m_out.reserve(96);
        m_out.append('{');
    }
    explicit JsonWriter(const char *event)
        : JsonWriter()
    {
        string("event", event);
    }

    JsonWriter &string(const char *key, QByteArrayView utf8)
    {
        name(key);
        quote(utf8);
        return *this;
    }
    JsonWriter &string(const char *key, const char *utf8)
    {
        return string(key, QByteArrayView(utf8));
    }
    JsonWriter &string(const char *key, const QByteArray &utf8)
    {
        return string(key, QByteArrayView(utf8));
    }
    JsonWriter &string(const char *key, const QString &text)
    {
        return string(key, QByteArrayView(text.toUtf8()));
    }
    JsonWriter &number(const char *key, qint64 value)
    {
        name(key);
        m_out.append(QByteArray::number(value));
        return *this;
    }
    JsonWriter &boolean(const char *key, bool value)
    {
        name(key);
        m_out.append(value ? "true" : "false");
        return *this;
    }
    JsonWriter &strings(const char *key, const QStringList &values)
    {
        name(key);
        m_out.append('[');
        for (qsizetype i = 0; i < values.size(); ++i) {
            if (i > 0)
                m_out.append(',');
            quote(values[i].toUtf8());
        }
        m_out.append(']');
        return *this;
    }
    JsonWriter &object(const char *key, QByteArray json)
    {
        name(key);
        m_out.append(json);
        return *this;
    }
    QByteArray take()
    {
        m_out.append('}');
        return std::move(m_out);
    }

private:
    void name(const char *key)
    {
        if (m_out.size() > 1)
            m_out.append(',');
        quote(QByteArrayView(key));
        m_out.append(':');
    }
    void quote(QByteArrayView utf8)
    {
        static const char hex[] = "0123456789abcdef";
        m_out.append('"');
        for (const char ch : utf8) {
            const auto c = uchar(ch);
            if (c == '"' || c == '\\') {
                m_out.append('\\');
                m_out.append(ch);
            } else if (c == '\n') {
                m_out.append("\\n");
            } else if (c == '\r') {
                m_out.append("\\r");
            } else if (c == '\t') {
                m_out.append("\\t");
            } else if (c < 0x20) {
                m_out.append("\\u00");
                m_out.append(hex[c >> 4]);
                m_out.append(hex[c & 0xF]);
            } else {
                m_out.append(ch);
            }
        }
        m_out.append('"');
    }

    QByteArray m_out;
};

} // namespace duplex
