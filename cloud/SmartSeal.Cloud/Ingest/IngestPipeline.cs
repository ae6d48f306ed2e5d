using SmartSeal.Cloud.Ingest.Handlers;

namespace SmartSeal.Cloud.Ingest;

/// <summary>
/// The ingest pipeline, Traccar-style: every handler a device message passes through, in the order
/// it passes. The cloud's list is <c>Hosting/CloudIngestPipeline.cs</c> (the composition root, so
/// Ingest need not know the modules whose handlers it runs); <see cref="IngestRegistration"/>
/// registers exactly those handlers and <see cref="IngestService"/> runs them in that order. A
/// handler registered anywhere else, or a list whose stages go backwards, stops the cloud at
/// startup (<see cref="Order"/>) rather than running in whatever order registrations happened.
/// </summary>
public sealed class IngestPipeline(IReadOnlyList<Type> handlers)
{
    public IReadOnlyList<Type> Handlers { get; } = handlers;

    /// <summary>
    /// The registered handlers in this pipeline's order. Throws when one is registered but not
    /// listed, listed but not registered, registered twice, or when the list puts a handler of a
    /// later stage before one of an earlier stage (the batch commits before the first after-commit handler).
    /// </summary>
    public IIngestHandler[] Order(IEnumerable<IIngestHandler> registered)
    {
        IIngestHandler[] all = registered.ToArray();
        string[] unlisted = all.Select(h => h.GetType()).Where(t => !Handlers.Contains(t)).Select(t => t.FullName!).ToArray();
        if (unlisted.Length > 0)
        {
            throw new InvalidOperationException($"Ingest handler(s) registered outside the pipeline list (add them to Hosting/CloudIngestPipeline.cs, in the order messages flow): {string.Join(", ", unlisted)}");
        }

        var ordered = new IIngestHandler[Handlers.Count];
        for (int i = 0; i < Handlers.Count; i++)
        {
            IIngestHandler[] matches = all.Where(h => h.GetType() == Handlers[i]).ToArray();
            if (matches.Length != 1)
            {
                throw new InvalidOperationException($"Ingest handler {Handlers[i].FullName} is listed in the pipeline but registered {matches.Length} times (expected once)");
            }

            ordered[i] = matches[0];
            if (i > 0 && ordered[i].Stage < ordered[i - 1].Stage)
            {
                throw new InvalidOperationException($"Ingest pipeline lists {Handlers[i].Name} ({ordered[i].Stage}) after {Handlers[i - 1].Name} ({ordered[i - 1].Stage}): stages must not go backwards");
            }
        }

        return ordered;
    }

    /// <summary>A pipeline with <typeparamref name="THandler"/> inserted right after <typeparamref name="TAfter"/> (tests that need a stand-in handler say so explicitly).</summary>
    public IngestPipeline WithAfter<TAfter, THandler>()
        where TAfter : IIngestHandler
        where THandler : IIngestHandler
    {
        var handlers = Handlers.ToList();
        handlers.Insert(handlers.IndexOf(typeof(TAfter)) + 1, typeof(THandler));
        return new IngestPipeline(handlers);
    }
}
