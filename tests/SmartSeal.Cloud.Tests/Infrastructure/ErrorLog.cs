using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SmartSeal.Cloud.Tests.Infrastructure;

/// <summary>Collects every error the host logs, so tests can fail on them.</summary>
public sealed class ErrorLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _errors = new();

    public IReadOnlyCollection<string> Entries => _errors.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _errors);

    public void AssertEmpty() => Assert.True(_errors.IsEmpty, "the host logged errors:\n" + string.Join("\n", _errors));

    public void Clear() => _errors.Clear();

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> errors) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error)
            {
                errors.Enqueue($"{category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
