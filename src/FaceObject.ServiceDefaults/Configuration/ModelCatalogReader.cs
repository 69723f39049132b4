using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using FaceObject.Core.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FaceObject.ServiceDefaults.Configuration;

/// <summary>
/// The <c>Models</c> section as a validated <see cref="ModelCatalog"/>. Binding alone skips the data annotations on
/// <see cref="ModelOptions"/>, so each entry is checked here, with messages that name the full key and what it accepts.
/// </summary>
internal static class ModelCatalogReader
{
    public const string Section = "Models";

    /// <exception cref="OptionsValidationException">The section is empty, or an entry is missing or out of range.</exception>
    public static ModelCatalog Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var models = new Dictionary<string, ModelOptions>(StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var section in configuration.GetSection(Section).GetChildren())
        {
            ModelOptions options;
            try
            {
                options = section.Get<ModelOptions>() ?? new ModelOptions();
            }
            catch (InvalidOperationException e)
            {
                // The binder's message names the key and the type it expected ("Failed to convert ... at 'Models:x:y'").
                failures.Add(e.Message);
                continue;
            }

            failures.AddRange(Validate($"{Section}:{section.Key}", options));
            models[section.Key] = options;
        }

        if (models.Count == 0 && failures.Count == 0)
        {
            failures.Add($"No models are configured: add at least one entry under '{Section}' (see docs/models.md).");
        }

        if (failures.Count > 0)
        {
            throw Invalid(failures);
        }

        try
        {
            return new ModelCatalog(models);
        }
        catch (ArgumentException e)
        {
            throw Invalid([e.Message.Split(" (Parameter", 2)[0]]);
        }
    }

    /// <summary>One message per broken annotation on <paramref name="options"/>, each naming <paramref name="prefix"/>:Property.</summary>
    internal static IEnumerable<string> Validate(string prefix, ModelOptions options)
    {
        foreach (var property in typeof(ModelOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var value = property.GetValue(options);
            foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>())
            {
                if (!attribute.IsValid(value))
                {
                    yield return Describe($"{prefix}:{property.Name}", attribute, value);
                }
            }
        }
    }

    private static string Describe(string key, ValidationAttribute attribute, object? value) => attribute switch
    {
        RequiredAttribute => $"{key} is required",
        RangeAttribute range => string.Create(CultureInfo.InvariantCulture,
            $"{key} must be between {range.Minimum} and {range.Maximum} (got {value})"),
        AllowedNamesAttribute allowed => $"{key} must be one of {string.Join(", ", allowed.Names)} (got '{value}')",
        _ => $"{key}: {attribute.FormatErrorMessage(key)}",
    };

    private static OptionsValidationException Invalid(IEnumerable<string> failures) =>
        new(Section, typeof(ModelOptions), failures);
}
