using ActorProducer.Transactions;

namespace ActorProducer.Transactions.Tests.Infrastructure;

/// <summary>
/// A durable store of local-transaction outcomes in a file: one "key resolution" line per decision, appended and
/// flushed to disk. It outlives the actor system that wrote it, which is the point of the recovery specs.
/// </summary>
public sealed class FileOutcomeStore(string path)
{
    private readonly Lock _gate = new();

    public string Path { get; } = path;

    /// <summary>A store in a new temporary file.</summary>
    public static FileOutcomeStore InTempFile() =>
        new(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tx-outcomes-{Guid.NewGuid():N}.log"));

    public void Record(string key, TransactionResolution resolution)
    {
        lock (_gate)
        {
            using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            using var writer = new StreamWriter(file);
            writer.WriteLine($"{key} {resolution}");
            writer.Flush();
            file.Flush(flushToDisk: true);
        }
    }

    /// <summary>The last outcome recorded for <paramref name="key"/>, or null.</summary>
    public TransactionResolution? Find(string key)
    {
        lock (_gate)
        {
            if (!File.Exists(Path)) return null;
            TransactionResolution? found = null;
            foreach (var line in File.ReadLines(Path))
            {
                var parts = line.Split(' ');
                if (parts.Length == 2 && parts[0] == key && Enum.TryParse<TransactionResolution>(parts[1], out var resolution))
                    found = resolution;
            }
            return found;
        }
    }

    /// <summary>
    /// A checker that decides from this store by the message's first key; <paramref name="whenMissing"/> when the store
    /// has nothing for it (Unknown = ask again later; Rollback = the local transaction never happened).
    /// </summary>
    public RecordingChecker Checker(TransactionResolution whenMissing = TransactionResolution.Unknown) =>
        new((view, _, _) => Task.FromResult(view.Keys.Count > 0 && Find(view.Keys[0]) is { } decided ? decided : whenMissing));

    public void Delete()
    {
        if (File.Exists(Path)) File.Delete(Path);
    }
}
