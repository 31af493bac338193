using System.Globalization;
using ActorProducer.Transport;

namespace ActorProducer.Tests.Transport;

public sealed class RequestSignerSpec
{
    [Fact]
    public void Worked_example_of_section_2_2_gives_the_documented_header() =>
        Assert.Equal(
            "MQv2-HMAC-SHA1 Credential=AK, SignedHeaders=x-mq-date-time, Signature=888ADA00C741538304A12B5C04E641F9CDAEBD25",
            RequestSigner.Authorization("AK", "secret", "20230101T000000Z"));

    [Theory]
    [InlineData(2023, 1, 1, 0, 0, 0, "20230101T000000Z")]
    [InlineData(2024, 12, 31, 23, 59, 59, "20241231T235959Z")]
    [InlineData(2024, 2, 29, 7, 5, 3, "20240229T070503Z")]
    public void Date_time_is_formatted_yyyyMMddTHHmmssZ(int y, int mo, int d, int h, int mi, int s, string expected) =>
        Assert.Equal(expected, RequestSigner.FormatDateTime(new DateTime(y, mo, d, h, mi, s, DateTimeKind.Utc)));

    [Theory]
    [InlineData("th-TH")] // Buddhist calendar: year 2566
    [InlineData("ar-SA")] // Hijri calendar
    [InlineData("fa-IR")]
    public void Date_time_ignores_the_current_culture_and_its_calendar(string culture)
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo(culture);
            Assert.Equal("20230101T000000Z", RequestSigner.FormatDateTime(new DateTime(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData("secret", "20230101T000000Z")]
    [InlineData("another-secret", "20230101T000000Z")]
    [InlineData("secret", "20230101T000001Z")]
    public void Signature_is_40_upper_case_hex_characters(string secret, string dateTime)
    {
        var header = RequestSigner.Authorization("AK", secret, dateTime);
        Assert.Matches("Signature=[0-9A-F]{40}$", header);
    }

    [Fact]
    public void Signature_changes_with_the_secret_and_with_the_date_time()
    {
        var baseline = RequestSigner.Authorization("AK", "secret", "20230101T000000Z");
        Assert.NotEqual(baseline, RequestSigner.Authorization("AK", "secret2", "20230101T000000Z"));
        Assert.NotEqual(baseline, RequestSigner.Authorization("AK", "secret", "20230101T000001Z"));
    }
}
