namespace FaceObject.Core.Pipelines;

/// <summary>Pipeline definitions that cannot run; <see cref="Exception.Message"/> is one line per error.</summary>
public sealed class PipelineDefinitionException : Exception
{
    public PipelineDefinitionException(IReadOnlyList<string> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public PipelineDefinitionException()
    {
        Errors = [];
    }

    public PipelineDefinitionException(string message)
        : base(message)
    {
        Errors = [message];
    }

    public PipelineDefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public IReadOnlyList<string> Errors { get; }
}
