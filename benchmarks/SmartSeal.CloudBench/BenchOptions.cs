namespace SmartSeal.CloudBench;

/// <summary>Command line of the cloud benchmark (see benchmarks/README.md).</summary>
public sealed record BenchOptions
{
    public int Devices { get; init; } = 1000;

    /// <summary>Offered events/s in the throughput phase.</summary>
    public int Rate { get; init; } = 5000;

    public int Seconds { get; init; } = 30;

    /// <summary>Events/s of the latency phase (publish → signed ack back at the device).</summary>
    public int LatencyRate { get; init; } = 1000;

    public int LatencySeconds { get; init; } = 10;

    /// <summary>Idle device connections to open and hold in the connections phase (0 = skip).</summary>
    public int Connections { get; init; }

    public string Broker { get; init; } = "embedded";

    /// <summary>Cloud instances (2 = scale-out: both on the PostgreSQL database, splitting Mosquitto's shared subscription).</summary>
    public int Instances { get; init; } = 1;

    public string Database { get; init; } = "sqlite";

    /// <summary>PostgreSQL server (a fresh database is created on it); default SMARTSEAL_TEST_POSTGRES.</summary>
    public string? Postgres { get; init; } = Environment.GetEnvironmentVariable("SMARTSEAL_TEST_POSTGRES");

    /// <summary>Messages for the raw Mosquitto reference (0 = skip).</summary>
    public int MosquittoMessages { get; init; } = 200_000;

    /// <summary>Appends the result table as a markdown section to this file (the benchmark report).</summary>
    public string? Markdown { get; init; }

    /// <summary>Rows for the raw database insert reference (0 = skip).</summary>
    public int RawInsertRows { get; init; } = 200_000;

    /// <summary>Seconds of the soak phase after the throughput phase (0 = skip): RSS at its start and end.</summary>
    public int SoakSeconds { get; init; }

    /// <summary>Events/s offered during the soak.</summary>
    public int SoakRate { get; init; } = 1000;

    /// <summary>What the devices send: <c>stamp</c> (under their use token: reconciled and ledgered) or <c>position</c> (track points).</summary>
    public string Events { get; init; } = "stamp";

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--devices" => options with { Devices = int.Parse(value) },
                "--rate" => options with { Rate = int.Parse(value) },
                "--seconds" => options with { Seconds = int.Parse(value) },
                "--latency-rate" => options with { LatencyRate = int.Parse(value) },
                "--latency-seconds" => options with { LatencySeconds = int.Parse(value) },
                "--connections" => options with { Connections = int.Parse(value) },
                "--broker" => options with { Broker = value is "embedded" or "mosquitto" ? value : throw new ArgumentException("--broker embedded|mosquitto") },
                "--database" => options with { Database = value is "sqlite" or "postgres" ? value : throw new ArgumentException("--database sqlite|postgres") },
                "--postgres" => options with { Postgres = value },
                "--mosquitto-messages" => options with { MosquittoMessages = int.Parse(value) },
                "--markdown" => options with { Markdown = value },
                "--instances" => options with { Instances = int.Parse(value) is 1 or 2 ? int.Parse(value) : throw new ArgumentException("--instances 1|2") },
                "--events" => options with { Events = value is "stamp" or "position" ? value : throw new ArgumentException("--events stamp|position") },
                "--soak-seconds" => options with { SoakSeconds = int.Parse(value) },
                "--soak-rate" => options with { SoakRate = int.Parse(value) },
                "--raw-insert-rows" => options with { RawInsertRows = int.Parse(value) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
            i++;
        }

        if (options.Database == "postgres" && string.IsNullOrEmpty(options.Postgres))
        {
            throw new ArgumentException("--database postgres needs --postgres CONNECTION or SMARTSEAL_TEST_POSTGRES (eval \"$(scripts/services.sh start)\")");
        }

        if (options.Instances > 1 && (options.Broker != "mosquitto" || options.Database != "postgres"))
        {
            throw new ArgumentException("--instances 2 needs --broker mosquitto --database postgres (the instances share the broker and the database)");
        }

        return options;
    }
}
