using System.Net;
using System.Net.Sockets;
using MQTTnet.Channel;

namespace SmartSeal.Simulators.Host;

/// <summary>
/// Opens MQTTnet's TCP connection itself so the simulator can kill it abruptly (a reset, no MQTT
/// DISCONNECT): the broker then sees a vanished device and publishes its last will, and the
/// client's receive loop sees a dropped link, exactly as when a modem loses coverage.
/// </summary>
public sealed class CuttableTcpStreamProvider : IMqttClientStreamProvider
{
    private Socket? _socket;

    public async Task<Stream> ConnectAsync(EndPoint remoteEndPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(remoteEndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        return new NetworkStream(socket, ownsSocket: true);
    }

    public void Cut()
    {
        Socket? socket = Interlocked.Exchange(ref _socket, null);
        if (socket == null)
        {
            return;
        }

        try
        {
            socket.LingerState = new LingerOption(true, 0); // close with a reset
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException)
        {
        }
    }
}
