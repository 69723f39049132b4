using System.Globalization;
using System.Text.Json.Nodes;

namespace FaceObject.Cli;

/// <summary>Writes tasks as readable tables, or as the server's JSON, one document per line.</summary>
internal sealed class ResultPrinter(TextWriter output, bool json)
{
    private static readonly string[] BoxKeys = ["x1", "y1", "x2", "y2"];

    public void Accepted(string input, JsonObject accepted)
    {
        if (json)
        {
            output.WriteLine(accepted.ToJsonString());
            return;
        }

        output.WriteLine($"{input}: queued as task {Text(accepted["task_id"])} ({Text(accepted["status_url"])})");
    }

    public void Ended(string input, JsonObject task)
    {
        if (json)
        {
            output.WriteLine(task.ToJsonString());
            return;
        }

        var status = Text(task["status"]);
        if (status != "completed")
        {
            output.WriteLine($"{input}: {status}{(task["error"] is { } error ? ": " + Text(error) : "")}");
            return;
        }

        var result = task["result"] as JsonObject;
        if (result?["frames"] is JsonArray frames)
        {
            output.WriteLine($"{input}: completed, {frames.Count} frames sampled");
            if (result["summary"] is JsonObject summary)
            {
                output.WriteLine("  " + summary.ToJsonString());
            }

            return;
        }

        var detections = result?["detections"] as JsonArray ?? [];
        var size = result?["image"] is JsonObject image ? $"{Text(image["width"])}x{Text(image["height"])}, " : "";
        output.WriteLine($"{input}: completed, {detections.Count} detection(s) ({size}{Text(task["processing_time_ms"])} ms)");
        if (detections.Count == 0)
        {
            return;
        }

        var rows = detections.OfType<JsonObject>().Select(d => (
            Class: Text(d["class_name"]),
            Confidence: Number(d["confidence"], "0.00"),
            Box: d["bbox"] is JsonObject b ? string.Join(", ", BoxKeys.Select(k => Number(b[k], "0"))) : ""))
            .ToList();
        var width = Math.Max("class".Length, rows.Max(r => r.Class.Length));
        output.WriteLine($"  {"class".PadRight(width)}  confidence  box (x1, y1, x2, y2)");
        foreach (var row in rows)
        {
            output.WriteLine($"  {row.Class.PadRight(width)}  {row.Confidence,10}  {row.Box}");
        }
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    private static string Number(JsonNode? node, string format) =>
        node is JsonValue value && value.TryGetValue<double>(out var d) ? d.ToString(format, CultureInfo.InvariantCulture) : Text(node);
}
