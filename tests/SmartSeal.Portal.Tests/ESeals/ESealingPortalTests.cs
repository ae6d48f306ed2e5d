using System.Security.Cryptography;
using Microsoft.Playwright;
using SmartSeal.Cloud.Tests.Documents;
using SmartSeal.Cloud.Tests.ESeals;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.ESeals;

/// <summary>
/// Issue 16's "done when", in the browser with the key on a SoftHSM2 token: the keeper makes and
/// records the e-seal, the applicant applies with a PDF, both approvers see every page and approve,
/// the applicant seals every page plus a cross-page seal plus one impression dragged onto page 1,
/// downloads the file; pdfsig says valid; one changed byte is caught by pdfsig and by the public
/// /Verify page; the auditor's ledger entry shows the e-stamp with the same sealed file.
/// </summary>
public sealed class ESealingPortalTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task A_document_is_applied_for_approved_on_its_pages_sealed_on_every_page_and_across_downloaded_verified_and_ledgered()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        string purpose = "电子用印 " + Guid.NewGuid().ToString("n")[..6];

        // The keeper gives the contract seal its electronic twin, makes it (key on the token) and records it.
        IPage keeper = await SignInAsync(world.Keeper);
        await keeper.GotoAsync("/Seals");
        await keeper.GetByTestId("e-seals-link").ClickAsync();
        ILocator row = keeper.GetByTestId("e-seals").Locator($"tr[data-seal='{world.SealId}']");
        await Expect(row).ToHaveAttributeAsync("data-e-state", "none");
        await row.GetByRole(AriaRole.Button, new() { Name = "申请制作电子印章" }).ClickAsync();
        await Expect(row).ToHaveAttributeAsync("data-e-state", "requested");
        foreach ((string action, string state) in new[] { ("make", "made"), ("record", "recorded") })
        {
            await row.GetByLabel($"{world.SealName} 的操作", new() { Exact = true }).SelectOptionAsync(action);
            await row.GetByRole(AriaRole.Button, new() { Name = "执行" }).ClickAsync();
            await Expect(row).ToHaveAttributeAsync("data-e-state", state);
        }

        await Expect(keeper.GetByRole(AriaRole.Status)).ToHaveTextAsync($"{world.SealName} 的电子印章现为：已备案");
        await keeper.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await row.GetByTestId("impression").ElementHandleAsync()); // the impression SVG renders

        // Freezing needs a reason; frozen and unfrozen again it is back to recorded.
        await row.GetByLabel($"{world.SealName} 的操作", new() { Exact = true }).SelectOptionAsync("freeze");
        await row.GetByRole(AriaRole.Button, new() { Name = "执行" }).ClickAsync();
        await Expect(keeper.GetByTestId("e-seal-error")).ToHaveTextAsync("此操作需要填写原因。");
        await row.GetByLabel($"{world.SealName} 的操作", new() { Exact = true }).SelectOptionAsync("freeze");
        await row.GetByLabel($"{world.SealName} 的操作原因").FillAsync("年度审计");
        await row.GetByRole(AriaRole.Button, new() { Name = "执行" }).ClickAsync();
        await Expect(row).ToHaveAttributeAsync("data-e-state", "frozen");
        await row.GetByLabel($"{world.SealName} 的操作", new() { Exact = true }).SelectOptionAsync("unfreeze");
        await row.GetByRole(AriaRole.Button, new() { Name = "执行" }).ClickAsync();
        await Expect(row).ToHaveAttributeAsync("data-e-state", "recorded");

        // The applicant applies for electronic use and uploads the contract.
        IPage applicant = await SignInAsync(world.Applicant);
        await applicant.GotoAsync("/Applications/New");
        await applicant.GetByLabel("印章", new() { Exact = true }).SelectOptionAsync(world.SealId);
        await applicant.GetByLabel("用印事由").FillAsync(purpose);
        await applicant.GetByLabel("第 1 个文件的名称").FillAsync("采购合同.pdf");
        await applicant.GetByLabel("第 1 个文件的页数").FillAsync("2");
        await applicant.GetByLabel("用印次数").FillAsync("1");
        await applicant.GetByLabel("电子用印（电子印章）").CheckAsync();
        await applicant.GetByRole(AriaRole.Button, new() { Name = "提交申请" }).ClickAsync();
        await Expect(applicant.GetByRole(AriaRole.Status)).ToContainTextAsync("申请已提交。");
        string applicationUrl = applicant.Url;
        string pdfPath = Path.Combine(Path.GetTempPath(), "采购合同-" + Guid.NewGuid().ToString("n")[..6] + ".pdf");
        await File.WriteAllBytesAsync(pdfPath, TestDocuments.Pdf(TestDocuments.ContractPages));
        await applicant.GetByLabel("上传文件（PDF，或 JPEG/PNG 单页）").SetInputFilesAsync(pdfPath);
        await applicant.GetByRole(AriaRole.Button, new() { Name = "上传", Exact = true }).ClickAsync();
        await Expect(applicant.GetByTestId("document")).ToContainTextAsync("共 2 页");

        // Each approver sees both pages, rendered by the server, before approving.
        foreach (string approver in new[] { world.Head, world.Owner })
        {
            IPage page = await SignInAsync(approver);
            await page.GotoAsync(applicationUrl);
            ILocator pages = page.GetByTestId("document-pages").Locator("img");
            await Expect(pages).ToHaveCountAsync(2);
            foreach (ILocator image in await pages.AllAsync())
            {
                await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await image.ElementHandleAsync());
            }

            await page.GetByRole(AriaRole.Button, new() { Name = "同意", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("已同意。");
            await page.Context.CloseAsync();
        }

        // The applicant chooses every page and the cross-page seal, drags one more impression onto page 1, and seals.
        await applicant.GotoAsync(applicationUrl);
        ILocator form = applicant.GetByTestId("e-seal-form");
        await form.GetByLabel("每页盖章").CheckAsync();
        await form.GetByLabel("骑缝章").CheckAsync();
        ILocator firstPage = form.GetByTestId("seal-page").First;
        await applicant.WaitForFunctionAsync("el => el.querySelector('img').complete && el.querySelector('img').naturalWidth > 0", await firstPage.ElementHandleAsync());
        LocatorBoundingBoxResult from = (await form.GetByTestId("seal-impression").BoundingBoxAsync())!;
        LocatorBoundingBoxResult to = (await firstPage.BoundingBoxAsync())!;
        await applicant.Mouse.MoveAsync(from.X + (from.Width / 2), from.Y + (from.Height / 2));
        await applicant.Mouse.DownAsync();
        await applicant.Mouse.MoveAsync(to.X + (to.Width * 0.3f), to.Y + (to.Height * 0.5f), new() { Steps = 8 });
        await applicant.Mouse.MoveAsync(to.X + (to.Width * 0.25f), to.Y + (to.Height * 0.75f), new() { Steps = 8 });
        await applicant.Mouse.UpAsync();
        await Expect(form.GetByTestId("spot-count")).ToHaveTextAsync("1");
        await Expect(firstPage.GetByTestId("seal-mark")).ToHaveCountAsync(1);
        string spots = await form.GetByTestId("seal-spots").InputValueAsync();
        Assert.StartsWith("1:0.25", spots, StringComparison.Ordinal); // page 1, a quarter from the left, three quarters down
        await form.GetByRole(AriaRole.Button, new() { Name = "盖章", Exact = true }).ClickAsync();
        await Expect(applicant.GetByRole(AriaRole.Status)).ToHaveTextAsync("已盖章：共 2 页。");
        await Expect(applicant.GetByTestId("e-seal-form")).ToHaveCountAsync(0); // approved once: used up

        string download = (await applicant.GetByTestId("sealed-download").GetAttributeAsync("href"))!;
        IAPIResponse response = await applicant.APIRequest.GetAsync(download);
        Assert.Equal("application/pdf", response.Headers["content-type"]);
        byte[] sealedPdf = await response.BodyAsync();

        // poppler's pdfsig, a verifier the project did not write.
        string sealedPath = Path.Combine(Path.GetTempPath(), $"sealed-{Guid.NewGuid():n}.pdf");
        await File.WriteAllBytesAsync(sealedPath, sealedPdf);
        string pdfsig = ExternalTool.Run("pdfsig", sealedPath);
        Assert.Contains("Signature is Valid.", pdfsig, StringComparison.Ordinal);
        Assert.Contains("Total document signed", pdfsig, StringComparison.Ordinal);

        // One byte of the signed range changed: pdfsig and the public verify page (no sign-in) both say so.
        byte[] tampered = (byte[])sealedPdf.Clone();
        int at = System.Text.Encoding.Latin1.GetString(tampered).IndexOf("/MediaBox", StringComparison.Ordinal);
        tampered[at + 1] = (byte)'m';
        string tamperedPath = Path.Combine(Path.GetTempPath(), $"tampered-{Guid.NewGuid():n}.pdf");
        await File.WriteAllBytesAsync(tamperedPath, tampered);
        Assert.DoesNotContain("Signature is Valid.", ExternalTool.Run("pdfsig", tamperedPath), StringComparison.Ordinal);
        IPage anyone = await Fixture.NewPageAsync();
        await anyone.GotoAsync("/Verify");
        await anyone.GetByLabel("PDF 文件").SetInputFilesAsync(sealedPath);
        await anyone.GetByRole(AriaRole.Button, new() { Name = "验证" }).ClickAsync();
        await Expect(anyone.GetByTestId("verify-report")).ToHaveAttributeAsync("data-valid", "true");
        await anyone.GetByLabel("PDF 文件").SetInputFilesAsync(tamperedPath);
        await anyone.GetByRole(AriaRole.Button, new() { Name = "验证" }).ClickAsync();
        await Expect(anyone.GetByTestId("verify-report")).ToHaveAttributeAsync("data-valid", "false");

        // The auditor's ledger entry: an e-stamp, with the very file the applicant downloaded.
        string entryUrl = (await applicant.GetByTestId("sealing").GetByRole(AriaRole.Link, new() { Name = "台账记录" }).GetAttributeAsync("href"))!;
        IPage auditor = await SignInAsync(world.Auditor);
        await auditor.GotoAsync(entryUrl);
        await Expect(auditor.GetByTestId("entry-kind")).ToHaveTextAsync("电子盖章");
        await Expect(auditor.GetByTestId("chain")).ToHaveAttributeAsync("data-verified", "true");
        IAPIResponse fromLedger = await auditor.APIRequest.GetAsync((await auditor.GetByTestId("sealed-file").GetAttributeAsync("href"))!);
        Assert.Equal(SHA256.HashData(sealedPdf), SHA256.HashData(await fromLedger.BodyAsync()));
        await Expect(auditor.GetByTestId("entry-fields")).ToContainTextAsync("1,2"); // the pages sealed

        foreach (string path in new[] { pdfPath, sealedPath, tamperedPath })
        {
            File.Delete(path);
        }
    }
}
