// elf-weaken-version LIBRARY VERSION: marks every requirement of VERSION (an entry of the library's
// .gnu.version_r) as weak (VER_FLG_WEAK), so the dynamic loader accepts a system that lacks that
// version instead of refusing to load. Idempotent; exit 0 when at least one entry now is weak,
// 1 when the library requires no such version, 2 on a file that is not a 64-bit ELF.
#include <elf.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

namespace {
int fail(const char* path, const char* why) {
    std::fprintf(stderr, "elf-weaken-version: %s: %s\n", path, why);
    return 2;
}

template <typename T>
bool read_at(const std::vector<char>& image, size_t offset, T& out) {
    if (offset > image.size() || image.size() - offset < sizeof(T)) return false;
    std::memcpy(&out, image.data() + offset, sizeof(T));
    return true;
}
}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: elf-weaken-version LIBRARY VERSION\n");
        return 2;
    }
    const char* path = argv[1];
    const char* version = argv[2];
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(path, "cannot open");
    std::vector<char> image((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();

    Elf64_Ehdr ehdr;
    if (!read_at(image, 0, ehdr) || std::memcmp(ehdr.e_ident, ELFMAG, SELFMAG) != 0 ||
        ehdr.e_ident[EI_CLASS] != ELFCLASS64 || ehdr.e_ident[EI_DATA] != ELFDATA2LSB)
        return fail(path, "not a 64-bit little-endian ELF file");

    int weakened = 0;
    for (int i = 0; i < ehdr.e_shnum; ++i) {
        Elf64_Shdr verneed;
        if (!read_at(image, ehdr.e_shoff + size_t(i) * ehdr.e_shentsize, verneed)) return fail(path, "truncated section table");
        if (verneed.sh_type != SHT_GNU_verneed) continue;
        Elf64_Shdr strtab;
        if (!read_at(image, ehdr.e_shoff + size_t(verneed.sh_link) * ehdr.e_shentsize, strtab)) return fail(path, "bad string table");
        size_t need_at = verneed.sh_offset;
        for (Elf64_Word n = 0; n < verneed.sh_info; ++n) {
            Elf64_Verneed need;
            if (!read_at(image, need_at, need)) return fail(path, "truncated .gnu.version_r");
            size_t aux_at = need_at + need.vn_aux;
            for (Elf64_Half a = 0; a < need.vn_cnt; ++a) {
                Elf64_Vernaux aux;
                if (!read_at(image, aux_at, aux)) return fail(path, "truncated .gnu.version_r");
                size_t name_at = strtab.sh_offset + aux.vna_name;
                if (name_at < image.size() && std::strncmp(image.data() + name_at, version, image.size() - name_at) == 0) {
                    aux.vna_flags |= VER_FLG_WEAK;
                    std::memcpy(image.data() + aux_at, &aux, sizeof aux);
                    ++weakened;
                }
                aux_at += aux.vna_next;
            }
            need_at += need.vn_next;
        }
    }
    if (weakened == 0) {
        std::fprintf(stderr, "elf-weaken-version: %s requires no version %s\n", path, version);
        return 1;
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(image.data(), std::streamsize(image.size()));
    if (!out) return fail(path, "cannot write");
    return 0;
}
