using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using ActorProducer.Errors;
using ActorProducer.LocalBroker;
using ActorProducer.LocalBroker.Faults;
using ActorProducer.Messages;
using ActorProducer.Settings;
using ActorProducer.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace ActorProducer.Hosting.Tests;

/// <summary>A host started in the test: the producer starts with it, and is found in the registry, in DI and in the health checks.</summary>
public sealed class HostedProducerSpecs(LocalBrokerFixture fixture) : IClassFixture<LocalBrokerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Should_start_with_the_host_and_send_through_the_registry_actor_and_the_DI_facade()
    {
        var topic = fixture.CreateTopic(prefix: "hosted");
        var host = await TestHosts.StartAsync(akka => akka.WithRocketMqProducer(fixture.Broker.Endpoint, [topic]));
        try
        {
            var actor = await host.Services.GetRequiredService<IRequiredActor<RocketMqProducerActor>>().GetAsync();
            var facade = host.Services.GetRequiredService<IRocketMqProducer>();

            var viaActor = await actor.Ask<SendOutcome>(new Send(ProducerMessage.Text(topic, "via actor"), "c-1"), Timeout);
            var viaFacade = await facade.SendAsync(ProducerMessage.Text(topic, "via facade"));

            var stored = Assert.IsType<SendResult>(viaActor);
            Assert.Equal("c-1", stored.Correlation);
            Assert.Equal(facade.Actor, actor);
            Assert.Equal(facade.ClientId, host.Services.GetRequiredKeyedService<IRocketMqProducer>(typeof(RocketMqProducerActor)).ClientId);
            var messages = fixture.Broker.Inspect.Messages(topic);
            Assert.Equal(new[] { stored.MessageId, viaFacade.MessageId }.Order(), messages.Select(m => m.MessageId).Order());
            Assert.All(messages, m => Assert.Equal(facade.ClientId, m.ProducerClientId));
            Assert.Equal("/system/rocketmq-producer-default", actor.Path.ToStringWithoutAddress());

            var report = await Health(host);
            var entry = Assert.Single(report.Entries, e => e.Key == "rocketmq-producer-default").Value;
            Assert.Equal(HealthStatus.Healthy, entry.Status);
            Assert.Equal(facade.ClientId, entry.Data["client_id"]);
            Assert.Contains("akka", entry.Tags);
        }
        finally { await host.StopQuietlyAsync(); }
    }

    [Fact]
    public async Task Should_run_several_producers_each_under_its_own_key_and_client_id()
    {
        var orders = fixture.CreateTopic(prefix: "orders");
        var audit = fixture.CreateTopic(prefix: "audit");
        var host = await TestHosts.StartAsync(akka => akka
            .WithRocketMqProducer<OrdersProducer>(fixture.Broker.Endpoint, [orders])
            .WithRocketMqProducer<AuditProducer>(o => { o.Endpoints = fixture.Broker.Endpoint; o.Name = "audit"; }));
        try
        {
            var ordersProducer = host.Services.GetRequiredService<IRocketMqProducer<OrdersProducer>>();
            var auditByKey = host.Services.GetRequiredKeyedService<IRocketMqProducer>(typeof(AuditProducer));
            var auditByName = host.Services.GetRequiredKeyedService<IRocketMqProducer>("audit");
            var registry = host.Services.GetRequiredService<ActorRegistry>();

            await ordersProducer.SendAsync(ProducerMessage.Text(orders, "order placed"));
            await auditByKey.SendAsync(ProducerMessage.Text(audit, "user logged in"));

            Assert.NotEqual(ordersProducer.ClientId, auditByKey.ClientId);
            Assert.Equal(auditByKey.ClientId, auditByName.ClientId);
            Assert.Equal(ordersProducer.Actor, registry.Get<OrdersProducer>());
            Assert.Equal(auditByKey.Actor, registry.Get<AuditProducer>());
            Assert.Equal("/system/rocketmq-producer-audit", auditByKey.Actor.Path.ToStringWithoutAddress());
            Assert.Equal(ordersProducer.ClientId, Assert.Single(fixture.Broker.Inspect.Messages(orders)).ProducerClientId);
            Assert.Equal(auditByKey.ClientId, Assert.Single(fixture.Broker.Inspect.Messages(audit)).ProducerClientId);
            Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<IRocketMqProducer>()); // no default producer declared

            var report = await Health(host);
            Assert.Equal(HealthStatus.Healthy, report.Entries["rocketmq-producer-OrdersProducer"].Status);
            Assert.Equal(HealthStatus.Healthy, report.Entries["rocketmq-producer-audit"].Status);
        }
        finally { await host.StopQuietlyAsync(); }
    }

    [Fact]
    public async Task Should_sign_requests_with_the_credentials_provider_given_in_the_options()
    {
        await using var broker = await TestBrokers.StartAsync(o => o.Users["orders-service"] = "s3cret");
        var topic = broker.CreateTopic(prefix: "signed");
        var provider = new CountingCredentialsProvider(new SessionCredentials("orders-service", "s3cret"));
        var host = await TestHosts.StartAsync(akka => akka.WithRocketMqProducer(o =>
        {
            o.Endpoints = broker.Endpoint;
            o.Topics = [topic];
            o.CredentialsProvider = provider;
        }));
        try
        {
            await host.Services.GetRequiredService<IRocketMqProducer>().SendAsync(ProducerMessage.Text(topic, "signed"));

            Assert.Single(broker.Inspect.Messages(topic));
            Assert.True(provider.Calls > 0);
        }
        finally { await host.StopQuietlyAsync(); }
    }

    [Fact]
    public async Task Should_fail_the_host_start_naming_the_cause_when_a_prebound_topic_does_not_exist()
    {
        var host = TestHosts.Build(akka => akka.WithRocketMqProducer(o =>
        {
            o.Endpoints = fixture.Broker.Endpoint;
            o.Topics = ["no-such-topic"];
            o.StartupAttempts = 1;
        }));
        try
        {
            var error = await Assert.ThrowsAsync<ConfigurationException>(() => host.StartAsync());

            Assert.Contains("no-such-topic", error.Message);
            var entry = (await Health(host)).Entries["rocketmq-producer-default"];
            Assert.Equal(HealthStatus.Unhealthy, entry.Status);
            Assert.Contains("failed to start", entry.Description);
        }
        finally { await host.StopQuietlyAsync(); }
    }

    [Fact]
    public async Task Should_let_the_facade_be_resolved_before_the_host_starts_and_wait_for_the_producer()
    {
        var topic = fixture.CreateTopic(prefix: "early");
        var host = TestHosts.Build(akka => akka.WithRocketMqProducer(fixture.Broker.Endpoint, [topic]));
        try
        {
            var facade = host.Services.GetRequiredService<IRocketMqProducer>();
            Assert.Throws<InvalidOperationException>(() => facade.ClientId);
            var send = facade.SendAsync(ProducerMessage.Text(topic, "sent before start"));
            Assert.False(send.IsCompleted);

            await host.StartAsync();

            var result = await send.WaitAsync(Timeout);
            Assert.Equal(result.MessageId, Assert.Single(fixture.Broker.Inspect.Messages(topic)).MessageId);
            Assert.Equal(result.MessageId, fixture.Broker.Inspect.Messages(topic)[0].MessageId);
            Assert.NotEmpty(facade.ClientId); // readable once started
        }
        finally { await host.StopQuietlyAsync(); }
    }

    [Fact]
    public async Task Should_report_degraded_while_sends_cannot_reach_the_cluster_and_healthy_once_they_do()
    {
        await using var broker = await TestBrokers.StartAsync();
        var topic = broker.CreateTopic(prefix: "flaky");
        var host = await TestHosts.StartAsync(akka => akka.WithRocketMqProducer(o =>
        {
            o.Endpoints = broker.Endpoint;
            o.Topics = [topic];
            o.Retry.MaxAttempts = 2;
        }));
        try
        {
            var facade = host.Services.GetRequiredService<IRocketMqProducer>();
            await facade.SendAsync(ProducerMessage.Text(topic, "first"));
            broker.Faults.FailNextWithGrpcStatus(BrokerRpc.SendMessage, 2, Grpc.Core.StatusCode.Unavailable);

            var failure = await Assert.ThrowsAsync<RocketMqProducerException>(() => facade.SendAsync(ProducerMessage.Text(topic, "lost")));

            Assert.Equal(ProducerErrorKind.Unavailable, failure.Error.Kind);
            var degraded = (await Health(host)).Entries["rocketmq-producer-default"];
            Assert.Equal(HealthStatus.Degraded, degraded.Status);
            Assert.Contains("could not reach the cluster", degraded.Description);

            await facade.SendAsync(ProducerMessage.Text(topic, "back"));

            Assert.Equal(HealthStatus.Healthy, (await Health(host)).Entries["rocketmq-producer-default"].Status);
        }
        finally { await host.StopQuietlyAsync(); }
    }

    [Fact]
    public async Task Should_report_unhealthy_and_refuse_sends_at_once_after_the_producer_stopped()
    {
        var topic = fixture.CreateTopic(prefix: "stopped");
        var host = await TestHosts.StartAsync(akka => akka.WithRocketMqProducer(fixture.Broker.Endpoint, [topic]));
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            var facade = host.Services.GetRequiredService<IRocketMqProducer>();
            var producer = await RocketMqProducerExtension.Get(system).StartProducerAsync(); // the same, already started one
            Assert.Equal(facade.ClientId, producer.ClientId);

            await producer.DisposeAsync();

            await Eventually.Holds(async () => Assert.Equal(HealthStatus.Unhealthy, (await Health(host)).Entries["rocketmq-producer-default"].Status), Timeout);
            var refused = await Assert.ThrowsAsync<RocketMqProducerException>(() => facade.SendAsync(ProducerMessage.Text(topic, "too late")).WaitAsync(Timeout));
            Assert.Equal(ProducerErrorKind.ShuttingDown, refused.Error.Kind);
        }
        finally { await host.StopQuietlyAsync(); }
    }

    private static Task<HealthReport> Health(IHost host) =>
        host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"));

    private sealed class CountingCredentialsProvider(SessionCredentials credentials) : ICredentialsProvider
    {
        private int _calls;
        public int Calls => Volatile.Read(ref _calls);

        public SessionCredentials GetCredentials()
        {
            Interlocked.Increment(ref _calls);
            return credentials;
        }
    }
}
