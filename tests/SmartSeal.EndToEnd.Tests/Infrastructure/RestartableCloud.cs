using System.Net.Http.Headers;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.EndToEnd.Tests.Infrastructure;

/// <summary>One run of the cloud on a data directory and broker port that outlive it: stop it, start another, the devices find it again.</summary>
public sealed class RestartableCloud(string dataDirectory, int mqttPort) : E2eCloudFactory(dataDirectory, mqttPort)
{
    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "smartseal-e2e", Guid.NewGuid().ToString("n"));

    public static void DeleteDataDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is cleaned by the OS.
        }
    }

    /// <summary>The same people with the same bearer tokens (they are stored, so they survive the restart), talking to this run.</summary>
    public SealOffice Rebind(SealOffice office) => office with
    {
        KeeperClient = Client(office.KeeperClient.DefaultRequestHeaders.Authorization),
        ApplicantClient = Client(office.ApplicantClient.DefaultRequestHeaders.Authorization),
        HeadClient = Client(office.HeadClient.DefaultRequestHeaders.Authorization),
        OwnerClient = Client(office.OwnerClient.DefaultRequestHeaders.Authorization),
    };

    private HttpClient Client(AuthenticationHeaderValue? authorization)
    {
        HttpClient client = CreateClient();
        client.DefaultRequestHeaders.Authorization = authorization;
        return client;
    }
}
