using System.Threading.Channels;
using Apache.Rocketmq.V2;
using Grpc.Core;
using Status = Grpc.Core.Status;

namespace ActorProducer.Testing;

/// <summary>
/// One telemetry stream seen from the client side. Server commands are buffered as they arrive, so reads with a
/// timeout never cancel the call; the stream's end (normal or gRPC error) is surfaced by the read that reaches it.
/// </summary>
public sealed class TelemetrySession : IAsyncDisposable
{
    /// <summary>How long a read waits by default.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly AsyncDuplexStreamingCall<TelemetryCommand, TelemetryCommand> call;
    private readonly Channel<TelemetryCommand> inbox = Channel.CreateUnbounded<TelemetryCommand>();
    private readonly Task pump;
    private Status? endStatus;

    internal TelemetrySession(AsyncDuplexStreamingCall<TelemetryCommand, TelemetryCommand> call)
    {
        this.call = call;
        pump = Task.Run(PumpAsync);
    }

    /// <summary>The server's Settings reply of <see cref="RocketMqTestClient.ConnectProducerAsync"/>.</summary>
    public Settings? HandshakeReply { get; internal set; }

    public Task WriteAsync(TelemetryCommand command) => call.RequestStream.WriteAsync(command);

    public Task SendSettingsAsync(Settings settings) => WriteAsync(new TelemetryCommand { Settings = settings });

    /// <summary>Half-closes the client side, as a producer does on shutdown.</summary>
    public Task CompleteAsync() => call.RequestStream.CompleteAsync();

    /// <summary>
    /// The next server command. Throws <see cref="TimeoutException"/> if none arrives in time and
    /// <see cref="TelemetryStreamEndedException"/> (with the gRPC status) if the stream ends first.
    /// </summary>
    public async Task<TelemetryCommand> ReadAsync(TimeSpan? timeout = null)
        => await TryReadAsync(timeout ?? DefaultTimeout)
           ?? throw new TimeoutException($"no telemetry command within {timeout ?? DefaultTimeout}");

    /// <summary>The next server command, or <c>null</c> if none arrives within <paramref name="timeout"/>.</summary>
    public async Task<TelemetryCommand?> TryReadAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            if (await inbox.Reader.WaitToReadAsync(cts.Token) && inbox.Reader.TryRead(out var command))
            {
                return command;
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception) when (!cts.IsCancellationRequested)
        {
            // The stream failed; surfaced below with its status.
        }

        throw new TelemetryStreamEndedException(endStatus ?? Status.DefaultSuccess);
    }

    /// <summary>Reads until a command matches <paramref name="predicate"/>; others are skipped.</summary>
    public async Task<TelemetryCommand> ReadUntilAsync(Func<TelemetryCommand, bool> predicate, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var left = until - DateTime.UtcNow;
            var command = left > TimeSpan.Zero ? await TryReadAsync(left) : null;
            if (command is null)
            {
                throw new TimeoutException($"no matching telemetry command within {timeout ?? DefaultTimeout}");
            }

            if (predicate(command))
            {
                return command;
            }
        }
    }

    /// <summary>Waits for the server to end the stream and returns its gRPC status (commands still arriving are skipped).</summary>
    public async Task<Status> WaitForEndAsync(TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        try
        {
            while (true)
            {
                var left = until - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || await TryReadAsync(left) is null)
                {
                    throw new TimeoutException($"telemetry stream still open after {timeout ?? DefaultTimeout}");
                }
            }
        }
        catch (TelemetryStreamEndedException ended)
        {
            return ended.Status;
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                await inbox.Writer.WriteAsync(call.ResponseStream.Current);
            }

            endStatus = call.GetStatus();
            inbox.Writer.TryComplete();
        }
        catch (RpcException e)
        {
            endStatus = e.Status;
            inbox.Writer.TryComplete(e);
        }
        catch (Exception e)
        {
            endStatus = new Status(StatusCode.Unknown, e.Message, e);
            inbox.Writer.TryComplete(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        call.Dispose();
        try
        {
            await pump;
        }
        catch (Exception)
        {
            // The pump never throws; disposal must not either.
        }
    }
}

/// <summary>The telemetry stream ended (normally or with a gRPC error) while a command was awaited.</summary>
public sealed class TelemetryStreamEndedException(Status status)
    : Exception($"telemetry stream ended: {status.StatusCode} {status.Detail}")
{
    public Status Status { get; } = status;
}
