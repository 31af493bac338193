using Akka.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorProducer.Hosting;

/// <summary>
/// Readiness of one hosted producer (tagged <c>ready</c> and <c>rocketmq</c> by default):
/// <list type="bullet">
/// <item><b>Healthy</b>: started and running, and its latest sends reached the cluster (or there were none yet);</item>
/// <item><b>Degraded</b>: running, but its latest send failed because the cluster could not be reached
/// (Unavailable / Timeout) and none has succeeded since: it is reconnecting;</item>
/// <item><b>failure status</b> (Unhealthy by default): not started yet, start-up failed, or stopped.</item>
/// </list>
/// Data carries the producer's name, client id and state.
/// </summary>
public sealed class RocketMqProducerHealthCheck : IAkkaHealthCheck
{
    private readonly ProducerRegistration _registration;
    private readonly HealthStatus _failureStatus;

    internal RocketMqProducerHealthCheck(ProducerRegistration registration, HealthStatus failureStatus)
    {
        _registration = registration;
        _failureStatus = failureStatus;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(AkkaHealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var registration = _registration;
        var producer = registration.Producer;
        var data = new Dictionary<string, object>
        {
            ["name"] = registration.Name,
            ["state"] = registration.State.ToString(),
        };
        if (producer is not null) data["client_id"] = producer.ClientId;

        var failureStatus = context.Registration?.FailureStatus ?? _failureStatus;
        var result = registration.State switch
        {
            HostedProducerState.Starting => new HealthCheckResult(failureStatus, $"RocketMQ producer '{registration.Name}' is starting", data: data),
            HostedProducerState.Failed => new HealthCheckResult(failureStatus,
                $"RocketMQ producer '{registration.Name}' failed to start: {registration.Failure?.Message}", registration.Failure, data),
            HostedProducerState.Stopped => new HealthCheckResult(failureStatus, $"RocketMQ producer '{registration.Name}' has stopped", data: data),
            _ => Running(registration, producer!, data),
        };
        return Task.FromResult(result);
    }

    private static HealthCheckResult Running(ProducerRegistration registration, IRocketMqProducer producer, Dictionary<string, object> data)
    {
        var (lastSuccess, lastUnreachable, kind) = ProducerActivityMonitor.Instance.For(producer.ClientId).Snapshot();
        if (lastSuccess is { } success) data["last_success"] = success;
        if (lastUnreachable is { } unreachable && (lastSuccess is null || unreachable > lastSuccess))
        {
            data["last_unreachable"] = unreachable;
            return HealthCheckResult.Degraded(
                $"RocketMQ producer '{registration.Name}' ({producer.ClientId}) is running, but its latest send could not reach the cluster ({kind}); it keeps reconnecting",
                data: data);
        }
        return HealthCheckResult.Healthy($"RocketMQ producer '{registration.Name}' ({producer.ClientId}) is running", data);
    }
}
