using System.Collections.Concurrent;
using System.Globalization;
using ActorProducer.LocalBroker.Brokers;
using ActorProducer.LocalBroker.Clients;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.LocalBroker.Server;
using ActorProducer.LocalBroker.Store;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Transactions;

/// <summary>
/// Half messages, the proxy's transaction data and the broker's orphaned-transaction checks (behavior.md §6.2–6.5).
/// Transaction data (what EndTransaction needs) lives <see cref="TransactionCheckPolicy.TransactionDataTtl"/> after
/// the send or the last check push and is removed when used. Each half message has its own timer: first check after
/// <see cref="TransactionCheckPolicy.FirstCheckAfter"/> (or the message's orphaned_transaction_recovery_duration),
/// then every <see cref="TransactionCheckPolicy.CheckInterval"/>; after <see cref="TransactionCheckPolicy.MaxChecks"/>
/// checks it is discarded. A check with no producer online is lost but counted, as on the broker.
/// </summary>
internal sealed class TransactionManager(
    BrokerCluster cluster, ClientRegistry clients, LocalBrokerOptions options, TimeProvider time) : IDisposable
{
    private const string CannotFindTransactionData = "cannot found transaction data";

    private readonly Lock gate = new();
    private readonly List<HalfMessage> inSendOrder = [];
    private readonly ConcurrentDictionary<string, HalfMessage> byTransactionId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Topic, string TransactionId), DateTimeOffset> transactionData = new();
    private readonly long[] halfOffsets = new long[cluster.All.Count];
    private int preparedSincePurge;

    /// <summary>Stores a half message on <paramref name="broker"/>; returns its transaction id and half-topic offset.</summary>
    public (string TransactionId, long Offset) Prepare(Message raw, QueueLog target, SimulatedBroker broker, StoreStamp stamp)
    {
        var offset = Interlocked.Increment(ref halfOffsets[broker.Index]) - 1;
        var transactionId = NewTransactionId(broker, offset);
        var stored = StoredMessageFactory.Create(raw, target.Topic, broker.Name, target.QueueId, offset, stamp with { TransactionId = transactionId });
        var half = new HalfMessage(stored, target, broker);

        lock (gate)
        {
            inSendOrder.Add(half);
            ForgetOldestFinished();
        }

        byTransactionId[transactionId] = half;
        RememberTransactionData(half);
        PurgeExpiredDataNowAndThen();

        var recovery = raw.SystemProperties?.OrphanedTransactionRecoveryDuration;
        var firstCheck = recovery is null
            ? options.TransactionChecks.FirstCheckAfter
            : TimeSpan.FromSeconds(Math.Max(0, ProtoTime.ToSeconds(recovery)));
        lock (half.Gate)
        {
            half.CheckTimer = time.CreateTimer(OnCheckDue, half, firstCheck, Timeout.InfiniteTimeSpan);
        }

        return (transactionId, offset);
    }

    /// <summary>
    /// EndTransaction after the proxy's checks: the transaction data must exist (and is consumed), then the
    /// resolution goes one-way to the broker — applied if the half message is still pending and its broker is up.
    /// </summary>
    public void End(string topic, string transactionId, TransactionResolution resolution, TransactionSource source)
    {
        if (!transactionData.TryRemove((topic, transactionId), out var expiry) || expiry <= time.GetUtcNow())
        {
            throw new ProxyException(Code.InternalServerError, CannotFindTransactionData);
        }

        if (!byTransactionId.TryGetValue(transactionId, out var half) || half.Topic != topic)
        {
            return;
        }

        lock (half.Gate)
        {
            if (half.State != TransactionState.Pending || half.Broker.IsDown)
            {
                return;
            }

            switch (resolution)
            {
                case TransactionResolution.Commit:
                    half.Target.AppendCommitted(half.Stored, time.GetUtcNow());
                    half.Finish(TransactionState.Committed, source);
                    break;
                case TransactionResolution.Rollback:
                    half.Finish(TransactionState.RolledBack, source);
                    break;
                default:
                    // The proxy maps anything else to "not a transaction": the broker ignores it.
                    break;
            }
        }
    }

    /// <summary>Forgets all transaction data, as a restarted proxy does; half messages and checks stay with the broker.</summary>
    public void ForgetTransactionData() => transactionData.Clear();

    public IReadOnlyList<TransactionRecord> Snapshot()
    {
        HalfMessage[] halves;
        lock (gate)
        {
            halves = [.. inSendOrder];
        }

        return Array.ConvertAll(halves, half => half.Snapshot());
    }

    public IReadOnlyList<StoredMessage> Pending(string topic)
    {
        var pending = new List<StoredMessage>();
        lock (gate)
        {
            foreach (var half in inSendOrder)
            {
                lock (half.Gate)
                {
                    if (half.Topic == topic && half.State == TransactionState.Pending)
                    {
                        pending.Add(half.Stored);
                    }
                }
            }
        }

        return pending;
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var half in inSendOrder)
            {
                lock (half.Gate)
                {
                    half.CheckTimer?.Dispose();
                    half.CheckTimer = null;
                }
            }
        }
    }

    private void OnCheckDue(object? state)
    {
        var half = (HalfMessage)state!;
        try
        {
            Check(half);
        }
        catch (Exception)
        {
            // A timer callback must never throw (it would take the process down); the next round retries.
            lock (half.Gate)
            {
                half.CheckTimer?.Change(options.TransactionChecks.CheckInterval, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void Check(HalfMessage half)
    {
        var checks = options.TransactionChecks;
        TelemetryStream? target;
        lock (half.Gate)
        {
            if (half.State != TransactionState.Pending || half.CheckTimer is null)
            {
                return;
            }

            // A stopped LocalBroker or a broker taken down runs no check service: the round does not happen.
            if (!cluster.IsServing || half.Broker.IsDown)
            {
                half.CheckTimer.Change(checks.CheckInterval, Timeout.InfiniteTimeSpan);
                return;
            }

            if (half.ChecksSent >= checks.MaxChecks)
            {
                half.Finish(TransactionState.Discarded, null);
                return;
            }

            half.ChecksSent++;
            target = clients.PickCheckTarget(half.Topic, half.Broker);
            if (target is not null)
            {
                RememberTransactionData(half);
            }

            half.CheckTimer.Change(checks.CheckInterval, Timeout.InfiniteTimeSpan);
        }

        target?.Push(new TelemetryCommand
        {
            RecoverOrphanedTransactionCommand = new RecoverOrphanedTransactionCommand
            {
                Message = DeliveredMessageBuilder.Build(half.Stored, $"127.0.0.1:{half.Broker.Port}"),
                TransactionId = half.TransactionId,
            },
        });
    }

    /// <summary>Keeps memory bounded in long benchmarks: past the store limit, the oldest resolved transactions are forgotten.</summary>
    private void ForgetOldestFinished()
    {
        var limit = options.MaxMessagesPerQueue;
        if (limit <= 0 || inSendOrder.Count <= limit + limit / 4)
        {
            return;
        }

        var excess = inSendOrder.Count - limit;
        var kept = new List<HalfMessage>(limit);
        foreach (var half in inSendOrder)
        {
            bool finished;
            lock (half.Gate)
            {
                finished = half.State != TransactionState.Pending;
            }

            if (finished && excess > 0)
            {
                excess--;
                byTransactionId.TryRemove(half.TransactionId, out _);
            }
            else
            {
                kept.Add(half);
            }
        }

        inSendOrder.Clear();
        inSendOrder.AddRange(kept);
    }

    private void RememberTransactionData(HalfMessage half) =>
        transactionData[(half.Topic, half.TransactionId)] = time.GetUtcNow() + options.TransactionChecks.TransactionDataTtl;

    private void PurgeExpiredDataNowAndThen()
    {
        if (Interlocked.Increment(ref preparedSincePurge) % 4096 != 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var (key, expiry) in transactionData)
        {
            if (expiry <= now)
            {
                transactionData.TryRemove(key, out _);
            }
        }
    }

    /// <summary>Shaped like the broker's offset message id: store host (IPv4 + port) and the half-topic offset, 32 hex chars.</summary>
    private static string NewTransactionId(SimulatedBroker broker, long offset) =>
        string.Create(CultureInfo.InvariantCulture, $"7F000001{broker.Port:X8}{offset:X16}");
}
