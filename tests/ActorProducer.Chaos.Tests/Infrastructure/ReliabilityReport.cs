using System.Globalization;
using System.Runtime.InteropServices;
using Xunit.Abstractions;

namespace ActorProducer.Chaos.Tests.Infrastructure;

/// <summary>
/// The accounting table, in markdown: printed through the test output and appended to a report file
/// (<c>CHAOS_REPORT</c>, or chaos-report.md next to the test assembly), whose header names the machine and the size.
/// </summary>
public static class ReliabilityReport
{
    private static readonly Lock Gate = new();

    public static string FilePath { get; } = Environment.GetEnvironmentVariable("CHAOS_REPORT") is { Length: > 0 } path
        ? Path.GetFullPath(path)
        : Path.Combine(AppContext.BaseDirectory, "chaos-report.md");

    public const string SendHeader =
        "| fault kind | API | sends | ok | failed (by kind) | missing | extra replies | late | p50 / p99 / max ms | bound ms | acks lost | acks mismatched | failed as not stored, yet stored | failed as outcome unknown / of them stored | duplicates | retried ok | heap Δ KiB |\n" +
        "|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    public static string Row(ApiTally t, long heapDelta) => string.Create(CultureInfo.InvariantCulture,
        $"| {t.Scenario} | {t.Api} | {t.Sends:N0} | {t.Succeeded:N0} | {t.FailureSummary} | {t.Missing} | {t.ExtraReplies} | {t.Timing.Late} | " +
        $"{t.Timing.P50Ms:0} / {t.Timing.P99Ms:0} / {t.Timing.MaxMs:0} | {t.BoundMs:0} | {t.AcksLost} | {t.AcksMismatched} | {t.NotSentButStored} | {t.OutcomeUnknown} / {t.FailedButStored} | " +
        $"{t.Duplicates} | {(t.Api == ChaosApi.Actor ? t.Retried.ToString("N0", CultureInfo.InvariantCulture) : "n/a")} | {heapDelta / 1024:N0} |");

    /// <summary>Prints a table of this test's rows and keeps the rows for the report file (written by <see cref="WriteFile"/>).</summary>
    public static void Publish(ITestOutputHelper output, string header, IReadOnlyList<string> rows, string note)
    {
        output.WriteLine(header);
        foreach (var row in rows) output.WriteLine(row);
        output.WriteLine(note);
        output.WriteLine($"(the whole run's table goes to {FilePath})");
        lock (Gate)
        {
            if (!Tables.TryGetValue(header, out var kept)) Tables[header] = kept = [];
            kept.AddRange(rows);
        }
    }

    /// <summary>Appends every table of this run to the report file, under a header naming the machine and the size.</summary>
    public static void WriteFile()
    {
        lock (Gate)
        {
            if (Tables.Count == 0) return;
            var text = new System.Text.StringBuilder();
            text.Append(CultureInfo.InvariantCulture,
                $"\n## Chaos run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {ChaosSize.Sends:N0} sends per fault kind per API\n\n");
            text.Append(CultureInfo.InvariantCulture,
                $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {(IsRelease ? "Release" : "Debug")} build\n");
            foreach (var (header, rows) in Tables)
            {
                text.Append('\n').Append(header).Append('\n');
                foreach (var row in rows.Order(StringComparer.Ordinal)) text.Append(row).Append('\n');
            }
            File.AppendAllText(FilePath, text.ToString());
            Tables.Clear();
        }
    }

    private static readonly Dictionary<string, List<string>> Tables = new(StringComparer.Ordinal);

    private static bool IsRelease =>
        typeof(ReliabilityReport).Assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
            .OfType<System.Diagnostics.DebuggableAttribute>().All(d => !d.IsJITOptimizerDisabled);
}
