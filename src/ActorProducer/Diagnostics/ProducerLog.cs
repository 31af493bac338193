using Akka.Event;

namespace ActorProducer.Diagnostics;

/// <summary>Akka logging with the client id on every line, so one producer's story can be grepped out of a shared log.</summary>
internal sealed class ProducerLog(ILoggingAdapter log, string clientId)
{
    private readonly string _prefix = $"[{clientId}] ";

    public bool IsDebugEnabled => log.IsDebugEnabled;
    public void Debug(string format, params object?[] args) { if (log.IsDebugEnabled) log.Debug(_prefix + format, args); }
    public void Info(string format, params object?[] args) => log.Info(_prefix + format, args);
    public void Warning(string format, params object?[] args) => log.Warning(_prefix + format, args);
    public void Error(string format, params object?[] args) => log.Error(_prefix + format, args);
    public void Error(Exception cause, string format, params object?[] args) => log.Error(cause, _prefix + format, args);
}
