// deflateInit2 and inflateInit2 are macros; Swift needs functions.
#include <zlib.h>

static inline int yishi_deflate_init_gzip(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

static inline int yishi_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 32);
}
