using System.CommandLine;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Hosting;
using SmartSeal.Cloud.Mqtt.Mosquitto;
using SmartSeal.Cloud.Security;
using SmartSeal.Cloud.Mqtt;

namespace SmartSeal.Cloud.Cli;

/// <summary>
/// <c>smartseal-cloud devices mosquitto-auth --out-dir DIR [--cloud-user NAME]... [--reload-pid-file FILE]</c>:
/// writes Mosquitto's <c>passwd</c> and <c>acl</c> for every registered device and the cloud
/// accounts (password: <c>SmartSeal:Mqtt:Password</c>), then optionally tells Mosquitto to reload.
/// Run it after provisioning, key rotation or retirement (cloud/README.md, "External broker").
/// </summary>
internal static class MosquittoAuthCommand
{
    private static readonly Option<string> OutDirOption = new("--out-dir") { Description = "folder for passwd and acl (Mosquitto's password_file and acl_file)", Required = true };
    private static readonly Option<string[]> CloudUserOption = new("--cloud-user") { Description = "a cloud instance's broker account (repeatable; default SmartSeal:Mqtt:Username)", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<string?> ReloadOption = new("--reload-pid-file") { Description = "Mosquitto's pid_file: send it SIGHUP so it reloads both files" };
    private static readonly Option<int> IterationsOption = new("--iterations") { Description = "PBKDF2 iterations of the hashes", DefaultValueFactory = _ => MosquittoPasswordHash.DefaultIterations };

    public static Command Create()
    {
        var command = new Command("mosquitto-auth", "writes Mosquitto's password and ACL files for all devices and the cloud accounts");
        command.Add(OutDirOption);
        command.Add(CloudUserOption);
        command.Add(ReloadOption);
        command.Add(IterationsOption);
        command.SetAction((r, ct) => CloudCli.WithServicesAsync(async sp =>
        {
            MqttOptions mqtt = sp.GetRequiredService<IOptions<MqttOptions>>().Value;
            string[] users = r.GetValue(CloudUserOption) is { Length: > 0 } given ? given : mqtt.Username is { Length: > 0 } configured ? [configured] : [];
            if (users.Length > 0 && string.IsNullOrEmpty(mqtt.Password))
            {
                Console.Error.WriteLine("error: cloud accounts need SmartSeal:Mqtt:Password (environment SmartSeal__Mqtt__Password)");
                return 2;
            }

            IReadOnlyList<Device> devices = await sp.GetRequiredService<DeviceRepository>().ListAsync(null, null, ct);
            if (users.FirstOrDefault(u => devices.Any(d => d.Id == u)) is { } clash)
            {
                Console.Error.WriteLine($"error: cloud account {clash} has the name of a device");
                return 2;
            }

            string dir = r.GetValue(OutDirOption)!;
            MosquittoAuthFiles.Write(
                dir,
                MosquittoAuthFiles.PasswordFile(devices, sp.GetRequiredService<DeviceKeyring>(), mqtt.FixedDevicePasswordExpiry, users.Select(u => (u, mqtt.Password!)), r.GetValue(IterationsOption)),
                MosquittoAuthFiles.AclFile(users));
            Console.WriteLine($"{devices.Count(d => !d.Retired)} devices and {users.Length} cloud accounts written to {Path.Combine(dir, MosquittoAuthFiles.PasswordFileName)} and {MosquittoAuthFiles.AclFileName}");
            if (r.GetValue(ReloadOption) is { } pidFile)
            {
                MosquittoReload.Signal(pidFile);
                Console.WriteLine("Mosquitto reloaded (SIGHUP)");
            }

            return 0;
        }));
        return command;
    }
}
