namespace SmartSeal.Cloud.Seals.Electronic;

/// <summary>Where an e-seal's impression (印模) comes from: drawn from the seal's text, or the keeper's uploaded scan of the legacy metal seal.</summary>
public enum ImpressionSource
{
    Rendered,
    Scan,
}

/// <summary>
/// An impression as the sealing and the previews use it, whatever its source: its real size and
/// an SVG of it. <see cref="Pdf.PdfSealer"/> draws a <see cref="SealImpression"/> as vector
/// operators and a <see cref="ScannedImpression"/> as an image with a soft mask.
/// </summary>
public interface IImpression
{
    double WidthPoints { get; }

    double HeightPoints { get; }

    /// <summary>The impression as SVG, sized in millimetres.</summary>
    string ToSvg();
}
