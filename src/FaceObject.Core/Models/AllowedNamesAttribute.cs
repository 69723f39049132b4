using System.ComponentModel.DataAnnotations;

namespace FaceObject.Core.Models;

/// <summary>
/// A setting that names one of <paramref name="names"/>, ignoring case and surrounding spaces, the way the code that
/// reads it parses it; empty means the default. (<see cref="AllowedValuesAttribute"/> compares exactly.)
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AllowedNamesAttribute(params string[] names) : ValidationAttribute
{
    public IReadOnlyList<string> Names { get; } = names;

    public override bool IsValid(object? value) => value switch
    {
        null => true,
        string text when string.IsNullOrWhiteSpace(text) => true,
        string text => Names.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase),
        _ => false,
    };
}
