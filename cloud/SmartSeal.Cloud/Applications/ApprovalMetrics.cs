using System.Diagnostics.Metrics;
using SmartSeal.Cloud.Hosting;

namespace SmartSeal.Cloud.Applications;

/// <summary>Approval metrics on the cloud's meter (scraped at <c>/metrics</c>): lead times and transitions by decision.</summary>
public sealed class ApprovalMetrics
{
    public ApprovalMetrics(IMeterFactory meterFactory)
    {
        Meter meter = meterFactory.Create(CloudMetrics.MeterName);
        LeadTime = meter.CreateHistogram<double>("smartseal.approval.lead_time", unit: "s", description: "First submission to final decision (approved or rejected)");
        Transitions = meter.CreateCounter<long>("smartseal.approval.transitions", description: "Application transitions by decision (submitted, approved, rejected, returned, withdrawn, resubmitted)");
    }

    public Histogram<double> LeadTime { get; }

    public Counter<long> Transitions { get; }
}
