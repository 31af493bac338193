namespace ActorProducer.Hosting;

/// <summary>
/// The Task facade of the producer registered under <typeparamref name="TKey"/>, for constructor injection
/// without keyed services: <c>IRocketMqProducer&lt;OrdersProducer&gt;</c>. It waits for the producer to start, so
/// it can be injected before the actor system runs; its lifetime is the actor system's (disposing it is a no-op).
/// </summary>
/// <typeparam name="TKey">The marker type passed to <c>WithRocketMqProducer&lt;TKey&gt;</c>.</typeparam>
public interface IRocketMqProducer<TKey> : IRocketMqProducer;
