using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using SmartSeal.Cloud.Hosting;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.EndToEnd.Tests.Fuzz;
using SmartSeal.EndToEnd.Tests.Infrastructure;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;
using Xunit.Abstractions;
using SmartSeal.Cloud.Mqtt;
using CloudDeviceKind = SmartSeal.Cloud.Devices.DeviceKind;

namespace SmartSeal.EndToEnd.Tests.Attacks;

/// <summary>
/// Bounded fuzzing of what devices send, by the worst sender there is: a registered device (lock,
/// cabinet, gate) holding its own key, so its garbage is correctly signed. Bodies of every message
/// type with values and structure mutated, envelopes with bytes flipped, cut or spliced, random
/// bytes, on every device-published topic. The cloud must store or refuse each one with a recorded
/// reason — nothing dropped silently — log no error, and keep serving a well-behaved device.
/// </summary>
[Trait("Category", "Fuzz")]
public class EnvelopeFuzzTests : CloudTest<AttackCloudFactory>
{
    private readonly AttackCloudFactory _cloud;
    private readonly ITestOutputHelper _output;

    public EnvelopeFuzzTests(AttackCloudFactory cloud, ITestOutputHelper output)
        : base(cloud)
    {
        _cloud = cloud;
        _output = output;
    }

    private static readonly TopicKind[] Topics = [TopicKind.Events, TopicKind.Events, TopicKind.Events, TopicKind.Telemetry, TopicKind.Photos, TopicKind.CommandResults, TopicKind.Status];

