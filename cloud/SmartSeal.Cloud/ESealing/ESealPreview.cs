using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Documents;
using SmartSeal.Cloud.Seals.Electronic;
using SmartSeal.Cloud.Seals.Electronic.Pdf;

namespace SmartSeal.Cloud.ESealing;

/// <summary>Page sizes (points, MediaBox per page) of an application's documents and the impression's size, for placing seals on page previews.</summary>
public sealed record ESealPreviewView(IReadOnlyDictionary<string, IReadOnlyList<double[]>> Boxes, double ImpressionWidthPoints, double ImpressionHeightPoints)
{
    public IReadOnlyList<double[]> PageBoxes(string documentId) => Boxes.TryGetValue(documentId, out IReadOnlyList<double[]>? boxes) ? boxes : [];
}

/// <summary>
/// What the portal's placement editor needs (issue 16): where on which page an impression can go,
/// how large the impression is at its real size, and the impression itself as SVG.
/// </summary>
public sealed class ESealPreview(DocumentService documents, ESealRegister register, ImpressionScans impressions, IOptions<ESealingOptions> options)
{
    public async Task<ESealPreviewView?> ForAsync(string applicationId, string sealId, IEnumerable<DocumentView> shown, CancellationToken cancellationToken)
    {
        if (await ImpressionAsync(sealId, cancellationToken) is not { } impression)
        {
            return null;
        }

        var boxes = new Dictionary<string, IReadOnlyList<double[]>>();
        foreach (DocumentView document in shown)
        {
            DocumentResult<(string Name, byte[] Pdf)> original = await documents.OriginalAsync(applicationId, document.Id, cancellationToken);
            if (original.Outcome != DocumentOutcome.Done)
            {
                continue;
            }

            try
            {
                boxes[document.Id] = ClassicPdf.Read(PdfIntake.Prepare(original.Value.Pdf, options.Value.MaxDocumentBytes)).Pages.Select(p => p.MediaBox).ToList();
            }
            catch (PdfRefusedException)
            {
                boxes[document.Id] = []; // sealing will refuse it with the reason; nothing to place on
            }
        }

        return new ESealPreviewView(boxes, impression.WidthPoints, impression.HeightPoints);
    }

    public async Task<string?> ImpressionSvgAsync(string sealId, CancellationToken cancellationToken) =>
        (await ImpressionAsync(sealId, cancellationToken))?.ToSvg();

    /// <summary>The impression sealing would use now: the keeper's scan or the one drawn from the seal's text.</summary>
    private async Task<IImpression?> ImpressionAsync(string sealId, CancellationToken cancellationToken)
    {
        ESealForSigning? signing = await register.ForSigningAsync(sealId, cancellationToken);
        signing?.Certificate?.Dispose();
        return signing is null ? null : await impressions.ImpressionOfAsync(signing.Seal, signing.ESeal, cancellationToken);
    }
}
