using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Seals.Electronic;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.ESeals;

/// <summary>
/// E-seals in the one register, through the API: physical, electronic or both; the lifecycle
/// make → record ⇄ freeze, change, revoke with keys on a SoftHSM token, certificates from the
/// development CA (checked with openssl, not the product), the CRL, and a ledger entry per step.
/// </summary>
public class ESealApiTests : CloudTest<ESealCloudFactory>
{
    private readonly ESealCloudFactory _cloud;
    private readonly OrgWorld _org;

    public ESealApiTests(ESealCloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
    }

    private async Task<(string Province, string OtherProvince, HttpClient Keeper, HttpClient Applicant, HttpClient OtherKeeper)> WorldAsync()
    {
        await _org.EnsureRootAsync();
        string province = await _org.UnitAsync(OrgWorld.Unique("gd"), "hq", "广东省分公司");
        string other = await _org.UnitAsync(OrgWorld.Unique("zj"), "hq", "浙江省分公司");
        string keeper = await _org.UserAsync(OrgWorld.Unique("keeper"), province, "keeper");
        string applicant = await _org.UserAsync(OrgWorld.Unique("applicant"), province, "applicant");
        string otherKeeper = await _org.UserAsync(OrgWorld.Unique("keeper"), other, "keeper");
        return (province, other, await _org.SignInAsync(keeper), await _org.SignInAsync(applicant), await _org.SignInAsync(otherKeeper));
    }