    [Fact]
    public async Task Mutated_signed_messages_from_registered_devices_are_stored_or_refused_with_a_reason_and_never_break_ingest()
    {
        var fuzz = new Mutator(FuzzBudget.Seed);
        _output.WriteLine($"seed {FuzzBudget.Seed} (replay: SMARTSEAL_FUZZ_SEED={FuzzBudget.Seed})");
        var devices = new List<DeviceClient>();
        foreach ((string prefix, CloudDeviceKind kind) in new[] { ("fz-lock", CloudDeviceKind.Lock), ("fz-cab", CloudDeviceKind.Cabinet), ("fz-gate", CloudDeviceKind.Gate) })
        {
            string id = OrgWorld.Unique(prefix);
            devices.Add(await DeviceClient.ConnectAsync(_cloud.MqttPort, id, await _cloud.ProvisionAsync(id, kind, kind == CloudDeviceKind.Cabinet ? 4 : 0)));
        }

        JsonNode[] templates = Templates();
        long processedBefore = _cloud.Service<IngestService>().Processed;
        var published = new Dictionary<string, int>();
        var lastSeq = new Dictionary<string, long>();
        int signedBodies = 0, flipped = 0, random = 0, onStatusTopic = 0, cutOffByBroker = 0;
        int maxPacket = new BrokerLimitOptions().MaxPacketBytes;
        DateTime until = DateTime.UtcNow + FuzzBudget.Share(0.4);
        while (DateTime.UtcNow < until)
        {
            DeviceClient device = fuzz.Pick(devices);
            TopicKind kind = fuzz.Pick(Topics);
            long seq = kind == TopicKind.Status && fuzz.Next(4) > 0 ? 0 : lastSeq.GetValueOrDefault(device.DeviceId) + 1 + fuzz.Next(3);
            lastSeq[device.DeviceId] = Math.Max(seq, lastSeq.GetValueOrDefault(device.DeviceId));
            byte[] payload;
            int mode = fuzz.Next(10);
            if (mode < 6)
            {
                JsonNode template = fuzz.Pick(templates);
                string type = fuzz.Next(10) == 0 ? fuzz.Pick(["", "no-such-type", "desired-state", "ack", "set-state"]) : template["_type"]!.GetValue<string>();
                JsonNode? body = fuzz.Next(6) == 0 ? template.DeepClone() : fuzz.Mutate(template);
                (body as JsonObject)?.Remove("_type");
                payload = Signed(device, type, seq, Encoding.UTF8.GetBytes(body?.ToJsonString() ?? "null"), fuzz);
                signedBodies++;
            }
            else if (mode < 9)
            {
                JsonNode template = fuzz.Pick(templates);
                payload = fuzz.Flip(Signed(device, template["_type"]!.GetValue<string>(), seq, Encoding.UTF8.GetBytes(Without(template, "_type")), fuzz));
                flipped++;
            }
            else
            {
                payload = fuzz.Bytes(fuzz.Next(2_000));
                random++;
            }

            string topic = DeviceTopics.For(device.DeviceId, kind);
            int packetBytes = payload.Length + Encoding.UTF8.GetByteCount(topic);
            if (Math.Abs(packetBytes - maxPacket) <= PacketSizeMargin)
            {
                continue; // too close to the limit to say which side of it the broker sees (header and properties)
            }

            if (packetBytes > maxPacket)
            {
                // Over the broker's packet limit: cut off on its length bytes, before the body is
                // read (Mqtt/Limits), so it never reaches ingest. The device logs in again.
                await Assert.ThrowsAnyAsync<Exception>(() => device.PublishAsync(topic, payload));
                device.Kill(); // the broker has already closed the socket; a DISCONNECT would hit a broken pipe
                devices[devices.IndexOf(device)] = await DeviceClient.ConnectAsync(_cloud.MqttPort, device.DeviceId, device.Key);
                cutOffByBroker++;
                continue;
            }

            onStatusTopic += kind == TopicKind.Status ? 1 : 0;
            await device.PublishAsync(topic, payload);
            published[device.DeviceId] = published.GetValueOrDefault(device.DeviceId) + 1;
        }

        int total = published.Values.Sum();
        await _cloud.WaitForIngestAsync(processedBefore + total, TimeSpan.FromSeconds(60));

        // Afterwards a well-behaved message from the same fuzzing lock is stored and acknowledged.
        DeviceClient lockClient = devices[0];
        long goodSeq = lastSeq.GetValueOrDefault(lockClient.DeviceId) + 1;
        await lockClient.SendAsync(new BatteryBody { Percent = 80 }, goodSeq);
        await lockClient.WaitForAckAsync(goodSeq, TimeSpan.FromSeconds(20));

        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        long stored = 0, refused = 0, unbound = 0;
        foreach (DeviceClient device in devices)
        {
            stored += await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM device_messages WHERE device_id = @DeviceId", new { device.DeviceId });
            foreach ((string reason, string? detail) in await connection.QueryAsync<(string, string?)>("SELECT reason, detail FROM refused_messages WHERE device_id = @DeviceId", new { device.DeviceId }))
            {
                long count = reason is "flood" or "flood-unbound" ? long.Parse(detail!.Split(' ')[0], CultureInfo.InvariantCulture) : 1;
                // Unbound events (a seal or token not the device's) are stored as evidence and refused: count them once, as stored.
                if (reason.StartsWith("unbound-", StringComparison.Ordinal) || reason == "flood-unbound")
                {
                    unbound += count;
                }
                else
                {
                    refused += count;
                }
            }
        }

        long processed = _cloud.Service<IngestService>().Processed - processedBefore;
        _output.WriteLine($"published {total} (signed mutated bodies {signedBodies}, flipped envelopes {flipped}, random bytes {random}; another {cutOffByBroker} over the broker's packet limit cut off before ingest); processed {processed}; stored {stored} (of which refused by device–seal binding {unbound}); refused with a reason {refused}; presence updates {total + 1 - stored - refused}; got through: 0");
        Assert.True(refused > total / 4, $"only {refused} of {total} refused: the fuzzer is not reaching the checks");
        // Everything is accounted for: stored, or refused with a reason, except valid presence messages
        // (status topic), which update the device instead of being stored.
        long unaccounted = total + 1 - stored - refused;
        Assert.True(unaccounted >= 0 && unaccounted <= onStatusTopic, $"{unaccounted} messages neither stored nor refused ({onStatusTopic} on the status topic)");
        foreach (DeviceClient device in devices)
        {
            await device.DisposeAsync();
        }

        _cloud.AssertNoErrors();
    }

