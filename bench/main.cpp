// duplex-bench: prints each case's figure beside references measured in the same run.
//   duplex-bench [--json] [--smoke] [--repetitions N] [CASE...]
//   duplex-bench --list

#include "Benchmark.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>
#include <QTextStream>
#include <QThread>

#ifdef DUPLEX_BENCH_GUI
#include <QApplication>
#endif

#include <cstdio>
#include <memory>

using namespace duplex::bench;

namespace {

QString cpuModel()
{
    QFile cpuinfo(QStringLiteral("/proc/cpuinfo"));
    if (cpuinfo.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> lines = cpuinfo.readAll().split('\n');
        for (const QByteArray &line : lines) {
            if (line.startsWith("model name")) {
                const qsizetype colon = line.indexOf(':');
                return QString::fromUtf8(line.mid(colon + 1).trimmed());
            }
        }
    }
    return QSysInfo::currentCpuArchitecture();
}

QString machine()
{
    return QStringLiteral("%1, %2 threads, %3, Qt %4")
        .arg(cpuModel())
        .arg(QThread::idealThreadCount())
        .arg(QSysInfo::prettyProductName(), QString::fromLatin1(qVersion()));
}

QString formatValue(double value)
{
    if (value >= 1e6)
        return QString::number(value, 'e', 3);
    if (value >= 100)
        return QString::number(value, 'f', 0);
    return QString::number(value, 'g', 4);
}

} // namespace

int main(int argc, char **argv)
{
#ifdef DUPLEX_BENCH_GUI
    // History cases drive real widgets; the offscreen platform needs no display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
#else
    QCoreApplication app(argc, argv);
#endif
    QCoreApplication::setApplicationName(QStringLiteral("duplex-bench"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Duplex benchmarks. Each figure is the median of repeated runs, printed "
                       "beside references measured in the same run; ratio > 1 means better than "
                       "the reference."));
    parser.addHelpOption();
    const QCommandLineOption list(QStringLiteral("list"), QStringLiteral("List the cases."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
    const QCommandLineOption smoke(
        QStringLiteral("smoke"),
        QStringLiteral(
            "Tiny sizes, one repetition: check that every case runs. Measures nothing."));
    const QCommandLineOption repetitions(
        QStringLiteral("repetitions"),
        QStringLiteral("Repetitions per figure (default 7, at least 5)."), QStringLiteral("N"),
        QStringLiteral("7"));
    parser.addOptions({ list, json, smoke, repetitions });
    parser.addPositionalArgument(QStringLiteral("case"),
                                 QStringLiteral("Cases to run (default: all)."),
                                 QStringLiteral("[CASE...]"));
    parser.process(app);

    Registry registry;
    registerProtocolBenchmarks(registry);
    registerDeflateBenchmarks(registry);
#ifdef DUPLEX_BENCH_LOOPBACK
    registerLoopbackBenchmarks(registry);
#endif
#ifdef DUPLEX_BENCH_GUI
    registerHistoryBenchmarks(registry);
#endif

    QTextStream out(stdout);
    if (parser.isSet(list)) {
        for (const Case &c : registry.cases())
            out << c.name << "\t" << c.description << "\n";
        return 0;
    }

    Context context;
    context.smoke = parser.isSet(smoke);
    bool ok = false;
    context.repetitions = parser.value(repetitions).toInt(&ok);
    if (!ok || context.repetitions < 5) {
        std::fprintf(stderr, "duplex-bench: --repetitions must be a number of at least 5\n");
        return 1;
    }

    QList<Case> selected;
    const QStringList wanted = parser.positionalArguments();
    for (const QString &name : wanted) {
        const auto found = std::find_if(registry.cases().begin(), registry.cases().end(),
                                        [&](const Case &c) { return c.name == name; });
        if (found == registry.cases().end()) {
            std::fprintf(stderr, "duplex-bench: unknown case \"%s\" (see --list)\n",
                         qPrintable(name));
            return 1;
        }
        selected.append(*found);
    }
    if (wanted.isEmpty())
        selected = registry.cases();

    const bool asJson = parser.isSet(json);
    if (!asJson) {
        out << "machine: " << machine() << "\n";
        out << qSetFieldWidth(24) << Qt::left << "case" << qSetFieldWidth(14) << Qt::right
            << "value" << qSetFieldWidth(0) << "  " << qSetFieldWidth(10) << Qt::left << "unit"
            << qSetFieldWidth(16) << "reference" << qSetFieldWidth(14) << Qt::right << "ref value"
            << qSetFieldWidth(9) << "ratio" << qSetFieldWidth(0) << "\n";
        out.flush();
    }
    QJsonArray cases;
    for (const Case &c : selected) {
        const QList<Result> results = c.run(context);
        for (const Result &r : results) {
            if (asJson) {
                QJsonObject object { { QStringLiteral("name"), r.name },
                                     { QStringLiteral("value"), r.value },
                                     { QStringLiteral("unit"), r.unit } };
                if (!r.reference.isEmpty()) {
                    object.insert(QStringLiteral("reference"), r.reference);
                    object.insert(QStringLiteral("referenceValue"), r.referenceValue);
                    if (r.ratio > 0)
                        object.insert(QStringLiteral("ratio"), r.ratio);
                }
                if (!r.note.isEmpty())
                    object.insert(QStringLiteral("note"), r.note);
                cases.append(object);
            } else {
                out << qSetFieldWidth(24) << Qt::left << r.name << qSetFieldWidth(14) << Qt::right
                    << formatValue(r.value) << qSetFieldWidth(0) << "  " << qSetFieldWidth(10)
                    << Qt::left << r.unit << qSetFieldWidth(16)
                    << (r.reference.isEmpty() ? QStringLiteral("-") : r.reference)
                    << qSetFieldWidth(14) << Qt::right
                    << (r.reference.isEmpty() ? QStringLiteral("-") : formatValue(r.referenceValue))
                    << qSetFieldWidth(9)
                    << (r.reference.isEmpty() || r.ratio <= 0 ? QStringLiteral("-")
                                                              : QString::number(r.ratio, 'f', 2))
                    << qSetFieldWidth(0);
                if (!r.note.isEmpty())
                    out << "  (" << r.note << ")";
                out << "\n";
                out.flush();
            }
        }
    }
    if (asJson) {
        const QJsonObject document { { QStringLiteral("machine"), machine() },
                                     { QStringLiteral("smoke"), context.smoke },
                                     { QStringLiteral("cases"), cases } };
        out << QJsonDocument(document).toJson(QJsonDocument::Indented);
    }
    return 0;
}
