using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MQTTnet;
using MQTTnet.Protocol;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Mqtt.Mosquitto;
using SmartSeal.Cloud.Security;

namespace SmartSeal.CloudBench;

/// <summary>
/// A private Mosquitto for the run (loopback, own port, files in the run's folder): the device
/// broker in <c>--broker mosquitto</c> mode, and the raw-throughput reference in every run.
/// </summary>
public sealed class MosquittoServer : IDisposable
{
    public const string CloudUser = "bench-cloud";
    public const string CloudPassword = "bench-cloud-password";
    private const string RawUser = "bench-raw";
    private const string RawPassword = "bench-raw-password";

    private readonly ChildProcess _process;

    private MosquittoServer(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public long WorkingSet => _process.WorkingSet;

    public static bool IsInstalled => File.Exists("/usr/sbin/mosquitto");

    public static async Task<MosquittoServer> StartAsync(string folder, IEnumerable<string> deviceIds, byte[] masterKey, long fixedExpiry)
    {
        Directory.CreateDirectory(folder);
        int port = FreePort();
        var keys = new DeviceKeyring(new MasterKey(masterKey));
        string passwd = MosquittoAuthFiles.PasswordFile(deviceIds.Select(id => new Device { Id = id, Kind = DeviceKind.Lock }), keys, fixedExpiry, [(CloudUser, CloudPassword), (RawUser, RawPassword)]);
        string acl = MosquittoAuthFiles.AclFile([CloudUser]) + $"\nuser {RawUser}\ntopic readwrite bench/#\n";
        MosquittoAuthFiles.Write(folder, passwd, acl);
        string conf = Path.Combine(folder, "mosquitto.conf");
        await File.WriteAllLinesAsync(conf,
        [
            "per_listener_settings false", "allow_anonymous false", $"password_file {folder}/passwd", $"acl_file {folder}/acl",
            "persistence false", "max_queued_messages 1000000", "max_inflight_messages 0", "log_type error",
            Environment.UserName == "root" ? "user root" : "# not root",
            $"listener {port} 127.0.0.1",
            "set_tcp_nodelay true", // else small QoS 1 packets wait for delayed ACKs (~40 ms a hop)
        ]);
        var process = new ChildProcess("/usr/sbin/mosquitto", ["-c", conf], new Dictionary<string, string>(), Path.Combine(folder, "mosquitto.log"));
        for (int i = 0; i < 100 && !Listening(port); i++)
        {
            await Task.Delay(50);
        }

        return Listening(port) ? new MosquittoServer(process, port) : throw new InvalidOperationException("mosquitto did not start; see " + process.LogPath);
    }

    /// <summary>Raw broker throughput: publishers send <paramref name="messages"/> QoS 1 messages of <paramref name="size"/> bytes; one subscriber counts them.</summary>
    public async Task<(double PerSecond, double Seconds)> MeasureRawThroughputAsync(int messages, int size, int publishers = 8)
    {
        var factory = new MqttClientFactory();
        using IMqttClient subscriber = factory.CreateMqttClient();
        long received = 0;
        var done = new TaskCompletionSource();
        subscriber.ApplicationMessageReceivedAsync += _ =>
        {
            if (Interlocked.Increment(ref received) == messages)
            {
                done.TrySetResult();
            }

            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(Options(factory, RawUser + "-sub"));
        await subscriber.SubscribeAsync("bench/#", MqttQualityOfServiceLevel.AtLeastOnce);
        var clients = new List<IMqttClient>();
        for (int i = 0; i < publishers; i++)
        {
            IMqttClient client = factory.CreateMqttClient();
            await client.ConnectAsync(Options(factory, $"{RawUser}-pub{i}"));
            clients.Add(client);
        }

        byte[] payload = new byte[size];
        Random.Shared.NextBytes(payload);
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select((client, index) => Task.Run(async () =>
        {
            // Pipelined like the devices: up to 200 QoS 1 publishes in flight per connection.
            var inFlight = new SemaphoreSlim(200);
            var tasks = new List<Task>();
            for (int n = index; n < messages; n += publishers)
            {
                await inFlight.WaitAsync();
                tasks.Add(client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"bench/{index}").WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build())
                    .ContinueWith(_ => inFlight.Release(), TaskScheduler.Default));
            }

            await Task.WhenAll(tasks);
        })));
        await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        double seconds = stopwatch.Elapsed.TotalSeconds;
        foreach (IMqttClient client in clients)
        {
            await client.DisconnectAsync();
            client.Dispose();
        }

        return (Interlocked.Read(ref received) / seconds, seconds);

        MqttClientOptions Options(MqttClientFactory f, string clientId) => new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Port)
            .WithClientId(clientId).WithCredentials(RawUser, RawPassword).WithCleanSession(true).Build();
    }

    public void Dispose() => _process.Dispose();

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
