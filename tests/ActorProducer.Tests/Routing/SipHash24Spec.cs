using System.Text;
using ActorProducer.Routing;

namespace ActorProducer.Tests.Routing;

public sealed class SipHash24Spec
{
    [Theory]
    // Reference vectors of the SipHash paper (key 00..0F, input 00 01 02 ... of the given length).
    [InlineData(0, 0x726FDB47DD0E0E31UL)]
    [InlineData(1, 0x74F839C593DC67FDUL)]
    [InlineData(7, 0xAB0200F58B01D137UL)]
    [InlineData(8, 0x93F5F5799A932462UL)]
    [InlineData(15, 0xA129CA6149BE45E5UL)]
    [InlineData(16, 0x3F2ACC7F57C29BDBUL)]
    [InlineData(63, 0x958A324CEB064572UL)]
    public void Matches_the_reference_vectors(int length, ulong expected)
    {
        var input = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        Assert.Equal(expected, SipHash24.Hash(input));
    }

    [Theory]
    [InlineData("group-1", 0xAEFE56766157004AUL, -5837133000586362806L)]
    [InlineData("order-123", 0xEAFB00AE9C545950UL, -1514616099732956848L)]
    [InlineData("a", 0x2BA3E8E9A71148CAUL, 3144613055062689994L)]
    public void Matches_the_message_group_vectors_of_section_5_4(string group, ulong expected, long asSigned)
    {
        var hash = SipHash24.Hash(Encoding.UTF8.GetBytes(group));
        Assert.Equal(expected, hash);
        Assert.Equal(asSigned, unchecked((long)hash));
    }
}
