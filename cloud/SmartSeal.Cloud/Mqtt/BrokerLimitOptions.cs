namespace SmartSeal.Cloud.Mqtt;

/// <summary>
/// The embedded broker's limits, enforced on the socket before MQTTnet reads a packet, so an
/// anonymous client cannot make the cloud allocate or wait for it.
/// </summary>
public sealed class BrokerLimitOptions
{
    /// <summary>The largest CONNECT (remaining length, bytes): id, username, SAS password and the status last will fit in well under this.</summary>
    public int MaxConnectPacketBytes { get; set; } = 4096;

    /// <summary>The largest packet after login: a 16 KB envelope (a photo chunk of 8 KB, base64) plus topic and properties.</summary>
    public int MaxPacketBytes { get; set; } = 32 * 1024;

    /// <summary>Seconds a new connection has to deliver its whole CONNECT (TLS handshake included).</summary>
    public int ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>Connections that have not yet delivered their CONNECT, over all addresses; more are closed at once.</summary>
    public int MaxPendingConnections { get; set; } = 1000;

    /// <summary>
    /// New connections one remote address may open at once (the bucket's size): below
    /// <see cref="MaxPendingConnections"/>, so one address cannot hold every pending slot.
    /// </summary>
    public int ConnectionBurstPerAddress { get; set; } = 200;

    /// <summary>New connections per second one remote address gets back (the bucket's refill).</summary>
    public int ConnectionsPerSecondPerAddress { get; set; } = 50;
}
