namespace SmartSeal.Cloud.Documents;

/// <summary><c>SmartSeal:Documents</c>: upload limits, OCR and the thresholds of the page comparison.</summary>
public sealed class DocumentOptions
{
    public const string Section = "SmartSeal:Documents";

    /// <summary>Where uploaded PDFs are kept; default <c>{DataDirectory}/documents</c>.</summary>
    public string? Directory { get; set; }

    /// <summary>Largest accepted upload (one request), bytes.</summary>
    public long MaxUploadBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>Most pages one document may have.</summary>
    public int MaxPages { get; set; } = 200;

    /// <summary>The tesseract executable (Debian <c>tesseract-ocr</c>).</summary>
    public string TesseractPath { get; set; } = "tesseract";

    /// <summary>Tesseract languages (Debian <c>tesseract-ocr-chi-sim</c>, <c>tesseract-ocr-eng</c>).</summary>
    public string OcrLanguages { get; set; } = "chi_sim+eng";

    public int OcrTimeoutSeconds { get; set; } = 8;

    /// <summary>Tesseract <c>--psm</c>: 6, one block of text, reads a photographed page (with desk around it) best.</summary>
    public int OcrPageSegmentation { get; set; } = 6;

    /// <summary>Photos are scaled down to this width before OCR (speed; a page needs no more).</summary>
    public int OcrMaxWidth { get; set; } = 1600;

    /// <summary>Share of the approved page's character bigrams the photo's OCR must contain.</summary>
    public double MatchThreshold { get; set; } = 0.45;

    /// <summary>The claimed page must beat every other page of the document by this much.</summary>
    public double MatchMargin { get; set; } = 0.1;

    /// <summary>Fewer recognised characters than this: the photo is unreadable (retake).</summary>
    public int MinOcrCharacters { get; set; } = 12;

    /// <summary>How many times one page of an application may pass the check (stamps per page).</summary>
    public int StampsPerPage { get; set; } = 1;

    /// <summary>Photos checked at the same time (each OCR uses a core).</summary>
    public int Parallelism { get; set; } = 1;

    /// <summary>New red pixels per 10 000 the after-photo must show over the before-photo to count as stamped.</summary>
    public int MinNewInk { get; set; } = 12;

    /// <summary>
    /// An ok verdict counts towards its page's stamps until its stamp is reported, for this long (the
    /// lock's unlock window with room); after that only reported stamps count.
    /// </summary>
    public int UnstampedVerdictHoldSeconds { get; set; } = 120;

    /// <summary>
    /// OCR word confidence (0–100) from which a text difference is read for sure: a difference read
    /// with less, where the picture differs, asks for a retake and never calls the page edited.
    /// </summary>
    public double MinTextConfidence { get; set; } = 75;

    /// <summary>
    /// OCR word confidence from which one digit read in place of another, with the approved text
    /// read as approved on both sides (每平方米38元 → 39元), is an edit even where the picture is quiet:
    /// the picture comparison cannot tell an 8 from a 9 at its scale.
    /// </summary>
    public double MinDigitConfidence { get; set; } = 90;

    /// <summary>The picture comparison's limits (<see cref="PagePicture"/>): when a difference is a change, when a photo is too poor.</summary>
    public PictureThresholds Picture { get; set; } = new();

    /// <summary>Memory for approved pages' references kept between checks (about 1.4 MB a page): <see cref="ApprovedPageReferences"/>.</summary>
    public int ReferenceCacheMegabytes { get; set; } = 64;

    /// <summary>Pixel resolution of page images rendered for the portal (approved page, previews).</summary>
    public int PageImageDpi { get; set; } = 80;
}
