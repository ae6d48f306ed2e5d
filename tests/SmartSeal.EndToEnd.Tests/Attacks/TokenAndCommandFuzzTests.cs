using System.Text;
using System.Text.Json.Nodes;
using SmartSeal.Cloud.Commands;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.EndToEnd.Tests.Fuzz;
using SmartSeal.EndToEnd.Tests.Infrastructure;
using SmartSeal.Firmware.Lock;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Text;
using SmartSeal.Protocol.Tokens;
using SmartSeal.Protocol.Topics;
using SmartSeal.Simulators.Devices;
using Xunit.Abstractions;

namespace SmartSeal.EndToEnd.Tests.Attacks;

/// <summary>
/// Bounded fuzzing of what reaches a device: use tokens (mutated without the key; and hostile
/// claims correctly signed, to reach the claim checks) through the firmware's verifier, and bytes an
/// attacker inside the broker pushes onto a real lock's command and desired-state topics.
/// </summary>
[Trait("Category", "Fuzz")]
public class TokenAndCommandFuzzTests : CloudTest<AttackCloudFactory>
{
    private readonly AttackCloudFactory _cloud;
    private readonly ITestOutputHelper _output;

    public TokenAndCommandFuzzTests(AttackCloudFactory cloud, ITestOutputHelper output)
        : base(cloud)
    {
        _cloud = cloud;
        _output = output;
    }

    [Fact]
    public void Mutated_tokens_are_all_refused_and_hostile_signed_claims_never_crash_the_verifier()
    {
        var fuzz = new Mutator(FuzzBudget.Seed);
        _output.WriteLine($"seed {FuzzBudget.Seed} (replay: SMARTSEAL_FUZZ_SEED={FuzzBudget.Seed})");
        const string device = "lock-fuzz-01";
        byte[] key = DeviceKeys.Derive(CloudFactory.MasterKey, device, 1);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new UseToken
        {
            Id = "jti-1", Audience = device, Subject = "applicant", IssuedAt = now - 60, NotBefore = now - 60, Expires = now + 3600, SealId = "seal-1", ApplicationId = "app-1",
            Uses = 2, Mode = UseToken.ModeLock, Documents = [new TokenDocument("doc-1", 2)],
        };
        string genuine = UseTokenWriter.Write(claims, key, "v1");
        string[] parts = genuine.Split('.');
        JsonNode payload = JsonNode.Parse(Base64Url.Decode(parts[1]))!;
        var verifier = new UseTokenVerifier();
        Assert.Equal(ProtocolError.None, verifier.Verify(genuine, device, key, now, new UseToken(), out _));

        int unsigned = 0, unsignedRefused = 0, signed = 0, signedRefused = 0;
        var reasons = new Dictionary<ProtocolError, int>();
        DateTime until = DateTime.UtcNow + FuzzBudget.Share(0.1);
        while (DateTime.UtcNow < until)
        {
            // Without the key: any change to the token.
            string forged = fuzz.Next(3) switch
            {
                0 => parts[0] + "." + Base64Url.Encode(Encoding.UTF8.GetBytes(fuzz.Mutate(payload)?.ToJsonString() ?? "null")) + "." + parts[2],
                1 => Encoding.UTF8.GetString(fuzz.Flip(Encoding.UTF8.GetBytes(genuine))),
                _ => Base64Url.Encode(fuzz.MutateText("{\"alg\":\"HS256\",\"typ\":\"JWT\"}")) + "." + parts[1] + "." + parts[2],
            };
            if (forged == genuine)
            {
                continue;
            }

            unsigned++;
            ProtocolError error = verifier.Verify(forged, device, key, now, new UseToken(), out _);
            unsignedRefused += error != ProtocolError.None ? 1 : 0;
            reasons[error] = reasons.GetValueOrDefault(error) + 1;

            // With the key (a cloud bug or a leaked key): hostile claims must be refused or sane, never a crash.
            string header = parts[0];
            string body = Base64Url.Encode(Encoding.UTF8.GetBytes(fuzz.Mutate(payload)?.ToJsonString() ?? "null"));
            string signature = Base64Url.Encode(System.Security.Cryptography.HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(header + "." + body)));
            var token = new UseToken();
            signed++;
            if (verifier.Verify(header + "." + body + "." + signature, device, key, now, token, out _) != ProtocolError.None)
            {
                signedRefused++;
            }
            else
            {
                Assert.Equal(device, token.Audience);
                Assert.InRange(token.Uses, 1, 10_000);
                Assert.InRange(token.OfflineUses, 0, token.Uses);
                Assert.True(token.NotBefore < token.Expires && token.Id.Length > 0);
            }
        }

