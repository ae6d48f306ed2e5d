namespace SmartSeal.Cloud.Mqtt.Limits;

/// <summary>
/// Sits between a client's socket and MQTTnet and reads every incoming packet's fixed header
/// before MQTTnet does. MQTTnet allocates a packet's whole body as soon as it knows its length, so
/// the size limit has to act on the length bytes themselves: a first packet that is not CONNECT, a
/// CONNECT over <c>maxConnectBytes</c> or any later packet over <c>maxPacketBytes</c> fails the
/// read that completes its header, and MQTTnet drops the connection without allocating anything.
/// </summary>
public sealed class MqttPacketLimitStream(Stream inner, int maxConnectBytes, int maxPacketBytes, Action connectReceived, Action<string> limitBroken) : Stream
{
    private const int ConnectPacketType = 1;

    private HeaderState _state = HeaderState.TypeByte;
    private int _packetType;
    private long _remainingLength;
    private int _lengthShift;
    private long _bodyLeft;
    private bool _connectSeen;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await inner.ReadAsync(buffer, cancellationToken);
        Inspect(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        int read = inner.Read(buffer, offset, count);
        Inspect(buffer.AsSpan(offset, read));
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    private void Inspect(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            switch (_state)
            {
                case HeaderState.TypeByte:
                    _packetType = bytes[i++] >> 4;
                    if (!_connectSeen && _packetType != ConnectPacketType)
                    {
                        throw Broken($"first packet is type {_packetType}, not CONNECT");
                    }

                    _remainingLength = 0;
                    _lengthShift = 0;
                    _state = HeaderState.LengthBytes;
                    break;
                case HeaderState.LengthBytes:
                    byte b = bytes[i++];
                    _remainingLength |= (long)(b & 0x7F) << _lengthShift;
                    _lengthShift += 7;
                    if ((b & 0x80) != 0)
                    {
                        if (_lengthShift >= 28)
                        {
                            throw Broken("malformed remaining length");
                        }

                        break;
                    }

                    bool connect = !_connectSeen;
                    long limit = connect ? maxConnectBytes : maxPacketBytes;
                    if (_remainingLength > limit)
                    {
                        throw Broken($"{(connect ? "CONNECT" : "packet")} of {_remainingLength} bytes is over the limit of {limit}");
                    }

                    _bodyLeft = _remainingLength;
                    _state = HeaderState.Body;
                    if (_bodyLeft == 0)
                    {
                        EndPacket();
                    }

                    break;
                default:
                    int take = (int)Math.Min(_bodyLeft, bytes.Length - i);
                    i += take;
                    _bodyLeft -= take;
                    if (_bodyLeft == 0)
                    {
                        EndPacket();
                    }

                    break;
            }
        }
    }

    private MqttPacketLimitException Broken(string reason)
    {
        limitBroken(reason);
        return new MqttPacketLimitException(reason);
    }

    private void EndPacket()
    {
        _state = HeaderState.TypeByte;
        if (!_connectSeen)
        {
            _connectSeen = true;
            connectReceived();
        }
    }

    private enum HeaderState
    {
        TypeByte,
        LengthBytes,
        Body,
    }
}

/// <summary>A client broke a broker limit before MQTTnet read its packet; the connection is dropped.</summary>
public sealed class MqttPacketLimitException(string message) : IOException(message);
