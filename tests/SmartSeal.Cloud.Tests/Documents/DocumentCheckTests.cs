using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Checkouts;
using SmartSeal.Cloud.Documents;
using SmartSeal.Cloud.Security;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Commands;
using OpenCvSharp;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.Cloud.Tests.Photos;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Tests.Documents;

/// <summary>
/// Upload, approved copy and the page-photo check against the real host, with PDFs, rendered pages
/// and camera-like photos made by the tests (<see cref="TestDocuments"/>).
/// </summary>
public class DocumentCheckTests : CloudTest<DocumentsFactory>
{
    private readonly DocumentsFactory _cloud;

    public DocumentCheckTests(DocumentsFactory factory)
        : base(factory)
    {
        _cloud = factory;
    }

    private static readonly byte[] Contract = TestDocuments.Pdf(TestDocuments.ContractPages);

    /// <summary>Pixels of the bottom-right corner holding the code at 200 dpi (inset + code, with room).</summary>
    private const int CodeCornerPixels = 280;

    private Task<PageVerdict> CheckAsync(string applicationId, byte[] photo) =>
        _cloud.Service<PagePhotoChecker>().CheckAsync(applicationId, photo, CancellationToken.None);

    private static byte[] Photo(byte[] copy, int page, int seed, double rotation = 5, double blur = 1.0) =>
        TestDocuments.Photograph(TestDocuments.Render(copy, page), new TestDocuments.Camera(RotationDegrees: rotation, Blur: blur, Seed: seed));

    [Fact]
    public async Task The_applicant_uploads_a_pdf_while_pending_and_the_document_lists_its_pages()
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        string applicationId = await world.ApplyAsync();

        JsonElement uploaded = await DocumentWorld.OkAsync(await DocumentWorld.UploadAsync(world.Applicant, applicationId, Contract), HttpStatusCode.Created);

