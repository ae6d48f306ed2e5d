using System.Text;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Text;

namespace SmartSeal.Simulators.Host;

/// <summary>
/// How cloud-side clients (the simulators' test-harness cloud) log in to the simulators' embedded
/// broker: username <c>cloud-*</c>, password <c>base64url(HMAC(masterKey, "smartseal/cloud/" + username))</c>.
/// A convention of the simulators only; the production cloud hosts its own broker.
/// </summary>
public static class CloudCredentials
{
    public const string UsernamePrefix = "cloud-";

    public const string HarnessUsername = "cloud-harness";

    public static string Password(byte[] masterKey, string username) =>
        Base64Url.Encode(Mac.Compute(masterKey, Encoding.UTF8.GetBytes("smartseal/cloud/" + username)));
}
