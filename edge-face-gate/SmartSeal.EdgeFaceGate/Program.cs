using SmartSeal.EdgeFaceGate;

// Commands: check-models | analyse <image>... | evaluate [faces-folder] | benchmark [faces-folder]
string command = args.Length > 0 ? args[0] : "help";
string[] rest = args.Skip(1).ToArray();
string defaultFaces = Path.GetFullPath(Path.Combine(FaceModels.RepositoryRoot(), "..", "shared", "data", "faces"));
try
{
    switch (command)
    {
        case "check-models":
            FaceModels.VerifyHashes(FaceModels.DefaultFolder(), FaceModels.DefaultHashFile());
            Console.WriteLine($"models ok in {FaceModels.DefaultFolder()}");
            return 0;
        case "analyse":
            using (FaceModels models = FaceModels.LoadDefault())
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
            using (FaceModels models = FaceModels.LoadDefault())
            {
                Evaluation.Run(new FacePipeline(models), rest.Length > 0 ? rest[0] : defaultFaces, new MatchPolicy(), Console.Out);
            }

            return 0;
        case "benchmark":
            using (FaceModels models = FaceModels.LoadDefault())
            {
                Benchmark.Run(new FacePipeline(models), rest.Length > 0 ? rest[0] : defaultFaces, Console.Out);
            }

            return 0;
        default:
            Console.WriteLine("usage: SmartSeal.EdgeFaceGate check-models | analyse <image>... | evaluate [faces-folder] | benchmark [faces-folder]");
            return command == "help" ? 0 : 2;
    }
}
catch (FaceModelException ex)
{
    Console.Error.WriteLine($"face models: {ex.Message}");
    return 3;
}
