using System.Net;

namespace SmartSeal.Simulators.Host;

/// <summary>Where the broker is: <c>host:port</c>.</summary>
public sealed record BrokerEndpoint(string Host, int Port)
{
    public static BrokerEndpoint Parse(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out int port) || port is <= 0 or > 65535)
        {
            throw new FormatException($"broker '{text}' is not host:port");
        }

        return new BrokerEndpoint(text[..colon], port);
    }

    public EndPoint ToEndPoint() => IPAddress.TryParse(Host, out IPAddress? address) ? new IPEndPoint(address, Port) : new DnsEndPoint(Host, Port);

    public override string ToString() => $"{Host}:{Port}";
}
