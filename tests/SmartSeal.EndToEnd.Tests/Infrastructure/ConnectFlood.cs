using System.Net;
using System.Net.Sockets;

namespace SmartSeal.EndToEnd.Tests.Infrastructure;

/// <summary>
/// An anonymous attacker at an MQTT port with raw sockets: CONNECTs that claim (and stream) a huge
/// body, CONNECTs that start and never finish, first packets that are not CONNECT. Each attack
/// reports what the broker let through, so a test can assert it was cut off early.
/// </summary>
public static class ConnectFlood
{
    private const byte ConnectPacket = 0x10;
    private const byte PublishPacket = 0x30;

    /// <summary>
    /// <paramref name="count"/> connections in parallel, each sending a CONNECT header that claims
    /// <paramref name="claimedBytes"/>, then junk until the broker closes or <paramref name="claimedBytes"/>
    /// are sent. Returns the bytes each connection got onto the wire before it was cut off.
    /// </summary>
    public static Task<long[]> OversizedConnectsAsync(int port, int count, int claimedBytes, byte firstByte = ConnectPacket) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(_ => StreamOversizedAsync(port, claimedBytes, firstByte)));

    /// <summary>The same with a PUBLISH as the first packet (no CONNECT at all).</summary>
    public static Task<long[]> OversizedPublishesFirstAsync(int port, int count, int claimedBytes) =>
        OversizedConnectsAsync(port, count, claimedBytes, PublishPacket);

    /// <summary>
    /// Opens <paramref name="count"/> connections that send the first 10 bytes of a 100-byte
    /// CONNECT and then nothing. Returns the sockets, still open as far as the attacker knows.
    /// </summary>
    public static async Task<List<Socket>> SlowConnectsAsync(int port, int count)
    {
        var sockets = new List<Socket>();
        for (int i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port);
                byte[] start = new byte[10];
                start[0] = ConnectPacket;
                start[1] = 100;
                await socket.SendAsync(start);
            }
            catch (SocketException)
            {
                // refused at once: also a closed connection for the counts
            }

            sockets.Add(socket);
        }

        return sockets;
    }

    /// <summary>Waits until the broker has closed every socket (a read ends or fails); false when <paramref name="within"/> passes first.</summary>
    public static async Task<bool> AllClosedByBrokerAsync(IEnumerable<Socket> sockets, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await Task.WhenAll(sockets.Select(s => ClosedAsync(s, timeout.Token)));
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task ClosedAsync(Socket socket, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[256];
        try
        {
            while (socket.Connected && await socket.ReceiveAsync(buffer, cancellationToken) > 0)
            {
            }
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static async Task<long> StreamOversizedAsync(int port, int claimedBytes, byte firstByte)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        long sent = 0;
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
            var header = new List<byte> { firstByte };
            for (int length = claimedBytes; ; )
            {
                byte digit = (byte)(length % 128);
                length /= 128;
                header.Add(length > 0 ? (byte)(digit | 0x80) : digit);
                if (length == 0)
                {
                    break;
                }
            }

            sent += await socket.SendAsync(header.ToArray());
            byte[] junk = new byte[64 * 1024];
            Array.Fill(junk, (byte)'x');
            while (sent < claimedBytes)
            {
                sent += await socket.SendAsync(junk);
            }
        }
        catch (SocketException)
        {
            // cut off by the broker
        }

        return sent;
    }
}