    /// <summary>Bytes of a PUBLISH beyond payload and topic (fixed header, packet id, properties): within this of the limit a case is skipped.</summary>
    private const int PacketSizeMargin = 64;

    private static byte[] Signed(DeviceClient device, string type, long seq, byte[] body, Mutator fuzz)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long time = fuzz.Next(8) switch { 0 => 0, 1 => now + 86_400_000L * 365, 2 => -1, 3 => long.MaxValue, _ => now };
        var envelope = new Envelope { DeviceId = device.DeviceId, Seq = seq, Time = time, Type = type, Id = fuzz.Next(5) == 0 ? new string('i', fuzz.Next(300)) : string.Empty };
        envelope.SetBody(body);
        try
        {
            return EnvelopeCodec.Encode(envelope, device.Key);
        }
        catch (SmartSeal.Protocol.ProtocolException)
        {
            // The encoder will not sign a header or body size the protocol forbids: send it as
            // unsigned JSON instead, which the cloud must refuse just the same.
            return Encoding.UTF8.GetBytes($"{{\"v\":1,\"dev\":\"{device.DeviceId}\",\"seq\":{seq},\"ts\":{time},\"type\":\"{type}\",\"body\":{Encoding.UTF8.GetString(body)},\"mac\":\"AAAA\"}}");
        }
    }

    private static string Without(JsonNode template, string key)
    {
        JsonObject copy = template.DeepClone().AsObject();
        copy.Remove(key);
        return copy.ToJsonString();
    }

    /// <summary>One well-formed body of each type a device sends, as protocol JSON, tagged with its type.</summary>
    private static JsonNode[] Templates()
    {
        var fix = new GeoFix { TimeMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), LatE7 = 225400000, LonE7 = 1140600000, AccuracyCm = 300, Satellites = 9, Quality = 1 };
        MessageBody[] bodies =
        [
            new StampedBody { AttemptId = "att-1", TokenId = "jti-unknown", Fix = fix },
            new RefusedBody { AttemptId = "att-2", Reason = RefusalReason.UsesExhausted, Detail = "x", TokenId = "jti-unknown" },
            new DispensedBody { Compartment = 1, SealId = "seal-unknown", TagId = "E2800000000000AA", TokenId = "jti-unknown" },
            new ReturnedBody { Compartment = 2, SealId = "seal-unknown", TagId = "E2800000000000AA" },
            new WrongSealBody { Compartment = 1, ExpectedTag = "E2800000000000AA", SeenTag = "E2800000000000BB" },
            new TamperBody { Source = "case", Active = true },
            new AlarmBody { Alarm = AlarmType.Tamper, Active = true, Detail = "x" },
            new PositionBody { Fix = fix },
            new BatteryBody { Percent = 50 },
            new FaceMatchBody { Subject = "someone", CabinetId = "cab-x", Score = 7000, Margin = 2000, Liveness = 9000, Frames = 3, TemplateVersion = "w600k-r50/1" },
            new CommandResultBody { CommandId = "cmd-unknown", Ok = true },
            new StateAppliedBody(),
            new PhotoManifestBody { PhotoId = "ph-1", AttemptId = "att-1", Size = 1000, ChunkSize = 500, ChunkCount = 2, Mac = new byte[32] },
            new PhotoChunkBody { PhotoId = "ph-1", Index = 0, Data = new byte[16] },
            new StatusBody(),
        ];
        return bodies.Select(body =>
        {
            JsonObject json;
            try
            {
                json = JsonNode.Parse(MessageCodec.EncodeBody(body))!.AsObject();
            }
            catch (Exception e) when (e is NullReferenceException or ArgumentException or InvalidOperationException)
            {
                json = new JsonObject();
            }

            json["_type"] = body.Type;
            return (JsonNode)json;
        }).ToArray();
    }
}
