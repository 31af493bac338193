using System.Collections.Concurrent;
using System.Globalization;
using ActorProducer.Ids;

namespace ActorProducer.Tests.Ids;

public sealed class MessageIdGeneratorSpec
{
    private static readonly byte[] ExampleMac = [0x02, 0x42, 0xAC, 0x11, 0x00, 0x02];

    [Fact]
    public void Worked_example_of_section_3_2_gives_the_documented_id()
    {
        var seconds = MessageIdGenerator.SecondsSince2021(new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(63_072_000u, seconds);
        Assert.Equal("010242AC110002303903C2670000000007", MessageIdGenerator.Format(ExampleMac, 12345, seconds, 7));
    }

    [Theory]
    [InlineData(0x12345, "2345")] // only the low 2 bytes of the pid
    [InlineData(-1, "FFFF")]
    public void Pid_field_is_the_low_two_bytes_big_endian(int pid, string expected) =>
        Assert.Equal(expected, MessageIdGenerator.Format(ExampleMac, pid, 0, 0)[14..18]);

    [Fact]
    public void Hex_is_upper_case_and_the_sequence_wraps_at_32_bits()
    {
        var id = MessageIdGenerator.Format([0xAB, 0xCD, 0xEF, 0xab, 0xcd, 0xef], 0xBEEF, uint.MaxValue, uint.MaxValue);
        Assert.Equal("01ABCDEFABCDEFBEEFFFFFFFFFFFFFFFFF", id);
    }

    [Fact]
    public void Next_is_a_version_01_id_of_34_upper_case_hex_characters()
    {
        var id = MessageIdGenerator.Next();
        Assert.Equal(34, id.Length);
        Assert.StartsWith("01", id, StringComparison.Ordinal);
        Assert.Matches("^[0-9A-F]{34}$", id);
    }

    [Fact]
    public void Next_carries_this_process_id_and_the_current_time()
    {
        var id = MessageIdGenerator.Next();
        var now = MessageIdGenerator.SecondsSince2021(DateTimeOffset.UtcNow);

        Assert.Equal((Environment.ProcessId & 0xFFFF).ToString("X4", CultureInfo.InvariantCulture), id[14..18]);
        Assert.InRange(Hex(id[18..26]), now - 2, now + 2);
    }

    [Fact]
    public void Sequence_increases_from_one_id_to_the_next()
    {
        var first = Hex(MessageIdGenerator.Next()[26..]);
        var second = Hex(MessageIdGenerator.Next()[26..]);
        Assert.True(first >= 1);
        Assert.True(second > first);
    }

    [Fact]
    public void Ids_generated_concurrently_are_all_distinct()
    {
        var ids = new ConcurrentBag<string>();
        Parallel.For(0, 20_000, _ => ids.Add(MessageIdGenerator.Next()));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Next_allocates_nothing_but_the_id_string()
    {
        for (var i = 0; i < 100; i++) MessageIdGenerator.Next(); // warm up
        const int calls = 1000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++) MessageIdGenerator.Next();
        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / calls;

        Assert.InRange(perCall, 0, 100); // a 34-character string is 96 bytes on 64-bit
    }

    [Fact]
    public void Mac_must_have_six_bytes() =>
        Assert.Throws<ArgumentException>(() => MessageIdGenerator.Format(new byte[5], 1, 0, 0));

    private static uint Hex(string text) => uint.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
