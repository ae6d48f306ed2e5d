using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Ingest.Handlers;

namespace SmartSeal.Cloud.Hosting;

/// <summary>
/// The one list of the cloud's ingest handlers, in the order a device message flows through them:
/// verify → rate limit → store (dedupe) → bind → domain handlers → commit → acknowledge → refusals
/// → notify. It lives in the composition root because it names handlers of many modules; Ingest
/// runs whatever list it is given (<see cref="IngestPipeline.Order"/> refuses a handler registered
/// outside it). A new handler is added here, where it belongs in the flow, with a one-line comment.
/// </summary>
public static class CloudIngestPipeline
{
    /// <summary>The pipeline the cloud runs.</summary>
    public static IngestPipeline Default { get; } = new(
    [
        // Verify: nothing trusted yet, no storage.
        typeof(VerifyHandler),                          // topic, device, envelope, MAC, type on topic, body
        typeof(RateLimitHandler),                       // token bucket per device; over it: not acknowledged

        // Store: opens the batch transaction.
        typeof(StoreHandler),                           // dedupe on (device, seq), raw record

        // Bind: same transaction.
        typeof(Checkouts.BindingHandler),                   // the seal or token an event names must be the sender's

        // Domain: same transaction, only first deliveries that passed binding.
        typeof(PresenceHandler),                        // online/offline by device time
        typeof(PositionHandler),                        // tracks
        typeof(DeviceReportHandler),                    // battery, device alarms
        typeof(Commands.DesiredStateAckHandler),        // desired state applied; remote disable/enable acknowledged in the ledger
        typeof(Commands.CommandResultHandler),          // cmd-result settles its command
        typeof(Gate.GateDecisionHandler),               // face-match decisions (read by the use ledger below)
        typeof(Checkouts.CheckoutEventHandler),         // dispensed/returned/stamped move checkouts, seals, token counts
        typeof(Seals.TagReportHandler),                 // inventory observations
        typeof(Photos.PhotoAssemblyHandler),            // photo manifests and chunks
        typeof(Documents.DocumentStampHandler),         // stamps counted on their checked page
        typeof(Checkouts.UseLedgerHandler),             // ledger entries for the seal events above

        // After commit.
        typeof(AcknowledgeHandler),                     // one signed ack per device
        typeof(RefusalHandler),                         // refused_messages, alarms on the sender
        typeof(LiveFeed.PresenceFeedHandler),           // presence changes to the live feed
        typeof(Commands.CommandDeliveryHandler),        // a device back online gets its queued commands
        typeof(Documents.DocumentCheckHandler),         // completed page photos queued for OCR
        typeof(NotifyHandler),                          // in-process listeners: new records
    ]);
}
