// A minimal ASP.NET Core API publishing through the node's one RocketMQ producer, set up with Akka.Hosting:
//   POST /orders            → the Task facade (IRocketMqProducer) from DI
//   POST /orders/via-actor  → the producer actor (IRequiredActor<RocketMqProducerActor>) with Ask and a timeout
//   GET  /health/ready      → readiness, including the producer's health check
//   GET  /broker/messages   → what the embedded LocalBroker stored (embedded mode only)
// Embedded LocalBroker by default; --endpoint host:port for a real cluster (the topic must exist), --topic name.
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using ActorProducer;
using ActorProducer.Errors;
using ActorProducer.Hosting;
using ActorProducer.LocalBroker;
using ActorProducer.Messages;
using ActorProducer.Samples.WebApi;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

var builder = WebApplication.CreateBuilder(args);
var endpoint = builder.Configuration["endpoint"];
var topic = builder.Configuration["topic"] ?? "orders";

await using var broker = endpoint is null
    ? await LocalBroker.StartAsync(new LocalBrokerOptions { Topics = { new TopicDefinition(topic, TopicMessageType.Normal, 4) } })
    : null;
endpoint ??= broker!.Endpoint;

builder.Services.AddHealthChecks();
builder.Services.AddAkka("webapi", akka => akka
    .AddHocon("akka.loglevel = WARNING", HoconAddMode.Prepend)
    .WithRocketMqProducer(producer =>
    {
        producer.Endpoints = endpoint;
        producer.Topics = [topic]; // validated at start: a missing topic fails the deployment, not the first request
    }));
builder.Services.AddRocketMqProducerFacade();

var app = builder.Build();

// Task facade: for code that is not an actor. One producer per process, injected everywhere.
app.MapPost("/orders", async (PlaceOrder order, IRocketMqProducer producer, CancellationToken cancellationToken) =>
{
    try
    {
        var receipt = await producer.SendAsync(OrderEvents.Placed(topic, order), cancellationToken);
        return Results.Accepted($"/orders/{order.OrderId}", Receipt.From(receipt));
    }
    catch (RocketMqProducerException e)
    {
        return OrderEvents.Problem(e.Error);
    }
});

// The actor itself, from the ActorRegistry: Ask with a timeout and a correlation id; exactly one reply comes back.
app.MapPost("/orders/via-actor", async (PlaceOrder order, IRequiredActor<RocketMqProducerActor> producer, CancellationToken cancellationToken) =>
{
    var actor = await producer.GetAsync(cancellationToken);
    var correlation = Guid.NewGuid().ToString("N");
    var outcome = await actor.Ask<SendOutcome>(new Send(OrderEvents.Placed(topic, order), correlation), TimeSpan.FromSeconds(30), cancellationToken);
    return outcome switch
    {
        SendResult receipt => Results.Accepted($"/orders/{order.OrderId}", Receipt.From(receipt)),
        SendFailed failed => OrderEvents.Problem(failed.Error),
        _ => Results.StatusCode(StatusCodes.Status500InternalServerError),
    };
});

app.MapHealthChecks("/health/ready", new HealthCheckOptions
{
    Predicate = check => check.Tags.Contains("ready"),
    ResponseWriter = HealthResponse.WriteAsync,
});
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });

if (broker is not null)
    app.MapGet("/broker/messages", () => broker.Inspect.Messages(topic).Select(m => new
    {
        m.MessageId, m.Tag, m.Keys, m.BrokerName, m.QueueId, m.Offset, m.ProducerClientId,
        Body = System.Text.Encoding.UTF8.GetString(m.Body.Span),
    }));

app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine(
    $"RocketMQ {(broker is null ? "proxy" : "embedded LocalBroker")} at {endpoint}, topic {topic}. Try:{Environment.NewLine}" +
    $"  curl -X POST {app.Urls.FirstOrDefault()}/orders -H 'content-type: application/json' -d '{{\"orderId\":\"42\",\"customer\":\"ada\",\"amount\":12.5}}'{Environment.NewLine}" +
    $"  curl {app.Urls.FirstOrDefault()}/health/ready"));

await app.RunAsync();

namespace ActorProducer.Samples.WebApi
{
    /// <summary>The request body of POST /orders.</summary>
    public sealed record PlaceOrder(string OrderId, string Customer, decimal Amount);

    /// <summary>Where the broker stored the event.</summary>
    public sealed record Receipt(string MessageId, string Topic, string BrokerName, int QueueId, long Offset, int Attempts)
    {
        public static Receipt From(SendResult r) => new(r.MessageId, r.Topic, r.BrokerName, r.QueueId, r.Offset, r.Attempts);
    }

    internal static class OrderEvents
    {
        public static ProducerMessage Placed(string topic, PlaceOrder order) =>
            new(topic, JsonSerializer.SerializeToUtf8Bytes(order))
            {
                Tag = "OrderPlaced",
                Keys = string.IsNullOrWhiteSpace(order.OrderId) ? [] : [order.OrderId],
            };

        /// <summary>A typed failure as an HTTP problem: the caller's fault, overload, or the cluster's.</summary>
        public static IResult Problem(ProducerError error) => Results.Problem(
            title: error.Kind.ToString(),
            detail: error.Message,
            statusCode: error.Kind switch
            {
                ProducerErrorKind.InvalidMessage => StatusCodes.Status400BadRequest,
                ProducerErrorKind.Overloaded => StatusCodes.Status429TooManyRequests,
                ProducerErrorKind.Timeout => StatusCodes.Status504GatewayTimeout,
                ProducerErrorKind.Unavailable or ProducerErrorKind.ShuttingDown => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status502BadGateway,
            },
            extensions: new Dictionary<string, object?> { ["retryable"] = error.IsRetryable, ["statusCode"] = error.StatusCode?.ToString() });
    }

    internal static class HealthResponse
    {
        public static Task WriteAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                status = report.Status.ToString(),
                checks = report.Entries.Select(e => new
                {
                    name = e.Key,
                    status = e.Value.Status.ToString(),
                    description = e.Value.Description,
                    data = e.Value.Data,
                }),
            }));
        }
    }
}
