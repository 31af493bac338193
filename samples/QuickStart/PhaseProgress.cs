using System.Diagnostics;
using Spectre.Console;

namespace ActorProducer.Samples.QuickStart;

/// <summary>
/// Runs the phases with a live progress bar on a terminal, or with plain periodic lines when output is
/// redirected (CI logs), where Spectre's live display would only print "0%".
/// </summary>
internal static class PhaseProgress
{
    public sealed record Phase(string Name, int Count, Func<Action<int>, Task> Run);

    public static async Task RunAsync(IReadOnlyList<Phase> phases)
    {
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var tasks = phases.Select(p => ctx.AddTask(p.Name, autoStart: false, maxValue: p.Count)).ToArray();
                    for (var i = 0; i < phases.Count; i++)
                    {
                        var task = tasks[i];
                        task.StartTask();
                        await phases[i].Run(n => task.Increment(n));
                        task.StopTask();
                    }
                });
            return;
        }
        foreach (var phase in phases)
        {
            var done = 0;
            var lastPrint = Stopwatch.StartNew();
            var gate = new object();
            await phase.Run(n =>
            {
                lock (gate)
                {
                    done += n;
                    if (lastPrint.ElapsedMilliseconds < 500 && done < phase.Count) return;
                    lastPrint.Restart();
                    Console.WriteLine($"{phase.Name}: {done}/{phase.Count} ({100 * done / phase.Count}%)");
                }
            });
        }
    }
}
