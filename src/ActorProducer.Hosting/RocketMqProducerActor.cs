namespace ActorProducer.Hosting;

/// <summary>
/// Registry key of the default producer: resolve its actor with <c>IRequiredActor&lt;RocketMqProducerActor&gt;</c>
/// or <c>ActorRegistry.Get&lt;RocketMqProducerActor&gt;()</c>. Applications running several producers declare
/// their own marker types and register them with <c>WithRocketMqProducer&lt;TKey&gt;(...)</c>.
/// </summary>
public sealed class RocketMqProducerActor
{
    private RocketMqProducerActor()
    {
    }
}
