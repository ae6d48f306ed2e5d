using SmartSeal.EdgeFaceGate.Inputs;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Provisioning;
using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate;

/// <summary>
/// Commands: run (the gate as a device) | check-models | analyse &lt;image&gt;... | evaluate [faces-folder...] | benchmark [faces-folder] | build-cohort &lt;folder&gt;....
/// A named class (not top-level statements), so the cloud can reference this project without two <c>Program</c> types.
/// </summary>
internal static class GateProgram
{
    private const string Usage =
        "usage: SmartSeal.EdgeFaceGate run --device device.json --input <folder|/dev/videoN|index|video file|rtsp://...> --cloud <https://cloud> [--loop] [--state DIR] [--status-port N] [--sync-seconds 60] [--challenge none|blink|turn-head]\n" +
        "       SmartSeal.EdgeFaceGate check-models | analyse <image>... | evaluate [--strangers-from <group-photo-folder>] [faces-folder...] | benchmark [faces-folder] | build-cohort <group-photo-folder>... | evaluate-liveness [--save DIR] | evaluate-bursts [--videos DIR] [--stride N]\n" +
        "       SmartSeal.EdgeFaceGate convert-dlib <out.onnx>\n" +
        "       (analyse, evaluate, evaluate-liveness, evaluate-bursts, benchmark and build-cohort take --detector yunet|ultralight; default ultralight,\n" +
        "        --embedder dlib|mobilefacenet; default mobilefacenet, and --landmarks facemesh|fr; default fr; run takes --landmarks)";

