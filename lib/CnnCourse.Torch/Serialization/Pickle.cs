using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace CnnCourse.Torch.Serialization;

// A minimal, safe reader of Python pickles: enough of protocols 0–5 for the data structures a
// PyTorch state dict is made of. It never executes anything. Python objects become the plain
// managed values below; every global a pickle names goes through a resolver that returns an inert
// token for the few it allows and throws for everything else, and "calls" (REDUCE, BUILD) are
// interpreted by the caller for those tokens only.

/// <summary>A Python tuple.</summary>
internal sealed class PyTuple(object?[] items)
{
    public object?[] Items { get; } = items;
    public int Count => Items.Length;
    public object? this[int index] => Items[index];
}

/// <summary>A Python list (also used for sets, which state dicts never hold).</summary>
internal sealed class PyList : List<object?>;

/// <summary>A Python dict or collections.OrderedDict (both keep insertion order).</summary>
internal sealed class PyDict
{
    public OrderedDictionary<object, object?> Items { get; } = new();
    public bool IsOrderedDict { get; init; }
    /// <summary>State applied by BUILD (an OrderedDict's attributes, e.g. a state dict's _metadata).</summary>
    public object? State { get; set; }
}

/// <summary>A global (module.name) the resolver allowed; what it means is up to the caller.</summary>
internal sealed record PyGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>Thrown for a pickle that is malformed or asks for something that is not allowed.</summary>
internal sealed class PickleException(string message) : Exception(message);

/// <summary>
/// The pickle virtual machine, without the parts that run code. <see cref="ResolveGlobal"/>
/// decides which globals exist; <see cref="Call"/> interprets REDUCE/NEWOBJ on them;
/// <see cref="Build"/> interprets BUILD; <see cref="PersistentLoad"/> handles persistent ids.
/// </summary>
internal sealed class PickleReader
{
    private const int MaxLine = 4096;
    private static readonly object Mark = new();

    private readonly Stream input;
    private readonly List<object?> stack = new();
    private readonly Stack<int> marks = new();
    private readonly Dictionary<long, object?> memo = new();

    public PickleReader(Stream input)
    {
        if (!input.CanRead || !input.CanSeek) throw new ArgumentException("the pickle stream must be readable and seekable", nameof(input));
        this.input = input;
    }

    public required Func<string, string, object> ResolveGlobal { get; init; }
    public required Func<object, PyTuple, object?> Call { get; init; }
    public Action<object?, object?>? Build { get; init; }
    public Func<object?, object?>? PersistentLoad { get; init; }

    /// <summary>Reads one pickle (up to and including its STOP opcode) and returns its object.</summary>
    public object? Load()
    {
        stack.Clear();
        marks.Clear();
        memo.Clear();
        while (true)
        {
            long at = input.Position;
            int op = input.ReadByte();
            if (op < 0) throw new PickleException($"the pickle ends at byte {at} without a STOP opcode (truncated)");
            try
            {
                if (Step((byte)op, out object? result)) return result;
            }
            catch (PickleException) { throw; }
            catch (Exception ex) when (ex is InvalidCastException or FormatException or OverflowException or KeyNotFoundException or ArgumentException or EndOfStreamException)
            {
                throw new PickleException($"malformed pickle at byte {at} (opcode 0x{op:x2}): {ex.Message}");
            }
        }
    }

