using ActorProducer.LocalBroker.Brokers;
using Apache.Rocketmq.V2;
using Grpc.Core;

namespace ActorProducer.LocalBroker.Clients;

/// <summary>
/// One open Telemetry stream: the command channel to a client on one broker. Writes are serialized (a gRPC
/// stream writer allows one write at a time) because settings replies and check pushes can overlap.
/// </summary>
internal sealed class TelemetryStream : IDisposable
{
    private readonly IServerStreamWriter<TelemetryCommand> writer;
    private readonly CancellationTokenSource lifetime;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private volatile string? dropReason;

    public TelemetryStream(SimulatedBroker broker, IServerStreamWriter<TelemetryCommand> writer, CancellationToken callAborted)
    {
        Broker = broker;
        this.writer = writer;
        lifetime = CancellationTokenSource.CreateLinkedTokenSource(callAborted);
    }

    public SimulatedBroker Broker { get; }

    /// <summary>Cancelled when the client goes away or the stream is dropped.</summary>
    public CancellationToken Token => lifetime.Token;

    public bool IsLive => !lifetime.IsCancellationRequested;

    /// <summary>Why the server dropped the stream (fault injection, broker down, stop); null if it did not.</summary>
    public string? DropReason => dropReason;

    public async Task WriteAsync(TelemetryCommand command)
    {
        await writeLock.WaitAsync(Token).ConfigureAwait(false);
        try
        {
            await writer.WriteAsync(command, Token).ConfigureAwait(false);
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>Writes a server-initiated command without waiting; a failed write means the stream is gone anyway.</summary>
    public void Push(TelemetryCommand command) => _ = PushAsync(command);

    /// <summary>Ends the stream from the server side; the handler then fails the call with gRPC UNAVAILABLE.</summary>
    public void Drop(string reason)
    {
        dropReason ??= reason;
        try
        {
            lifetime.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }

    public void Dispose()
    {
        lifetime.Dispose();
        writeLock.Dispose();
    }

    private async Task PushAsync(TelemetryCommand command)
    {
        try
        {
            await WriteAsync(command).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The stream ended before or during the write: the command is lost, as with a real proxy.
        }
    }
}
