using System.Text;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Security;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Mqtt.Mosquitto;

/// <summary>
/// Mosquitto's <c>password_file</c> and <c>acl_file</c> for external-broker mode. Mosquitto cannot
/// check our SAS passwords (an HMAC with an expiry), so each device gets one long-lived,
/// deterministic SAS password: <c>BrokerPassword.Create(id, K_dev, fixedExpiry)</c>. The device
/// computes the same string from its key (firmware option <c>FixedPasswordExpiryUnixSeconds</c>),
/// the file holds only its PBKDF2 hash, and key rotation or a new fixed expiry changes it.
/// The ACL keeps each device (username = device id) in its own subtree; cloud accounts read the
/// device leaves of every device and write the cloud leaves.
/// </summary>
public static class MosquittoAuthFiles
{
    public const string PasswordFileName = "passwd";
    public const string AclFileName = "acl";

    /// <summary>The password a device presents to Mosquitto.</summary>
    public static string DevicePassword(string deviceId, byte[] deviceKey, long fixedExpiryUnixSeconds) =>
        BrokerPassword.Create(deviceId, deviceKey, fixedExpiryUnixSeconds);

    /// <summary>The password file: one line per active device, then the cloud accounts.</summary>
    public static string PasswordFile(IEnumerable<Device> devices, DeviceKeyring keys, long fixedExpiryUnixSeconds, IEnumerable<(string User, string Password)> cloudAccounts, int iterations = MosquittoPasswordHash.DefaultIterations)
    {
        var text = new StringBuilder();
        foreach (Device device in devices.Where(d => !d.Retired).OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            string password = DevicePassword(device.Id, keys.KeyFor(device.Id, device.KeyVersion), fixedExpiryUnixSeconds);
            text.Append(device.Id).Append(':').Append(MosquittoPasswordHash.Hash(password, iterations)).Append('\n');
        }

        foreach ((string user, string password) in cloudAccounts)
        {
            text.Append(user).Append(':').Append(MosquittoPasswordHash.Hash(password, iterations)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The ACL: device patterns by username (<c>%u</c>), then one block per cloud account.</summary>
    public static string AclFile(IEnumerable<string> cloudUsers)
    {
        TopicKind[] kinds = Enum.GetValues<TopicKind>().Where(k => k != TopicKind.Unknown).ToArray();
        var text = new StringBuilder();
        text.Append("# Written by `smartseal-cloud devices mosquitto-auth`; do not edit (regenerate instead).\n");
        text.Append("# Devices (username = device id): publish their own device leaves, receive their own cloud leaves.\n");
        foreach (TopicKind kind in kinds.Where(DeviceTopics.IsPublishedByDevice))
        {
            text.Append("pattern write ").Append(DeviceTopics.Root).Append("%u/").Append(DeviceTopics.Leaf(kind)).Append('\n');
        }

        foreach (TopicKind kind in kinds.Where(DeviceTopics.IsPublishedByCloud))
        {
            text.Append("pattern read ").Append(DeviceTopics.Root).Append("%u/").Append(DeviceTopics.Leaf(kind)).Append('\n');
        }

        foreach (string user in cloudUsers)
        {
            text.Append("\n# Cloud instance ").Append(user).Append(": all devices' traffic (shared subscription), commands, desired state and acks.\n");
            text.Append("user ").Append(user).Append('\n');
            foreach (TopicKind kind in kinds.Where(DeviceTopics.IsPublishedByDevice))
            {
                text.Append("topic read ").Append(DeviceTopics.AllDevices(kind)).Append('\n');
            }

            foreach (TopicKind kind in kinds.Where(DeviceTopics.IsPublishedByCloud))
            {
                text.Append("topic write ").Append(DeviceTopics.AllDevices(kind)).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Writes both files atomically (temp file + rename, owner-only), so a reloading broker never reads half a file.</summary>
    public static void Write(string directory, string passwordFile, string aclFile)
    {
        Directory.CreateDirectory(directory);
        WriteAtomically(Path.Combine(directory, PasswordFileName), passwordFile);
        WriteAtomically(Path.Combine(directory, AclFileName), aclFile);
    }

    private static void WriteAtomically(string path, string content)
    {
        string temp = path + ".tmp";
        SecretFile.Write(temp, Encoding.UTF8.GetBytes(content));
        File.Move(temp, path, overwrite: true);
    }
}
