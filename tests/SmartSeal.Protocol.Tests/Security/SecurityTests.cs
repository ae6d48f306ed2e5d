using System.Security.Cryptography;
using System.Text;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Text;

namespace SmartSeal.Protocol.Tests.Security;

public class DeviceKeyTests
{
    [Fact]
    public void Derivation_is_hmac_of_the_documented_label()
    {
        byte[] expected = HMACSHA256.HashData(TestKeys.Master, Encoding.UTF8.GetBytes("smartseal/device/v1/lock-0001"));
        Assert.Equal(expected, DeviceKeys.Derive(TestKeys.Master, "lock-0001", 1));
    }

    [Fact]
    public void Keys_differ_per_device_and_per_version()
    {
        byte[] a1 = TestKeys.Device("lock-0001", 1);
        Assert.NotEqual(a1, TestKeys.Device("lock-0002", 1));
        Assert.NotEqual(a1, TestKeys.Device("lock-0001", 2));
        Assert.Equal(32, a1.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a+b")]
    [InlineData("a#")]
    [InlineData("a b")]
    [InlineData("a\nb")]
    [InlineData("印章")]
    public void Refuses_device_ids_that_could_break_topics_or_labels(string id)
    {
        Assert.False(DeviceId.IsValid(id));
        Assert.Equal(ProtocolError.EnvelopeBadDeviceId, Assert.Throws<ProtocolException>(() => DeviceKeys.Derive(TestKeys.Master, id, 1)).Error);
    }

    [Fact]
    public void Refuses_short_master_keys_and_bad_versions()
    {
        Assert.Equal(ProtocolError.KeyBadLength, Assert.Throws<ProtocolException>(() => DeviceKeys.Derive(new byte[16], "lock-1", 1)).Error);
        Assert.Equal(ProtocolError.KeyBadLength, Assert.Throws<ProtocolException>(() => DeviceKeys.Derive(TestKeys.Master, "lock-1", 0)).Error);
    }
}

public class MacTests
{
    [Fact]
    public void Matches_the_framework_hmac_for_whole_arrays_and_slices()
    {
        byte[] key = TestKeys.Device("cab-01");
        byte[] data = Encoding.UTF8.GetBytes("hello seal");
        Assert.Equal(HMACSHA256.HashData(key, data), Mac.Compute(key, data));
        Assert.Equal(HMACSHA256.HashData(key, data.AsSpan(2, 5)), Mac.Compute(key, data, 2, 5));
    }

    [Fact]
    public void Fixed_time_equals_compares_content_and_length()
    {
        Assert.True(Mac.FixedTimeEquals(new byte[] { 1, 2 }, new byte[] { 1, 2 }));
        Assert.False(Mac.FixedTimeEquals(new byte[] { 1, 2 }, new byte[] { 1, 3 }));
        Assert.False(Mac.FixedTimeEquals(new byte[] { 1, 2 }, new byte[] { 1, 2, 3 }));
        Assert.False(Mac.FixedTimeEquals(null!, new byte[] { 1 }));
    }
}

public class Base64UrlTests
{
    [Fact]
    public void Round_trips_every_length_and_matches_the_framework()
    {
        var random = new Random(7);
        for (int length = 0; length < 70; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            string expected = Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            Assert.Equal(expected, Base64Url.Encode(data));
            Assert.Equal(data, Base64Url.Decode(expected));
        }
    }

    [Theory]
    [InlineData("QQ==")] // padding
    [InlineData("Q")] // impossible length
    [InlineData("QR")] // non-zero trailing bits: the only encoding of 0x41 is "QQ"
    [InlineData("ab+c")]
    [InlineData("ab/c")]
    [InlineData("ab c")]
    [InlineData("abé")]
    public void Decoding_is_strict(string text)
    {
        Assert.Null(Base64Url.Decode(text));
    }
}

public class BrokerPasswordTests
{
    private const string Device = "lock-0001";
    private static readonly byte[] Key = TestKeys.Device(Device);
    private const long Now = 1_800_000_000;
    private const long Day = 86_400;

    [Fact]
    public void Password_has_the_documented_form_and_verifies()
    {
        string password = BrokerPassword.Create(Device, Key, Now + Day);
        string mac = Base64Url.Encode(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(Device + "\n" + (Now + Day))));
        Assert.Equal($"v1.{Now + Day}.{mac}", password);
        Assert.Equal(ProtocolError.None, BrokerPassword.Verify(password, Device, Key, Now, 30 * Day));
    }

    [Fact]
    public void Expired_and_too_long_lived_passwords_are_refused()
    {
        Assert.Equal(ProtocolError.PasswordExpired, BrokerPassword.Verify(BrokerPassword.Create(Device, Key, Now), Device, Key, Now, 30 * Day));
        Assert.Equal(ProtocolError.PasswordLifetimeTooLong, BrokerPassword.Verify(BrokerPassword.Create(Device, Key, Now + (31 * Day)), Device, Key, Now, 30 * Day));
    }

    [Fact]
    public void A_password_is_bound_to_its_device_and_key()
    {
        string password = BrokerPassword.Create(Device, Key, Now + Day);
        Assert.Equal(ProtocolError.PasswordBadSignature, BrokerPassword.Verify(password, "lock-0002", TestKeys.Device("lock-0002"), Now, 30 * Day));
        Assert.Equal(ProtocolError.PasswordBadSignature, BrokerPassword.Verify(password, Device, TestKeys.Device(Device, 2), Now, 30 * Day));
    }

    [Fact]
    public void Changing_the_expiry_breaks_the_signature()
    {
        string password = BrokerPassword.Create(Device, Key, Now + Day);
        string extended = password.Replace($".{Now + Day}.", $".{Now + (2 * Day)}.");
        Assert.Equal(ProtocolError.PasswordBadSignature, BrokerPassword.Verify(extended, Device, Key, Now, 30 * Day));
    }

    [Theory]
    [InlineData("")]
    [InlineData("v2.1800086400.abc")]
    [InlineData("v1..AAAA")]
    [InlineData("v1.18000x6400.AAAA")]
    [InlineData("v1.01800086400.AAAA")]
    [InlineData("v1.1800086400")]
    [InlineData("v1.1800086400.not-32-bytes")]
    public void Malformed_passwords_are_refused(string password)
    {
        Assert.Equal(ProtocolError.PasswordMalformed, BrokerPassword.Verify(password, Device, Key, Now, 30 * Day));
    }
}
