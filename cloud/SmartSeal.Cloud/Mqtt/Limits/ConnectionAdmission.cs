using System.Collections.Concurrent;
using System.Net;

namespace SmartSeal.Cloud.Mqtt.Limits;

/// <summary>
/// Decides whether a new broker connection may proceed to its CONNECT: a token bucket per remote
/// address (a burst, then a steady rate) and a bound on connections still waiting for their
/// CONNECT over all addresses. A refused connection is closed before anything is read from it.
/// </summary>
public sealed class ConnectionAdmission(BrokerLimitOptions limits, TimeProvider time)
{
    /// <summary>Above this many tracked addresses, buckets that have refilled are forgotten.</summary>
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<IPAddress, Bucket> _buckets = new();
    private int _pending;

    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Null when admitted (the caller then owes one <see cref="ConnectDone"/>), else why not.</summary>
    public string? TryAdmit(IPAddress address)
    {
        if (!TakeToken(address))
        {
            return $"more than {limits.ConnectionBurstPerAddress} connections at once or {limits.ConnectionsPerSecondPerAddress}/s from {address}";
        }

        if (Interlocked.Increment(ref _pending) > limits.MaxPendingConnections)
        {
            Interlocked.Decrement(ref _pending);
            return $"{limits.MaxPendingConnections} connections already waiting for their CONNECT";
        }

        return null;
    }

    /// <summary>The admitted connection delivered its CONNECT, or ended before it.</summary>
    public void ConnectDone() => Interlocked.Decrement(ref _pending);

    private bool TakeToken(IPAddress address)
    {
        double now = time.GetTimestamp() / (double)time.TimestampFrequency;
        if (_buckets.Count > PruneAbove)
        {
            foreach (var (key, bucket) in _buckets)
            {
                if (bucket.IsFull(now, limits))
                {
                    _buckets.TryRemove(key, out _);
                }
            }
        }

        Bucket own = _buckets.GetOrAdd(address, _ => new Bucket(limits.ConnectionBurstPerAddress, now));
        return own.TryTake(now, limits);
    }

    private sealed class Bucket(double tokens, double at)
    {
        private double _tokens = tokens;
        private double _at = at;

        public bool TryTake(double now, BrokerLimitOptions limits)
        {
            lock (this)
            {
                Refill(now, limits);
                if (_tokens < 1)
                {
                    return false;
                }

                _tokens--;
                return true;
            }
        }

        public bool IsFull(double now, BrokerLimitOptions limits)
        {
            lock (this)
            {
                Refill(now, limits);
                return _tokens >= limits.ConnectionBurstPerAddress;
            }
        }

        private void Refill(double now, BrokerLimitOptions limits)
        {
            _tokens = Math.Min(limits.ConnectionBurstPerAddress, _tokens + ((now - _at) * limits.ConnectionsPerSecondPerAddress));
            _at = now;
        }
    }
}