    private bool Step(byte op, out object? result)
    {
        result = null;
        switch (op)
        {
            case 0x80: // PROTO
                int protocol = ReadU8();
                if (protocol > 5) throw new PickleException($"unsupported pickle protocol {protocol}");
                break;
            case 0x95: ReadBytes(8); break; // FRAME: a length hint only
            case (byte)'.': // STOP
                result = Pop();
                return true;

            case (byte)'(': marks.Push(stack.Count); break; // MARK
            case (byte)'0': // POP
                if (stack.Count > 0 && (marks.Count == 0 || marks.Peek() < stack.Count)) stack.RemoveAt(stack.Count - 1);
                else PopMark();
                break;
            case (byte)'1': PopMark(); break; // POP_MARK
            case (byte)'2': Push(Peek()); break; // DUP

            case (byte)'N': Push(null); break;
            case 0x88: Push(true); break;
            case 0x89: Push(false); break;
            case (byte)'I': // INT (text; "00"/"01" are False/True)
                string intText = ReadLine();
                Push(intText switch { "00" => false, "01" => true, _ => Integer(BigInteger.Parse(intText, CultureInfo.InvariantCulture)) });
                break;
            case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break;
            case (byte)'K': Push((long)ReadU8()); break;
            case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break;
            case (byte)'L': // LONG (text, trailing L)
                Push(Integer(BigInteger.Parse(ReadLine().TrimEnd('L'), CultureInfo.InvariantCulture)));
                break;
            case 0x8a: Push(Integer(new BigInteger(ReadBytes(ReadU8()), isUnsigned: false, isBigEndian: false))); break; // LONG1
            case 0x8b: Push(Integer(new BigInteger(ReadBytes(ReadLength(4)), isUnsigned: false, isBigEndian: false))); break; // LONG4
            case (byte)'F': Push(double.Parse(ReadLine(), NumberStyles.Float, CultureInfo.InvariantCulture)); break;
            case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break; // BINFLOAT

            case (byte)'X': Push(Utf8(ReadBytes(ReadLength(4)))); break; // BINUNICODE
            case 0x8c: Push(Utf8(ReadBytes(ReadU8()))); break; // SHORT_BINUNICODE
            case 0x8d: Push(Utf8(ReadBytes(ReadLength(8)))); break; // BINUNICODE8
            case (byte)'V': Push(RawUnicodeEscape(ReadLine())); break; // UNICODE (protocol 0)
            // Python 2 str: torch.load decodes these as UTF-8.
            case (byte)'T': Push(Utf8(ReadBytes(ReadLength(4)))); break; // BINSTRING
            case (byte)'U': Push(Utf8(ReadBytes(ReadU8()))); break; // SHORT_BINSTRING
            case (byte)'B': Push(ReadBytes(ReadLength(4))); break; // BINBYTES
            case (byte)'C': Push(ReadBytes(ReadU8())); break; // SHORT_BINBYTES
            case 0x8e: Push(ReadBytes(ReadLength(8))); break; // BINBYTES8
            case 0x96: Push(ReadBytes(ReadLength(8))); break; // BYTEARRAY8

            case (byte)')': Push(new PyTuple(Array.Empty<object?>())); break;
            case (byte)'t': Push(new PyTuple(PopMark().ToArray())); break;
            case 0x85: Push(new PyTuple(new[] { Pop() })); break;
            case 0x86: { var b = Pop(); var a = Pop(); Push(new PyTuple(new[] { a, b })); break; }
            case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new PyTuple(new[] { a, b, c })); break; }

            case (byte)']': Push(new PyList()); break;
            case (byte)'l': { var list = new PyList(); list.AddRange(PopMark()); Push(list); break; }
            case (byte)'a': { var item = Pop(); As<PyList>(Peek(), "APPEND").Add(item); break; }
            case (byte)'e': { var items = PopMark(); As<PyList>(Peek(), "APPENDS").AddRange(items); break; }
            case 0x8f: Push(new PyList()); break; // EMPTY_SET
            case 0x90: { var items = PopMark(); As<PyList>(Peek(), "ADDITEMS").AddRange(items); break; }
            case 0x91: { var set = new PyList(); set.AddRange(PopMark()); Push(set); break; } // FROZENSET

            case (byte)'}': Push(new PyDict()); break;
            case (byte)'d': { var dict = new PyDict(); SetItems(dict, PopMark()); Push(dict); break; }
            case (byte)'s': { var value = Pop(); var key = Pop(); SetItem(As<PyDict>(Peek(), "SETITEM"), key, value); break; }
            case (byte)'u': { var items = PopMark(); SetItems(As<PyDict>(Peek(), "SETITEMS"), items); break; }

