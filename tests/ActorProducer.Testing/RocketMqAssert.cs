using Apache.Rocketmq.V2;
using Grpc.Core;
using Xunit;
using Status = Apache.Rocketmq.V2.Status;

namespace ActorProducer.Testing;

/// <summary>Assertions on RocketMQ answers that name the code and the server's message when they fail.</summary>
public static class RocketMqAssert
{
    public static void HasCode(Code expected, Status? status)
    {
        Assert.True(status is not null, $"expected status {Describe(expected)} but the response carried no status");
        Assert.True(
            status!.Code == expected,
            $"expected status {Describe(expected)} but got {Describe(status.Code)} \"{status.Message}\"");
    }

    /// <summary>The whole send was refused with <paramref name="expected"/>: only the status is set, no entries.</summary>
    public static void Rejected(Code expected, SendMessageResponse response)
    {
        HasCode(expected, response.Status);
        Assert.True(response.Entries.Count == 0, $"a refused send must carry no entries, got {response.Entries.Count}");
    }

    /// <summary>A send of one message succeeded; returns its entry.</summary>
    public static SendResultEntry Accepted(SendMessageResponse response)
    {
        HasCode(Code.Ok, response.Status);
        var entry = Assert.Single(response.Entries);
        HasCode(Code.Ok, entry.Status);
        return entry;
    }

    /// <summary>The call failed at the gRPC level with <paramref name="expected"/>.</summary>
    public static async Task<RpcException> GrpcFailsAsync(StatusCode expected, Func<Task> call)
    {
        var failure = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(
            failure.StatusCode == expected,
            $"expected gRPC {expected} but got {failure.StatusCode} \"{failure.Status.Detail}\"");
        return failure;
    }

    private static string Describe(Code code) => $"{code} ({(int)code})";
}
