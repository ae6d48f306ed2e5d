using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Seals.Electronic;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.ESeals;

/// <summary>
/// SoftHSM2 as a real PKCS#11 token for the tests: one SOFTHSM2_CONF in a temp directory per test
/// process (the module reads it once, at its first load), and a fresh token, initialised in its own
/// slot, per fixture or test — so no test sees another's keys or PIN.
/// </summary>
public static class SoftHsm
{
    public const string SoPin = "so-pin-1234";
    public const string UserPin = "user-pin-5678";

    private static readonly Lazy<string> ConfDirectory = new(() =>
    {
        string directory = Path.Combine(Path.GetTempPath(), "smartseal-softhsm", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(Path.Combine(directory, "tokens"));
        string conf = Path.Combine(directory, "softhsm2.conf");
        File.WriteAllText(conf, $"directories.tokendir = {Path.Combine(directory, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        Environment.SetEnvironmentVariable("SOFTHSM2_CONF", conf);
        return directory;
    });

    /// <summary>Points SoftHSM at the temp configuration (before the module is first loaded) and names a new token.</summary>
    public static string NewTokenLabel()
    {
        _ = ConfDirectory.Value;
        return "t-" + Guid.NewGuid().ToString("n")[..16]; // PKCS#11 labels are at most 32 bytes
    }

    /// <summary>The settings that give a cloud its own development token.</summary>
    public static Dictionary<string, string?> Settings(string tokenLabel) => new()
    {
        ["SmartSeal:ESeals:TokenLabel"] = tokenLabel,
        ["SmartSeal:ESeals:UserPin"] = UserPin,
        ["SmartSeal:ESeals:SoPin"] = SoPin,
        ["SmartSeal:ESeals:Organisation"] = "测试集团有限公司",
    };

    /// <summary>A token object on a token of its own, as the cloud would build it.</summary>
    public static Pkcs11Token Token(string label, string? userPin = UserPin, string? soPin = SoPin) =>
        new(Options.Create(new ESealOptions { TokenLabel = label, UserPin = userPin, SoPin = soPin }));
}

/// <summary>A cloud whose e-seal keys live on a SoftHSM token of its own.</summary>
public sealed class ESealCloudFactory : CloudFactory
{
    private readonly string _tokenLabel = SoftHsm.NewTokenLabel();

    protected override IDictionary<string, string?> ExtraSettings => SoftHsm.Settings(_tokenLabel);
}
