using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Security;

namespace SmartSeal.Cloud.Tests.Mqtt;

/// <summary>The embedded broker with its TLS port on (a self-signed certificate made for the test).</summary>
public sealed class TlsCloudFactory : CloudFactory
{
    private readonly string _pfx = Path.Combine(Path.GetTempPath(), "smartseal-broker-tls-" + Guid.NewGuid().ToString("n") + ".pfx");

    public TlsCloudFactory()
    {
        TlsPort = FreePort();
        using RSA rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllBytes(_pfx, certificate.Export(X509ContentType.Pfx));
    }

    public int TlsPort { get; }

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["SmartSeal:Mqtt:TlsPort"] = TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["SmartSeal:Mqtt:CertificatePath"] = _pfx,
    };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        File.Delete(_pfx);
    }
}

public class TlsBrokerTests : CloudTest<TlsCloudFactory>
{
    private readonly TlsCloudFactory _cloud;

    public TlsBrokerTests(TlsCloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
    }

    [Fact]
    public async Task A_device_logs_in_over_TLS_and_a_wrong_key_or_an_oversized_connect_does_not()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-tls-01");
        long expiry = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600;
        Assert.True(await LogsInAsync(BrokerPassword.Create("lock-tls-01", key, expiry)));
        Assert.False(await LogsInAsync(BrokerPassword.Create("lock-tls-01", new byte[32], expiry)));

        // 8 KB of password makes the CONNECT larger than the 4 KB limit: cut before MQTTnet reads it.
        Assert.False(await LogsInAsync(new string('p', 8192)));
        Assert.True(await LogsInAsync(BrokerPassword.Create("lock-tls-01", key, expiry)));
    }

    private async Task<bool> LogsInAsync(string password)
    {
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        MqttClientOptions options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _cloud.TlsPort)
            .WithTlsOptions(tls => tls.UseTls().WithCertificateValidationHandler(_ => true))
            .WithClientId("lock-tls-01")
            .WithCredentials("lock-tls-01", password)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        try
        {
            return (await client.ConnectAsync(options)).ResultCode == MqttClientConnectResultCode.Success;
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            return false; // a refused CONNACK or a connection cut before one
        }
    }
}
