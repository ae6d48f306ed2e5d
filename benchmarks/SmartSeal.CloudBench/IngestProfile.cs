using System.Globalization;

namespace SmartSeal.CloudBench;

/// <summary>
/// The cloud's own per-stage ingest counters (<c>Ingest/IngestStageCosts</c> in the cloud) read from
/// <c>/metrics</c> before and after a phase: µs and allocated bytes per stored event for every
/// handler and the commit, beside the whole process's CPU and allocations per event.
/// </summary>
public sealed class IngestProfile
{
    private readonly Dictionary<(string Metric, string Stage), double> _values;

    private IngestProfile(Dictionary<(string, string), double> values) => _values = values;

    /// <summary>Reads the counters of every instance and adds them up.</summary>
    public static async Task<IngestProfile> ScrapeAsync(IEnumerable<CloudServer> instances)
    {
        var values = new Dictionary<(string, string), double>();
        foreach (CloudServer instance in instances)
        {
            string text = await instance.Http.GetStringAsync("/metrics");
            foreach (string line in text.Split('\n'))
            {
                if (!line.StartsWith("smartseal_", StringComparison.Ordinal))
                {
                    continue;
                }

                int brace = line.IndexOf('{');
                int space = brace >= 0 ? line.IndexOf(' ', line.IndexOf('}')) : line.IndexOf(' ');
                string name = line[..(brace >= 0 ? brace : space)];
                string stage = string.Empty;
                int at = line.IndexOf("stage=\"", StringComparison.Ordinal);
                if (at >= 0)
                {
                    at += "stage=\"".Length;
                    stage = line[at..line.IndexOf('"', at)];
                }

                double value = double.Parse(line[(space + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                values[(name, stage)] = values.GetValueOrDefault((name, stage)) + value;
            }
        }

        return new IngestProfile(values);
    }

    /// <summary>Rows of (stage, µs per event, bytes per event) for the growth from <paramref name="before"/> to this scrape.</summary>
    public IReadOnlyList<(string Stage, double Microseconds, double Bytes, double Counted)> PerEvent(IngestProfile before, long events)
    {
        var rows = new List<(string, double, double, double)>();
        foreach (string stage in _values.Keys.Where(k => k.Metric.StartsWith("smartseal_ingest_stage_microseconds", StringComparison.Ordinal)).Select(k => k.Stage).Distinct())
        {
            double micros = Growth(before, "smartseal_ingest_stage_microseconds", stage);
            double batches = Growth(before, "smartseal_ingest_stage_batches", stage);
            double samples = Growth(before, "smartseal_ingest_stage_allocation_samples", stage);
            double bytes = Growth(before, "smartseal_ingest_stage_allocated_bytes", stage);
            // Allocations are counted on the batches that stayed on one thread; scale them to all batches.
            double scaledBytes = samples > 0 ? bytes * batches / samples : double.NaN;
            rows.Add((stage, micros / Math.Max(1, events), scaledBytes / Math.Max(1, events), batches > 0 ? samples / batches : 0));
        }

        return rows;
    }

    /// <summary>Bytes the cloud process(es) allocated per event over the phase (GC.GetTotalAllocatedBytes).</summary>
    public double ProcessBytesPerEvent(IngestProfile before, long events) => Growth(before, "smartseal_process_allocated_bytes", string.Empty) / Math.Max(1, events);

    private double Growth(IngestProfile before, string prefix, string stage) => Sum(this, prefix, stage) - Sum(before, prefix, stage);

    private static double Sum(IngestProfile profile, string prefix, string stage) =>
        profile._values.Where(v => v.Key.Metric.StartsWith(prefix, StringComparison.Ordinal) && v.Key.Stage == stage).Sum(v => v.Value);
}
