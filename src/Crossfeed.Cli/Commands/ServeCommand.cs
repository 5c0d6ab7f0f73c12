using System.CommandLine;
using Crossfeed.Core;
using Crossfeed.Serving;
using Microsoft.Extensions.Hosting;
using TorchSharp;

namespace Crossfeed.Cli.Commands;

/// <summary>serve: the HTTP scoring service (docs/serving.md). Wiring only.</summary>
public static class ServeCommand
{
    public static Command Create(CliContext ctx)
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "The bundle folder to serve (reloaded when it changes).", Required = true };
        var features = new Option<string?>("--features") { Description = "Features by id: a snapshot folder written by `crossfeed features`, or redis://HOST:PORT." };
        var urls = new Option<string>("--urls") { Description = "Where to listen; loopback unless you say otherwise.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var apiKey = new Option<string?>("--api-key") { Description = "Require this key in X-Api-Key for /v1/* and /admin/* (default: the CROSSFEED_API_KEY environment variable, if set)." };
        var maxCandidates = new Option<int>("--max-candidates") { Description = "Candidates per request at most.", DefaultValueFactory = _ => 1000 };
        var concurrency = new Option<int?>("--max-concurrency") { Description = "Requests scored at once (default: cores / --threads)." };
        var queue = new Option<int?>("--queue") { Description = "Requests waiting for a slot at most; beyond it 503 + Retry-After (default: --max-concurrency)." };
        var timeout = new Option<int>("--timeout-ms") { Description = "Time limit per request; 504 beyond it.", DefaultValueFactory = _ => 2000 };
        var maxBody = new Option<long>("--max-body-bytes") { Description = "Request body size limit; 413 beyond it.", DefaultValueFactory = _ => 4 * 1024 * 1024 };
        var objective = new Option<string>("--objective") { Description = "Candidate order: default, or a weighted sum such as \"ad_stream*1+click*0.1\".", DefaultValueFactory = _ => Objective.DefaultText };
        var threads = new Option<int>("--threads") { Description = "Torch intra-op threads per request.", DefaultValueFactory = _ => 1 };
        var cache = new Option<int>("--candidate-cache")
        {
            Description = "Candidates whose encoder output is kept across requests, so one ranked again is not encoded again; 0 turns it off.",
            DefaultValueFactory = _ => ServeOptions.DefaultCandidateCache,
        };
        var noWatch = new Option<bool>("--no-watch") { Description = "Do not reload when the bundle folder changes (POST /admin/reload still does)." };
        var cmd = new Command("serve", "Serve a bundle over HTTP: POST /v1/rank, /healthz, /readyz, /metrics, /openapi/v1.json.")
            { model, features, urls, apiKey, maxCandidates, concurrency, queue, timeout, maxBody, objective, threads, cache, noWatch };
        cmd.SetAction(CliApp.Guarded(ctx, pr =>
        {
            var options = ServeOptions.Create(pr.GetValue(model)!.FullName, pr.GetValue(urls), pr.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("CROSSFEED_API_KEY"),
                pr.GetValue(maxCandidates), pr.GetValue(concurrency), pr.GetValue(queue), pr.GetValue(timeout), pr.GetValue(maxBody),
                pr.GetValue(objective), pr.GetValue(threads), !pr.GetValue(noWatch), pr.GetValue(cache));
            // Requests run side by side, each on its own intra-op threads: concurrency x threads <= cores.
            torch.set_num_threads(options.ThreadsPerRequest);
            using var store = pr.GetValue(features) is { } spec ? ServingWiring.OpenFeatureStore(spec) : null;
            using var app = ServeHost.Build(options, dir => ServedModel.LoadBundle(dir, ServingWiring.Ranker(options.CandidateCache)), store);
            ctx.Err.WriteLine($"serve: {options.ModelDir} on {options.Urls} ({options.MaxConcurrency} at once, queue {options.QueueLimit}, {options.ThreadsPerRequest} torch thread(s) each)");
            try
            {
                app.StartAsync(ctx.Cancellation).GetAwaiter().GetResult();
                app.WaitForShutdownAsync(ctx.Cancellation).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (ServeHost.StartupFailure(app) is not null)
            {
                // A first bundle refused while the host was still starting stops the start itself; the reason follows.
            }
            if (ServeHost.StartupFailure(app) is { } failure) throw new BadInputException($"--model: {failure}");
        }));
        return cmd;
    }
}