        _output.WriteLine($"unsigned mutations {unsigned}: refused {unsignedRefused}, accepted {unsigned - unsignedRefused}; signed hostile claims {signed}: refused {signedRefused}, accepted sane {signed - signedRefused}");
        _output.WriteLine("refusals: " + string.Join(", ", reasons.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value}")));
        Assert.True(unsigned > 100, $"only {unsigned} cases");
        Assert.Equal(unsigned, unsignedRefused);
    }

    [Fact]
    public async Task Garbage_on_a_real_locks_command_and_desired_state_topics_opens_nothing_and_the_lock_keeps_working()
    {
        var fuzz = new Mutator(FuzzBudget.Seed);
        var mission = new Mission(_cloud);
        SealOffice office = await mission.OfficeAsync();
        using LockTrip trip = await mission.LockOnTripAsync(office, stamps: 2);
        (string lockId, SimulatedLock device, DeviceLoop loop, string applicationId) = trip;
        string? jti = device.State!.Token!.Id;

        // Genuine commands to this lock, recorded off the wire, as raw material.
        CommandService commands = _cloud.Service<CommandService>();
        CommandSendResult locate = await commands.SendAsync(lockId, new LocateBody(), "fuzz");
        Assert.Equal(CommandStatus.Ok, (await commands.WaitForResultAsync(lockId, locate.Command!.Id, TimeSpan.FromSeconds(15)))?.Status);
        byte[][] captured = _cloud.Broker.Published.Where(p => p.Topic.StartsWith($"smartseal/v1/{lockId}/", StringComparison.Ordinal) && p.Topic != DeviceTopics.For(lockId, TopicKind.Acks))
            .Select(p => p.Payload).ToArray();
        Assert.NotEmpty(captured);

        string[] topics = [DeviceTopics.For(lockId, TopicKind.Commands), DeviceTopics.For(lockId, TopicKind.DesiredState)];
        int injected = 0;
        DateTime until = DateTime.UtcNow + FuzzBudget.Share(0.15);
        while (DateTime.UtcNow < until)
        {
            byte[] payload = fuzz.Next(4) switch
            {
                0 => fuzz.Bytes(fuzz.Next(1_500)),
                1 => fuzz.MutateText(Encoding.UTF8.GetString(fuzz.Pick(captured))),
                _ => fuzz.Flip(fuzz.Pick(captured)),
            };
            await _cloud.Broker.InjectAsync(fuzz.Pick(topics), payload);
            injected++;
            if (injected % 50 == 0)
            {
                await Task.Delay(20); // let the device's loop keep up, as a real radio would
            }
        }

        await Task.Delay(1_000); // absence window: the lock works through the last hostile messages, which must change nothing
        _output.WriteLine($"{injected} hostile messages on {lockId}'s command and desired-state topics; bolt openings {device.Bolt.UnlockCount}; mode {device.State!.Mode}");
        Assert.Equal(0, device.Bolt.UnlockCount);
        Assert.Equal((LockMode.Idle, true, jti, 2), (device.State!.Mode, device.State.Enabled, device.State.Token?.Id, device.State.Remaining));

        // Still itself: a genuine command is answered and the approved stamp works.
        CommandSendResult after = await commands.SendAsync(lockId, new LocateBody(), "fuzz");
        Assert.Equal(CommandStatus.Ok, (await commands.WaitForResultAsync(lockId, after.Command!.Id, TimeSpan.FromSeconds(15)))?.Status);
        await mission.StampAsync(device, loop, 1);
        Assert.Equal(1, (await Mission.CheckoutAsync(office, applicationId)).GetProperty("tokens")[0].GetProperty("used").GetInt32());
        loop.Run(device.Shutdown);
    }
}
