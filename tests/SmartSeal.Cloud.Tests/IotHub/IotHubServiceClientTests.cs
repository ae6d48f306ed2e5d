using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SmartSeal.Cloud.IotHub;
using SmartSeal.Protocol.IotHub;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Tests.IotHub;

/// <summary>The IoT Hub service REST client against a local HTTP fake that checks shapes and SAS signatures.</summary>
public sealed class IotHubServiceClientTests : IDisposable
{
    private static readonly byte[] Envelope = Encoding.UTF8.GetBytes("{\"v\":1,\"dev\":\"lock-0001\",\"type\":\"locate\",\"note\":\"ü \\\"q\\\"\",\"mac\":\"m\"}");
    private readonly FakeIotHubService _hub = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _hub.Dispose();
    }

    [Fact]
    public async Task Update_desired_patches_the_twin_with_the_envelope_as_a_string_and_a_valid_service_token()
    {
        await Client().UpdateDesiredAsync("lock-0001", Envelope, CancellationToken.None);

        HubRequest request = Assert.Single(_hub.Requests);
        Assert.Null(request.SasProblem);
        Assert.Equal(("PATCH", "/twins/lock-0001", IotHubTopics.ApiVersion), (request.Method, request.Path, request.ApiVersion));
        Assert.StartsWith("application/json", request.ContentType);
        JsonElement desired = request.Body.GetProperty("properties").GetProperty("desired");
        Assert.Equal(Encoding.UTF8.GetString(Envelope), desired.GetProperty(IotHubTopics.DesiredProperty).GetString());
        Assert.Single(desired.EnumerateObject());
    }

    [Fact]
    public async Task Invoke_method_posts_name_timeout_and_payload_and_returns_the_devices_signed_result()
    {
        _hub.Online["lock-0001"] = true;
        _hub.MethodResponder = (_, _) => (200, JsonSerializer.Serialize("{\"signed\":\"result\"}"));

        IotHubMethodResult result = await Client().InvokeMethodAsync("lock-0001", "locate", Envelope, CancellationToken.None);

        Assert.False(result.DeviceOffline);
        Assert.Equal(200, result.Status);
        Assert.Equal("{\"signed\":\"result\"}", Encoding.UTF8.GetString(result.ResultEnvelope!));
        HubRequest request = Assert.Single(_hub.Requests);
        Assert.Null(request.SasProblem);
        Assert.Equal(("POST", "/twins/lock-0001/methods", IotHubTopics.ApiVersion), (request.Method, request.Path, request.ApiVersion));
        Assert.Equal("locate", request.Body.GetProperty("methodName").GetString());
        Assert.Equal(30, request.Body.GetProperty("responseTimeoutInSeconds").GetInt32());
        Assert.Equal(Encoding.UTF8.GetString(Envelope), request.Body.GetProperty("payload").GetString());
        Assert.Equal(Envelope, IotHubPayloads.UnwrapEnvelope(Encoding.UTF8.GetBytes(request.Body.GetProperty("payload").GetRawText())));
    }

    [Fact]
    public async Task An_offline_device_is_reported_as_such_and_a_202_has_no_result()
    {
        IotHubMethodResult offline = await Client().InvokeMethodAsync("lock-0009", "locate", Envelope, CancellationToken.None);
        Assert.True(offline.DeviceOffline);

        _hub.Online["lock-0009"] = true;
        IotHubMethodResult accepted = await Client().InvokeMethodAsync("lock-0009", "locate", Envelope, CancellationToken.None);
        Assert.Equal((202, null, false), (accepted.Status, accepted.ResultEnvelope, accepted.DeviceOffline));
    }

    [Fact]
    public async Task The_service_token_is_reused_then_renewed_before_it_expires()
    {
        IotHubServiceClient client = Client();
        string first = client.ServiceToken();
        _time.Advance(TimeSpan.FromSeconds(1000));
        Assert.Equal(first, client.ServiceToken());
        _time.Advance(TimeSpan.FromSeconds(2300)); // past 90 % of the hour
        string renewed = client.ServiceToken();
        Assert.NotEqual(first, renewed);
        Assert.Equal(ProtocolErrorNone, IotHubSasToken.Parse(renewed)!.Verify(FakeIotHubService.HostName, FakeIotHubService.PolicyName, FakeIotHubService.PolicyKey, _time.GetUtcNow().ToUnixTimeSeconds(), 3600));

        await client.UpdateDesiredAsync("lock-0001", Envelope, CancellationToken.None);
        Assert.Null(Assert.Single(_hub.Requests).SasProblem);
    }

    [Fact]
    public async Task A_wrong_policy_key_is_refused_by_the_hub_and_surfaces_as_an_error()
    {
        IotHubServiceClient client = Client(key: Enumerable.Repeat((byte)1, 32).ToArray());
        HttpRequestException error = await Assert.ThrowsAsync<HttpRequestException>(() => client.UpdateDesiredAsync("lock-0001", Envelope, CancellationToken.None));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal("bad signature", Assert.Single(_hub.Requests).SasProblem);
    }

    [Fact]
    public void Event_hub_messages_map_to_the_smartseal_topic_only_with_a_device_and_a_device_leaf()
    {
        var system = new Dictionary<string, object> { [IotHubEventSource.DeviceIdProperty] = "lock-0001" };
        Assert.Equal(DeviceTopics.For("lock-0001", TopicKind.Events), IotHubEventSource.TopicOf(system, new Dictionary<string, object> { ["leaf"] = "evt" }));
        Assert.Equal(DeviceTopics.For("lock-0001", TopicKind.Photos), IotHubEventSource.TopicOf(system, new Dictionary<string, object> { ["leaf"] = "photo" }));
        Assert.Null(IotHubEventSource.TopicOf(system, new Dictionary<string, object> { ["leaf"] = "cmd" }));
        Assert.Null(IotHubEventSource.TopicOf(system, new Dictionary<string, object> { ["leaf"] = "evt/x" }));
        Assert.Null(IotHubEventSource.TopicOf(system, new Dictionary<string, object>()));
        Assert.Null(IotHubEventSource.TopicOf(new Dictionary<string, object>(), new Dictionary<string, object> { ["leaf"] = "evt" }));
    }

    private const SmartSeal.Protocol.ProtocolError ProtocolErrorNone = SmartSeal.Protocol.ProtocolError.None;

    private IotHubServiceClient Client(byte[]? key = null)
    {
        var options = new IotHubOptions
        {
            HostName = FakeIotHubService.HostName,
            ServiceEndpoint = _hub.Endpoint,
            ServicePolicyName = FakeIotHubService.PolicyName,
            ServicePolicyKey = Convert.ToBase64String(key ?? FakeIotHubService.PolicyKey),
        };
        return new IotHubServiceClient(_http, Options.Create(options), _time);
    }
}