    public static async Task<int> Main(string[] args)
    {
        string command = args.Length > 0 ? args[0] : "help";
        string defaultFaces = Path.GetFullPath(Path.Combine(FaceModels.RepositoryRoot(), "..", "shared", "data", "faces"));
        try
        {
            // Inside the try: a wrong choice is a usage error with its reason, not a stack trace.
            (FaceDetectorKind detector, string[] afterDetector) = DetectorOption(args.Skip(1).ToArray());
            (FaceEmbedderKind embedder, string[] afterEmbedder) = EmbedderOption(afterDetector);
            (FaceLandmarkerKind landmarker, string[] rest) = LandmarkerOption(afterEmbedder);
            switch (command)
            {
                case "run":
                    return await RunAsync(rest, landmarker);
                case "check-models":
                    FaceModels.VerifyHashes(FaceModels.DefaultFolder(), FaceModels.DefaultHashFile());
                    Console.WriteLine($"models ok in {FaceModels.DefaultFolder()}");
                    // The optional models are checked when installed, so a swapped file is found before an evaluation uses it.
                    foreach ((string folder, string hashes) in new[] { (FaceModels.YuNetFolder(), FaceModels.DefaultYuNetHashFile()), (FaceModels.DlibFolder(), FaceModels.DefaultDlibHashFile()), (FaceModels.FaceMeshFolder(), FaceModels.DefaultFaceMeshHashFile()) })
                    {
                        if (Directory.Exists(folder))
                        {
                            FaceModels.VerifyHashes(folder, hashes);
                            Console.WriteLine($"optional models ok in {folder}");
                        }
                    }

                    return 0;
                case "convert-dlib":
                    if (rest.Length != 1)
                    {
                        Console.Error.WriteLine(Usage);
                        return 2;
                    }

                    // The ONNX graph the gate builds in memory from the tfjs weights, written out to inspect (e.g. with Netron).
                    File.WriteAllBytes(rest[0], FaceModels.ConvertDlib(FaceModels.DlibFolder(), FaceModels.DefaultDlibHashFile()));
                    Console.WriteLine($"{rest[0]}: dlib_face_recognition_resnet_model_v1 from {FaceModels.DlibFolder()}");
                    return 0;
                case "analyse":
                    using (FaceModels models = FaceModels.LoadDefault(detector, embedder, landmarker))
                    {
                        FacePipeline pipeline = new(models);
                        foreach (string path in rest)
                        {
                            FaceAnalysis a = pipeline.AnalyseFile(path, FacePipelineOptions.Gate);
                            Console.WriteLine($"{path}: {a.Refusal} ({a.Reason}) faces={a.FacesFound} liveness={a.Liveness:0.000} sharpness={a.Sharpness:0} roll={a.RollDegrees:0.0} yaw={a.YawRatio:0.00}");
                        }
                    }

                    return 0;
                case "evaluate":
                    using (FaceModels models = FaceModels.LoadDefault(detector, embedder, landmarker))
                    {
                        string gateFolder = Path.Combine(FaceModels.RepositoryRoot(), "edge-face-gate");
                        // --strangers-from <group photos>: cohort and held-out strangers made now with this run's recipe (COHORT.md's photos), instead of the stored files.
                        int from = Array.IndexOf(rest, "--strangers-from");
                        string? groups = from >= 0 && from + 1 < rest.Length ? rest[from + 1] : null;
                        rest = from >= 0 ? rest.Take(from).Concat(rest.Skip(from + 2)).ToArray() : rest;
                        string[] folders = rest.Length > 0 ? rest : [defaultFaces, Path.Combine(gateFolder, "eval-faces")];
                        string strangersFile = Path.Combine(gateFolder, "eval-faces", "strangers.bin");
                        FaceCohort? strangers = null;
                        if (File.Exists(strangersFile))
                        {
                            using FileStream file = File.OpenRead(strangersFile);
                            strangers = FaceCohort.Load(file);
                        }

                        FacePipeline pipeline = new(models);
                        if (strangers is not null && strangers.Recipe != pipeline.Recipe)
                        {
                            Console.WriteLine($"held-out strangers are of recipe {strangers.Recipe}, not {pipeline.Recipe}: not used (make them with build-cohort --detector ...)");
                            strangers = null;
                        }

                        // The bundled cohort belongs to the default recipe; another detector's probes go without it.
                        MatchPolicy policy = MatchPolicy.OpenSetFor(pipeline.Recipe);
                        if (groups is not null)
                        {
                            (List<FaceAnalysis> cohortFaces, List<FaceAnalysis> heldOutFaces) = CohortBuilder.Faces(pipeline, [groups], TextWriter.Null);
                            strangers = new FaceCohort(heldOutFaces.Select(f => f.Template!).ToList(), pipeline.Recipe);
                            policy = policy with { Cohort = new FaceCohort(cohortFaces.Select(f => f.Template!).ToList(), pipeline.Recipe) };
                            Console.WriteLine($"cohort {cohortFaces.Count} and held-out strangers {heldOutFaces.Count} made now from {groups}");
                        }

                        // det.svg is the default recipe's (README); another detector or recogniser writes its own picture.
                        string det = (detector, embedder) switch
                        {
                            (FaceDetectorKind.UltraLight, FaceEmbedderKind.MobileFaceNet) => "det.svg",
                            (FaceDetectorKind.YuNet, FaceEmbedderKind.MobileFaceNet) => "det-yunet.svg",
                            (FaceDetectorKind.UltraLight, _) => "det-dlib.svg",
                            _ => "det-yunet-dlib.svg",
                        };
                        // Another landmark model writes its own picture too, so the committed ones stay the fr_landmark runs'.
                        det = landmarker == FaceLandmarkerKind.FaceMesh ? det.Replace(".svg", "-facemesh.svg", StringComparison.Ordinal) : det;
                        Evaluation.Run(pipeline, folders, policy, strangers, Path.Combine(gateFolder, det), Console.Out);
                    }

                    return 0;
                case "build-cohort":
                    if (rest.Length < 1)
                    {
                        Console.Error.WriteLine(Usage);
                        return 2;
                    }

                    using (FaceModels models = FaceModels.LoadDefault(detector, embedder, landmarker))
                    {
                        (FaceCohort cohort, FaceCohort heldOut) = CohortBuilder.Build(new FacePipeline(models), rest, Console.Out);
                        string gateFolder = Path.Combine(FaceModels.RepositoryRoot(), "edge-face-gate");
                        using (FileStream file = File.Create(Path.Combine(gateFolder, "cohort.bin")))
                        {
                            cohort.Save(file);
                        }

                        using (FileStream file = File.Create(Path.Combine(gateFolder, "eval-faces", "strangers.bin")))
                        {
                            heldOut.Save(file);
                        }
                    }

                    return 0;
                case "evaluate-liveness":
                    using (FaceModels models = FaceModels.LoadDefault(detector, embedder, landmarker))
                    {
                        string gateFolder = Path.Combine(FaceModels.RepositoryRoot(), "edge-face-gate");
                        string? save = rest.Length > 1 && rest[0] == "--save" ? rest[1] : null;
                        LivenessEvaluation.Run(new FacePipeline(models), [defaultFaces, Path.Combine(gateFolder, "eval-faces")], new DecisionPolicy(), save, Console.Out);
                    }

                    return 0;
                case "evaluate-bursts":
                    using (FaceModels models = FaceModels.LoadDefault(detector, embedder, landmarker))
                    {
                        string gateFolder = Path.Combine(FaceModels.RepositoryRoot(), "edge-face-gate");
                        string videos = Option(rest, "--videos") ?? Path.Combine(FaceModels.RepositoryRoot(), "edge-face-gate", "face-bursts", "videos");
                        int stride = int.Parse(Option(rest, "--stride") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
                        BurstEvaluation.Run(new FacePipeline(models), [defaultFaces, Path.Combine(gateFolder, "eval-faces")], videos, Console.Out, stride, Option(rest, "--dump"));
                    }

                    return 0;
                case "benchmark":
                    using (FaceModels models = FaceModels.LoadDefault(detector, embedder, landmarker))
                    {
                        Benchmark.Run(new FacePipeline(models), rest.Length > 0 ? rest[0] : defaultFaces, Console.Out);
                    }

                    return 0;
                default:
                    Console.WriteLine(Usage);
                    return command == "help" ? 0 : 2;
            }
        }
        catch (FaceModelException ex)
        {
            Console.Error.WriteLine($"face models: {ex.Message}");
            return 3;
        }
        catch (Exception ex) when (ex is FrameSourceException or GateConfigurationException or ProtocolException or IOException or ArgumentException)
        {
            Console.Error.WriteLine($"gate: {ex.Message}");
            return 4;
        }
    }

    private static string? Option(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    /// <summary>
    /// <c>--detector yunet</c> (analyse, evaluate, evaluate-liveness, benchmark, build-cohort): run OpenCV Zoo's YuNet
    /// instead of fr_detect, to compare both in the same run. The gate itself keeps the default, because
    /// templates must come from the recipe the cloud enrols with.
    /// </summary>
    private static (FaceDetectorKind Detector, string[] Remaining) DetectorOption(string[] args) =>
        ChoiceOption(args, "--detector", FaceDetectorKind.UltraLight, ("yunet", FaceDetectorKind.YuNet), ("ultralight", FaceDetectorKind.UltraLight));

    /// <summary>
    /// <c>--embedder dlib</c>: dlib's public-domain recogniser (converted from face-api.js's weights)
    /// instead of fr_feature, to compare both in the same run (MODELS.md, "dlib recogniser compared").
    /// </summary>
    private static (FaceEmbedderKind Embedder, string[] Remaining) EmbedderOption(string[] args) =>
        ChoiceOption(args, "--embedder", FaceEmbedderKind.MobileFaceNet, ("dlib", FaceEmbedderKind.DlibResNet), ("mobilefacenet", FaceEmbedderKind.MobileFaceNet));

    /// <summary>
    /// <c>--landmarks facemesh</c>: Google MediaPipe's face mesh (Apache-2.0, converted from its TensorFlow.js
    /// graph model) instead of fr_landmark, reduced to the same 68 points (MODELS.md, "MediaPipe face mesh").
    /// </summary>
    private static (FaceLandmarkerKind Landmarker, string[] Remaining) LandmarkerOption(string[] args) =>
        ChoiceOption(args, "--landmarks", FaceLandmarkerKind.Faceplugin, ("facemesh", FaceLandmarkerKind.FaceMesh), ("fr", FaceLandmarkerKind.Faceplugin));

    /// <summary>An option naming one of a few choices: the choice and the arguments without it; the default when absent.</summary>
    private static (T Value, string[] Remaining) ChoiceOption<T>(string[] args, string option, T fallback, params (string Name, T Value)[] choices)
    {
        int at = Array.IndexOf(args, option);
        if (at < 0 || at + 1 >= args.Length)
        {
            return (fallback, args);
        }

        foreach ((string name, T value) in choices)
        {
            if (name == args[at + 1])
            {
                return (value, args.Take(at).Concat(args.Skip(at + 2)).ToArray());
            }
        }

        throw new GateConfigurationException($"{option} {args[at + 1]}: use {string.Join(" or ", choices.Select(c => c.Name))}");
    }

    private static async Task<int> RunAsync(string[] args, FaceLandmarkerKind landmarker)
    {
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        bool loop = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--loop")
            {
                loop = true;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                named[args[i]] = args[++i];
            }
            else
            {
                Console.Error.WriteLine($"unexpected argument {args[i]}\n{Usage}");
                return 2;
            }
        }

        if (!named.TryGetValue("--device", out string? devicePath) || !named.TryGetValue("--input", out string? input) || !named.TryGetValue("--cloud", out string? cloud))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        byte[] json = await File.ReadAllBytesAsync(devicePath);
        ProvisioningFile device = ProvisioningFile.Parse(json, 0, json.Length);
        var options = new GateHostOptions
        {
            Device = device,
            StateFolder = named.GetValueOrDefault("--state") ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(devicePath))!, device.DeviceId + ".state"),
            StatusPort = named.TryGetValue("--status-port", out string? port) ? int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) : null,
            SyncEvery = TimeSpan.FromSeconds(named.TryGetValue("--sync-seconds", out string? sync) ? int.Parse(sync, System.Globalization.CultureInfo.InvariantCulture) : 60),
            Runner = new GateRunnerOptions { Decision = DecisionPolicy.WithChallenge(named.GetValueOrDefault("--challenge") ?? "none") },
        };

        using FaceModels models = FaceModels.LoadDefault(FaceDetectorKind.UltraLight, FaceEmbedderKind.MobileFaceNet, landmarker);
        using IFrameSource source = FrameSources.Open(input, loop);
        using var http = new HttpClient { BaseAddress = new Uri(cloud), Timeout = TimeSpan.FromSeconds(30) };
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        var host = new GateHost(options, new FacePipeline(models), http, TimeProvider.System, line => Console.WriteLine(line));
        Console.WriteLine($"gate {device.DeviceId}: input {source.Description}, cloud {cloud}, state {options.StateFolder}");
        if (landmarker != FaceLandmarkerKind.Faceplugin)
        {
            // The template set's recipe check knows the enrolment recipe only (FaceRecipe.Version).
            Console.WriteLine($"landmarks {landmarker}: probes are of recipe {FaceRecipe.VersionFor(FaceDetectorKind.UltraLight, FaceEmbedderKind.MobileFaceNet, landmarker)}, the cloud enrols {FaceRecipe.Version}: for trials only until the cloud enrols with the same landmarks");
        }

        try
        {
            IReadOnlyList<DecisionLogEntry> decisions = await host.RunAsync(source, stop.Token);
            Console.WriteLine($"input ended: {decisions.Count(d => d.State == DecisionState.Accepted)} accepted, {decisions.Count(d => d.State == DecisionState.Refused)} refused");
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("stopped");
        }

        return 0;
    }
}
