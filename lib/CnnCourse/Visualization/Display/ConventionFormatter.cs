namespace CnnCourse.Display;

/// <summary>
/// One formatter object of the convention described on <see cref="TypeFormatterSourceAttribute"/>:
/// a MIME type, the type it formats and a <c>Format(object, TextWriter)</c> method, all public so a
/// host finds them by reflection.
/// </summary>
public sealed class ConventionFormatter
{
    private readonly Func<object, TextWriter, bool> format;

    public ConventionFormatter(Type type, string mimeType, Func<object, TextWriter, bool> format)
    {
        Type = type;
        MimeType = mimeType;
        this.format = format;
    }

    /// <summary>Creates a formatter for <typeparamref name="T"/> from a function that renders one instance as text.</summary>
    public static ConventionFormatter For<T>(string mimeType, Func<T, string> render) =>
        new(typeof(T), mimeType, (instance, writer) =>
        {
            if (instance is not T value) return false;
            writer.Write(render(value));
            return true;
        });

    public string MimeType { get; }

    public Type Type { get; }

    /// <summary>Writes <paramref name="instance"/> as <see cref="MimeType"/>; false when it is not of <see cref="Type"/>.</summary>
    public bool Format(object instance, TextWriter writer) => this.format(instance, writer);

    public override string ToString() => $"{Type.Name} as {MimeType}";
}
