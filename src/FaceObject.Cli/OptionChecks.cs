using System.CommandLine.Parsing;
using System.Globalization;

namespace FaceObject.Cli;

/// <summary>Value checks shared by the options of <see cref="DetectCommandLine"/>; each failure names the option and what it accepts.</summary>
internal static class OptionChecks
{
    /// <summary>A parser for a number option that accepts <paramref name="isAllowed"/> values, described by <paramref name="accepted"/>.</summary>
    public static Func<ArgumentResult, T?> Number<T>(string option, string accepted, Func<T, bool> isAllowed)
        where T : struct, IParsable<T> => result =>
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var text = result.Tokens[^1].Value;
        if (T.TryParse(text, CultureInfo.InvariantCulture, out var value) && isAllowed(value))
        {
            return value;
        }

        result.AddError($"{option} must be {accepted}; got '{text}'.");
        return null;
    };

    public static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>Refuses an empty value (<c>--api-key ""</c>), which would otherwise silently mean "none".</summary>
    public static void NotEmpty(OptionResult result)
    {
        foreach (var token in result.Tokens.Where(t => string.IsNullOrWhiteSpace(t.Value)))
        {
            result.AddError($"{result.IdentifierToken?.Value} needs a value; got '{token.Value}'.");
        }
    }

    /// <summary>Refuses a value that is not an absolute http or https URL.</summary>
    public static void HttpUrls(OptionResult result)
    {
        foreach (var token in result.Tokens.Where(t => !IsHttpUrl(t.Value)))
        {
            result.AddError($"{result.IdentifierToken?.Value} must be an absolute http or https URL; got '{token.Value}'.");
        }
    }
}
