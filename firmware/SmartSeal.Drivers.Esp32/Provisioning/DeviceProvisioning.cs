using System.IO;
using SmartSeal.Protocol.Provisioning;

namespace SmartSeal.Drivers.Esp32.Provisioning
{
    /// <summary>
    /// Loads <c>I:\device.json</c> (format: hardware-docs/provisioning.md §2), parsed and validated
    /// by the protocol's <see cref="ProvisioningFile"/> — the same code the cloud CLI writes it with.
    /// </summary>
    public static class DeviceProvisioning
    {
        public const string DefaultPath = "I:\\device.json";

        /// <summary>Reads and validates the file for this application's kind; throws when it is missing or wrong (the device must not run unprovisioned).</summary>
        public static ProvisioningFile Load(string path, string expectedKind)
        {
            if (!File.Exists(path))
            {
                throw new IOException("not provisioned: " + path + " is missing");
            }

            byte[] json = File.ReadAllBytes(path);
            ProvisioningFile file = ProvisioningFile.Parse(json, 0, json.Length);
            if (file.Kind != expectedKind)
            {
                throw new IOException("device.json is for a " + file.Kind + ", this is the " + expectedKind + " application");
            }

            return file;
        }
    }
}
