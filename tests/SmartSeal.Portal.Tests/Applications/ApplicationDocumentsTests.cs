using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using SmartSeal.Cloud.Tests.Documents;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Applications;

/// <summary>
/// Documents on the application page: the applicant uploads while it is pending, the approver sees
/// each document's first page and its PDF, and after approval the approved copy is a link away.
/// </summary>
public sealed class ApplicationDocumentsTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task The_applicant_uploads_the_approver_previews_and_the_approved_copy_follows_approval()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        string applicationId = await world.ApplyAsync(Org, "文件预览 " + Guid.NewGuid().ToString("n")[..6]);
        string pdfPath = Path.Combine(Path.GetTempPath(), "采购合同-" + Guid.NewGuid().ToString("n")[..6] + ".pdf");
        await File.WriteAllBytesAsync(pdfPath, TestDocuments.Pdf(TestDocuments.ContractPages));

        IPage applicant = await SignInAsync(world.Applicant);
        await applicant.GotoAsync($"/Applications/Detail/{applicationId}");
        await Expect(applicant.GetByTestId("document-needed")).ToContainTextAsync("还没有上传待盖章的文件"); // the applicant is asked for the file, and told what skipping it means
        await applicant.GetByLabel("上传文件（PDF，或 JPEG/PNG 单页）").SetInputFilesAsync(pdfPath);
        await applicant.GetByRole(AriaRole.Button, new() { Name = "上传", Exact = true }).ClickAsync();
        await Expect(applicant.GetByTestId("document")).ToHaveCountAsync(1);
        await Expect(applicant.GetByTestId("document")).ToContainTextAsync("共 2 页");
        await applicant.GetByLabel("上传文件（PDF，或 JPEG/PNG 单页）").SetInputFilesAsync(new FilePayload { Name = "note.pdf", MimeType = "application/pdf", Buffer = "not a pdf"u8.ToArray() });
        await applicant.GetByRole(AriaRole.Button, new() { Name = "上传", Exact = true }).ClickAsync();
        await Expect(applicant.GetByTestId("action-error")).ToContainTextAsync("not a PDF");

        IPage head = await SignInAsync(world.Head);
        await head.GotoAsync($"/Applications/Detail/{applicationId}");
        ILocator preview = head.GetByTestId("document").Locator("img");
        await Expect(preview).ToBeVisibleAsync();
        await head.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await preview.ElementHandleAsync());
        Assert.Empty(await head.Locator("input[type=file]").AllAsync()); // only the applicant uploads
        IAPIResponse pdf = await head.APIRequest.GetAsync(await head.GetByRole(AriaRole.Link, new() { Name = "查看 PDF" }).GetAttributeAsync("href") ?? "");
        Assert.Equal("application/pdf", pdf.Headers["content-type"]);
        await Expect(head.GetByTestId("approved-copy")).ToHaveCountAsync(0);

        foreach (string approver in new[] { world.Head, world.Owner })
        {
            HttpResponseMessage approved = await (await Org.SignInAsync(approver)).PostAsJsonAsync($"/api/approvals/{applicationId}/approve", new { });
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }

        await applicant.GotoAsync($"/Applications/Detail/{applicationId}");
        await Expect(applicant.Locator("input[type=file]")).ToHaveCountAsync(0);
        IAPIResponse copy = await applicant.APIRequest.GetAsync(await applicant.GetByTestId("approved-copy").GetAttributeAsync("href") ?? "");
        Assert.Equal("application/pdf", copy.Headers["content-type"]);
        Assert.True((await copy.BodyAsync()).Length > 1000);
        File.Delete(pdfPath);
    }
}