        Assert.Equal(2, uploaded.GetProperty("pages").GetInt32());
        Assert.Equal("采购合同.pdf", uploaded.GetProperty("name").GetString());
        JsonElement listed = await world.Head.GetFromJsonAsync<JsonElement>($"/api/applications/{applicationId}/documents");
        Assert.Equal(uploaded.GetProperty("id").GetString(), listed.EnumerateArray().Single().GetProperty("id").GetString());
    }

    [Fact]
    public async Task Uploads_from_others_of_non_pdfs_of_oversized_files_and_after_approval_are_refused_with_problems()
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        string applicationId = await world.ApplyAsync();

        await OrgWorld.AssertProblemAsync(await DocumentWorld.UploadAsync(world.Head, applicationId, Contract), HttpStatusCode.Forbidden, "only the applicant");
        await OrgWorld.AssertProblemAsync(await DocumentWorld.UploadAsync(world.Applicant, applicationId, "just text, not a PDF"u8.ToArray()), HttpStatusCode.BadRequest, "not a PDF");
        byte[] damaged = Contract[..(Contract.Length / 3)];
        await OrgWorld.AssertProblemAsync(await DocumentWorld.UploadAsync(world.Applicant, applicationId, damaged), HttpStatusCode.BadRequest, "cannot be read");
        byte[] huge = new byte[DocumentsFactory.UploadLimit + 1];
        "%PDF-"u8.CopyTo(huge);
        await OrgWorld.AssertProblemAsync(await DocumentWorld.UploadAsync(world.Applicant, applicationId, huge), HttpStatusCode.RequestEntityTooLarge, "limited to");
        await OrgWorld.AssertProblemAsync(await DocumentWorld.UploadAsync(world.Applicant, "ap-nonexistent", Contract), HttpStatusCode.NotFound, "no application");

        await world.ApproveAsync(applicationId);
        await OrgWorld.AssertProblemAsync(await DocumentWorld.UploadAsync(world.Applicant, applicationId, Contract), HttpStatusCode.Conflict, "approved");
        Assert.Empty((await world.Applicant.GetFromJsonAsync<JsonElement>($"/api/applications/{applicationId}/documents")).EnumerateArray());
    }

    [Fact]
    public async Task The_approved_copy_exists_only_once_approved_and_each_page_carries_its_own_code()
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        string pending = await world.ApplyAsync();
        string pendingDoc = (await DocumentWorld.OkAsync(await DocumentWorld.UploadAsync(world.Applicant, pending, Contract), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await OrgWorld.AssertProblemAsync(await world.Applicant.GetAsync($"/api/applications/{pending}/documents/{pendingDoc}/approved-copy"), HttpStatusCode.Conflict, "pending");

        (string applicationId, string documentId, byte[] copy) = await world.ApprovedContractAsync(Contract);

        IReadOnlyList<PdfPageContent> pages = PdfContent.Read(copy, 10);
        Assert.Equal(2, pages.Count);
        Assert.Contains("合同金额", pages[1].Text, StringComparison.Ordinal);
        PageCode codes = _cloud.Service<PageCode>();
        for (int page = 1; page <= 2; page++)
        {
            DecodedPhoto decoded = PageCodeReader.Decode(TestDocuments.Render(copy, page), 1600);
            Assert.Equal(new PageCodeContent(applicationId, documentId, page), codes.Decode(decoded.CodeText!, out _));
        }
    }

    [Fact]
    public async Task Lock_tokens_bind_the_uploaded_documents_with_their_page_counts()
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        (string applicationId, string documentId, _) = await world.ApprovedContractAsync(Contract);
        string lockId = "lock-doc-" + Guid.NewGuid().ToString("n")[..6];
        await _cloud.ProvisionAsync(lockId);

        var bound = await _cloud.Service<CheckoutService>().BindToLockAsync(applicationId, lockId, null, "keeper-test");

        Assert.True(bound.Value is not null, $"bind: {bound.Status} {bound.Error} {JsonSerializer.Serialize(bound.Problems)}");
        string jti = bound.Value!.TokenId!;
        await using var connection = await _cloud.Service<Database>().OpenAsync();
        var docs = await _cloud.Service<SmartSeal.Cloud.Checkouts.IApprovedDocuments>().ForApplicationAsync(applicationId, connection, null, CancellationToken.None);
        Assert.Equal([new SmartSeal.Cloud.Checkouts.ApprovedDocument(documentId, 2)], docs);
        Assert.Equal(applicationId, (await SmartSeal.Cloud.Checkouts.UseTokenStore.FindAsync(jti, connection, null))!.ApplicationId);
    }

    [Fact]
    public async Task A_genuine_photographed_page_passes_and_then_is_over_its_stamp_count()
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        (string applicationId, string documentId, byte[] copy) = await world.ApprovedContractAsync(Contract);
        byte[] photo = Photo(copy, 1, seed: 21, rotation: -7);

        PageVerdict verdict = await CheckAsync(applicationId, photo);

        Assert.True(verdict.Kind == DocumentVerdictKind.Ok, string.Join(" / ", verdict.Reasons));
        Assert.Equal((documentId, 1), (verdict.DocumentId, verdict.Page));

        await using (var connection = await _cloud.Service<Database>().OpenAsync())
        {
            await DocumentStore.RecordStampAsync("lock-x", "att-1", applicationId, documentId, 1, 1_700_000_000_000, connection, null);
        }

        PageVerdict again = await CheckAsync(applicationId, photo);
        Assert.Equal(DocumentVerdictKind.OverCount, again.Kind);
        Assert.Contains("stamped 1 time", again.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_of_another_applications_copy_is_the_wrong_document()
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        (string mine, _, _) = await world.ApprovedContractAsync(Contract);
        (string other, _, byte[] otherCopy) = await world.ApprovedContractAsync(Contract);

        PageVerdict verdict = await CheckAsync(mine, Photo(otherCopy, 1, seed: 22));

        Assert.Equal(DocumentVerdictKind.WrongDocument, verdict.Kind);
        Assert.Contains(other, verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_ones_code_pasted_on_page_twos_text_is_the_wrong_page()
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        (string applicationId, _, byte[] copy) = await world.ApprovedContractAsync(Contract);
        byte[] pasted = TestDocuments.PasteCorner(TestDocuments.Render(copy, 1), TestDocuments.Render(copy, 2), CodeCornerPixels);

        PageVerdict verdict = await CheckAsync(applicationId, TestDocuments.Photograph(pasted, new TestDocuments.Camera(Seed: 23)));

        Assert.True(verdict.Kind == DocumentVerdictKind.WrongPage, string.Join(" / ", verdict.Reasons));
        Assert.Equal(1, verdict.Page);
        Assert.Contains("page 2", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_genuine_page_with_its_amount_edited_is_refused_naming_what_differs()
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        (string applicationId, _, byte[] copy) = await world.ApprovedContractAsync(Contract);
        // The forger reprints page 2 with another amount and moves the genuine code onto it.
        byte[] edited = TestDocuments.Render(TestDocuments.Pdf(TestDocuments.EditedContractPages), 2);
        byte[] forged = TestDocuments.PasteCorner(TestDocuments.Render(copy, 2), edited, CodeCornerPixels);

        PageVerdict verdict = await CheckAsync(applicationId, TestDocuments.Photograph(forged, new TestDocuments.Camera(Seed: 27)));

        Assert.True(verdict.Kind == DocumentVerdictKind.WrongPage, string.Join(" / ", verdict.Reasons));
        Assert.Contains("edited", verdict.Detail, StringComparison.Ordinal);
        Assert.True((verdict.Detail.Contains("120000000", StringComparison.Ordinal) && verdict.Detail.Contains("180000000", StringComparison.Ordinal))
            || (verdict.Detail.Contains("壹佰贰拾", StringComparison.Ordinal) && verdict.Detail.Contains("壹佰捌拾", StringComparison.Ordinal)), verdict.Detail);
    }

    [Fact]
    public async Task A_jpeg_page_upload_becomes_a_one_page_document_whose_approved_copy_carries_a_code_and_passes_the_check()
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        string applicationId = await world.ApplyAsync();
        byte[] scan = TestDocuments.Jpeg(TestDocuments.Render(Contract, 2, dpi: 150));

        JsonElement uploaded = await DocumentWorld.OkAsync(await DocumentWorld.UploadAsync(world.Applicant, applicationId, scan, "付款条款.jpg"), HttpStatusCode.Created);
        Assert.Equal(1, uploaded.GetProperty("pages").GetInt32());
        string documentId = uploaded.GetProperty("id").GetString()!;
        await world.ApproveAsync(applicationId);
        byte[] copy = await world.Applicant.GetByteArrayAsync($"/api/applications/{applicationId}/documents/{documentId}/approved-copy");

        Assert.Single(PdfContent.Read(copy, 10));
        PageVerdict verdict = await CheckAsync(applicationId, Photo(copy, 1, seed: 28));
        Assert.True(verdict.Kind == DocumentVerdictKind.Ok, string.Join(" / ", verdict.Reasons));
        Assert.Equal((documentId, 1), (verdict.DocumentId, verdict.Page));
    }

    [Fact]
    public async Task Images_that_are_not_documents_or_not_images_are_refused_with_problems()
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        string applicationId = await world.ApplyAsync();
        using var desk = new Mat(1200, 900, MatType.CV_8UC3, new OpenCvSharp.Scalar(70, 90, 110));
        Cv2.Circle(desk, new OpenCvSharp.Point(450, 600), 200, new OpenCvSharp.Scalar(200, 200, 200), -1);
        Cv2.ImEncode(".png", desk, out byte[] picture);
        byte[] truncated = TestDocuments.Jpeg(TestDocuments.Render(Contract, 1, dpi: 100))[..2000];
        byte[] bomb = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 1, 0, 0, 0, 1, 0, 0, 8, 2, 0, 0, 0];

        await OrgWorld.AssertProblemAsync(await DocumentWorld.UploadAsync(world.Applicant, applicationId, picture, "desk.png"), HttpStatusCode.BadRequest, "characters of text");
        await OrgWorld.AssertProblemAsync(await DocumentWorld.UploadAsync(world.Applicant, applicationId, truncated, "cut.jpg"), HttpStatusCode.BadRequest, "image");
        await OrgWorld.AssertProblemAsync(await DocumentWorld.UploadAsync(world.Applicant, applicationId, bomb, "bomb.png"), HttpStatusCode.BadRequest, "px a side");
        Assert.Empty((await world.Applicant.GetFromJsonAsync<JsonElement>($"/api/applications/{applicationId}/documents")).EnumerateArray());
    }

    [Fact]
    public async Task An_ocr_that_hangs_is_cut_off_and_the_photo_is_unreadable_not_a_crash()
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        (string applicationId, _, byte[] copy) = await world.ApprovedContractAsync(Contract);
        string hanging = Path.Combine(Path.GetTempPath(), "smartseal-hanging-ocr-" + Guid.NewGuid().ToString("n")[..6]);
        await File.WriteAllTextAsync(hanging, "#!/bin/sh\nsleep 30\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(hanging, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        var options = Microsoft.Extensions.Options.Options.Create(new DocumentOptions { TesseractPath = hanging, OcrTimeoutSeconds = 1 });
        var checker = new PagePhotoChecker(_cloud.Service<Database>(), _cloud.Service<PageCode>(), new TesseractOcr(options), _cloud.Service<ApprovedPageReferences>(), TimeProvider.System, options);

        PageVerdict verdict = await checker.CheckAsync(applicationId, Photo(copy, 1, seed: 29), CancellationToken.None);

        File.Delete(hanging);
        Assert.Equal(DocumentVerdictKind.Unreadable, verdict.Kind);
        Assert.Contains("longer than 1 s", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_code_with_a_forged_mac_is_refused_as_the_wrong_document()
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        (string applicationId, string documentId, _) = await world.ApprovedContractAsync(Contract);
        // Same application, document and page, made with a key that is not the cloud's.
        var forger = new ApprovedCopyMaker(new PageCode(new MasterKey(Enumerable.Repeat((byte)0x5A, 32).ToArray())));
        byte[] forged = forger.Make(applicationId, documentId, Contract, 10);

        PageVerdict verdict = await CheckAsync(applicationId, Photo(forged, 1, seed: 24));

        Assert.Equal(DocumentVerdictKind.WrongDocument, verdict.Kind);
        Assert.Contains("MAC", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_photo_blurred_to_nothing_asks_for_a_retake()
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        (string applicationId, _, byte[] copy) = await world.ApprovedContractAsync(Contract);

        PageVerdict verdict = await CheckAsync(applicationId, Photo(copy, 1, seed: 25, blur: 14));

        Assert.Equal(DocumentVerdictKind.Unreadable, verdict.Kind);
        Assert.Contains("retake", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lock_sending_its_before_photo_gets_a_signed_verdict_for_its_attempt_and_the_verdict_is_recorded()
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        (string applicationId, string documentId, byte[] copy) = await world.ApprovedContractAsync(Contract);
        string lockId = "lock-doc-" + Guid.NewGuid().ToString("n")[..6];
        byte[] key = await _cloud.ProvisionAsync(lockId);
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, lockId, key);
        await device.ReportOnlineAsync();
        var bound = await _cloud.Service<CheckoutService>().BindToLockAsync(applicationId, lockId, null, "keeper-test");
        Assert.True(bound.Value is not null, $"bind: {bound.Status} {bound.Error} {JsonSerializer.Serialize(bound.Problems)}");

        var upload = new TestPhotoUpload(Photo(copy, 2, seed: 26, rotation: 9), "ph-" + Guid.NewGuid().ToString("n")[..8], "att-7");
        await device.WaitForAckAsync(await upload.SendAsync(device));

        CloudMessage verdict = await WaitForVerdictAsync(device, TimeSpan.FromSeconds(90));
        var body = (DocumentVerdictBody)verdict.Body;
        Assert.True(body.Verdict == DocumentVerdictKind.Ok, body.Detail);
        Assert.Equal(("att-7", DocumentVerdictKind.Ok, documentId, 2), (body.AttemptId, body.Verdict, body.DocumentId, body.Page));

        JsonElement recorded = (await world.Applicant.GetFromJsonAsync<JsonElement>($"/api/applications/{applicationId}/document-verdicts")).EnumerateArray().Single();
        Assert.Equal(("ok", lockId, bound.Value!.TokenId), (recorded.GetProperty("verdict").GetString(), recorded.GetProperty("deviceId").GetString(), recorded.GetProperty("tokenId").GetString()));
        Assert.Contains("text matches page 2", recorded.GetProperty("reasons").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(recorded.GetProperty("commandId").GetString()));
    }

    private static Task<CloudMessage> WaitForVerdictAsync(DeviceClient device, TimeSpan timeout) =>
        Eventually.ValueAsync(() => device.CloudMessages(TopicKind.Commands).FirstOrDefault(m => m.Body is DocumentVerdictBody), $"{device.DeviceId} received a doc-verdict command", timeout);
}
