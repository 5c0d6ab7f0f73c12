// MSBuild inline task: sets VER_FLG_WEAK on one version requirement (.gnu.version_r) of ELF64
// little-endian shared objects, only when no system libstdc++ provides that version.
public class MarkElfVersionWeak : Microsoft.Build.Utilities.Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = System.Array.Empty<Microsoft.Build.Framework.ITaskItem>();
    public string VersionName { get; set; } = "";

    public override bool Execute()
    {
        if (SystemProvides(VersionName))
        {
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "System libstdc++ provides " + VersionName + "; no ELF fix needed.");
            return true;
        }
        foreach (var item in Files)
        {
            var path = item.GetMetadata("FullPath");
            try
            {
                var changed = Patch(path, VersionName);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal,
                    changed ? "Marked " + VersionName + " weak in " + path : "Already weak or not required: " + path);
            }
            catch (System.Exception e)
            {
                Log.LogError("Could not apply the TorchSharp ELF fix to " + path + ": " + e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    private static bool SystemProvides(string version)
    {
        var needle = System.Text.Encoding.ASCII.GetBytes(version + "\0");
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6",
            "/usr/lib/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        };
        foreach (var c in candidates)
        {
            if (!System.IO.File.Exists(c)) continue;
            var bytes = System.IO.File.ReadAllBytes(c);
            return IndexOf(bytes, needle) >= 0;
        }
        return false;
    }

    private static int IndexOf(byte[] hay, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= hay.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && hay[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    /// <summary>Returns true when the file was changed.</summary>
    public static bool Patch(string path, string version)
    {
        var b = System.IO.File.ReadAllBytes(path);
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
            throw new System.InvalidOperationException("not an ELF file");
        if (b[4] != 2 || b[5] != 1) throw new System.InvalidOperationException("only ELF64 little-endian is supported");
        long shoff = (long)System.BitConverter.ToUInt64(b, 0x28);
        int shentsize = System.BitConverter.ToUInt16(b, 0x3A);
        int shnum = System.BitConverter.ToUInt16(b, 0x3C);
        bool changed = false;
        for (int s = 0; s < shnum; s++)
        {
            long sh = shoff + (long)s * shentsize;
            if (System.BitConverter.ToUInt32(b, (int)sh + 4) != ShtGnuVerneed) continue;
            long off = (long)System.BitConverter.ToUInt64(b, (int)sh + 0x18);
            int link = (int)System.BitConverter.ToUInt32(b, (int)sh + 0x28);
            int count = (int)System.BitConverter.ToUInt32(b, (int)sh + 0x2C);
            long strOff = (long)System.BitConverter.ToUInt64(b, (int)(shoff + (long)link * shentsize) + 0x18);
            long vn = off;
            for (int i = 0; i < count; i++)
            {
                int cnt = System.BitConverter.ToUInt16(b, (int)vn + 2);
                long aux = vn + System.BitConverter.ToUInt32(b, (int)vn + 8);
                for (int a = 0; a < cnt; a++)
                {
                    long nameOff = strOff + System.BitConverter.ToUInt32(b, (int)aux + 8);
                    int end = (int)nameOff;
                    while (b[end] != 0) end++;
                    var name = System.Text.Encoding.ASCII.GetString(b, (int)nameOff, end - (int)nameOff);
                    ushort flags = System.BitConverter.ToUInt16(b, (int)aux + 4);
                    if (name == version && (flags & VerFlgWeak) == 0)
                    {
                        flags |= VerFlgWeak;
                        b[aux + 4] = (byte)(flags & 0xff);
                        b[aux + 5] = (byte)(flags >> 8);
                        changed = true;
                    }
                    aux += System.BitConverter.ToUInt32(b, (int)aux + 12);
                }
                vn += System.BitConverter.ToUInt32(b, (int)vn + 12);
            }
        }
        if (changed)
        {
            var tmp = path + ".elffix.tmp";
            System.IO.File.WriteAllBytes(tmp, b);
            System.IO.File.Replace(tmp, path, null);
        }
        return changed;
    }
}
