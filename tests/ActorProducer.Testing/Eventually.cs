namespace ActorProducer.Testing;

/// <summary>
/// Retries an assertion until it holds or the timeout passes (then the last failure is thrown): the AwaitAssert of
/// tests that have no TestKit, polling state that changes on its own (health checks, broker store).
/// </summary>
public static class Eventually
{
    public static Task Holds(Action assertion, TimeSpan timeout) => Holds(() =>
    {
        assertion();
        return Task.CompletedTask;
    }, timeout);

    public static async Task Holds(Func<Task> assertion, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
