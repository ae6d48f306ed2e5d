using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Tests.Checkouts;

/// <summary>
/// A provisioned cabinet the test speaks for (no firmware): the keeper's stow and dispense go
/// through the real API, and the test reports what a cabinet would — so every event is one the
/// cloud bound to this cabinet (an accept-return for the seal, a token issued to it).
/// </summary>
public sealed class SpokenCabinet(DeviceClient device) : IAsyncDisposable
{
    public DeviceClient Device { get; } = device;

    public string Id => Device.DeviceId;

    public static async Task<SpokenCabinet> ConnectAsync(CloudFactory cloud, string id, int compartments = 4)
    {
        byte[] key = await cloud.ProvisionAsync(id, DeviceKind.Cabinet, compartments);
        return new SpokenCabinet(await DeviceClient.ConnectAsync(cloud.MqttPort, id, key));
    }

    /// <summary>The keeper stows the seal: the cloud opens the compartment for it (accept-return) and the cabinet reports it back.</summary>
    public async Task StowAsync(SealOffice office, int compartment)
    {
        await OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/seals/{office.SealId}/stow", new { cabinetId = Id, compartment }));
        await SendAndWaitAsync(new ReturnedBody { Compartment = compartment, SealId = office.SealId, TagId = office.Tag });
        Assert.Equal(("cabinet", $"{Id}/{compartment}"), await LocationAsync(office));
    }

    /// <summary>An approved cabinet collection the keeper dispenses: the cloud issues this cabinet a token for the seal's compartment.</summary>
    public static async Task<(string Application, string Token, int Compartment)> DispenseAsync(SealOffice office)
    {
        int compartment = int.Parse((await LocationAsync(office)).Ref!.Split('/')[1], System.Globalization.CultureInfo.InvariantCulture);
        string application = await office.ApprovedApplicationAsync(CheckoutEndToEndTests.Request(office.SealId, "cabinet", stamps: 1));
        JsonElement started = await OkAsync(await office.KeeperClient.PostAsync($"/api/checkouts/{application}/dispense", null));
        return (application, started.GetProperty("tokenId").GetString()!, compartment);
    }

    /// <summary><see cref="DispenseAsync"/>, and the cabinet reports the seal taken: the collection is out.</summary>
    public async Task<(string Application, string Token)> CollectAsync(SealOffice office)
    {
        (string application, string token, int compartment) = await DispenseAsync(office);
        await SendAndWaitAsync(new DispensedBody { Compartment = compartment, SealId = office.SealId, TagId = office.Tag, TokenId = token });
        Assert.Equal(("person", office.Applicant), await LocationAsync(office));
        return (application, token);
    }

    public async Task SendAndWaitAsync(MessageBody body)
    {
        long seq = Device.NextSeq;
        await Device.SendAsync(body);
        await Device.WaitForAckAsync(seq);
    }

    public static async Task<(string? Kind, string? Ref)> LocationAsync(SealOffice office)
    {
        JsonElement seal = await office.KeeperClient.GetFromJsonAsync<JsonElement>($"/api/seals/{office.SealId}");
        return (seal.GetProperty("locationKind").GetString(), seal.GetProperty("locationRef").GetString());
    }

    public static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected OK, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public ValueTask DisposeAsync() => Device.DisposeAsync();
}
