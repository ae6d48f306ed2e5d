using OpenCvSharp;
using SmartSeal.EdgeFaceGate.Inputs;
using SmartSeal.EdgeFaceGate.Link;
using SmartSeal.EdgeFaceGate.Templates;
using SmartSeal.Protocol.Messages;
using SmartSeal.FaceRecognition;
using SmartSeal.FaceRecognition.Templates;

namespace SmartSeal.EdgeFaceGate;

/// <summary>Frames per decision, the pause after a disconnected camera, how often a person may be reported again.</summary>
public sealed record GateRunnerOptions
{
    public DecisionPolicy Decision { get; init; } = new();
    public MatchPolicy Match { get; init; } = MatchPolicy.OpenSet;
    public TimeSpan ReconnectPause { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The same person is not reported twice within this (they stay in front of the camera while the cabinet opens).</summary>
    public TimeSpan RepeatAfter { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The capture photo is scaled down to this longest side: enough for the ledger, no more of the face than needed.</summary>
    public int CaptureMaxSide { get; init; } = 640;
}

/// <summary>
/// The gate's loop: frames from the source → pipeline → 1:N against the current gallery → decision
/// over several frames. An accepted decision sends the capture photo (photo manifest + chunks) and
/// then the signed <c>face-match</c> naming it; every decision gives one log line. The gallery is
/// swapped whole by <see cref="ApplyTemplates"/>, so a frame is matched against one set, old or new.
/// </summary>
public sealed class GateRunner(FacePipeline pipeline, GateLink? link, GateStatus status, GateRunnerOptions options, TimeProvider time, Action<string> log)
{
    private const int PhotoChunkBytes = 6144;
    private volatile GallerySnapshot _gallery = new(new FaceGallery(), null, null);
    private readonly Dictionary<string, long> _lastReportedMs = new(StringComparer.Ordinal);

    private sealed record GallerySnapshot(FaceGallery Gallery, string? CabinetId, GateTemplateSet? Set);

    public FaceGallery Gallery => _gallery.Gallery;

    public string? CabinetId => _gallery.CabinetId;

    /// <summary>Replaces the gallery with the people of <paramref name="set"/> still valid now.</summary>
    public void ApplyTemplates(GateTemplateSet set)
    {
        FaceGallery gallery = set.ToGallery(time.GetUtcNow().ToUnixTimeMilliseconds(), out int skipped);
        _gallery = new GallerySnapshot(gallery, set.CabinetId, set);
        status.CabinetId = set.CabinetId;
        status.GalleryPeople = gallery.IdentityCount;
        status.GalleryTemplates = gallery.TemplateCount;
        log($"templates: {gallery.IdentityCount} people, {gallery.TemplateCount} templates for cabinet {set.CabinetId ?? "(none)"}{(skipped > 0 ? $", {skipped} skipped (expired or other recipe)" : string.Empty)}");
    }

    /// <summary>Drops people whose templates expired since the last sync (also when the cloud is unreachable).</summary>
    public void ExpireTemplates()
    {
        if (_gallery.Set is { } set)
        {
            FaceGallery gallery = set.ToGallery(time.GetUtcNow().ToUnixTimeMilliseconds(), out _);
            if (gallery.TemplateCount != _gallery.Gallery.TemplateCount)
            {
                ApplyTemplates(set);
            }
        }
    }

    /// <summary>Runs until the source ends or <paramref name="cancellationToken"/> fires; returns the decisions made.</summary>
    public async Task<IReadOnlyList<DecisionLogEntry>> RunAsync(IFrameSource source, CancellationToken cancellationToken)
    {
        var decisions = new List<DecisionLogEntry>();
        var decision = new MultiFrameDecision(options.Decision);
        status.Input = source.Description;
        status.InputState = "running";
        while (!cancellationToken.IsCancellationRequested)
        {
            FrameRead read = source.Read();
            if (read.Status == FrameStatus.End)
            {
                status.InputState = "ended";
                break;
            }

            if (read.Status == FrameStatus.Disconnected)
            {
                status.InputState = "disconnected: " + read.Name;
                log($"input: {read.Name}; retrying in {options.ReconnectPause.TotalSeconds:0} s (no decision meanwhile)");
                decision = new MultiFrameDecision(options.Decision);
                await Task.Delay(options.ReconnectPause, time, cancellationToken).ContinueWith(_ => { }, CancellationToken.None);
                continue;
            }

            if (read.Status == FrameStatus.Unreadable)
            {
                status.UnreadableFrames++;
                log($"input: {read.Name} is not a readable image; skipped");
                continue;
            }

            status.InputState = "running";
            status.Frames++;
            using Mat frame = read.Frame!;
            GallerySnapshot snapshot = _gallery;
            FaceAnalysis analysis = pipeline.Analyse(frame, FacePipelineOptions.Gate);
            MatchResult? match = analysis.Accepted && snapshot.Gallery.TemplateCount > 0 ? snapshot.Gallery.Identify(analysis.Template!, options.Match) : null;
            GateDecision outcome = decision.Add(analysis, match);
            if (outcome.State == DecisionState.Collecting)
            {
                continue;
            }

            decision = new MultiFrameDecision(options.Decision);
            if (await ConcludeAsync(outcome, frame, snapshot, cancellationToken) is { } entry)
            {
                decisions.Add(entry);
            }
        }

        return decisions;
    }

    /// <summary>Sends and logs the decision; null when it only repeats a report made less than <see cref="GateRunnerOptions.RepeatAfter"/> ago (the person is still standing there).</summary>
    private async Task<DecisionLogEntry?> ConcludeAsync(GateDecision outcome, Mat frame, GallerySnapshot snapshot, CancellationToken cancellationToken)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        DecisionLogEntry entry;
        if (outcome.State == DecisionState.Accepted && snapshot.CabinetId is null)
        {
            entry = new DecisionLogEntry(now, DecisionState.Refused, null, 0, 0, null, outcome.Frames, "the gate serves no cabinet", null, null);
        }
        else if (outcome.State == DecisionState.Accepted && _lastReportedMs.TryGetValue(outcome.Identity!, out long last) && now - last < options.RepeatAfter.TotalMilliseconds)
        {
            return null;
        }
        else if (outcome.State == DecisionState.Accepted)
        {
            _lastReportedMs[outcome.Identity!] = now;
            string photoId = $"cap-{now}";
            long? seq = null;
            if (link is not null)
            {
                await SendCaptureAsync(frame, photoId, cancellationToken);
                FaceMatchBody body = DecisionEnvelope.BodyFor(outcome, snapshot.CabinetId!, snapshot.Set?.Recipe ?? FaceRecipe.Version, photoId)!;
                seq = await link.SendAsync(body, cancellationToken);
            }

            entry = new DecisionLogEntry(now, DecisionState.Accepted, outcome.Identity, outcome.MeanScore, outcome.MinMargin, outcome.MeanLiveness, outcome.Frames, outcome.Reason, seq, photoId);
        }
        else
        {
            entry = new DecisionLogEntry(now, outcome.State, null, 0, 0, null, outcome.Frames, outcome.Reason, null, null);
        }

        status.Record(entry);
        log(entry.ToString());
        return entry;
    }

    /// <summary>The capture photo (scaled down, JPEG) as a manifest and chunks, each a signed message of its own.</summary>
    private async Task SendCaptureAsync(Mat frame, string photoId, CancellationToken cancellationToken)
    {
        double scale = Math.Min(1.0, options.CaptureMaxSide / (double)Math.Max(frame.Width, frame.Height));
        using Mat small = scale < 1.0 ? frame.Resize(new Size(), scale, scale, InterpolationFlags.Area) : frame.Clone();
        byte[] jpeg = small.ImEncode(".jpg", new ImageEncodingParam(ImwriteFlags.JpegQuality, 85));
        var chunker = new PhotoChunker(jpeg, PhotoChunkBytes, photoId);
        await link!.SendAsync(chunker.Manifest(PhotoPurpose.Handover, photoId, link.Key), cancellationToken);
        for (int i = 0; i < chunker.ChunkCount; i++)
        {
            await link.SendAsync(chunker.Chunk(i), cancellationToken);
        }
    }
}
