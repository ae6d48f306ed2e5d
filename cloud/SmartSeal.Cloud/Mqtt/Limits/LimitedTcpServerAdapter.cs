using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace SmartSeal.Cloud.Mqtt.Limits;

/// <summary>
/// The embedded broker's TCP (and TLS) listener in place of MQTTnet's own, which reads a CONNECT
/// of any size from anyone. Here a connection must pass <see cref="ConnectionAdmission"/>, then
/// deliver a CONNECT within <see cref="BrokerLimitOptions.ConnectTimeoutSeconds"/> and within the
/// size limits (<see cref="MqttPacketLimitStream"/>); only then does MQTTnet authenticate it.
/// </summary>
public sealed class LimitedTcpServerAdapter(MqttOptions options, X509Certificate2? certificate, CloudMetrics metrics, TimeProvider time, ILogger logger)
    : IMqttServerAdapter
{
    private const int LogsPerSecond = 50;
    private readonly BrokerLimitOptions _limits = options.Limits;
    private readonly ConnectionAdmission _admission = new(options.Limits, time);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Socket> _listeners = [];
    private readonly Lock _logGate = new();
    private long _logSecond;
    private int _logged;
    private long _suppressed;
    private MqttServerOptions? _serverOptions;
    private IMqttNetLogger? _mqttLogger;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    public Task StartAsync(MqttServerOptions serverOptions, IMqttNetLogger mqttLogger)
    {
        _serverOptions = serverOptions;
        _mqttLogger = mqttLogger;
        Listen(options.Port, tls: false);
        if (options.TlsPort > 0)
        {
            Listen(options.TlsPort, tls: true);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        Stop();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Stop();
        _stopping.Dispose();
    }

    private void Stop()
    {
        if (!_stopping.IsCancellationRequested)
        {
            _stopping.Cancel();
        }

        foreach (Socket listener in _listeners)
        {
            listener.Dispose();
        }
    }

    private void Listen(int port, bool tls)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(options.Host), port);
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // Host "::" serves IPv4 and IPv6. (MQTTnet's listener always added [::] besides the
            // configured IPv4 address, so a loopback-only Host was reachable over IPv6; no longer.)
            listener.DualMode = true;
        }

        listener.Bind(endpoint);
        listener.Listen(4096);
        _listeners.Add(listener);
        _ = Task.Run(() => AcceptAsync(listener, tls));
    }

    private async Task AcceptAsync(Socket listener, bool tls)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                logger.LogWarning("Broker accept failed: {Error}", e.SocketErrorCode);
                continue;
            }

            var remote = (IPEndPoint)client.RemoteEndPoint!;
            if (_admission.TryAdmit(remote.Address) is { } refusal)
            {
                Refuse(remote, refusal);
                client.Dispose();
                continue;
            }

            _ = Task.Run(() => ServeAsync(client, remote, tls));
        }
    }

    private async Task ServeAsync(Socket client, IPEndPoint remote, bool tls)
    {
        int connectPending = 1;
        void ConnectDone()
        {
            if (Interlocked.Exchange(ref connectPending, 0) == 1)
            {
                _admission.ConnectDone();
            }
        }

        // Closing the socket is the one way to stop a read MQTTnet has already started.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(_limits.ConnectTimeoutSeconds), time);
        using CancellationTokenRegistration onDeadline = deadline.Token.Register(() =>
        {
            if (Volatile.Read(ref connectPending) == 1)
            {
                Refuse(remote, $"no complete CONNECT within {_limits.ConnectTimeoutSeconds} s");
                client.Dispose();
            }
        });
        Stream? stream = null;
        try
        {
            client.NoDelay = true;
            stream = new NetworkStream(client, ownsSocket: true);
            X509Certificate2? clientCertificate = null;
            if (tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions
                    {
                        ServerCertificate = certificate,
                        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                        EncryptionPolicy = EncryptionPolicy.RequireEncryption,
                    },
                    deadline.Token);
                stream = ssl;
            }

            stream = new MqttPacketLimitStream(stream, _limits.MaxConnectPacketBytes, _limits.MaxPacketBytes, ConnectDone, reason => Refuse(remote, reason));
            var channel = new MqttTcpChannel(stream, client.LocalEndPoint, remote, clientCertificate);
            var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(_serverOptions!.WriterBufferSize, _serverOptions.WriterBufferSizeMax));
            using var adapter = new MqttChannelAdapter(channel, formatter, _mqttLogger!);
            if (ClientHandler is { } handler)
            {
                await handler(adapter);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or AuthenticationException)
        {
            // A client that went away or broke a limit (already logged); MQTTnet handles the rest itself.
        }
        finally
        {
            ConnectDone();
            if (stream != null)
            {
                await stream.DisposeAsync();
            }

            client.Dispose();
        }
    }

    private void Refuse(IPEndPoint remote, string reason)
    {
        metrics.ConnectionsRefused.Add(1);

        // A flood must not become a flood of log lines: at most LogsPerSecond, then a count.
        long second = time.GetTimestamp() / time.TimestampFrequency;
        lock (_logGate)
        {
            if (second != _logSecond)
            {
                if (_suppressed > 0)
                {
                    logger.LogWarning("{Count} more broker connections dropped before login were not logged", _suppressed);
                }

                (_logSecond, _logged, _suppressed) = (second, 0, 0);
            }

            if (_logged++ >= LogsPerSecond)
            {
                _suppressed++;
                return;
            }
        }

        logger.LogWarning("Broker connection from {Endpoint} dropped before login: {Reason}", remote, reason);
    }
}
