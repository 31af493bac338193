using System.Diagnostics;
using Akka.Actor;
using ActorProducer.Messages;

namespace ActorProducer.Benchmarks.Comparison;

/// <summary>
/// The ways a contender keeps sends going until <see cref="LoadStats.Stopping"/>: each returns a Task that
/// completes once nothing is in flight any more. None allocates per send beyond what the API under test needs.
/// </summary>
internal static class Senders
{
    /// <summary><paramref name="concurrency"/> loops, each awaiting one send at a time (closed loop).</summary>
    public static Task Loops<T>(int concurrency, Func<Task<T>> send, Func<T, bool> isOk, LoadStats stats)
    {
        async Task Loop()
        {
            while (!stats.Stopping)
            {
                var started = Stopwatch.GetTimestamp();
                stats.Started();
                bool ok;
                try
                {
                    ok = isOk(await send().ConfigureAwait(false));
                }
                catch (Exception)
                {
                    ok = false; // counted as failed; a benchmark must not stop on one error
                }
                stats.Finished(started, ok);
            }
        }
        return Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Loop)));
    }

    /// <summary>
    /// One driver actor keeping <paramref name="concurrency"/> Sends in flight with Tell, reacting to each
    /// SendResult/SendFailed; messages are taken round-robin from <paramref name="messages"/> (one per topic).
    /// </summary>
    public static Task TellDriver(ActorSystem system, IActorRef producer, ProducerMessage[] messages, int concurrency, LoadStats stats) =>
        RunActors(system, stats, () =>
        {
            var driver = system.ActorOf(Props.Create(() => new DriverActor(producer, messages, concurrency, stats)));
            return [driver];
        });

    /// <summary>
    /// <paramref name="actors"/> plain actors in a ring passing <paramref name="concurrency"/> tokens: the holder of a
    /// token Tells one Send and, on its reply, hands the token to the next actor. Total in flight stays at
    /// <paramref name="concurrency"/> however many actors send.
    /// </summary>
    public static Task Relay(ActorSystem system, IActorRef producer, ProducerMessage message, int actors, int concurrency, LoadStats stats) =>
        RunActors(system, stats, () =>
        {
            var ring = new IActorRef[actors];
            var startedAt = new long[concurrency];
            var before = GC.GetTotalMemory(forceFullCollection: true);
            for (var i = 0; i < actors; i++)
            {
                var index = i;
                ring[i] = system.ActorOf(Props.Create(() => new RelayActor(producer, message, ring, index, startedAt, stats)));
            }
            // 10,000 actors are the user's memory, not the producer's: the scaling table shows the heap without them.
            stats.SenderActorBytes = GC.GetTotalMemory(forceFullCollection: true) - before;
            // Tokens spread evenly over the ring, so every actor sends over a run.
            for (var token = 0; token < concurrency; token++) ring[(int)((long)token * actors / concurrency)].Tell(Slots.Box(token));
            return ring;
        });

    private static async Task RunActors(ActorSystem system, LoadStats stats, Func<IActorRef[]> start)
    {
        var actors = start();
        while (!stats.Stopping) await Task.Delay(20).ConfigureAwait(false);
        await stats.DrainAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        foreach (var actor in actors) system.Stop(actor);
    }

    /// <summary>Correlation values boxed once: a boxed int per send would count as the producer's allocation.</summary>
    private static class Slots
    {
        private static readonly object[] Boxes = Enumerable.Range(0, 4096).Select(i => (object)i).ToArray();

        public static object Box(int slot) => Boxes[slot];
    }

    private sealed class DriverActor : UntypedActor
    {
        private readonly IActorRef _producer;
        private readonly ProducerMessage[] _messages;
        private readonly int _concurrency;
        private readonly LoadStats _stats;
        private readonly long[] _startedAt;
        private int _next;

        public DriverActor(IActorRef producer, ProducerMessage[] messages, int concurrency, LoadStats stats)
        {
            _producer = producer;
            _messages = messages;
            _concurrency = concurrency;
            _stats = stats;
            _startedAt = new long[concurrency];
        }

        protected override void PreStart()
        {
            for (var slot = 0; slot < _concurrency; slot++) SendOn(slot);
        }

        protected override void OnReceive(object message)
        {
            if (message is not SendOutcome outcome)
            {
                Unhandled(message);
                return;
            }
            var slot = (int)outcome.Correlation!;
            _stats.Finished(_startedAt[slot], outcome is SendResult);
            if (!_stats.Stopping) SendOn(slot);
        }

        private void SendOn(int slot)
        {
            _startedAt[slot] = Stopwatch.GetTimestamp();
            _stats.Started();
            _producer.Tell(new Send(_messages[_next++ % _messages.Length], Slots.Box(slot)), Self);
        }
    }

    private sealed class RelayActor(IActorRef producer, ProducerMessage message, IActorRef[] ring, int index, long[] startedAt, LoadStats stats)
        : UntypedActor
    {
        protected override void OnReceive(object received)
        {
            switch (received)
            {
                case int slot when !stats.Stopping:
                    startedAt[slot] = Stopwatch.GetTimestamp();
                    stats.Started();
                    producer.Tell(new Send(message, Slots.Box(slot)), Self);
                    break;
                case int:
                    break; // stopping: the token retires
                case SendOutcome outcome:
                    var token = (int)outcome.Correlation!;
                    stats.Finished(startedAt[token], outcome is SendResult);
                    ring[(index + 1) % ring.Length].Tell(Slots.Box(token));
                    break;
                default:
                    Unhandled(received);
                    break;
            }
        }
    }
}
