using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SmartSeal.FaceRecognition.Templates;

/// <summary>
/// What the cloud sends a gate: the cabinet the gate serves and the templates of the people who
/// may collect there now. The whole set replaces the gate's gallery (nothing is merged), so a person
/// no longer entitled disappears at the next sync. <see cref="ValidUntilMs"/> bounds how long a gate
/// that lost the cloud keeps using a set; each person's <see cref="GatePerson.ExpiresMs"/> ends theirs.
/// </summary>
public sealed record GateTemplateSet
{
    public required string GateId { get; init; }
    public string? CabinetId { get; init; }
    public required string Recipe { get; init; }
    public long IssuedMs { get; init; }
    public long ValidUntilMs { get; init; }
    public required GatePerson[] People { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static GateTemplateSet Parse(byte[] json) =>
        JsonSerializer.Deserialize<GateTemplateSet>(json, Json) ?? throw new TemplateSyncException("empty template set");

    /// <summary>
    /// The gallery of the people still valid at <paramref name="nowMs"/> (templates of another recipe
    /// or length are left out and counted); empty once the set itself is past its validity.
    /// </summary>
    public FaceGallery ToGallery(long nowMs, out int skipped)
    {
        var gallery = new FaceGallery(FaceRecipe.MetricOf(Recipe));
        skipped = 0;
        if (nowMs > ValidUntilMs || Recipe != FaceRecipe.Version)
        {
            skipped = People.Sum(p => p.Templates.Length);
            return gallery;
        }

        foreach (GatePerson person in People)
        {
            foreach (string template in person.Templates)
            {
                float[]? embedding = person.ExpiresMs > nowMs ? TemplateCodec.Decode(template) : null;
                if (embedding is null || TemplateCodec.Mismatch(embedding, Recipe) is not null)
                {
                    skipped++;
                    continue;
                }

                gallery.Add(person.Subject, embedding);
            }
        }

        return gallery;
    }
}

/// <summary>One person the gate may recognise: their login and their templates (base64 of 512 little-endian float32).</summary>
public sealed record GatePerson(string Subject, long ExpiresMs, string[] Templates);

/// <summary>Template bytes: 512 float32, little-endian (2,048 bytes), the same in the cloud's encrypted store and on the wire.</summary>
public static class TemplateCodec
{
    public const int Bytes = FaceEmbedder.Dimensions * sizeof(float);

    public static byte[] ToBytes(ReadOnlySpan<float> embedding)
    {
        var bytes = new byte[Bytes];
        for (int i = 0; i < FaceEmbedder.Dimensions; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), embedding[i]);
        }

        return bytes;
    }

    public static float[]? FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Bytes)
        {
            return null;
        }

        var embedding = new float[FaceEmbedder.Dimensions];
        for (int i = 0; i < embedding.Length; i++)
        {
            embedding[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
            if (!float.IsFinite(embedding[i]))
            {
                return null;
            }
        }

        return embedding;
    }

    /// <summary>
    /// Why <paramref name="template"/> cannot be one of <paramref name="recipe"/>'s, or null. dlib's
    /// recipes fill only the first 128 values with a descriptor of plausible length; a 512-d template of
    /// fr_feature labelled with a dlib recipe (or a unit vector from before the lengths were kept) is refused.
    /// </summary>
    public static string? Mismatch(ReadOnlySpan<float> template, string recipe)
    {
        if (template.Length != FaceEmbedder.Dimensions)
        {
            return $"{template.Length} values, expected {FaceEmbedder.Dimensions}";
        }

        if (FaceRecipe.MetricOf(recipe) == TemplateMetric.Cosine)
        {
            return null;
        }

        if (template[DlibDimensions..].ContainsAnyExcept(0f))
        {
            return $"values past the first {DlibDimensions} are set: not a descriptor of recipe {recipe}";
        }

        float length = System.Numerics.Tensors.TensorPrimitives.Norm(template);
        return length is < DlibMinLength or > DlibMaxLength
            ? $"descriptor length {length:0.000} is outside {DlibMinLength}..{DlibMaxLength}: not an unnormalised descriptor of recipe {recipe}"
            : null;
    }

    /// <summary>dlib's descriptor occupies the first 128 values of a template.</summary>
    public const int DlibDimensions = 128;

    /// <summary>
    /// Plausible lengths of dlib's unnormalised descriptor (1.27–1.64 on the 159 evaluation photos, MODELS.md):
    /// wide bounds that only reject what is clearly not a descriptor. A unit vector passes them; what keeps
    /// recipes apart is the recipe label, which gate and cloud check first.
    /// </summary>
    public const float DlibMinLength = 0.5f, DlibMaxLength = 3f;

    public static string Encode(ReadOnlySpan<float> embedding) => Convert.ToBase64String(ToBytes(embedding));

    public static float[]? Decode(string base64)
    {
        try
        {
            return FromBytes(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

public sealed class TemplateSyncException(string message) : Exception(message);
