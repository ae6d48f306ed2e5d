using System.Diagnostics;
using SmartSeal.Cloud.Mqtt.Mosquitto;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.ScaleOut;

/// <summary>Our <c>$7$</c> hashes against <c>mosquitto_passwd</c>, the tool whose format they copy.</summary>
public sealed class MosquittoPasswordHashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Hashes_written_by_mosquitto_passwd_verify_and_ours_have_its_shape()
    {
        bool installed = File.Exists("/usr/bin/mosquitto_passwd");
        if (!TestServices.Available(installed, "mosquitto_passwd (Debian package mosquitto)", output))
        {
            return;
        }

        string file = Path.Combine(Path.GetTempPath(), "smartseal-passwd-" + Guid.NewGuid().ToString("n"));
        await File.WriteAllTextAsync(file, string.Empty);
        try
        {
            using Process tool = Process.Start(new ProcessStartInfo("mosquitto_passwd", ["-b", file, "lock-0001", "v1.4102444800.secret-mac"]) { RedirectStandardError = true })!;
            await tool.WaitForExitAsync();
            Assert.Equal(0, tool.ExitCode);
            string theirs = (await File.ReadAllTextAsync(file)).Trim().Split(':', 2)[1];
            Assert.True(MosquittoPasswordHash.Verify("v1.4102444800.secret-mac", theirs));
            Assert.False(MosquittoPasswordHash.Verify("v1.4102444800.secret-maC", theirs));

            // Same salt and iterations as theirs: our hash is their hash, character for character.
            string[] parts = theirs.Split('$');
            Assert.Equal(theirs, MosquittoPasswordHash.Hash("v1.4102444800.secret-mac", Convert.FromBase64String(parts[3]), int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Fresh_hashes_are_salted_and_verify()
    {
        string one = MosquittoPasswordHash.Hash("pw");
        string two = MosquittoPasswordHash.Hash("pw");
        Assert.NotEqual(one, two);
        Assert.StartsWith("$7$101$", one);
        Assert.True(MosquittoPasswordHash.Verify("pw", one) && MosquittoPasswordHash.Verify("pw", two));
        Assert.False(MosquittoPasswordHash.Verify("pw", "$6$rounds$whatever"));
    }
}
