using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Ledger;

/// <summary>The time-stamping authority over HTTP (RFC 3161 §3.4), used by the .NET client types and by <c>openssl ts</c>.</summary>
public class LedgerTimeStampHttpTests(CloudFactory cloud, ITestOutputHelper output) : IClassFixture<CloudFactory>
{
    private const string Query = "application/timestamp-query";

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string contentType = Query)
    {
        using HttpClient http = cloud.AdminClient();
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await http.PostAsync("/api/ledger/timestamp", content);
    }

    [Fact]
    public async Task A_request_gets_a_token_for_its_hash_and_nonce_that_the_authority_certificate_verifies()
    {
        byte[] hash = SHA256.HashData("a contract, page 3"u8);
        var request = Rfc3161TimestampRequest.CreateFromHash(hash, HashAlgorithmName.SHA256, nonce: RandomNumberGenerator.GetBytes(8), requestSignerCertificates: true);
        using HttpResponseMessage response = await PostAsync(request.Encode());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/timestamp-reply", response.Content.Headers.ContentType?.MediaType);
        Rfc3161TimestampToken token = request.ProcessResponse(await response.Content.ReadAsByteArrayAsync(), out _); // checks status, imprint, nonce
        Assert.True(token.VerifySignatureForHash(hash, HashAlgorithmName.SHA256, out _, []));
        Assert.Equal(LedgerTimeStampAuthority.Policy.Value, token.TokenInfo.PolicyId.Value);
    }

    [Theory]
    [InlineData("garbage", "not a DER TimeStampReq")]
    [InlineData("policy", "policy")]
    [InlineData("md5-length", "SHA-256")]
    public async Task A_request_the_authority_refuses_gets_a_rejection_status_and_no_token(string kind, string reason)
    {
        byte[] body = kind switch
        {
            "garbage" => "not asn.1"u8.ToArray(),
            "policy" => Rfc3161TimestampRequest.CreateFromHash(new byte[32], HashAlgorithmName.SHA256, requestedPolicyId: new Oid("1.2.3.4")).Encode(),
            _ => Rfc3161TimestampRequest.CreateFromHash(new byte[16], HashAlgorithmName.MD5).Encode(),
        };
        using HttpResponseMessage response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // RFC 3161: the refusal is in the TimeStampResp
        (int status, string? text) = TimeStampAsn.ReadStatus(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, status);
        Assert.Contains(reason, text);
    }

    [Fact]
    public async Task Another_media_type_is_a_problem_and_anonymous_callers_are_refused()
    {
        using HttpResponseMessage wrongType = await PostAsync(new byte[10], "application/octet-stream");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        Assert.Equal("application/problem+json", wrongType.Content.Headers.ContentType?.MediaType);

        using HttpClient anonymous = cloud.CreateClient();
        using HttpResponseMessage refused = await anonymous.PostAsync("/api/ledger/timestamp", new ByteArrayContent(new byte[10]));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Openssl_makes_the_request_and_verifies_the_reply_with_the_authority_certificate()
    {
        if (!TestServices.Available(File.Exists("/usr/bin/openssl"), "openssl (Debian package openssl)", output))
        {
            return;
        }

        string folder = Directory.CreateTempSubdirectory("smartseal-tsa-").FullName;
        try
        {
            string data = Path.Combine(folder, "document.txt");
            await File.WriteAllTextAsync(data, "用印申请 2026-001");
            await OpensslAsync(folder, "ts", "-query", "-data", data, "-sha256", "-cert", "-out", "request.tsq");

            using HttpResponseMessage response = await PostAsync(await File.ReadAllBytesAsync(Path.Combine(folder, "request.tsq")));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await File.WriteAllBytesAsync(Path.Combine(folder, "reply.tsr"), await response.Content.ReadAsByteArrayAsync());
            using HttpClient http = cloud.AdminClient();
            await File.WriteAllTextAsync(Path.Combine(folder, "tsa.pem"), await http.GetStringAsync("/api/ledger/timestamp/certificate"));

            string verified = await OpensslAsync(folder, "ts", "-verify", "-data", data, "-in", "reply.tsr", "-CAfile", "tsa.pem");
            Assert.Contains("Verification: OK", verified);
            string text = await OpensslAsync(folder, "ts", "-reply", "-in", "reply.tsr", "-text");
            Assert.Contains("Status: Granted.", text);
            Assert.Contains(LedgerTimeStampAuthority.Policy.Value!, text);

            // A checkpoint's own token, given only its root: what an auditor checks from a witness file.
            LedgerCheckpoint checkpoint = (await cloud.Service<LedgerCheckpoints>().CreateAsync(evenIfUnchanged: true))!;
            await File.WriteAllBytesAsync(Path.Combine(folder, "checkpoint.tst"), Convert.FromBase64String(checkpoint.TimeStamp!));
            Assert.Contains("Verification: OK", await OpensslAsync(folder, "ts", "-verify", "-digest", checkpoint.Root, "-in", "checkpoint.tst", "-token_in", "-CAfile", "tsa.pem"));

            // A different document does not verify with this reply.
            await File.WriteAllTextAsync(data, "用印申请 2026-002");
            (int exit, string _) = await RunAsync(folder, "ts", "-verify", "-data", data, "-in", "reply.tsr", "-CAfile", "tsa.pem");
            Assert.NotEqual(0, exit);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<string> OpensslAsync(string folder, params string[] arguments)
    {
        (int exit, string text) = await RunAsync(folder, arguments);
        Assert.True(exit == 0, $"openssl {string.Join(' ', arguments)} exited {exit}: {text}");
        return text;
    }

    private async Task<(int Exit, string Text)> RunAsync(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        string text = await stdout + await stderr;
        output.WriteLine($"openssl {string.Join(' ', arguments)} -> {process.ExitCode}\n{text}");
        return (process.ExitCode, text);
    }
}