    private static async Task<Seal> RegisterAsync(HttpClient client, string unitId, string form, string name = "测试集团有限公司", string type = "company")
    {
        HttpResponseMessage response = await client.PostAsJsonAsync("/api/seals", new { name, type, unitId, level = 1, form });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<Seal>(OrgWorld.Json))!;
    }

    private static Task<HttpResponseMessage> ActAsync(HttpClient client, string sealId, string action, string? reason = null) =>
        client.PostAsJsonAsync($"/api/seals/{sealId}/e-seal/transitions", new { action, reason });

    private static async Task<ESealView> ActOkAsync(HttpClient client, string sealId, string action, string? reason = null)
    {
        HttpResponseMessage response = await ActAsync(client, sealId, action, reason);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{action}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<ESealView>(OrgWorld.Json))!;
    }

    [Fact]
    public async Task An_electronic_seal_is_made_on_the_token_recorded_frozen_changed_and_revoked_each_step_ledgered()
    {
        var world = await WorldAsync();
        Seal seal = await RegisterAsync(world.Keeper, world.Province, "electronic");
        ESealView requested = (await world.Keeper.GetFromJsonAsync<ESealView>($"/api/seals/{seal.Id}/e-seal", OrgWorld.Json))!;
        Assert.Equal((SealForm.Electronic, ESealState.Requested), (requested.ESeal.Form, requested.ESeal.State));
        Assert.Equal([ESealAction.Make, ESealAction.Revoke], requested.ESeal.AllowedActions);

        await OrgWorld.AssertProblemAsync(await ActAsync(world.Keeper, seal.Id, "record"), HttpStatusCode.Conflict, "is requested: cannot record; allowed: make, revoke");
        ESealView made = await ActOkAsync(world.Keeper, seal.Id, "make");
        Assert.Equal(ESealState.Made, made.ESeal.State);
        Assert.NotNull(made.ESeal.CertificateSerial);
        Assert.False(_cloud.Service<Pkcs11Token>().PrivateKeyIsExtractable(made.ESeal.KeyLabel!));

        // The certificate names the organisation and the seal, and chains to the development CA (openssl says so).
        string pem = await world.Keeper.GetStringAsync($"/api/seals/{seal.Id}/e-seal/certificate");
        using X509Certificate2 certificate = X509Certificate2.CreateFromPem(pem);
        Assert.Equal(made.ESeal.CertificateSerial, certificate.SerialNumber);
        Assert.Contains("O=测试集团有限公司", certificate.Subject, StringComparison.Ordinal);
        Assert.Contains("CN=测试集团有限公司", certificate.Subject, StringComparison.Ordinal);
        Assert.Contains($"SERIALNUMBER={seal.Id}", certificate.Subject, StringComparison.OrdinalIgnoreCase);
        string chain = await _cloud.CreateClient().GetStringAsync("/api/e-seals/ca/chain"); // no sign-in
        Assert.EndsWith(": OK", Openssl(["verify", "-CAfile", Temp(chain), Temp(certificate.ExportCertificatePem())]).Trim(), StringComparison.Ordinal);

        // A signature made on the token verifies with the certificate's key.
        byte[] digest = SHA256.HashData("投标文件"u8);
        byte[] signature = _cloud.Service<Pkcs11Token>().SignSha256(made.ESeal.KeyLabel!, digest);
        Assert.True(certificate.GetRSAPublicKey()!.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        await ActOkAsync(world.Keeper, seal.Id, "record");
        await OrgWorld.AssertProblemAsync(await ActAsync(world.Keeper, seal.Id, "freeze"), HttpStatusCode.BadRequest, "reason");
        Assert.Equal(ESealState.Frozen, (await ActOkAsync(world.Keeper, seal.Id, "freeze", "审计期间冻结")).ESeal.State);
        Assert.Equal(ESealState.Recorded, (await ActOkAsync(world.Keeper, seal.Id, "unfreeze")).ESeal.State);
        ESealView changed = await ActOkAsync(world.Keeper, seal.Id, "change", "证书更换");
        Assert.Equal(ESealState.Recorded, changed.ESeal.State);
        Assert.NotEqual(made.ESeal.CertificateSerial, changed.ESeal.CertificateSerial);
        Assert.NotEqual(made.ESeal.KeyLabel, changed.ESeal.KeyLabel);

        // The old certificate is on the CRL (openssl checks the CRL's signature and lists it); the new one is not.
        byte[] crl = await (await _cloud.CreateClient().GetAsync("/api/e-seals/ca/crl")).Content.ReadAsByteArrayAsync();
        string crlText = Openssl(["crl", "-inform", "DER", "-in", Temp(crl), "-CAfile", Temp(chain), "-noout", "-text"]);
        Assert.Contains("verify OK", crlText, StringComparison.Ordinal);
        Assert.Contains(made.ESeal.CertificateSerial!, crlText.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(changed.ESeal.CertificateSerial!, crlText.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

        ESealView revoked = await ActOkAsync(world.Keeper, seal.Id, "revoke", "公司注销");
        Assert.Empty(revoked.ESeal.AllowedActions);
        Assert.NotNull(await _cloud.Service<ESealRegister>().RevokedAtAsync(changed.ESeal.CertificateSerial!));
        await OrgWorld.AssertProblemAsync(await ActAsync(world.Keeper, seal.Id, "unfreeze"), HttpStatusCode.Conflict, "is revoked: cannot unfreeze; allowed: none");

        // No metal seal to engrave.
        await OrgWorld.AssertProblemAsync(
            await world.Keeper.PostAsJsonAsync($"/api/seals/{seal.Id}/transitions", new { action = "engrave" }), HttpStatusCode.Conflict, "electronic only");

        var entries = (await _cloud.Service<LedgerQueries>().SearchAsync(new LedgerSearch(SealId: seal.Id, Limit: 100))).OrderBy(e => e.Seq).ToList();
        Assert.Equal(
            ["registered", "requested", "make", "record", "freeze", "unfreeze", "change", "revoke"],
            entries.Select(e => LedgerCanon.Fields(e.Payload)["action"]));
        Assert.All(entries.Skip(1), e => Assert.Equal(SealLedgerKinds.ESeal, e.Kind));
        IReadOnlyDictionary<string, string> change = LedgerCanon.Fields(entries[6].Payload);
        Assert.Equal((changed.ESeal.CertificateSerial, made.ESeal.CertificateSerial, "证书更换"), (change["certificate"], change["revokedCertificate"], change["reason"]));
        LedgerVerification verification = await _cloud.Service<LedgerVerifier>().VerifyAsync(seal.Id);
        Assert.True(verification.Intact, verification.FirstProblem?.Problem);
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task A_physical_seal_gets_one_electronic_twin_that_shares_its_register_entry()
    {
        var world = await WorldAsync();
        Seal physical = await RegisterAsync(world.Keeper, world.Province, "physical", "合同专用章", "contract");
        await OrgWorld.AssertProblemAsync(await world.Keeper.GetAsync($"/api/seals/{physical.Id}/e-seal"), HttpStatusCode.NotFound, physical.Id);

        HttpResponseMessage created = await world.Keeper.PostAsync($"/api/seals/{physical.Id}/e-seal", null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        ESealView twin = (await created.Content.ReadFromJsonAsync<ESealView>(OrgWorld.Json))!;
        Assert.Equal(SealForm.Both, twin.ESeal.Form);
        Assert.Equal((physical.Name, physical.UnitId, physical.Type, physical.Level, physical.Custodian), (twin.Seal.Name, twin.Seal.UnitId, twin.Seal.Type, twin.Seal.Level, twin.Seal.Custodian));
        await OrgWorld.AssertProblemAsync(await world.Keeper.PostAsync($"/api/seals/{physical.Id}/e-seal", null), HttpStatusCode.Conflict, "already has an electronic form");

        // The metal seal keeps its own lifecycle.
        Assert.Equal(HttpStatusCode.OK, (await world.Keeper.PostAsJsonAsync($"/api/seals/{physical.Id}/transitions", new { action = "engrave" })).StatusCode);

        Seal both = await RegisterAsync(world.Keeper, world.Province, "both", "财务专用章", "finance");
        Assert.Equal(SealForm.Both, (await world.Keeper.GetFromJsonAsync<ESealView>($"/api/seals/{both.Id}/e-seal", OrgWorld.Json))!.ESeal.Form);
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task Only_the_units_keepers_manage_an_e_seal_and_bad_requests_are_refused_with_the_reason()
    {
        var world = await WorldAsync();
        Seal seal = await RegisterAsync(world.Keeper, world.Province, "electronic");

        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync(world.Applicant, seal.Id, "make")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.Applicant.GetAsync($"/api/seals/{seal.Id}/e-seal")).StatusCode);
        await OrgWorld.AssertProblemAsync(await ActAsync(world.OtherKeeper, seal.Id, "make"), HttpStatusCode.NotFound, seal.Id);
        await OrgWorld.AssertProblemAsync(await world.OtherKeeper.GetAsync($"/api/seals/{seal.Id}/e-seal"), HttpStatusCode.NotFound, seal.Id);
        await OrgWorld.AssertProblemAsync(await world.Keeper.GetAsync($"/api/seals/{seal.Id}/e-seal/certificate"), HttpStatusCode.NotFound, "no certificate yet");
        await OrgWorld.AssertProblemAsync(await ActAsync(world.Keeper, seal.Id, "fly"), HttpStatusCode.BadRequest, string.Empty);
        await OrgWorld.AssertProblemAsync(
            await world.Keeper.PostAsJsonAsync("/api/seals", new { name = "章", type = "company", unitId = world.Province, level = 1, form = "hologram" }), HttpStatusCode.BadRequest, string.Empty);

        // Nothing of the refusals reached the ledger: registration and request only.
        var entries = await _cloud.Service<LedgerQueries>().SearchAsync(new LedgerSearch(SealId: seal.Id, Limit: 100));
        Assert.Equal(2, entries.Count);
        _cloud.AssertNoErrors();
    }

    private static string Temp(string text) => Temp(System.Text.Encoding.UTF8.GetBytes(text));

    private static string Temp(byte[] bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), "smartseal-eseal-" + Guid.NewGuid().ToString("n"));
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Runs openssl (stdout and stderr together: "verify OK" goes to stderr for crl).</summary>
    private static string Openssl(string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output.Result + error;
    }
}
