using System.Net;
using SmartSeal.Cloud.Hosting;
using SmartSeal.Cloud.Mqtt.Limits;
using SmartSeal.Cloud.Mqtt;

namespace SmartSeal.Cloud.Tests.Mqtt;

/// <summary>The embedded broker's limits before login, piece by piece (BrokerFloodTests floods the real process).</summary>
public class BrokerLimitsTests
{
    [Fact]
    public void One_address_gets_its_burst_then_its_rate_and_all_addresses_share_the_pending_bound()
    {
        var clock = new ManualClock();
        var admission = new ConnectionAdmission(new BrokerLimitOptions { ConnectionBurstPerAddress = 3, ConnectionsPerSecondPerAddress = 1, MaxPendingConnections = 2 }, clock);
        IPAddress attacker = IPAddress.Parse("192.0.2.1"), device = IPAddress.Parse("192.0.2.2");

        Assert.Null(admission.TryAdmit(attacker));
        Assert.Null(admission.TryAdmit(attacker));
        Assert.Contains("waiting for their CONNECT", admission.TryAdmit(attacker));
        Assert.Equal(2, admission.Pending);
        admission.ConnectDone();
        admission.ConnectDone();

        Assert.Contains("from 192.0.2.1", admission.TryAdmit(attacker)); // its burst of 3 is spent
        Assert.Null(admission.TryAdmit(device));
        admission.ConnectDone();

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(admission.TryAdmit(attacker));
        Assert.Contains("from 192.0.2.1", admission.TryAdmit(attacker));
    }

    [Fact]
    public void A_connect_or_packet_over_its_limit_fails_the_read_that_completes_its_length()
    {
        // CONNECT claiming 5,000 bytes against 4,096: refused on its length bytes, body never read.
        Assert.Contains("CONNECT of 5000 bytes", ReadAll([0x10, .. Length(5000)], out int connects).Message);
        Assert.Equal(0, connects);

        // Anything but CONNECT first: refused on its first byte.
        Assert.Contains("not CONNECT", ReadAll([0x30, 0x02, 0x00, 0x00], out _).Message);

        // A small CONNECT, a 20 KB PUBLISH, then a 40 KB PUBLISH: only the last is refused.
        byte[] stream = [0x10, 0x0A, .. new byte[10], 0x30, .. Length(20_000), .. new byte[20_000], 0x30, .. Length(40_000), .. new byte[100]];
        Assert.Contains("packet of 40000 bytes is over the limit of 32768", ReadAll(stream, out connects).Message);
        Assert.Equal(1, connects);
    }

    /// <summary>Reads through the limit stream in 3-byte steps (headers split across reads) until it fails.</summary>
    private static MqttPacketLimitException ReadAll(byte[] bytes, out int connects)
    {
        int seen = 0;
        string? broken = null;
        using var limited = new MqttPacketLimitStream(new MemoryStream(bytes), 4096, 32 * 1024, () => seen++, reason => broken = reason);
        byte[] buffer = new byte[3];
        var error = Assert.Throws<MqttPacketLimitException>(() =>
        {
            while (limited.Read(buffer, 0, buffer.Length) > 0)
            {
            }
        });
        connects = seen;
        Assert.Equal(error.Message, broken);
        return error;
    }

    private static byte[] Length(int length)
    {
        var bytes = new List<byte>();
        do
        {
            byte digit = (byte)(length % 128);
            length /= 128;
            bytes.Add(length > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (length > 0);
        return bytes.ToArray();
    }

    /// <summary>A monotonic clock the test moves by hand.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
