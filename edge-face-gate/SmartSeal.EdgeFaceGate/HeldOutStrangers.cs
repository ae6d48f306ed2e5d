using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate;

/// <summary>
/// The non-enrolled probes of the open-set evaluation, each with a label that says where it comes from
/// (a strangers.bin row, a face of a strangers/ group photo, a portraits/ photo), so the strangers who
/// come closest to an enrolled person can be looked at. <see cref="Portraits"/> counts the portraits/
/// probes: one photo per person, so their false accepts are counted per person.
/// </summary>
public sealed class HeldOutStrangers
{
    /// <summary>Stranger faces as build-cohort takes them: enrolment-grade, several per photo.</summary>
    private static readonly FacePipelineOptions GroupPhotoFaces = FacePipelineOptions.Enrolment with { AllowSeveralFaces = true, ScoreLiveness = false };

    /// <summary>A portrait is presented as a gate probe would be: the gate's checks, the chosen face.</summary>
    private static readonly FacePipelineOptions PortraitProbe = FacePipelineOptions.Gate with { AllowSeveralFaces = true, ScoreLiveness = false };

    private HeldOutStrangers(List<float[]> embeddings, List<string> labels, int portraits)
    {
        Embeddings = embeddings;
        Labels = labels;
        Portraits = portraits;
    }

    /// <summary>What the gallery would store for each probe (<see cref="FaceAnalysis.Template"/>: dlib's descriptor unnormalised).</summary>
    public IReadOnlyList<float[]> Embeddings { get; }

    /// <summary>Where each probe comes from, in the order of <see cref="Embeddings"/>.</summary>
    public IReadOnlyList<string> Labels { get; }

    public int Count => Embeddings.Count;

    /// <summary>How many probes come from portraits/ (one per person).</summary>
    public int Portraits { get; }

    public static HeldOutStrangers Empty { get; } = new([], [], 0);

    /// <summary>
    /// The stored strangers (strangers.bin or --strangers-from, may be null), then every enrolment-grade face
    /// of each faces folder's strangers/ group photos, then the face of each portraits/ photo — the last two
    /// embedded now with the running recipe, so another model needs no rebuilt file.
    /// </summary>
    public static HeldOutStrangers Load(FacePipeline pipeline, IReadOnlyList<string> facesFolders, FaceCohort? stored, TextWriter output)
    {
        List<float[]> embeddings = [];
        List<string> labels = [];
        for (int k = 0; k < (stored?.Count ?? 0); k++)
        {
            embeddings.Add(stored!.Row(k));
            labels.Add($"strangers.bin #{k}");
        }

        int groupPhotos = 0, groupFaces = 0;
        foreach (string file in ImagesIn(facesFolders, "strangers"))
        {
            using OpenCvSharp.Mat image = OpenCvSharp.Cv2.ImRead(file, OpenCvSharp.ImreadModes.Color);
            if (image.Empty())
            {
                output.WriteLine($"  refused strangers/{Path.GetFileName(file)}: not a decodable image");
                continue;
            }

            List<FaceAnalysis> usable = pipeline.AnalyseEveryFace(image, GroupPhotoFaces).Where(f => f.Accepted).ToList();
            for (int f = 0; f < usable.Count; f++)
            {
                embeddings.Add(usable[f].Template!);
                labels.Add($"strangers/{Path.GetFileName(file)} face {f + 1}");
            }

            groupPhotos++;
            groupFaces += usable.Count;
        }

        int portraits = 0, refused = 0;
        foreach (string file in ImagesIn(facesFolders, "portraits"))
        {
            FaceAnalysis a = pipeline.AnalyseFile(file, PortraitProbe);
            if (!a.Accepted)
            {
                refused++;
                output.WriteLine($"  refused portraits/{Path.GetFileName(file)}: {a.Refusal} ({a.Reason})");
                continue;
            }

            embeddings.Add(a.Template!);
            labels.Add($"portraits/{Path.GetFileName(file)}");
            portraits++;
        }

        output.WriteLine($"held-out strangers: {stored?.Count ?? 0} stored, {groupFaces} faces of {groupPhotos} group photos (strangers/), " +
            $"{portraits} portraits of distinct people (portraits/; {refused} refused by the gate's checks)");
        return new HeldOutStrangers(embeddings, labels, portraits);
    }

    private static IEnumerable<string> ImagesIn(IReadOnlyList<string> facesFolders, string subfolder) =>
        facesFolders.Select(f => Path.Combine(f, subfolder)).Where(Directory.Exists)
            .SelectMany(folder => Directory.GetFiles(folder).Where(Evaluation.IsImage).Order(StringComparer.Ordinal));
}