            case (byte)'p': memo[long.Parse(ReadLine(), CultureInfo.InvariantCulture)] = Peek(); break; // PUT
            case (byte)'q': memo[ReadU8()] = Peek(); break; // BINPUT
            case (byte)'r': memo[BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))] = Peek(); break; // LONG_BINPUT
            case 0x94: memo[memo.Count] = Peek(); break; // MEMOIZE
            case (byte)'g': Push(Get(long.Parse(ReadLine(), CultureInfo.InvariantCulture))); break; // GET
            case (byte)'h': Push(Get(ReadU8())); break; // BINGET
            case (byte)'j': Push(Get(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))); break; // LONG_BINGET

            case (byte)'c': // GLOBAL "module\nname\n"
            {
                string module = ReadLine();
                string name = ReadLine();
                Push(ResolveGlobal(module, name));
                break;
            }
            case 0x93: // STACK_GLOBAL
            {
                var name = Pop() as string ?? throw new PickleException("STACK_GLOBAL expects two strings");
                var module = Pop() as string ?? throw new PickleException("STACK_GLOBAL expects two strings");
                Push(ResolveGlobal(module, name));
                break;
            }
            case (byte)'R': // REDUCE: callable(*args)
            case 0x81: // NEWOBJ: cls.__new__(cls, *args)
            {
                var args = As<PyTuple>(Pop(), op == (byte)'R' ? "REDUCE" : "NEWOBJ");
                var callable = Pop() ?? throw new PickleException("cannot call None");
                Push(Call(callable, args));
                break;
            }
            case (byte)'b': // BUILD
            {
                var state = Pop();
                var target = Peek();
                if (Build is null) throw new PickleException("BUILD is not allowed here");
                Build(target, state);
                break;
            }
            case (byte)'Q': // BINPERSID
            {
                var pid = Pop();
                Push((PersistentLoad ?? throw new PickleException("persistent ids are not allowed here"))(pid));
                break;
            }
            case (byte)'P': // PERSID
                Push((PersistentLoad ?? throw new PickleException("persistent ids are not allowed here"))(ReadLine()));
                break;

            case (byte)'i': // INST
            case (byte)'o': // OBJ
            case 0x92: // NEWOBJ_EX
            case 0x82: case 0x83: case 0x84: // EXT1/2/4
            case 0x97: case 0x98: // NEXT_BUFFER, READONLY_BUFFER
            case (byte)'S': // STRING (protocol 0, Python 2 repr)
                throw new PickleException($"opcode 0x{op:x2} ('{OpcodeName(op)}') is not supported by this reader (a state dict never needs it)");
            default:
                throw new PickleException($"unknown pickle opcode 0x{op:x2} at byte {input.Position - 1} (corrupt data)");
        }
        return false;
    }

    private static string OpcodeName(byte op) => op switch
    {
        (byte)'i' => "INST", (byte)'o' => "OBJ", 0x92 => "NEWOBJ_EX", 0x82 => "EXT1", 0x83 => "EXT2", 0x84 => "EXT4",
        0x97 => "NEXT_BUFFER", 0x98 => "READONLY_BUFFER", (byte)'S' => "STRING", _ => "?",
    };

    // ---- stack -----------------------------------------------------------------------------

    private void Push(object? value) => stack.Add(value);

    private object? Pop()
    {
        if (stack.Count == 0 || (marks.Count > 0 && marks.Peek() >= stack.Count))
            throw new PickleException("stack underflow (corrupt pickle)");
        var value = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return value;
    }

    private object? Peek()
    {
        if (stack.Count == 0 || (marks.Count > 0 && marks.Peek() >= stack.Count))
            throw new PickleException("stack underflow (corrupt pickle)");
        return stack[^1];
    }

    private List<object?> PopMark()
    {
        if (marks.Count == 0) throw new PickleException("no MARK on the stack (corrupt pickle)");
        int start = marks.Pop();
        var items = stack.GetRange(start, stack.Count - start);
        stack.RemoveRange(start, stack.Count - start);
        return items;
    }

    private object? Get(long key) =>
        memo.TryGetValue(key, out var value) ? value : throw new PickleException($"memo entry {key} is read before it is written (corrupt pickle)");

    private static T As<T>(object? value, string opcode) where T : class =>
        value as T ?? throw new PickleException($"{opcode} expects a {typeof(T).Name[2..].ToLowerInvariant()}, not {Describe(value)}");

    private static void SetItems(PyDict dict, List<object?> items)
    {
        if (items.Count % 2 != 0) throw new PickleException("SETITEMS with an odd number of items (corrupt pickle)");
        for (int i = 0; i < items.Count; i += 2) SetItem(dict, items[i], items[i + 1]);
    }

    private static void SetItem(PyDict dict, object? key, object? value)
    {
        // State dicts and their metadata use string keys; plain scalars are accepted too.
        if (key is not (string or long or bool or double or BigInteger))
            throw new PickleException($"unsupported dict key type: {Describe(key)}");
        dict.Items[key] = value;
    }

    // ---- input -----------------------------------------------------------------------------

    private int ReadU8()
    {
        int b = input.ReadByte();
        return b >= 0 ? b : throw Truncated();
    }

    private int ReadLength(int width)
    {
        var bytes = ReadBytes(width);
        ulong n = width == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (n > (ulong)(input.Length - input.Position)) throw Truncated();
        return (int)n;
    }

    private byte[] ReadBytes(int count)
    {
        if (count > input.Length - input.Position) throw Truncated();
        var buffer = new byte[count];
        input.ReadExactly(buffer);
        return buffer;
    }

    private string ReadLine()
    {
        var bytes = new List<byte>();
        while (true)
        {
            int b = input.ReadByte();
            if (b < 0) throw Truncated();
            if (b == '\n') break;
            if (bytes.Count >= MaxLine) throw new PickleException("a text line in the pickle is implausibly long (corrupt pickle)");
            bytes.Add((byte)b);
        }
        return Utf8(bytes.ToArray());
    }

    private PickleException Truncated() => new($"the pickle ends early at byte {input.Position} (truncated or corrupt)");

    private static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static object Integer(BigInteger value) => value >= long.MinValue && value <= long.MaxValue ? (long)value : value;

    private static string RawUnicodeEscape(string text)
    {
        var result = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 5 < text.Length && text[i + 1] == 'u' &&
                int.TryParse(text.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code))
            {
                result.Append((char)code);
                i += 5;
            }
            else result.Append(text[i]);
        }
        return result.ToString();
    }

    /// <summary>A short, safe description of a value for error messages (never its contents).</summary>
    internal static string Describe(object? value) => value switch
    {
        null => "None",
        bool => "a bool",
        long or BigInteger => "an int",
        double => "a float",
        string => "a str",
        byte[] => "bytes",
        PyTuple t => $"a tuple of {t.Count}",
        PyList l => $"a list of {l.Count}",
        PyDict { IsOrderedDict: true } d => $"an OrderedDict of {d.Items.Count}",
        PyDict d => $"a dict of {d.Items.Count}",
        PyGlobal g => $"the global {g}",
        _ => $"a {value.GetType().Name}",
    };
}
