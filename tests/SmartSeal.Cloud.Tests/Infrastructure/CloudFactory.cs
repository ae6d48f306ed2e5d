using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Ingest;

namespace SmartSeal.Cloud.Tests.Infrastructure;

/// <summary>
/// The real cloud host in-process (<c>WebApplicationFactory&lt;Program&gt;</c>): its own data
/// directory, SQLite database and embedded MQTT broker on a free loopback port, a fixed master key
/// and admin API key. Any error logged by the host fails the test that caused it
/// (<see cref="AssertNoErrors"/>), as MQTTnet's own tests do with their broker.
/// </summary>
public class CloudFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";
    public static readonly byte[] MasterKey = Enumerable.Range(0x40, 32).Select(i => (byte)i).ToArray();

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "smartseal-cloud-tests", Guid.NewGuid().ToString("n"));

    public CloudFactory()
        : this(FreePort())
    {
    }

    /// <summary>A host on a given broker port: a restarted cloud that its devices find where they left it.</summary>
    protected CloudFactory(int mqttPort)
    {
        MqttPort = mqttPort;
    }

    public int MqttPort { get; }

    public ErrorLog Errors { get; } = new();

    /// <summary>Extra configuration a derived fixture wants (PostgreSQL, external broker...).</summary>
    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    public HttpClient AdminClient()
    {
        HttpClient client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    public T Service<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Registers a device directly (as the CLI does), of <paramref name="orgUnit"/> (none: sysadmins only), and returns its key.</summary>
    public async Task<byte[]> ProvisionAsync(string deviceId, DeviceKind kind = DeviceKind.Lock, int compartments = 0, string? orgUnit = null)
    {
        ProvisionResult result = await Service<DeviceProvisioner>().ProvisionAsync(new ProvisionRequest(deviceId, kind, OrgUnit: orgUnit, Compartments: compartments));
        Assert.Equal(ProvisionStatus.Ok, result.Status);
        return result.Key!;
    }

    /// <summary>Waits until the ingest pipeline has processed at least <paramref name="count"/> messages in total.</summary>
    public Task WaitForIngestAsync(long count, TimeSpan? timeout = null)
    {
        IngestService ingest = Service<IngestService>();
        return Eventually.Async(() => ingest.Processed >= count, $"ingest processed {count} messages", timeout);
    }

    /// <summary>Waits until the cloud has the device online (its presence report was handled).</summary>
    public Task WaitUntilOnlineAsync(string deviceId) =>
        Eventually.Async(async () => (await Service<DeviceRepository>().FindAsync(deviceId))?.Online == true, $"{deviceId} came online");

    public void AssertNoErrors() => Errors.AssertEmpty();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            ["SmartSeal:MasterKey"] = Convert.ToHexString(MasterKey),
            ["SmartSeal:AdminApiKey"] = AdminKey,
            ["SmartSeal:DataDirectory"] = _dataDirectory,
            ["SmartSeal:Mqtt:Port"] = MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (KeyValuePair<string, string?> extra in ExtraSettings)
        {
            settings[extra.Key] = extra.Value;
        }

        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Errors));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is cleaned by the OS.
        }
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
