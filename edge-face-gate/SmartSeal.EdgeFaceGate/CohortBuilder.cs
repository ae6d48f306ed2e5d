using System.Security.Cryptography;
using OpenCvSharp;
using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate;

/// <summary>
/// build-cohort: every usable face of every image under the given folders (group photos of strangers),
/// the same image only once (by SHA-256). Faces alternate between the bundled cohort and a held-out
/// set of strangers that the evaluation uses as non-enrolled probes, so the cohort is never scored
/// against itself.
/// </summary>
public static class CohortBuilder
{
    public static (FaceCohort Cohort, FaceCohort HeldOut) Build(FacePipeline pipeline, IEnumerable<string> folders, TextWriter output)
    {
        (List<FaceAnalysis> cohort, List<FaceAnalysis> heldOut) = Faces(pipeline, folders, output);
        output.WriteLine($"cohort {cohort.Count} faces, held-out strangers {heldOut.Count}");
        return (new FaceCohort(cohort.Select(f => f.Template!).ToList(), pipeline.Recipe),
            new FaceCohort(heldOut.Select(f => f.Template!).ToList(), pipeline.Recipe));
    }

    /// <summary>The usable faces, alternating between the cohort and the held-out strangers in file order.</summary>
    public static (List<FaceAnalysis> Cohort, List<FaceAnalysis> HeldOut) Faces(FacePipeline pipeline, IEnumerable<string> folders, TextWriter output)
    {
        // Enrolment-grade faces only: a blurred 20-pixel bystander would say little about a stranger's look.
        FacePipelineOptions options = FacePipelineOptions.Enrolment with { AllowSeveralFaces = true, ScoreLiveness = false };
        List<FaceAnalysis> cohort = [], heldOut = [];
        HashSet<string> seen = new(StringComparer.Ordinal);
        foreach (string file in folders.SelectMany(f => Directory.GetFiles(f, "*", SearchOption.AllDirectories)).Where(Evaluation.IsImage).Order(StringComparer.Ordinal))
        {
            byte[] bytes = File.ReadAllBytes(file);
            if (!seen.Add(Convert.ToHexString(SHA256.HashData(bytes))))
            {
                output.WriteLine($"{file}: same bytes as an earlier image, skipped");
                continue;
            }

            using Mat image = Cv2.ImDecode(bytes, ImreadModes.Color);
            if (image.Empty())
            {
                output.WriteLine($"{file}: not a decodable image");
                continue;
            }

            List<FaceAnalysis> faces = pipeline.AnalyseEveryFace(image, options);
            int usable = 0;
            foreach (FaceAnalysis face in faces.Where(f => f.Accepted))
            {
                ((cohort.Count + heldOut.Count) % 2 == 0 ? cohort : heldOut).Add(face);
                usable++;
            }

            output.WriteLine($"{file}: {faces.Count} faces, {usable} usable");
        }

        return (cohort, heldOut);
    }
}
