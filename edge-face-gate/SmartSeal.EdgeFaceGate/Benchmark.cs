using System.Diagnostics;
using OpenCvSharp;
using SmartSeal.FaceRecognition;
using SmartSeal.FaceRecognition.Templates;

namespace SmartSeal.EdgeFaceGate;

/// <summary>
/// Per-stage and total milliseconds per face on one thread over the people photos (after a warm-up
/// pass), sustained frames/s, and 1:N over 100,000 synthetic templates.
/// </summary>
public static class Benchmark
{
    public static void Run(FacePipeline pipeline, string facesFolder, TextWriter output, int rounds = 3, int galleryTemplates = 100_000)
    {
        List<byte[]> images = Directory.GetFiles(Path.Combine(facesFolder, "people"), "*", SearchOption.AllDirectories)
            .Where(Evaluation.IsImage).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        FacePipelineOptions options = FacePipelineOptions.Gate with { AllowSeveralFaces = true };
        foreach (byte[] image in images)
        {
            pipeline.AnalyseEncoded(image, options); // warm-up: first runs allocate arenas
        }

        List<StageTimings> timings = [];
        List<Point2f[]> landmarks = [];
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        Stopwatch wall = Stopwatch.StartNew();
        int frames = 0;
        for (int round = 0; round < rounds; round++)
        {
            foreach (byte[] image in images)
            {
                FaceAnalysis a = pipeline.AnalyseEncoded(image, options);
                frames++;
                if (a.Timings != null)
                {
                    timings.Add(a.Timings);
                }

                if (round == 0 && a.Landmarks is { } points)
                {
                    landmarks.Add(points);
                }
            }
        }

        wall.Stop();
        double cpuPerFrame = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / Math.Max(frames, 1);
        output.WriteLine($"load average now: {LoadAverage()} (other engineers' work on the same cores inflates wall-clock times)");
        output.WriteLine($"{images.Count} photos x {rounds} rounds, {timings.Count} faces analysed, one thread, {Environment.ProcessorCount} cores visible");
        output.WriteLine("| stage | mean ms | p95 ms |");
        output.WriteLine("|---|---|---|");
        Row(output, "decode (JPEG/PNG)", timings.Select(t => t.Decode));
        Row(output, pipeline.DetectorKind == FaceDetectorKind.YuNet ? "detect (YuNet 640x640 + NMS)" : "detect (320x240 + NMS)", timings.Select(t => t.Detect));
        Row(output, "landmarks (68 points)", timings.Select(t => t.Landmarks));
        Row(output, "align + blur check", timings.Select(t => t.Align));
        Row(output, pipeline.EmbedderKind == FaceEmbedderKind.DlibResNet ? "embedding (dlib 150x150 chip + ResNet, 128-d)" : "embedding (512-d)", timings.Select(t => t.Embed));
        Row(output, "liveness", timings.Select(t => t.Liveness));
        Row(output, "total per face", timings.Select(t => t.Total));
        Row(output, "total without decode", timings.Select(t => t.Total - t.Decode));
        MotionCueRow(output, landmarks);
        output.WriteLine($"sustained: {frames / wall.Elapsed.TotalSeconds:0.0} frames/s (photos of up to {images.Count} sizes, decode included); process CPU per frame {cpuPerFrame:0.00} ms (decode included; less sensitive to the load than wall time)");

        // The running recipe's gallery: dlib's templates fill 128 values with a descriptor of length about 1.5.
        TemplateMetric metric = FaceRecipe.MetricOf(pipeline.Recipe);
        FaceGallery gallery = new(metric);
        Random random = new(7);
        float[] vector = new float[FaceEmbedder.Dimensions];
        int filled = metric == TemplateMetric.Cosine ? vector.Length : TemplateCodec.DlibDimensions;
        for (int i = 0; i < galleryTemplates; i++)
        {
            for (int d = 0; d < filled; d++)
            {
                vector[d] = (float)(random.NextDouble() * 2 - 1);
            }

            if (metric == TemplateMetric.DlibDistance)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(vector, 1.5f / System.Numerics.Tensors.TensorPrimitives.Norm(vector), vector);
            }

            gallery.Add($"person-{i / 5}", vector);
        }

        // An enrolled person's own template as the probe: above the threshold, so the exact rescoring and the
        // open-set check against the bundled cohort run too (the gate's worst case, not a quick miss).
        float[] probe = (float[])vector.Clone();
        if (metric == TemplateMetric.Cosine)
        {
            FaceEmbedder.Normalise(probe);
        }

        MatchPolicy policy = MatchPolicy.OpenSetFor(pipeline.Recipe);
        for (int i = 0; i < 40; i++)
        {
            gallery.Identify(probe, policy); // past tiered JIT's first tiers
        }

        List<double> searches = [];
        TimeSpan searchCpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (int i = 0; i < 50; i++)
        {
            long start = Stopwatch.GetTimestamp();
            gallery.Identify(probe, policy);
            searches.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        if (policy.Cohort is FaceCohort cohort)
        {
            // The work issue 20 added per probe, on its own: the scan of the bundled cohort.
            Stopwatch cohortWatch = Stopwatch.StartNew();
            float sink = 0;
            for (int i = 0; i < 10_000; i++)
            {
                sink += cohort.MaxScore(probe);
            }

            output.WriteLine($"open-set cohort check ({cohort.Count} faces): {cohortWatch.Elapsed.TotalMilliseconds * 1000 / 10_000:0.0} µs per probe (checksum {sink:0})");
        }

        output.WriteLine($"SIMD: AVX2 {System.Runtime.Intrinsics.X86.Avx2.IsSupported}, AVX-512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, Vector<float> {System.Numerics.Vector<float>.Count} lanes");
        double cpuPerSearch = (Process.GetCurrentProcess().TotalProcessorTime - searchCpu).TotalMilliseconds / 50;
        MatchResult result = gallery.Identify(probe, policy);
        output.WriteLine($"1:N over {gallery.TemplateCount:N0} templates ({gallery.IdentityCount:N0} identities), matched probe with the open-set check against {policy.Cohort?.Count ?? 0} cohort faces ({result.Outcome}): mean {searches.Average():0.00} ms, p95 {Percentile(searches, 0.95):0.00} ms, process CPU {cpuPerSearch:0.00} ms per search");
    }

    /// <summary>
    /// What the burst liveness adds per frame in <see cref="MultiFrameDecision"/>: one least-squares planar
    /// fit of the frame's landmarks to the run's first (the motion cue, when on) and the eye aspect ratio
    /// (blink challenge); timed over the photos' real landmarks, each against the previous photo's.
    /// </summary>
    private static void MotionCueRow(TextWriter output, List<Point2f[]> landmarks)
    {
        if (landmarks.Count < 2)
        {
            return;
        }

        double sink = 0;
        List<double> each = [];
        for (int round = 0; round < 5; round++)
        {
            for (int i = 1; i < landmarks.Count; i++)
            {
                long start = Stopwatch.GetTimestamp();
                sink += PlanarMotion.Residual(landmarks[i - 1], landmarks[i], PlanarMotion.WithoutMouth) + LandmarkLocator.EyeOpenness(landmarks[i]);
                each.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        Row(output, $"burst cue per frame: planar fit of 48 landmarks + eye aspect ratio (checksum {sink:0})", each.Skip(landmarks.Count - 1));
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static void Row(TextWriter output, string name, IEnumerable<double> values)
    {
        List<double> list = values.ToList();
        output.WriteLine($"| {name} | {list.Average():0.00} | {Percentile(list, 0.95):0.00} |");
    }

    private static double Percentile(List<double> values, double p)
    {
        List<double> sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }
}
