using System.Collections.Concurrent;

namespace SmartSeal.Simulators.Host;

public enum SimLogLevel
{
    Debug = 0,
    Info = 1,
    Warning = 2,
    Error = 3,
}

/// <summary>One line the simulator logged.</summary>
public sealed record SimLogEntry(DateTimeOffset Time, SimLogLevel Level, string Source, string Message);

/// <summary>
/// The simulator's log: a bounded ring of recent lines (for the terminal view) plus listeners.
/// Errors mean "something a tester must look at"; the test fixture fails a test on any error.
/// </summary>
public sealed class SimLog
{
    private const int Capacity = 200;
    private readonly ConcurrentQueue<SimLogEntry> _recent = new();
    private int _errors;

    public SimLogLevel ConsoleLevel { get; set; } = SimLogLevel.Warning;

    public bool WriteToConsole { get; set; }

    public int ErrorCount => Volatile.Read(ref _errors);

    public event Action<SimLogEntry>? Logged;

    public IReadOnlyCollection<SimLogEntry> Recent => _recent.ToArray();

    public void Debug(string source, string message) => Write(SimLogLevel.Debug, source, message);

    public void Info(string source, string message) => Write(SimLogLevel.Info, source, message);

    public void Warning(string source, string message) => Write(SimLogLevel.Warning, source, message);

    public void Error(string source, string message) => Write(SimLogLevel.Error, source, message);

    public void Write(SimLogLevel level, string source, string message)
    {
        var entry = new SimLogEntry(DateTimeOffset.UtcNow, level, source, message);
        if (level == SimLogLevel.Error)
        {
            Interlocked.Increment(ref _errors);
        }

        if (level >= SimLogLevel.Info)
        {
            _recent.Enqueue(entry);
            while (_recent.Count > Capacity && _recent.TryDequeue(out _))
            {
            }
        }

        if (WriteToConsole && level >= ConsoleLevel)
        {
            Console.Error.WriteLine($"{entry.Time:HH:mm:ss.fff} {level,-7} {source}: {message}");
        }

        Logged?.Invoke(entry);
    }
}
